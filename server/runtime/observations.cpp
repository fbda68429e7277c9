// server/runtime/observations.cpp — see observations.hpp.
#include "runtime/observations.hpp"

#include "leadflow/civil_time.hpp"
#include "leadflow/compiled_graph.hpp"

namespace leadflow::server {

Observations observations_from(const std::vector<NodeStat>& rows) {
    Observations obs;
    auto node = [&](const std::string& id) -> ObservedNode& {
        for (ObservedNode& n : obs.nodes) {
            if (n.node_id == id) return n;
        }
        obs.nodes.emplace_back();
        obs.nodes.back().node_id = id;
        return obs.nodes.back();
    };
    for (const NodeStat& r : rows) {
        if (r.metric == "arrival") {
            obs.first_arrival_hour =
                obs.arrivals == 0 ? r.first_hour : std::min(obs.first_arrival_hour, r.first_hour);
            obs.last_arrival_hour = std::max(obs.last_arrival_hour, r.last_hour);
            obs.arrivals += r.n;
        } else if (r.metric == "outcome") {
            const auto outcome = parse_call_outcome(r.value);
            if (!outcome) continue;
            ObservedNode& n = node(r.node_id);
            n.outcomes[static_cast<std::size_t>(*outcome)] += r.n;
            if (*outcome == CallOutcome::kCompleted || *outcome == CallOutcome::kVoicemail) {
                n.billed_calls += r.n;
                n.billed_s += r.total;
                n.billed_s2 += r.total_sq;
            }
        } else if (r.metric == "analysis") {
            node(r.node_id).analysis[r.attr][r.value] += r.n;
        } else if (r.metric == "action") {
            ObservedNode& n = node(r.node_id);
            (r.value == "ok" ? n.actions_ok : n.actions_failed) += r.n;
            n.latency_s += r.total;
            n.latency_s2 += r.total_sq;
        }
    }
    return obs;
}

Result<Json> published_drift(StoreTx& tx, const Workflow& w) {
    if (!w.published_version) {
        return Json{{"version", nullptr},
                    {"since", nullptr},
                    {"flagged", Json::array()},
                    {"nodes", Json::object()}};
    }
    auto v = tx.get_version(w.id, *w.published_version);
    if (!v.ok()) return v.status();
    auto g = compile_graph(v->graph);
    if (!g.ok()) return g.status();
    const Scenario plan = scenario_or_default(v->scenario);
    NodeStatQuery q;
    q.workflow_id = w.id;
    q.since = v->created_at;
    q.version = v->number;
    auto rows = tx.node_stats(q);
    if (!rows.ok()) return rows.status();
    Json out = drift(g.value(), plan, observations_from(rows.value()));
    out["version"] = v->number;
    out["since"] = format_timestamp(v->created_at);
    return out;
}

}  // namespace leadflow::server
