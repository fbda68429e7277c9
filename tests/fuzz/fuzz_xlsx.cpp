// tests/fuzz/fuzz_xlsx.cpp — the .xlsx reader of lead uploads (POST …/leads, a multipart file).
//
// Two ways in, chosen by the first byte. Even (a zip file starts with 'P'): the input is the
// uploaded file, so libzip's archive reading and every refusal are reached. Odd: the rest is
// split at "\n--part--\n" into a sheet, shared strings, styles and a workbook part, which are
// zipped (stored) into a one-sheet workbook: mutations of the XML then reach the parsers with
// valid checksums.
//
// Properties: reading never crashes; records come in row order and are never empty; none has
// more than the column limit or fewer fields than the first; every field is UTF-8; the records
// together stay within the text limit as CSV would hold them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"
#include "util/utf8.hpp"
#include "util/xlsx.hpp"
#include "xlsx_test_util.hpp"

using namespace leadflow;

namespace {

std::string workbook_from_parts(std::string_view text) {
    std::vector<std::string> parts;
    const std::string_view sep = "\n--part--\n";
    while (parts.size() < 3) {
        const auto at = text.find(sep);
        if (at == std::string_view::npos) break;
        parts.emplace_back(text.substr(0, at));
        text.remove_prefix(at + sep.size());
    }
    parts.emplace_back(text);
    auto part = [&](std::size_t i) -> std::optional<std::string> {
        if (i < parts.size() && !parts[i].empty()) return parts[i];
        return std::nullopt;
    };
    auto files = server::testing::workbook_parts(parts[0], part(1), part(2));
    if (auto book = part(3)) files[2].data = *book;
    for (auto& f : files) f.deflate = false;
    return server::testing::zip_archive(files);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::string bytes =
        (data[0] & 1) ? workbook_from_parts(input.substr(1)) : std::string(input);

    server::XlsxLimits limits;
    limits.max_entries = 64;
    limits.max_unpacked_bytes = 1 << 20;
    limits.max_columns = 20;
    limits.max_text_bytes = 64 * 1024;
    std::size_t last_line = 0, width = 0, text = 0;
    (void)server::for_each_xlsx_record(bytes, limits, [&](server::CsvRecord& r) {
        LEADFLOW_FUZZ_CHECK(!r.fields.empty(), "a record has a field");
        LEADFLOW_FUZZ_CHECK(r.line > last_line, "records are in row order");
        LEADFLOW_FUZZ_CHECK(r.fields.size() <= limits.max_columns,
                            "records honour the column limit");
        if (width == 0) width = r.fields.size();
        LEADFLOW_FUZZ_CHECK(r.fields.size() >= width, "records are padded to the first");
        last_line = r.line;
        for (const auto& f : r.fields) {
            LEADFLOW_FUZZ_CHECK(server::is_valid_utf8(f), "fields are UTF-8");
            text += f.size() + 1;
        }
        LEADFLOW_FUZZ_CHECK(text <= limits.max_text_bytes, "records honour the text limit");
        return Status::ok();
    });
    return 0;
}
