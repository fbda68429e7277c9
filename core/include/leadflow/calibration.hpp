// leadflow/calibration.hpp — what a running workflow's own calls say about its scenario
// (docs/calibration.md): a scenario fitted from observed counts, and the call nodes whose
// observed outcome shares have drifted from the plan.
//
// The server reads the counts from its per-node aggregates (never from the call log row by
// row); this file holds only the statistics, so that it is pure and testable on synthetic data.
//
// Fitting. For a VOICE_CALL node the outcome shares have a Dirichlet posterior whose prior is the
// current scenario's model (defaults filled in) weighted as `prior_weight` calls: the fitted share
// of outcome i is (w·p_i + k_i) / (w + n) and its 95% interval is the 2.5% and 97.5% quantiles of
// the marginal Beta(w·p_i + k_i, w·(1−p_i) + n − k_i). Analysis attribute values (COMPLETED calls
// only, as the simulator draws them) are fitted the same way against the attribute's prior model
// (values the prior does not know get prior weight 0). An APPLICATION's success rate is a Beta
// posterior of the same kind. Call durations (COMPLETED and VOICEMAIL calls, the ones the
// scenario's call_duration_s describes) and action latencies are the observed mean and sample
// standard deviation. A node with fewer than `min_calls` observations keeps its prior model in the
// fitted scenario, and its report says so; its posterior numbers are still reported.
//
// Drift. For each VOICE_CALL node with at least `min_calls` ended calls, each outcome's observed
// share is compared with the plan's share p: it has drifted when it lies outside
// p ± z·sqrt(p(1−p)/n), z = 2.5758 (a 99% interval). The node is flagged when any outcome has, and
// its message names the outcome furthest out ("Second call: answer rate 12% (plan 25% ± 4%)").
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/scenario.hpp"

namespace leadflow {

// What was observed at one node.
struct ObservedNode {
    std::string node_id;
    // VOICE_CALL: ended calls by outcome (CallOutcome order).
    std::array<std::int64_t, kCallOutcomeCount> outcomes{};
    // Durations of the COMPLETED and VOICEMAIL calls: count, sum and sum of squares (seconds).
    std::int64_t billed_calls = 0;
    double billed_s = 0, billed_s2 = 0;
    // COMPLETED calls' analysis: attribute → value text ("true", "false", "Mumbai", …) → count.
    std::map<std::string, std::map<std::string, std::int64_t>> analysis;
    // APPLICATION: results, and the latency sum and sum of squares (seconds) over all of them.
    std::int64_t actions_ok = 0, actions_failed = 0;
    double latency_s = 0, latency_s2 = 0;

    std::int64_t calls() const;
};

struct Observations {
    std::vector<ObservedNode> nodes;  // any order; ids the graph does not know are ignored
    // Leads enrolled in the window, and the first and last hour (ms since the epoch, the start
    // of the hour) in which any was; both 0 when none was.
    std::int64_t arrivals = 0;
    TimeMs first_arrival_hour = 0, last_arrival_hour = 0;
};

struct CalibrationOptions {
    double prior_weight = 20;     // the prior's weight, in calls (or actions)
    std::int64_t min_calls = 30;  // fewer observations keep the prior model
};

// The fitted scenario and the report behind it:
//   {"scenario": {…SPEC §3.1, canonical…}, "prior_weight": w, "min_calls": m,
//    "arrivals": {"leads": n, "per_day": r, "from": ISO|null, "to": ISO|null},
//    "nodes": {"<id>": {"type": "VOICE_CALL", "calls": n, "fitted": bool, "note": text|null,
//                       "outcomes": {"COMPLETED": {"count", "share", "ci95", "prior"}, …},
//                       "call_duration_s": {"calls", "mean", "sd"},
//                       "analysis": {"<attr>": {"calls", "values": {"<v>": {"count", "share",
//                                                                          "ci95", "prior"}}}}},
//              "<id>": {"type": "APPLICATION", "actions": n, "fitted": bool, "note": …,
//                       "success_rate": {"count", "share", "ci95", "prior"},
//                       "latency_s": {"actions", "mean", "sd"}}}}
// Only VOICE_CALL and APPLICATION nodes of the graph appear, in graph order. When leads arrived,
// the scenario's `leads` is their number and its arrivals are uniform over the hours they came in.
Json calibrate(const CompiledGraph& g, const Scenario& prior, const Observations& obs,
               const CalibrationOptions& options = {});

struct DriftOptions {
    double z = 2.5758293035489;   // two-sided 99%
    std::int64_t min_calls = 30;  // fewer ended calls are never flagged
};

// {"flagged": ["<id>", …], "nodes": {"<id>": {"name": label, "calls": n, "flagged": bool,
//   "message": text|null, "outcomes": {"COMPLETED": {"observed", "plan", "low", "high",
//   "drifted"}, …}}}} for every VOICE_CALL node of the graph, in graph order.
Json drift(const CompiledGraph& g, const Scenario& plan, const Observations& obs,
           const DriftOptions& options = {});

// The regularized incomplete beta function I_x(a, b) (a, b > 0, x in [0, 1]).
double incomplete_beta(double a, double b, double x);
// The q-quantile of Beta(a, b) (a, b > 0, q in [0, 1]), to about 1e-12.
double beta_quantile(double a, double b, double q);

}  // namespace leadflow
