// server/runtime/outbound.cpp — allow-listed outbound HTTP over cpp-httplib.
#include "runtime/outbound.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>

namespace leadflow::server {

Result<ParsedUrl> parse_url(const std::string& url) {
    ParsedUrl u;
    auto sep = url.find("://");
    if (sep == std::string::npos) return Status::invalid("URL must start with http:// or https://");
    u.scheme = url.substr(0, sep);
    std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (u.scheme != "http" && u.scheme != "https") {
        return Status::invalid("URL must start with http:// or https://");
    }
    std::string rest = url.substr(sep + 3);
    auto slash = rest.find_first_of("/?#");
    std::string authority = rest.substr(0, slash);
    u.path = slash == std::string::npos ? "/" : rest.substr(slash);
    if (!u.path.empty() && u.path[0] != '/') u.path = "/" + u.path;
    if (authority.find('@') != std::string::npos) {
        return Status::invalid("URL must not carry user information");
    }
    std::string port;
    if (!authority.empty() && authority[0] == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos) return Status::invalid("URL has an unclosed [host]");
        u.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':') {
            port = authority.substr(close + 2);
        }
    } else {
        auto colon = authority.rfind(':');
        u.host = authority.substr(0, colon);
        if (colon != std::string::npos) port = authority.substr(colon + 1);
    }
    std::transform(u.host.begin(), u.host.end(), u.host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (u.host.empty()) return Status::invalid("URL has no host");
    u.port = u.scheme == "https" ? 443 : 80;
    if (!port.empty()) {
        if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) {
            return Status::invalid("URL port must be a number");
        }
        u.port = std::stoi(port);
        if (u.port < 1 || u.port > 65535) return Status::invalid("URL port is out of range");
    }
    return u;
}

namespace {

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace

Status check_outbound(const OutboundPolicy& policy, const std::string& url) {
    auto u = parse_url(url);
    if (!u.ok()) return u.status();
    if (policy.allow_loopback && is_loopback(u->host)) return Status::ok();
    const std::string with_port = u->host + ":" + std::to_string(u->port);
    for (const std::string& a : policy.allowed) {
        if (a == u->host || a == with_port) return Status::ok();
    }
    return Status::precondition("outbound host " + with_port +
                                " is not allowed; start the server with --allow-outbound " +
                                u->host);
}

OutboundResponse send_outbound(const OutboundPolicy& policy, const std::string& method,
                               const std::string& url,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body) {
    OutboundResponse out;
    if (Status s = check_outbound(policy, url); !s) {
        out.error = s.message();
        return out;
    }
    ParsedUrl u = parse_url(url).value();
    try {
        std::string host = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
        httplib::Client cli(u.scheme + "://" + host + ":" + std::to_string(u.port));
        const time_t sec = policy.timeout_ms / 1000;
        const time_t usec = (policy.timeout_ms % 1000) * 1000;
        cli.set_connection_timeout(sec, usec);
        cli.set_read_timeout(sec, usec);
        cli.set_write_timeout(sec, usec);
        cli.set_follow_location(false);
        httplib::Request req;
        req.method = method;
        req.path = u.path;
        for (const auto& [k, v] : headers) req.headers.emplace(k, v);
        req.body = body;
        if (!req.has_header("Content-Type"))
            req.headers.emplace("Content-Type", "application/json");
        bool too_large = false;
        std::string received;
        req.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
            if (received.size() + len > policy.max_response_bytes) {
                too_large = true;
                return false;
            }
            received.append(data, len);
            return true;
        };
        httplib::Response res;
        httplib::Error err = httplib::Error::Success;
        bool ok = cli.send(req, res, err);
        if (too_large) {
            out.error =
                "response larger than " + std::to_string(policy.max_response_bytes) + " bytes";
            return out;
        }
        if (!ok) {
            out.error = "request failed: " + httplib::to_string(err);
            return out;
        }
        out.status = res.status;
        out.body = received.empty() ? res.body : received;
    } catch (const std::exception& e) {
        out.error = std::string("request failed: ") + e.what();
    }
    return out;
}

}  // namespace leadflow::server
