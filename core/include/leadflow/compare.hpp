// leadflow/compare.hpp — two versions of a workflow simulated under one scenario, with the
// differences in conversion, calls per lead and time to terminal and their 95% intervals.
#pragma once

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

// Compiles both graphs, binds `s` to each (bind_scenario: node models are keyed by node id, so
// a node only in `after` gets the default model, and a model for a node only in `before` is a
// binding warning of the `after` run) and runs the Monte-Carlo simulator (simulate()) on each
// with the same scenario, seed and options; o.max_events and o.should_stop apply to each run.
// Deterministic: the same inputs give the same bytes on every call, natively and in
// WebAssembly. Returns
//
//   {"before": <results JSON of simulate() for `before`>,
//    "after":  <results JSON for `after`>,
//    "difference": {
//      "conversion": {"before": p1, "after": p2, "delta": p2 - p1, "ci95": [lo, hi]},
//      "calls_per_lead": {"before": m1, "after": m2, "delta": m2 - m1, "ci95": [lo, hi],
//                         "sd": [s1, s2]},
//      "time_to_terminal_hours": {"before": m1, "after": m2, "delta": m2 - m1,
//                                 "ci95": [lo, hi] | null, "sd": [s1, s2],
//                                 "leads": [n1, n2]}}}
//
// conversion: the share of all scenario leads that ended at a CONVERTED node (results'
// terminal.completed.count / leads; unfinished and stuck leads count as not converted). Its
// interval is Newcombe's hybrid score interval for a difference of independent proportions
// (method 10 of Newcombe 1998), built from the Wilson intervals of wilson_interval():
//   lo = delta − sqrt((p2 − l2)² + (u1 − p1)²),  hi = delta + sqrt((u2 − p2)² + (p1 − l1)²).
// calls_per_lead: the mean calls placed per lead over all leads (results' calls.per_lead) with
// the per-lead sample standard deviations. time_to_terminal_hours: the mean time from arrival
// to a terminal node over the n leads that reached one (the leads behind the results'
// percentiles), with sample standard deviations. Both intervals are the normal approximation
// delta ± 1.96·sqrt(s1²/n1 + s2²/n2), null when n1 or n2 is below 2 (for calls per lead: a
// one-lead scenario).
//
// The two runs share a seed (common random numbers), so they are not independent: while the
// graphs agree the leads' draws are the same, which makes the true spread of the difference
// smaller than the independent-sample intervals above assume. The intervals are conservative.
//
// Fails with the Status of the graph that does not compile or whose run fails (an unknown time
// zone, o.max_events exceeded, o.should_stop), its code unchanged and its message prefixed with
// "before: " or "after: ". `before` is compiled first.
Result<Json> compare_simulations(const Graph& before, const Graph& after, const Scenario& s,
                                 const SimulateOptions& o = {});

// The comparison part of compare_simulations for two runs that already finished: `before` and
// `after` are their results JSON and `bs` / `as` the statistics the runs filled (with
// SimulateOptions::lead_calls set), for a scenario of `leads` leads. compare_simulations(b, a,
// s, o) equals compare_runs of the two simulate() runs it makes, byte for byte; a shell that
// runs the two simulations in slices (SimulationRun) compares them with this.
Json compare_runs(const Json& before, const SimulationStats& bs, const Json& after,
                  const SimulationStats& as, std::int64_t leads);

}  // namespace leadflow
