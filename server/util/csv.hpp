// server/util/csv.hpp — an RFC 4180 CSV reader for lead uploads.
#pragma once

#include <cstddef>
#include <functional>
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

// Calls `on_record` with each record as soon as it has been read, so that a caller can stop
// (by returning a failed Status, which is passed through) without the rest of the text being
// parsed. Same grammar and errors as parse_csv, plus: a record with more than `max_fields`
// fields (0: no limit) fails with kInvalidArgument "CSV line N: more than M columns" as soon
// as its field max_fields + 1 starts, before that field is read.
Status for_each_csv_record(std::string_view text, std::size_t max_fields,
                           const std::function<Status(CsvRecord&)>& on_record);

}  // namespace leadflow::server
