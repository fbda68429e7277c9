// leadflow/deflate.hpp — raw DEFLATE (RFC 1951) compression and decompression, and base64url
// (RFC 4648 §5, no padding). Pure and portable: the same input gives the same bytes natively
// and in WebAssembly, which share links rely on (the same content gives the same link).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "leadflow/status.hpp"

namespace leadflow {

// Compresses `data` into a raw DEFLATE stream (no zlib/gzip header): LZ77 with hash chains and
// lazy matching, then one dynamic-Huffman block per 16K symbols. Deterministic. Any RFC 1951
// inflater (zlib with windowBits -15, the browser's DecompressionStream('deflate-raw')) reads it.
std::string deflate_raw(std::string_view data);

// Decompresses a raw DEFLATE stream (stored, fixed and dynamic blocks). Fails with
// kInvalidArgument for a corrupt or truncated stream, or when the output would exceed
// `max_output` bytes (protection against decompression bombs).
Result<std::string> inflate_raw(std::string_view stream, std::size_t max_output = 16u << 20);

// base64url without padding ("-" and "_" for "+" and "/").
std::string base64url_encode(std::string_view data);
// Decodes base64url (padding "=" tolerated, standard "+/" accepted too). Fails with
// kInvalidArgument naming the first bad character's position.
Result<std::string> base64url_decode(std::string_view text);

}  // namespace leadflow
