// server/util/csv.hpp — an RFC 4180 CSV reader for lead uploads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "leadflow/status.hpp"

namespace leadflow::server {

// One parsed record: its fields and the 1-based line on which it starts.
struct CsvRecord {
    std::vector<std::string> fields;
    std::size_t line = 0;
};

// Parses CSV text per RFC 4180: comma separator, fields optionally enclosed in double quotes,
// "" inside a quoted field is one quote, quoted fields may span lines; records end with LF or
// CRLF (a final newline is optional). A UTF-8 byte-order mark at the start is skipped. Blank
// lines are skipped. Fails with kInvalidArgument (naming the line) on an unterminated quoted
// field or a quote that appears inside an unquoted field or after a closing quote.
Result<std::vector<CsvRecord>> parse_csv(std::string_view text);

}  // namespace leadflow::server
