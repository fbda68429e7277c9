// server/http/app.hpp — the server's request pipeline, independent of any HTTP library:
// request id → size limit → routing → API key (revoked, expired → 401; read-only keys: GET and
// HEAD only, else 403) → rate limit → handler (exceptions guarded) →
// metrics. Tests drive App::handle() directly with plain Request values.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "http/auth.hpp"
#include "http/http_types.hpp"
#include "http/limits.hpp"
#include "http/router.hpp"
#include "leadflow/model.hpp"
#include "runtime/live.hpp"
#include "store/store.hpp"

namespace leadflow::server {

constexpr std::size_t kMaxBodyBytes = 10 * 1024 * 1024;  // larger bodies → 413 (docs/limits.md)

struct ServerConfig {
    bool compat_dialnexa = false;      // answer the eight envelope operations in DialNexa shape
    std::string web_root;              // static web app served at "/"; empty = none
    std::string provider = "sandbox";  // call provider for live progression (next step)
    double time_scale = 1.0;           // sandbox clock speed
    double rate_limit = 100.0;         // requests per second per API key; <= 0 = unlimited
    std::size_t max_body_bytes = kMaxBodyBytes;
    // Graph sizes and the events one POST …/simulate may run (limits.hpp; lowered by tests).
    std::size_t max_nodes_per_workflow = limits::kMaxNodesPerWorkflow;
    std::size_t max_edges_per_workflow = limits::kMaxEdgesPerWorkflow;
    std::int64_t max_simulation_events = limits::kMaxSimulationEvents;
    // An App that answers only GET /metrics, without a key and over every organization: the
    // operator's scrape listener (serve --metrics-listen). See App::set_metrics_source.
    bool metrics_only = false;
};

// Time sources, injectable for tests: wall-clock milliseconds for timestamps, and a monotonic
// millisecond counter for rate limiting.
struct Clock {
    std::function<TimeMs()> now;
    std::function<TimeMs()> monotonic_ms;
};
Clock system_clock();

class App;

// What a handler gets besides the request.
struct RequestContext {
    App& app;
    Store& store;
    std::string organization_id;  // empty on public routes
    std::string key_id;
    bool envelope = false;  // DialNexa compatibility envelope requested
    TimeMs now = 0;
};

// Counters for GET /metrics (HTTP requests by route and code).
class HttpMetrics {
  public:
    void record(const std::string& route, int code);
    std::map<std::pair<std::string, int>, std::int64_t> snapshot() const;

  private:
    mutable std::mutex mu_;
    std::map<std::pair<std::string, int>, std::int64_t> counts_;
};

class App {
  public:
    App(Store& store, ServerConfig config, Clock clock = system_clock());

    // Handles one request. Never throws: an escaped exception becomes a 500 whose message says
    // nothing about internals. Every response carries X-Request-Id.
    Response handle(Request req);

    const Router& router() const { return router_; }
    Store& store() { return store_; }
    const ServerConfig& config() const { return config_; }
    const Clock& clock() const { return clock_; }
    HttpMetrics& http_metrics() { return metrics_; }
    // Live progression (server/runtime), when running: null in handler tests without one.
    void set_live(LiveRuntime* live) { live_ = live; }
    LiveRuntime* live() const { return live_; }
    // The App whose HTTP counters and live runtime /metrics reports (a metrics-only App reports
    // the API's); itself unless set.
    void set_metrics_source(App* source) { metrics_source_ = source; }
    App& metrics_source() { return metrics_source_ ? *metrics_source_ : *this; }

  private:
    Response dispatch(Request& req, std::string& route_label);
    // Whether a refused (revoked or expired) key's use should be logged now: its first use, then
    // at most once a minute.
    bool should_log_refusal(const std::string& key_id);

    Store& store_;
    ServerConfig config_;
    Clock clock_;
    Router router_;
    Authenticator auth_;
    RateLimiter limiter_;
    HttpMetrics metrics_;
    LiveRuntime* live_ = nullptr;
    App* metrics_source_ = nullptr;
    std::mutex refusals_mu_;
    std::map<std::string, TimeMs> refusals_logged_;  // key id → when its refusal was logged
};

// Route registration, one function per feature file.
// Every route of the API listener, in the order App matches them (all of those below but the
// metrics listener's).
void register_api_routes(Router& r);
void register_workflow_routes(Router& r);     // workflows.cpp: CRUD, lifecycle, validate, duplicate
void register_graph_routes(Router& r);        // graph.cpp: graph, nodes, edges, scenario
void register_calibration_routes(Router& r);  // calibration.cpp: calibration, drift
void register_forecast_routes(Router& r);     // forecast.cpp: forecast
void register_version_routes(Router& r);      // versions.cpp: publish, versions, diff, restore
void register_lead_routes(Router& r);         // leads.cpp: upload, list, detail, history, delete
void register_ops_routes(Router& r);          // ops.cpp: calls, webhooks, health, metrics, OpenAPI
void register_metrics_listener_routes(Router& r);  // ops.cpp: public GET /metrics, every org
void register_static_routes(Router& r);            // ops.cpp: the web app at "/"
void register_share_link_routes(Router& r);        // share_links.cpp: short links (/s/<id>)
void register_live_routes(Router& r);              // live.cpp: call results from the voice platform

}  // namespace leadflow::server
