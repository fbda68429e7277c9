// server/util/json_text.hpp — JSON values appended straight to a string, byte-identical to what
// building the value as a Json and dumping it (compact, invalid UTF-8 replaced) writes, without
// the allocations of a Json tree. Used by the hot read routes (http/json_text) and by the
// scheduler's history rows (runtime/history_text).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "leadflow/civil_time.hpp"

namespace leadflow::server {

// Appends `s` as a JSON string literal ("…" with escapes), as Json(s).dump() writes it.
void append_json_string(std::string& out, std::string_view s);

// Appends the string literal of `*s`, or null.
void append_json_optional_string(std::string& out, const std::optional<std::string>& s);

// Appends `t` as time_json(t) dumps: the quoted format_timestamp(*t), or null.
void append_json_time(std::string& out, const std::optional<TimeMs>& t);

// Appends `v` in decimal.
void append_json_int(std::string& out, std::int64_t v);

}  // namespace leadflow::server
