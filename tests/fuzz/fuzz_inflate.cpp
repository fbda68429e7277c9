// tests/fuzz/fuzz_inflate.cpp — the raw DEFLATE decoder and base64url under share links, fed raw
// bytes so that the fuzzer reaches the block decoders without having to learn base64 first.
//
// Properties: inflate never reads or writes out of bounds and honours its output cap; every
// input compresses with deflate_raw to a stream that inflates back to it; base64url decode of
// the input never crashes and encode → decode is the identity.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "leadflow/deflate.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    constexpr std::size_t kCap = 1u << 16;  // small, so that bombs hit it quickly
    auto out = inflate_raw(bytes, kCap);
    if (out.ok()) LEADFLOW_FUZZ_CHECK(out->size() <= kCap, "inflate honours max_output");

    auto round = inflate_raw(deflate_raw(bytes), size + 1);
    LEADFLOW_FUZZ_CHECK(round.ok() && *round == bytes, "inflate(deflate(x)) == x");

    (void)base64url_decode(bytes);
    auto b = base64url_decode(base64url_encode(bytes));
    LEADFLOW_FUZZ_CHECK(b.ok() && *b == bytes, "base64url decode(encode(x)) == x");
    return 0;
}
