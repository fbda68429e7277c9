// server/http/app.cpp — the request pipeline.
#include "http/app.hpp"

#include <chrono>
#include <cstdio>
#include <exception>

#include "http/errors.hpp"
#include "util/crypto.hpp"
#include "util/log_text.hpp"
#include "util/utf8.hpp"

namespace leadflow::server {

Clock system_clock() {
    Clock c;
    c.now = [] {
        using namespace std::chrono;
        return static_cast<TimeMs>(
            duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    };
    c.monotonic_ms = [] {
        using namespace std::chrono;
        return static_cast<TimeMs>(
            duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count());
    };
    return c;
}

void HttpMetrics::record(const std::string& route, int code) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[{route, code}];
}

std::map<std::pair<std::string, int>, std::int64_t> HttpMetrics::snapshot() const {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_;
}

App::App(Store& store, ServerConfig config, Clock clock)
    : store_(store),
      config_(std::move(config)),
      clock_(std::move(clock)),
      auth_(store),
      limiter_(config_.rate_limit) {
    if (config_.metrics_only) {
        register_metrics_listener_routes(router_);
        return;
    }
    register_api_routes(router_);
}

void register_api_routes(Router& r) {
    register_workflow_routes(r);
    register_graph_routes(r);
    register_version_routes(r);
    register_calibration_routes(r);
    register_forecast_routes(r);
    register_lead_routes(r);
    register_ops_routes(r);
    register_live_routes(r);
    register_share_link_routes(r);
    register_static_routes(r);
}

Response App::handle(Request req) {
    const std::string request_id = "req_" + random_hex(8);
    std::string route_label = "unmatched";
    Response res;
    try {
        res = dispatch(req, route_label);
    } catch (const std::exception& e) {
        log_line(log_escape(req.method) + " " + log_escape(req.path) + " (" + request_id +
                 "): unhandled exception: " + log_escape(e.what()));
        res = error_response(500, "Internal server error");
    } catch (...) {
        log_line(log_escape(req.method) + " " + log_escape(req.path) + " (" + request_id +
                 "): unhandled exception");
        res = error_response(500, "Internal server error");
    }
    res.headers.emplace_back("X-Request-Id", request_id);
    metrics_.record(route_label, res.status);
    return res;
}

bool App::should_log_refusal(const std::string& key_id) {
    constexpr TimeMs kEveryMs = 60000;
    const TimeMs now = clock_.monotonic_ms();
    std::lock_guard<std::mutex> lock(refusals_mu_);
    auto [it, inserted] = refusals_logged_.try_emplace(key_id, now);
    if (inserted) return true;
    if (now - it->second < kEveryMs) return false;
    it->second = now;
    return true;
}

Response App::dispatch(Request& req, std::string& route_label) {
    if (req.body.size() > config_.max_body_bytes) {
        return error_response(413, "Request body is larger than " +
                                       std::to_string(config_.max_body_bytes / (1024 * 1024)) +
                                       " MB");
    }
    // Path segments and query values become ids, filters and JSON text: text that is not
    // UTF-8 cannot name anything here and must not reach a JSON writer.
    if (!is_valid_utf8(req.path)) return error_response(400, "The request path is not valid UTF-8");
    for (const auto& [name, value] : req.params) {
        if (!is_valid_utf8(name) || !is_valid_utf8(value)) {
            return error_response(400, "The query string is not valid UTF-8");
        }
    }
    auto match = router_.match(req.method, req.path);
    if (!match.route) {
        if (match.path_known) return error_response(405, "Method not allowed on " + req.path);
        return error_response(404, "Cannot " + req.method + " " + req.path);
    }
    const Route& route = *match.route;
    route_label = route.method + " " + route.pattern;
    req.path_params = std::move(match.path_params);

    RequestContext ctx{*this, store_, "", "", false, clock_.now()};
    ctx.envelope = config_.compat_dialnexa;
    if (auto h = req.header("X-Response-Envelope")) {
        ctx.envelope = media_type(*h) == "dialnexa";
    }
    if (route.access == Access::kApiKey) {
        auto header = req.header("Authorization");
        if (!header) return error_response(401, "Missing Authorization header");
        auto key = auth_.authenticate(*header, ctx.now);
        if (!key.ok()) {
            if (key.status().code() == StatusCode::kFailedPrecondition) {
                // A real key, right secret, but revoked or expired: a leaked or forgotten key
                // is still in use somewhere; the operator wants to know where.
                // At most one line per key a minute, so that the key's holder cannot flood it.
                const std::string key_id = header->substr(7, header->find(':') - 7);
                if (should_log_refusal(key_id)) {
                    log_line("refused API key " + log_escape(key_id, 40) + " (" +
                             key.status().message() + "): " + log_escape(req.method, 16) + " " +
                             log_escape(req.path));
                }
            }
            if (key.status().code() == StatusCode::kInvalidArgument ||
                key.status().code() == StatusCode::kFailedPrecondition) {
                return error_response(401, key.status().message());
            }
            return status_response(key.status());
        }
        if (key->read_only && req.method != "GET" && req.method != "HEAD") {
            return error_response(
                403, "This API key is read-only: it may call GET and HEAD routes only");
        }
        if (int wait = limiter_.acquire(key->id, clock_.monotonic_ms()); wait > 0) {
            Response r = error_response(
                429, "Rate limit exceeded; retry after " + std::to_string(wait) + " s");
            r.headers.emplace_back("Retry-After", std::to_string(wait));
            return r;
        }
        ctx.organization_id = key->organization_id;
        ctx.key_id = key->id;
    }
    return route.handler(req, ctx);
}

}  // namespace leadflow::server
