// server/store/stored_values.hpp — conversions between the text a store keeps and values, the
// same for every backend (server/store/sqlite_*.cpp, server/store/pg_*.cpp): JSON columns,
// lead variables, lists passed as one parameter and LIKE patterns.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server::stored {

// The JSON stored as `text`; "{}" without parsing. kInternal naming `what` ("stored <what> is
// not JSON") when the text does not parse.
Result<Json> parse_stored_json(const std::string& text, const char* what);

// Lead variables as stored (a JSON object) into `out`: its string members, other members
// skipped, a repeated name keeping its last value. Plain ASCII objects as Json::dump writes
// them are read without the JSON parser (the lead-list route reads thousands per second);
// anything else is parsed (parse_stored_json's failure when it is not JSON).
Status read_string_map(const std::string& text, std::map<std::string, std::string>& out);

// Lead variables as they are stored: the JSON object of `vars` (its members in name order),
// which read_string_map reads back.
std::string string_map_text(const std::map<std::string, std::string>& vars);

// A JSON array of the strings / of the statuses' names (one parameter holding a list).
Json string_list_json(const std::vector<std::string>& v);
Json status_list_json(const std::vector<LeadStatus>& v);

// `s` with %, _ and \ escaped by a backslash, for LIKE … ESCAPE '\'.
std::string escape_like(const std::string& s);

// A JSON column's value: NULL for a null Json, else its text.
inline std::optional<std::string> json_or_null(const Json& j) {
    if (j.is_null()) return std::nullopt;
    return j.dump();
}

}  // namespace leadflow::server::stored
