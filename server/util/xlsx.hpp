// server/util/xlsx.hpp — a reader for the first sheet of an Office Open XML workbook (.xlsx)
// uploaded as a lead list. It hands out the same records as the CSV reader (util/csv.hpp), so
// that an upload's rows go through one set of rules whatever the file's format.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "leadflow/status.hpp"
#include "util/csv.hpp"

namespace leadflow::server {

// Every message of a workbook that cannot be read starts with this.
inline constexpr std::string_view kXlsxInvalidPrefix = "file is not a valid .xlsx workbook: ";

// Limits applied while the workbook is read; each is checked before the bytes past it are
// taken in, so a hostile file costs at most these amounts.
struct XlsxLimits {
    // Entries of the zip archive (whatever they hold).
    std::size_t max_entries = 0;
    // Bytes inflated from every part read (workbook, relationships, shared strings, styles, the
    // sheet), counted while inflating: the size an entry declares is not trusted.
    std::size_t max_unpacked_bytes = 0;
    // Columns of a record, as for CSV: a cell with a value in column max_columns + 1 stops the
    // read (0: no limit). Empty cells beyond it are ignored.
    std::size_t max_columns = 0;
    // The records' text as CSV would hold it: every field's bytes plus one separator per field
    // (0: no limit). Bounds what the shared-string table can multiply: a short sheet whose
    // cells all refer to one long shared string.
    std::size_t max_text_bytes = 0;
};

// True when an uploaded file should be read as a workbook: its bytes start with a zip
// signature ("PK\3\4", or "PK\5\6" for an empty archive), its name ends in .xlsx or .xlsm, or
// its content type is the spreadsheetml one. A CSV file cannot start with those bytes.
bool looks_like_xlsx(std::string_view bytes, std::string_view filename,
                     std::string_view content_type);

// True when the bytes are an OLE compound file: a legacy .xls workbook, or an .xlsx that Excel
// encrypted with a password (Excel wraps those in a compound file).
bool looks_like_compound_file(std::string_view bytes);

// Reads the first worksheet in workbook order (xl/workbook.xml, resolved through its
// relationships) and calls `on_record` with each non-empty row as soon as it has been read; a
// failed Status from `on_record` stops the read and is passed through.
//
// Rows: `line` is the sheet's 1-based row number. Rows with no value are skipped, as blank CSV
// lines are. A row is the grid from column A to its last cell with a value, missing cells
// (A1, C1) giving empty fields; the first record fixes the width, and a later record that is
// shorter is padded with empty fields to it (a spreadsheet row has no "missing" cells).
//
// Values: shared strings (rich-text runs joined, phonetic runs left out) and inline strings
// with their _xHHHH_ escapes decoded; numbers in plain decimal notation rounded to the
// 15 significant digits a spreadsheet shows (14155550123 and 1.4155550123E10 both give
// "14155550123"); booleans as TRUE and FALSE; error values (#N/A) and formula results as
// stored; cells with a date or time number format as ISO 8601 text ("2024-03-15",
// "2024-03-15 09:30:00", "09:30:00").
//
// Errors (kInvalidArgument): a file that is not a zip archive, is encrypted, lacks a part the
// sheet needs, holds XML that is not well-formed or has a document type declaration (no DTD
// is read, so no entity is ever expanded), or breaks the sheet's structure: the message
// starts with kXlsxInvalidPrefix and names the part or cell. Past a limit: a message naming
// the limit.
Status for_each_xlsx_record(std::string_view bytes, const XlsxLimits& limits,
                            const std::function<Status(CsvRecord&)>& on_record);

}  // namespace leadflow::server
