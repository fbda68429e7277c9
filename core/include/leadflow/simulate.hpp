// leadflow/simulate.hpp — the Monte-Carlo discrete-event simulator (SPEC §3.1–§3.3).
//
// Every lead moves through the graph with the engine (engine.hpp) over virtual time: a binary
// heap of pending events ordered by (time, lead), sampled call outcomes and durations, analysis
// attributes per COMPLETED call, lead variables drawn once per lead, arrivals all at start or
// uniform, the workflow's calling window (in the lead's zone: a scenario variable `timezone`,
// else settings.timezone), its concurrency limit (first come first served) and the horizon.
// The hot loop allocates nothing and keeps about 72 bytes per lead plus one byte per variable
// and per analysis attribute.
//
// Same graph + scenario ⇒ byte-identical results JSON natively and in WebAssembly: one Rng
// stream consumed in event order, samplers from sampling.hpp, integer time, and numbers
// written by nlohmann's own shortest round-trip formatter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/json.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

struct SimulateOptions {
    bool exact = true;  // add the exact analysis (exact.hpp) under "exact"
};

// Counters of one run that are not part of the results JSON (benchmarks, tests).
struct SimulationStats {
    std::int64_t events = 0;         // arrivals + events popped from the queue
    std::int64_t peak_queue = 0;     // largest number of pending events
    std::size_t bytes_per_lead = 0;  // per-lead state the run allocated, divided by leads
};

// Runs the Monte-Carlo simulation and returns the results JSON of SPEC §3.3 (keys in exactly
// that order: leads, seed, terminal, nodes, edges, calls, time_to_terminal_hours, in_progress,
// exact), followed by our extra keys: "start_time", "horizon_days", "events", "warnings"
// (the binding warnings: unknown node ids in the scenario…).
// Fails with kInvalidArgument for an unknown time zone (settings.timezone or a value of the
// scenario variable `timezone`).
Result<Json> simulate(const CompiledGraph& g, const BoundScenario& s,
                      const SimulateOptions& options = {}, SimulationStats* stats = nullptr);

// compile_graph + bind_scenario + simulate. kFailedPrecondition / kInvalidArgument from
// compiling the graph pass through unchanged.
Result<Json> simulate_graph(const Graph& g, const Scenario& s, const SimulateOptions& options = {},
                            SimulationStats* stats = nullptr);

// Wilson score 95% interval of a proportion k/n (sqrt only: identical everywhere); {0, 0} for
// n == 0.
std::pair<double, double> wilson_interval(std::int64_t k, std::int64_t n);

}  // namespace leadflow
