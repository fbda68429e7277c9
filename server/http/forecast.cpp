// server/http/forecast.cpp — POST /v1/workflows/{id}/forecast (docs/calibration.md#forecast):
// the leads running now, each from where it is, plus the leads still to start and the expected
// future arrivals, simulated on the published version under the calibrated or the stored
// scenario (core forecast.hpp).
#include "leadflow/forecast.hpp"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "http/app.hpp"
#include "http/handler_util.hpp"
#include "http/limits.hpp"
#include "leadflow/calibration.hpp"
#include "leadflow/civil_time.hpp"
#include "leadflow/compiled_graph.hpp"
#include "runtime/lead_state_text.hpp"
#include "runtime/observations.hpp"

namespace leadflow::server {
namespace {

// FNV-1a: a fixed 64-bit hash of a lead id, to order leads cheaply.
std::uint64_t id_hash(const std::string& id) {
    std::uint64_t h = 1469598103934665603ull;
    for (const unsigned char c : id) h = (h ^ c) * 1099511628211ull;
    return h;
}

struct ForecastRequest {
    bool calibrated = true;
    std::optional<std::uint64_t> seed;
    std::optional<double> horizon_days;
    double arrival_days = 0;
};

// A number field of the body in [lo, hi], or nullopt when absent or null.
Result<std::optional<double>> number_field(const Json& body, const char* key, double lo, double hi,
                                           const char* range) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::optional<double>{};
    if (!it->is_number() || !(it->get<double>() >= lo && it->get<double>() <= hi)) {
        return Status::invalid(std::string(key) + ": must be " + range);
    }
    return std::optional<double>{it->get<double>()};
}

Result<ForecastRequest> read_request(const Json& body) {
    ForecastRequest r;
    if (auto it = body.find("scenario"); it != body.end() && !it->is_null()) {
        if (*it == "calibrated") {
            r.calibrated = true;
        } else if (*it == "stored") {
            r.calibrated = false;
        } else {
            return Status::invalid("scenario: must be \"calibrated\" or \"stored\"");
        }
    }
    if (auto it = body.find("seed"); it != body.end() && !it->is_null()) {
        if (!it->is_number_unsigned())
            return Status::invalid("seed: must be a non-negative integer");
        r.seed = it->get<std::uint64_t>();
    }
    auto horizon = number_field(body, "horizon_days", 0.001, 3650, "a number of days in (0, 3650]");
    if (!horizon.ok()) return horizon.status();
    r.horizon_days = horizon.value();
    auto arrivals = number_field(body, "arrival_days", 0, 3650, "a number of days in [0, 3650]");
    if (!arrivals.ok()) return arrivals.status();
    r.arrival_days = arrivals.value().value_or(0);
    return r;
}

// What the forecast reads in one transaction: the published graph, the scenario, the leads.
struct Snapshot {
    Workflow workflow;
    std::int64_t version = 0;
    std::optional<CompiledGraph> graph;
    Scenario scenario;
    double arrivals_per_day = 0;  // leads a day: calibrated, or the stored scenario's uniform rate
    std::vector<RunningLead> running;
    std::vector<std::pair<TimeMs, std::size_t>> slot_queue;  // (since, index into running)
    std::int64_t pending = 0;
    std::map<LeadStatus, std::int64_t> lead_counts;  // every lead of the workflow, by status
    TimeMs now = 0;  // the forecast's start: the server's clock when it read the leads
};

Status read_snapshot(StoreTx& tx, RequestContext& ctx, const Request& req,
                     const ForecastRequest& fr, Snapshot& snap) {
    auto w = find_workflow(tx, ctx, req.path_param("id"));
    if (!w.ok()) return w.status();
    snap.workflow = std::move(w.value());
    const Workflow& wf = snap.workflow;
    if (!wf.published_version) {
        return Status::conflict(
            "The workflow has no published version to forecast: publish or activate it first");
    }
    snap.version = *wf.published_version;
    auto v = tx.get_version(wf.id, snap.version);
    if (!v.ok()) return v.status();
    auto g = compile_graph(v->graph);
    if (!g.ok()) {
        return Status::precondition("version " + std::to_string(snap.version) +
                                    " cannot be simulated: " + g.status().message());
    }
    snap.graph = std::move(g.value());
    auto counts = tx.workflow_counts(wf.id);
    if (!counts.ok()) return counts.status();
    snap.lead_counts = std::move(counts->lead_counts);
    snap.running.reserve(static_cast<std::size_t>(snap.lead_counts[LeadStatus::kActive]));
    auto stored = tx.get_scenario(wf.id);
    if (!stored.ok()) return stored.status();
    snap.scenario = scenario_or_default(stored.value());
    if (snap.scenario.arrivals == ArrivalMode::kUniform) {
        snap.arrivals_per_day = static_cast<double>(snap.scenario.leads) /
                                std::max(snap.scenario.arrivals_over_days, 1e-9);
    }
    if (fr.calibrated) {
        snap.arrivals_per_day = 0;
        NodeStatQuery q;
        q.workflow_id = wf.id;
        auto rows = tx.node_stats(q);
        if (!rows.ok()) return rows.status();
        Json fitted = calibrate(*snap.graph, snap.scenario, observations_from(rows.value()));
        auto parsed = parse_scenario(fitted["scenario"]);
        if (!parsed.ok())
            return Status::internal("calibrated scenario: " + parsed.status().message());
        snap.scenario = std::move(parsed.value());
        const Json& arrivals = fitted["arrivals"];
        if (arrivals.is_object() && arrivals.value("per_day", 0.0) > 0) {
            snap.arrivals_per_day = arrivals["per_day"].get<double>();
        }
    }
    return tx.forecast_leads(wf.id, [&](ForecastLeadRow& row) {
        if (!row.state) {
            ++snap.pending;
            return Status::ok();
        }
        auto st = parse_lead_state_text(*row.state, *snap.graph);
        if (!st.ok()) {
            return Status::internal("lead " + row.id + ": stored state: " + st.status().message());
        }
        if (st->phase == Phase::kDone) return Status::ok();  // ended in this very step
        RunningLead r;
        r.state = st.value();
        // A paused workflow's lead keeps the time its timer had left, from now: the forecast
        // is of the workflow as if it resumed now, not of timers that passed while paused.
        if (row.frozen_ms && r.state.release_at != kNoTime) {
            r.state.release_at = snap.now + *row.frozen_ms;
        }
        r.id = std::move(row.id);
        r.variables.assign(row.variables.begin(), row.variables.end());
        if (r.state.phase == Phase::kQueued && r.state.release_at == kNoTime) {
            snap.slot_queue.emplace_back(row.slot_wait_at.value_or(0), snap.running.size());
        }
        snap.running.push_back(std::move(r));
        return Status::ok();
    });
}

Response forecast_reply(const Request& req, RequestContext& ctx) {
    Json body;
    Response err;
    if (!read_json_body(req, &body, &err, false)) return err;
    auto fr = read_request(body);
    if (!fr.ok()) return status_response(fr.status());
    Snapshot snap;
    snap.now = ctx.app.live() ? ctx.app.live()->live_now() : ctx.now;
    Status st = ctx.store.read([&](StoreTx& tx) { return read_snapshot(tx, ctx, req, *fr, snap); });
    if (!st) return status_response(st);

    // The same leads in the same order give the same forecast, whatever order the store read
    // them in: they are ordered by a hash of their ids (integers compare faster than a million
    // ids; equal hashes by id). Leads waiting for a call slot go last, first come first served.
    std::vector<bool> queued(snap.running.size(), false);
    for (const auto& [since, i] : snap.slot_queue) queued[i] = true;
    std::vector<std::pair<std::uint64_t, std::size_t>> order;
    order.reserve(snap.running.size());
    for (std::size_t i = 0; i < snap.running.size(); ++i) {
        if (!queued[i]) order.emplace_back(id_hash(snap.running[i].id), i);
    }
    // (key, index) pairs: by key, then by the lead's id.
    const auto by_key_then_id = [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return snap.running[a.second].id < snap.running[b.second].id;
    };
    std::sort(order.begin(), order.end(), by_key_then_id);
    std::sort(snap.slot_queue.begin(), snap.slot_queue.end(), by_key_then_id);
    std::vector<RunningLead> running;
    running.reserve(snap.running.size());
    for (const auto& [hash, i] : order) running.push_back(std::move(snap.running[i]));
    for (const auto& [since, i] : snap.slot_queue) running.push_back(std::move(snap.running[i]));
    snap.running = std::vector<RunningLead>();

    // The scenario of the run: from now, the leads not started yet at once, then the
    // expected arrivals spread over arrival_days.
    Scenario sc = snap.scenario;
    sc.start_time = snap.now;
    if (fr->seed) sc.seed = *fr->seed;
    if (fr->horizon_days) sc.horizon_days = *fr->horizon_days;
    const auto future =
        static_cast<std::int64_t>(std::llround(snap.arrivals_per_day * fr->arrival_days));
    sc.leads = snap.pending + future;
    if (future > 0) {
        sc.arrivals = ArrivalMode::kUniform;
        sc.arrivals_over_days = fr->arrival_days;
    } else {
        sc.arrivals = ArrivalMode::kAllAtStart;
    }
    if (sc.leads + static_cast<std::int64_t>(running.size()) > kMaxScenarioLeads) {
        return error_response(400, "the forecast would simulate more than " +
                                       std::to_string(kMaxScenarioLeads) +
                                       " leads; forecast fewer arrival_days");
    }
    const BoundScenario bound = bind_scenario(*snap.graph, sc);
    SimulateOptions options;
    options.exact = false;
    options.max_events = ctx.app.config().max_simulation_events;
    options.should_stop = req.client_gone;
    auto result = forecast(*snap.graph, bound, running, options);
    if (!result.ok()) return status_response(result.status());

    Json out = Json::object();
    out["workflow_id"] = snap.workflow.id;
    out["version"] = snap.version;
    out["scenario_source"] = fr->calibrated ? "calibrated" : "stored";
    out["scenario"] = to_json(sc);
    auto count = [&](LeadStatus s) {
        auto it = snap.lead_counts.find(s);
        return it == snap.lead_counts.end() ? std::int64_t{0} : it->second;
    };
    out["ended_before"] = Json{{"completed", count(LeadStatus::kCompleted)},
                               {"dropped", count(LeadStatus::kDropped)},
                               {"failed", count(LeadStatus::kFailed)}};
    out["pending"] = snap.pending;
    for (auto& [key, value] : result->items()) out[key] = std::move(value);
    return json_response(200, out);
}

// A forecast of a million leads allocates hundreds of megabytes on the worker's thread and frees
// them; glibc keeps freed memory in that thread's arena, so that each worker that ever ran a
// forecast would hold its peak. Giving it back keeps the server's footprint that of one request.
Response post_forecast(const Request& req, RequestContext& ctx) {
    Response out = forecast_reply(req, ctx);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    return out;
}

}  // namespace

void register_forecast_routes(Router& r) {
    r.add("POST", "/v1/workflows/{id}/forecast", Access::kApiKey, post_forecast,
          RouteDoc("Calibration",
                   "Simulate the running leads from where they are, plus the leads still to "
                   "start and the expected arrivals ({scenario, seed, horizon_days, "
                   "arrival_days})")
              .reply("Forecast")
              .optional_json_body("ForecastRequest"));
}

}  // namespace leadflow::server
