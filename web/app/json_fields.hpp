// web/app/json_fields.hpp — reading one field of a server answer that may not have the shape
// the API documents: a missing field or one of another type reads as absent, never throws.
#pragma once

#include <cstdint>
#include <string>

#include "leadflow/json.hpp"

namespace leadflow::web {

// The string at j[key]; "" when j is not an object or the field is not a string.
inline std::string json_str(const Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                  : std::string();
}

// Sets *out to the integer at j[key]; false (and *out unchanged) when there is none.
inline bool json_int(const Json& j, const char* key, std::int64_t* out) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number_integer()) return false;
    *out = j[key].get<std::int64_t>();
    return true;
}

}  // namespace leadflow::web
