// leadflow/simulate.hpp — the Monte-Carlo discrete-event simulator (docs/simulation.md).
//
// Every lead moves through the graph with the engine (engine.hpp) over virtual time: pending
// events popped in (time, lead) order (FIFO lanes for fixed delays merged with a radix heap for
// the rest), sampled call outcomes and durations, analysis attributes per COMPLETED call, lead
// variables drawn once per lead, arrivals all at start or uniform, the workflow's calling window
// (in the lead's zone: a scenario variable `timezone`, else settings.timezone), its concurrency
// limit (first come first served) and the horizon. The hot loop allocates nothing and keeps
// about 48 bytes per lead plus one byte per variable and per analysis attribute.
//
// Same graph + scenario ⇒ byte-identical results JSON natively and in WebAssembly: one Rng
// stream consumed in event order, samplers from sampling.hpp, integer time, and numbers
// written by nlohmann's own shortest round-trip formatter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/json.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

struct RunningLead;  // forecast.hpp

// How often a budgeted run (below) looks at its budget and its stop hook, in events.
constexpr std::int64_t kSimulationCheckEvents = 1 << 16;

struct SimulateOptions {
    bool exact = true;  // add the exact analysis (exact.hpp) under "exact"
    // A CPU budget for simulate() and simulate_graph(): the run fails with kResourceExhausted
    // when it needs more than this many events (SimulationStats::events), checked every
    // kSimulationCheckEvents events and at the end. 0: no budget.
    std::int64_t max_events = 0;
    // Polled every kSimulationCheckEvents events (and once before the first); true stops the
    // run with kCancelled. Empty: never stops. The hook is the caller's (e.g. "has the client
    // left?"); the simulator only calls it.
    std::function<bool()> should_stop;
    // Count the calls of each lead, so that SimulationStats::calls_per_lead_sd can be reported
    // (4 more bytes per lead). The results JSON is the same either way.
    bool lead_calls = false;
    // A forecast's running leads (forecast.hpp), borrowed for the run's life: leads 0 .. R − 1
    // start where they are at the scenario's start_time, the scenario's leads arrive after
    // them as leads R … Null: a plain simulation.
    const std::vector<RunningLead>* running = nullptr;
};

// Counters of one run that are not part of the results JSON (benchmarks, tests).
struct SimulationStats {
    std::int64_t events = 0;         // arrivals + events popped from the queue
    std::int64_t peak_queue = 0;     // largest number of pending events
    std::size_t bytes_per_lead = 0;  // per-lead state the run allocated, divided by leads
    // The spread of per-lead quantities whose means or quantiles the results JSON reports
    // (compare.hpp's intervals need them). Standard deviations are sample ones (n − 1), 0 when
    // fewer than two values.
    // Time from arrival to a terminal node of the leads that reached one (completed, dropped,
    // failed; the leads of time_to_terminal_hours), in hours.
    std::int64_t terminal_leads = 0;
    double time_to_terminal_mean_hours = 0;
    double time_to_terminal_sd_hours = 0;
    // Calls placed per lead, over all leads (their mean is calls.per_lead); -1 unless the run
    // had SimulateOptions::lead_calls.
    double calls_per_lead_sd = -1;
};

// An incremental Monte-Carlo run: exactly the simulation of simulate() (which is built on it),
// split into slices so that a shell can interleave it with other work; the browser draws a
// frame between slices and shows progress(). The graph and the bound scenario must outlive the
// run. Slicing never changes the results: any sequence of step() calls gives the same bytes.
class SimulationRun {
  public:
    // Prepares a run: allocates the per-lead state and draws arrivals and lead variables
    // (O(leads)). Fails with kInvalidArgument for an unknown time zone (settings.timezone or a
    // value of the scenario variable `timezone`).
    static Result<SimulationRun> create(const CompiledGraph& g, const BoundScenario& s,
                                        const SimulateOptions& options = {});
    SimulationRun(SimulationRun&&) noexcept;
    SimulationRun& operator=(SimulationRun&&) noexcept;
    ~SimulationRun();

    // Processes up to `max_events` events (values < 1 count as 1). Returns done(). Allocates
    // nothing once the event queue has reached its working size.
    bool step(std::int64_t max_events);
    // True when no event is left (every lead ended, is stuck, or waits beyond the horizon).
    bool done() const;
    // How far the run is, in [0, 1]: an estimate of the share of the run's events processed,
    // from the leads that arrived and ended, their lives and the arrival span (leads arriving
    // over time count as half done on arrival), never below the share of leads that ended,
    // the share of the horizon's virtual time passed or a quarter of the share that arrived.
    // Updated by step(); never decreases; 1 exactly when done.
    double progress() const;
    // Events processed so far (arrivals + events popped from the queue).
    std::int64_t events() const;
    // Leads that got stuck on each node so far, by node index (not part of the results JSON).
    const std::vector<std::int64_t>& stuck_by_node() const;
    // Processes every event due at or before `t` (virtual time); returns done().
    bool step_until(TimeMs t);
    // How lead `i` (running leads first, see SimulateOptions::running) has ended so far
    // (LeadEnd::kNone: not yet, or stuck) and, when it has ended or got stuck, when: seconds
    // after the start; -1 otherwise.
    std::pair<LeadEnd, std::int64_t> lead_end(std::size_t i) const;
    // The leads that have arrived and not ended (stuck ones included) as a forecast takes them
    // at virtual time `now` (the time of the last event processed, or later): their states
    // with entered_at / release_at, ids and variables, in index order except that the leads
    // queued for a call slot come last, first come first served.
    std::vector<RunningLead> snapshot() const;
    // The results JSON of simulate() (same bytes). Finishes the run first if needed; may be
    // called more than once.
    Json results(SimulationStats* stats = nullptr);

  private:
    struct State;
    explicit SimulationRun(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// Runs the Monte-Carlo simulation and returns the results JSON (docs/simulation.md#results; keys in
// exactly that order: leads, seed, terminal, nodes, edges, calls, time_to_terminal_hours,
// in_progress, exact), followed by our extra keys: "start_time", "horizon_days", "events",
// "warnings" (the binding warnings: unknown node ids in the scenario…) and, for graphs with a
// SPLIT node only, "splits" (per-branch results; graphs with a SPLIT keep 12 more bytes per lead
// for them: calls and billed milliseconds). Fails with kInvalidArgument
// for an unknown time zone (settings.timezone or a value of the scenario variable `timezone`),
// kResourceExhausted past options.max_events and kCancelled when options.should_stop says so. A run
// that finishes gives the same bytes with or without a budget or a hook (they only slice the run;
// see SimulationRun).
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
