// server/runtime/outbound.hpp — outbound HTTP for the webhook call provider, APPLICATION
// webhooks and user webhooks: only to hosts the operator allows (--allow-outbound HOST[:PORT];
// loopback allowed by default), with timeouts and a response-size limit, so that a tenant
// cannot make the server reach internal services.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "leadflow/status.hpp"

namespace leadflow::server {

struct OutboundPolicy {
    std::vector<std::string> allowed;  // "host" (any port) or "host:port", lower case
    bool allow_loopback = true;        // 127.0.0.0/8, ::1, localhost
    int timeout_ms = 5000;             // connect, read and write
    std::size_t max_response_bytes = 1024 * 1024;
};

struct ParsedUrl {
    std::string scheme;  // "http" or "https"
    std::string host;    // lower case, without brackets
    int port = 0;
    std::string path;  // with query; "/" when empty
};

// Parses an absolute http(s) URL; kInvalidArgument naming the problem otherwise.
Result<ParsedUrl> parse_url(const std::string& url);

// Ok when `url` may be requested under `policy`; kFailedPrecondition ("outbound host X is not
// allowed; start the server with --allow-outbound X") otherwise, kInvalidArgument for a bad URL.
Status check_outbound(const OutboundPolicy& policy, const std::string& url);

struct OutboundResponse {
    int status = 0;  // HTTP status; 0 when the request failed (see error)
    std::string body;
    std::string error;  // connection failure, timeout, response too large, not allowed
};

// Sends one request (method, url, headers, body) under the policy. Never throws.
OutboundResponse send_outbound(const OutboundPolicy& policy, const std::string& method,
                               const std::string& url,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body);

}  // namespace leadflow::server
