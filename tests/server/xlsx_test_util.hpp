// tests/server/xlsx_test_util.hpp — workbooks built in memory for the .xlsx reader's tests: a
// zip archive written by libzip from named parts, and a minimal one-sheet package around a
// sheet's rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace leadflow::server::testing {

struct ZipPart {
    std::string name;
    std::string data;
    bool deflate = true;        // else stored
    std::string password = "";  // non-empty: AES-256 encrypted
};

// The bytes of a zip archive holding `parts` in order.
std::string zip_archive(const std::vector<ZipPart>& parts);

// A worksheet part around `rows` (the content of <sheetData>).
std::string worksheet_xml(const std::string& rows);
// A shared-strings part whose items are the given <si> contents ("<t>Ann</t>").
std::string shared_strings_xml(const std::vector<std::string>& items);
// A styles part whose cell formats (s="0", s="1", …) use the given number formats; `custom`
// is the content of <numFmts> (may be empty).
std::string styles_xml(const std::vector<int>& cell_formats, const std::string& custom = "");

// The parts of a one-sheet workbook: [Content_Types].xml, _rels/.rels, xl/workbook.xml,
// xl/_rels/workbook.xml.rels (naming the shared strings and styles when given) and
// xl/worksheets/sheet1.xml.
std::vector<ZipPart> workbook_parts(const std::string& sheet_xml,
                                    const std::optional<std::string>& shared = std::nullopt,
                                    const std::optional<std::string>& styles = std::nullopt);
// zip_archive(workbook_parts(…)).
std::string xlsx_file(const std::string& sheet_xml,
                      const std::optional<std::string>& shared = std::nullopt,
                      const std::optional<std::string>& styles = std::nullopt);

// A file of tests/fixtures/xlsx/.
std::string xlsx_fixture(const std::string& name);

}  // namespace leadflow::server::testing
