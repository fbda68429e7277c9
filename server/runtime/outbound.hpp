// server/runtime/outbound.hpp — outbound HTTP for the webhook call provider, APPLICATION
// webhooks and user webhooks. A tenant chooses the URL, so the server must not become a way
// into the network it runs in: destinations that resolve to loopback, private, shared (CGNAT),
// link-local (cloud metadata included), multicast, unspecified or reserved addresses — in IPv4,
// IPv6 and IPv4-mapped/-embedded IPv6 forms — are refused unless the operator names the host
// with --allow-outbound HOST[:PORT]. The host is resolved once, every address is checked, and
// the request connects to the checked address (no second lookup can swap it). Methods and
// headers follow check_webhook_request (core/node_config.hpp); redirects are never followed;
// timeouts and a response-size limit bound each request.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "leadflow/status.hpp"

namespace leadflow::server {

struct OutboundPolicy {
    // "host" (any port) or "host:port", lower case: hosts admitted whatever they resolve to
    // (for development and for services on the operator's own network).
    std::vector<std::string> allowed;
    int timeout_ms = 5000;  // connect, read and write
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

// What kind of non-public address `ip` (numeric IPv4 or IPv6 text) is: "loopback", "private",
// "shared address space", "link-local", "multicast", "unspecified", "reserved"; empty for a
// public address or text that is not a numeric address.
std::string internal_address_kind(const std::string& ip);

// The check that needs no DNS: the URL parses, and unless the host is named by the policy it is
// neither "localhost", a name under ".localhost", nor a numeric address (in any form the system
// resolver accepts, e.g. "2130706433" or "0x7f.1") of an internal kind. kFailedPrecondition
// ("outbound host X is not allowed: …; start the server with --allow-outbound X:PORT to allow
// it") or kInvalidArgument for a bad URL.
Status check_outbound(const OutboundPolicy& policy, const std::string& url);

struct ResolvedDestination {
    ParsedUrl url;
    std::string address;  // the numeric address the request connects to
};

// check_outbound, then resolves the host (getaddrinfo) and checks every address it resolves to
// (any internal one refuses the host unless the policy names it). kFailedPrecondition when
// refused, kNotFound when the name does not resolve.
Result<ResolvedDestination> resolve_outbound(const OutboundPolicy& policy, const std::string& url);

struct OutboundResponse {
    int status = 0;  // HTTP status; 0 when no response was received (see error)
    std::string body;
    std::string error;        // why no usable response: refused, connection, timeout, too large
    bool refused = false;     // refused before any connection (policy, method, header, URL)
    bool network = false;     // connection or transfer failure: worth retrying
    std::string retry_after;  // the Retry-After header of the response, if any
};

// Sends one request (method, url, headers, body) under the policy. The server adds Host (the
// URL's host) and Content-Length itself. Never throws.
OutboundResponse send_outbound(const OutboundPolicy& policy, const std::string& method,
                               const std::string& url,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body);

}  // namespace leadflow::server
