// server/util/crypto.hpp — the few cryptographic primitives the server needs (OpenSSL):
// random identifiers, SHA-256 for API-key secrets, HMAC-SHA256 for signed callbacks.
#pragma once

#include <string>
#include <string_view>

namespace leadflow::server {

// `n` cryptographically random bytes as lower-case hex (2n characters). Aborts the process if
// the system's random source fails (there is no safe fallback for key material).
std::string random_hex(std::size_t n);

// A new opaque identifier "<prefix><24 hex characters>", e.g. new_id("wf_") → "wf_3fa9…".
std::string new_id(std::string_view prefix);

// SHA-256 of `data` as lower-case hex (64 characters).
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` under `key` as lower-case hex (64 characters).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Compares two strings in time that depends only on their lengths (for secrets and hashes).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace leadflow::server
