// leadflow/text.hpp — the ASCII text rules every part of Leadflow shares: what white space is
// trimmed from labels, keys and values, and how case is folded when names are compared. Locale
// independent (the C library's isspace/tolower depend on the locale; these do not).
#pragma once

#include <string>
#include <string_view>

namespace leadflow {

// ' ', '\t', '\n', '\v', '\f' or '\r'.
constexpr bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
// 'A'–'Z' folded to 'a'–'z'; every other byte unchanged (UTF-8 sequences pass through).
constexpr char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// `s` without ASCII white space at either end (a view into `s`).
std::string_view trim_view(std::string_view s);
// trim_view(s) as a string.
std::string trim(std::string_view s);
// 'a'–'z' folded to 'A'–'Z'; every other byte unchanged.
constexpr char ascii_upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// `s` with ASCII letters folded to lower case.
std::string lower(std::string_view s);
// `s` with ASCII letters folded to upper case.
std::string upper(std::string_view s);
// lower(trim_view(s)).
std::string lower_trimmed(std::string_view s);
// Case-insensitive (ASCII) equality.
bool iequals(std::string_view a, std::string_view b);
// Whether `s` begins with `prefix` (case-sensitive).
constexpr bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace leadflow
