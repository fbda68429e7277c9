// server/util/utf8.hpp — the UTF-8 check applied to text from outside (uploads) before it is
// stored or written as JSON.
#pragma once

#include <cstddef>
#include <string_view>

namespace leadflow::server {

// True when `s` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
// (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequence. NUL bytes are valid.
bool is_valid_utf8(std::string_view s);

// The byte offset of the first ill-formed sequence in `s`, or s.size() when it is valid.
std::size_t invalid_utf8_offset(std::string_view s);

}  // namespace leadflow::server
