// tests/fuzz/fuzz_share.cpp — share-link fragments ("#s=1.<base64url(deflate(json))>") as a browser
// URL or POST /v1/share-links delivers them: parameter splitting, the format version, base64url,
// inflate and JSON in one chain.
//
// Properties: decoding never throws; a decoded payload encodes to a fragment that decodes to the
// same payload.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "leadflow/share.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto p = decode_share_fragment(text);
    if (!p.ok()) return 0;
    const std::string fragment = encode_share_fragment(*p);
    auto again = decode_share_fragment(fragment);
    LEADFLOW_FUZZ_CHECK(again.ok(), "an encoded payload decodes");
    LEADFLOW_FUZZ_CHECK(
        again->graph == p->graph && again->scenario == p->scenario && again->view == p->view,
        "encode → decode keeps the payload");
    return 0;
}
