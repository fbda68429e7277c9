// web/app/json_fields.hpp — reading one field of a server answer that may not have the shape
// the API documents: a missing field or one of another type reads as absent, never throws.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

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

// The number at j[key]; 0 when j is not an object or the field is not a number.
inline double json_num(const Json& j, const char* key) {
    if (!j.is_object()) return 0;
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

// The [low, high] pair of numbers at j[key]; {0, 0} when there is none.
inline std::pair<double, double> json_interval(const Json& j, const char* key) {
    if (!j.is_object()) return {0, 0};
    auto it = j.find(key);
    if (it == j.end() || !it->is_array() || it->size() != 2 || !(*it)[0].is_number() ||
        !(*it)[1].is_number()) {
        return {0, 0};
    }
    return {(*it)[0].get<double>(), (*it)[1].get<double>()};
}

// j[key]; null when j is not an object or has no such field.
inline const Json& json_member(const Json& j, const char* key) {
    static const Json kNull;
    if (!j.is_object()) return kNull;
    auto it = j.find(key);
    return it == j.end() ? kNull : *it;
}

}  // namespace leadflow::web
