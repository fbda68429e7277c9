// server/http/calibration.cpp — what a workflow's live calls say about its scenario
// (docs/calibration.md): GET /v1/workflows/{id}/calibration (a scenario fitted from the calls,
// actions and arrivals) and GET /v1/workflows/{id}/drift (call nodes whose outcome shares left
// the published plan's 99% interval).
#include "leadflow/calibration.hpp"

#include <cstdlib>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "leadflow/civil_time.hpp"
#include "leadflow/compiled_graph.hpp"
#include "runtime/observations.hpp"

namespace leadflow::server {
namespace {

// `since`: an ISO 8601 timestamp or milliseconds since the epoch; absent = everything.
Result<TimeMs> read_since(const Request& req) {
    auto v = req.param("since");
    if (!v || v->empty()) return TimeMs{0};
    if (v->find_first_not_of("0123456789") == std::string::npos && v->size() <= 15) {
        return static_cast<TimeMs>(std::strtoll(v->c_str(), nullptr, 10));
    }
    auto t = parse_timestamp(*v);
    if (!t.ok()) {
        return Status::invalid(
            "since must be an ISO 8601 time such as 2026-03-02T09:00:00Z or milliseconds since "
            "1970");
    }
    return t.value();
}

// A number parameter in [lo, hi], or `fallback` when absent.
Result<double> read_number(const Request& req, const std::string& name, double fallback, double lo,
                           double hi, const char* range) {
    auto v = req.param(name);
    if (!v || v->empty()) return fallback;
    char* end = nullptr;
    const double d = std::strtod(v->c_str(), &end);
    if (*end != '\0' || !(d >= lo && d <= hi) || v->size() > 24) {
        return Status::invalid(name + " must be " + range);
    }
    return d;
}

// `version`: a number or "latest" (the published version); absent = the published version, or
// the draft graph when the workflow was never published (it has no calls then).
struct Target {
    Graph graph;
    std::optional<std::int64_t> version;  // only this version's calls; nullopt = all
};

Result<Target> read_target(StoreTx& tx, const Request& req, const Workflow& w) {
    auto v = req.param("version");
    std::optional<std::int64_t> n;
    if (v && !v->empty() && *v != "latest") {
        char* end = nullptr;
        const long long k = std::strtoll(v->c_str(), &end, 10);
        if (*end != '\0' || k < 1 || v->size() > 18) {
            return Status::invalid("version must be a positive integer or \"latest\"");
        }
        n = k;
    } else if (w.published_version) {
        n = *w.published_version;
    } else if (v && *v == "latest") {
        return Status::not_found("The workflow has no published version");
    }
    Target t;
    if (n) {
        auto got = tx.get_version(w.id, *n);
        if (!got.ok()) return got.status();
        t.graph = std::move(got->graph);
    } else {
        auto g = load_graph(tx, w);
        if (!g.ok()) return g.status();
        t.graph = std::move(g.value());
    }
    // An explicit version reads only its calls; by default every version's calls count (the
    // scenario is fitted to what the workflow's nodes did, whichever version ran them).
    if (v && !v->empty()) t.version = n;
    return t;
}

Response get_calibration(const Request& req, RequestContext& ctx) {
    auto since = read_since(req);
    if (!since.ok()) return status_response(since.status());
    auto weight = read_number(req, "prior_weight", 20, 0, 1e9, "a number from 0 to 1e9");
    if (!weight.ok()) return status_response(weight.status());
    auto min_calls = read_number(req, "min_calls", 30, 0, 1e12, "a number from 0 to 1e12");
    if (!min_calls.ok()) return status_response(min_calls.status());
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto target = read_target(tx, req, w.value());
        if (!target.ok()) return target.status();
        auto g = compile_graph(target->graph);
        if (!g.ok()) {
            return Status::precondition("the graph cannot be calibrated: " + g.status().message());
        }
        auto stored = tx.get_scenario(w->id);
        if (!stored.ok()) return stored.status();
        const Scenario prior = scenario_or_default(stored.value());
        NodeStatQuery q;
        q.workflow_id = w->id;
        q.since = since.value();
        q.version = target->version;
        auto rows = tx.node_stats(q);
        if (!rows.ok()) return rows.status();
        CalibrationOptions options;
        options.prior_weight = weight.value();
        options.min_calls = static_cast<std::int64_t>(min_calls.value());
        Json body = calibrate(g.value(), prior, observations_from(rows.value()), options);
        body["workflow_id"] = w->id;
        body["version"] = target->version ? Json(*target->version) : Json(nullptr);
        body["since"] = since.value() > 0 ? Json(format_timestamp(since.value())) : Json(nullptr);
        body["current"] = to_json(prior);
        out = json_response(200, body);
        return Status::ok();
    });
    return finish(st, out);
}

Response get_drift(const Request& req, RequestContext& ctx) {
    Response out;
    Status st = ctx.store.read([&](StoreTx& tx) {
        auto w = find_workflow(tx, ctx, req.path_param("id"));
        if (!w.ok()) return w.status();
        auto d = published_drift(tx, w.value());
        if (!d.ok()) return d.status();
        d.value()["workflow_id"] = w->id;
        out = json_response(200, d.value());
        return Status::ok();
    });
    return finish(st, out);
}

}  // namespace

void register_calibration_routes(Router& r) {
    r.add("GET", "/v1/workflows/{id}/calibration", Access::kApiKey, get_calibration,
          RouteDoc("Calibration",
                   "A scenario fitted from the workflow's calls, actions and arrivals (since, "
                   "version, prior_weight, min_calls)")
              .reply("Calibration")
              .params(QueryKind::kCalibration));
    r.add("GET", "/v1/workflows/{id}/drift", Access::kApiKey, get_drift,
          RouteDoc("Calibration",
                   "Call nodes of the published version whose outcome shares left the plan's "
                   "99% interval")
              .reply("Drift"));
}

}  // namespace leadflow::server
