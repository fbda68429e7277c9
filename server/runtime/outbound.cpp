// server/runtime/outbound.cpp — allow-listed outbound HTTP over cpp-httplib.
#include "runtime/outbound.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "leadflow/node_config.hpp"

namespace leadflow::server {

Result<ParsedUrl> parse_url(const std::string& url) {
    ParsedUrl u;
    if (url.size() > 4096) return Status::invalid("URL is longer than 4096 characters");
    for (char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            return Status::invalid("URL must not contain spaces or control characters");
        }
    }
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
    const bool bracketed = !authority.empty() && authority[0] == '[';
    for (char c : u.host) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                        c == '_' || (bracketed && (c == ':' || c == '%'));
        if (!ok) return Status::invalid("URL host has characters that are not allowed");
    }
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

// IPv4 address in host byte order.
std::string ipv4_kind(std::uint32_t a) {
    auto in = [a](std::uint32_t net, int bits) {
        const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
        return (a & mask) == net;
    };
    if (in(0x00000000, 8)) return "unspecified";  // 0.0.0.0/8 ("this network")
    if (in(0x7F000000, 8)) return "loopback";
    if (in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16)) return "private";
    if (in(0x64400000, 10)) return "shared address space";  // 100.64.0.0/10 (CGNAT)
    if (in(0xA9FE0000, 16)) return "link-local";            // cloud metadata 169.254.169.254
    if (in(0xE0000000, 4)) return "multicast";
    if (in(0xF0000000, 4)) return "reserved";  // 240.0.0.0/4 and the broadcast address
    if (in(0xC0000000, 24) || in(0xC6120000, 15)) return "reserved";  // IETF, benchmarking
    return "";
}

std::uint32_t v4_at(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
}

std::string ipv6_kind(const unsigned char* b) {
    static const unsigned char kZero[16] = {};
    const bool first96_zero = std::memcmp(b, kZero, 12) == 0;
    if (first96_zero) {
        if (std::memcmp(b + 12, kZero, 4) == 0) return "unspecified";                 // ::
        if (b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1) return "loopback";  // ::1
        std::string k = ipv4_kind(v4_at(b + 12));  // IPv4-compatible ::a.b.c.d (deprecated)
        return k.empty() ? "reserved" : k;
    }
    const bool mapped = std::memcmp(b, kZero, 10) == 0 && b[10] == 0xFF && b[11] == 0xFF;
    if (mapped) return ipv4_kind(v4_at(b + 12));  // ::ffff:a.b.c.d
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address a gateway may reach.
    static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (std::memcmp(b, kNat64, 12) == 0) return ipv4_kind(v4_at(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02) return ipv4_kind(v4_at(b + 2));
    if ((b[0] & 0xFE) == 0xFC) return "private";                     // fc00::/7
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local";  // fe80::/10
    if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return "private";     // fec0::/10 site-local
    if (b[0] == 0xFF) return "multicast";                            // ff00::/8
    return "";
}

std::string sockaddr_kind(const sockaddr* sa) {
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        return ipv4_kind(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        return ipv6_kind(in6->sin6_addr.s6_addr);
    }
    return "reserved";  // not an internet address at all
}

std::string sockaddr_text(const sockaddr* sa) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
    } else if (sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
    }
    return buf;
}

bool named_by_policy(const OutboundPolicy& policy, const ParsedUrl& u) {
    const std::string with_port = u.host + ":" + std::to_string(u.port);
    const std::string bracketed = "[" + u.host + "]:" + std::to_string(u.port);
    for (const std::string& a : policy.allowed) {
        if (a == u.host || a == with_port || a == "[" + u.host + "]" || a == bracketed) {
            return true;
        }
    }
    return false;
}

Status refused(const ParsedUrl& u, const std::string& why) {
    const bool v6 = u.host.find(':') != std::string::npos;
    const std::string shown = (v6 ? "[" + u.host + "]" : u.host) + ":" + std::to_string(u.port);
    return Status::precondition("outbound host " + shown + " is not allowed: " + why +
                                "; start the server with --allow-outbound " + shown +
                                " to allow it");
}

}  // namespace

std::string internal_address_kind(const std::string& ip) {
    unsigned char buf[16];
    if (inet_pton(AF_INET, ip.c_str(), buf) == 1) return ipv4_kind(v4_at(buf));
    if (inet_pton(AF_INET6, ip.c_str(), buf) == 1) return ipv6_kind(buf);
    return "";
}

Status check_outbound(const OutboundPolicy& policy, const std::string& url) {
    auto u = parse_url(url);
    if (!u.ok()) return u.status();
    if (named_by_policy(policy, *u)) return Status::ok();
    const std::string& h = u->host;
    if (h == "localhost" || (h.size() > 10 && h.compare(h.size() - 10, 10, ".localhost") == 0) ||
        h == "localhost.") {
        return refused(*u, "localhost names are loopback");
    }
    // Numeric hosts in every form the resolver accepts (inet_aton: "127.1", "0x7f.1",
    // "2130706433", octal) are classified without a lookup.
    unsigned char b6[16];
    in_addr a4{};
    std::string kind;
    if (inet_pton(AF_INET6, h.c_str(), b6) == 1) {
        kind = ipv6_kind(b6);
    } else if (inet_aton(h.c_str(), &a4) != 0) {
        kind = ipv4_kind(ntohl(a4.s_addr));
    }
    if (!kind.empty()) return refused(*u, "it is a " + kind + " address");
    return Status::ok();
}

Result<ResolvedDestination> resolve_outbound(const OutboundPolicy& policy, const std::string& url) {
    if (Status s = check_outbound(policy, url); !s) return s;
    ResolvedDestination d;
    d.url = parse_url(url).value();
    const bool named = named_by_policy(policy, d.url);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    const std::string port = std::to_string(d.url.port);
    int rc = getaddrinfo(d.url.host.c_str(), port.c_str(), &hints, &res);
    if (rc != 0 || res == nullptr) {
        if (res) freeaddrinfo(res);
        return Status::not_found("cannot resolve outbound host " + d.url.host + ": " +
                                 gai_strerror(rc));
    }
    Status verdict = Status::ok();
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        const std::string text = sockaddr_text(ai->ai_addr);
        if (!named) {
            const std::string kind = sockaddr_kind(ai->ai_addr);
            if (!kind.empty()) {
                verdict = refused(d.url, "it resolves to " + text + ", a " + kind + " address");
                break;
            }
        }
        if (d.address.empty() && !text.empty()) d.address = text;
    }
    freeaddrinfo(res);
    if (!verdict) return verdict;
    if (d.address.empty()) return Status::not_found("cannot resolve outbound host " + d.url.host);
    return d;
}

OutboundResponse send_outbound(const OutboundPolicy& policy, const std::string& method,
                               const std::string& url,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& body) {
    OutboundResponse out;
    out.refused = true;
    if (Status s = check_webhook_method(method); !s) {
        out.error = s.message();
        return out;
    }
    for (const auto& [k, v] : headers) {
        if (Status s = check_webhook_header(k, v); !s) {
            out.error = s.message();
            return out;
        }
    }
    auto dest = resolve_outbound(policy, url);
    if (!dest.ok()) {
        out.error = dest.status().message();
        // A name that does not resolve now may resolve later: a network error, not a refusal.
        if (dest.status().code() == StatusCode::kNotFound) {
            out.refused = false;
            out.network = true;
        }
        return out;
    }
    out.refused = false;
    const ParsedUrl& u = dest->url;
    try {
        const bool v6 = u.host.find(':') != std::string::npos;
        const std::string host = v6 ? "[" + u.host + "]" : u.host;
        httplib::Client cli(u.scheme + "://" + host + ":" + std::to_string(u.port));
        // Connect to the address that was checked: httplib does no lookup of its own.
        cli.set_hostname_addr_map({{u.host, dest->address}});
        const time_t sec = policy.timeout_ms / 1000;
        const time_t usec = (policy.timeout_ms % 1000) * 1000;
        cli.set_connection_timeout(sec, usec);
        cli.set_read_timeout(sec, usec);
        cli.set_write_timeout(sec, usec);
        cli.set_follow_location(false);
        cli.set_keep_alive(false);
        httplib::Request req;
        std::string m = method;
        for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        req.method = m;
        req.path = u.path;
        const bool default_port = u.port == (u.scheme == "https" ? 443 : 80);
        req.headers.emplace("Host", default_port ? host : host + ":" + std::to_string(u.port));
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
            out.network = true;
            return out;
        }
        out.status = res.status;
        out.body = received.empty() ? res.body : received;
        out.retry_after = res.get_header_value("Retry-After");
    } catch (const std::exception& e) {
        out.error = std::string("request failed: ") + e.what();
        out.network = true;
    }
    return out;
}

}  // namespace leadflow::server
