// server/util/log_text.hpp — the one way tenant-controlled text reaches the server's log
// (stderr). Every string a client, a tenant or a remote endpoint can influence (request paths,
// ids, URLs, error messages that quote input) goes through log_escape() before it is written,
// so that a value can never start a line of its own, forge another message, or write bytes a
// terminal would interpret.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leadflow::server {

// Longest escaped text log_escape() returns by default (before the truncation marker).
constexpr std::size_t kLogTextMax = 300;

// `s` as printable ASCII: bytes below 0x20, 0x7F and every byte from 0x80 (so non-ASCII
// UTF-8 too) become \xNN (lower-case hex), a backslash becomes \\ and a double quote \". When
// the escaped text would be longer than `max` characters it is cut at an escape boundary and
// "...(N bytes)" is appended, N being the length of `s`.
std::string log_escape(std::string_view s, std::size_t max = kLogTextMax);

// Writes "leadflow-server: " + `message` + "\n" to stderr in one call. `message` must already
// be safe (fixed text plus log_escape()d values).
void log_line(const std::string& message);

}  // namespace leadflow::server
