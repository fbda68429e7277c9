// server/http/request_body.hpp — reads a request body off the connection under the body limit:
// Content-Length or chunked framing, then gzip/deflate content coding inflated by a streaming
// loop that stops as soon as the output passes the limit (a small compressed body cannot
// inflate to gigabytes in memory). Independent of any HTTP library.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace leadflow::server {

// Reads up to n bytes into p: the count, 0 at end of stream, -1 on error or timeout.
using BodyReadFn = std::function<ssize_t(char* p, std::size_t n)>;

struct BodyFraming {
    std::optional<std::size_t> content_length;  // from Content-Length
    bool chunked = false;                       // Transfer-Encoding: chunked
    std::string content_encoding;               // lower case; "" or "identity" = none
};

struct BodyOutcome {
    int status = 0;       // 0 = read; else the HTTP status to answer (400, 408, 413, 415)
    std::string message;  // why, for the error reply
    std::string body;     // the decoded body when status == 0
};

// Checks the headers before reading: the status to answer at once (413 for a declared length
// over max_bytes, 415 for a content coding other than gzip, x-gzip, deflate or identity), or
// 0. max_bytes is also the limit of the decoded body.
BodyOutcome check_body_framing(const BodyFraming& f, std::size_t max_bytes);

// Reads and decodes the body. Stops reading at the first error: the caller must then close the
// connection, since the rest of the body is still on it.
BodyOutcome read_body(const BodyFraming& f, std::size_t max_bytes, const BodyReadFn& read);

}  // namespace leadflow::server
