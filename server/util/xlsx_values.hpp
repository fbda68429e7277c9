// server/util/xlsx_values.hpp — how the stored values of a workbook's cells become text: numbers,
// dates and times by their number format, and the _xHHHH_ escapes of strings. Pure functions,
// used by the .xlsx reader (util/xlsx.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leadflow::server {

// What a cell's number format shows its number as.
enum class XlsxNumberKind { kNumber, kDate, kDateTime, kTime };

// The kind of a number format: one of the built-in ids (14–17, 22, 27–36, 50–58: dates and
// date-times; 18–21, 45–47: times) or, for a custom format, its code's first section (a date
// part: y, d or a month m; a time part: h, s or an m next to them; quoted text, escaped
// characters, fill and padding characters and [colour] sections do not count).
XlsxNumberKind xlsx_number_kind(int format_id, std::string_view format_code);

// A stored number ("14155550123", "1.4155550123E10", "-0.5", "3.0000000000000004") in plain
// decimal notation, rounded to 15 significant digits as a spreadsheet shows it, with no
// exponent, no trailing fraction zeros and no leading zeros ("14155550123", "-0.5", "3").
// A magnitude of 1e21 or more or below 1e-7 keeps its stored text, as does text that is not a
// number.
std::string xlsx_number_text(std::string_view stored);

// A serial date number shown as ISO 8601 text: "2024-03-15" (kDate), "2024-03-15 09:30:00"
// (kDateTime) or "09:30:00" (kTime), rounded to the second. `date1904` selects the workbook's
// 1904 date system. Serial 60 of the 1900 system is the 1900-02-29 that system counts. Empty
// for a number outside 0 … 2958465 (9999-12-31), or text that is not a number.
std::optional<std::string> xlsx_date_text(std::string_view stored, XlsxNumberKind kind,
                                          bool date1904);

// Decodes the _xHHHH_ escapes of an OOXML string (the way a workbook stores control characters
// such as _x000D_ for a carriage return, and _x005F_ for a literal underscore) in place. An
// escape of a surrogate code unit stays as it is.
void decode_xlsx_escapes(std::string& s);

}  // namespace leadflow::server
