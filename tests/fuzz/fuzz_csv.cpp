// tests/fuzz/fuzz_csv.cpp — the RFC 4180 reader of lead uploads (POST …/leads, text/csv or a
// multipart file).
//
// Properties: parsing never throws; records come in line order, none is empty, and the fields
// together never hold more bytes than the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "util/csv.hpp"

using namespace leadflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto records = server::parse_csv(text);
    if (!records.ok()) return 0;
    std::size_t bytes = 0, last_line = 0;
    for (const auto& r : *records) {
        LEADFLOW_FUZZ_CHECK(!r.fields.empty(), "a record has a field");
        LEADFLOW_FUZZ_CHECK(r.line > last_line, "records are in line order");
        last_line = r.line;
        for (const auto& f : r.fields) bytes += f.size();
    }
    LEADFLOW_FUZZ_CHECK(bytes <= size, "fields hold no more than the input");
    return 0;
}
