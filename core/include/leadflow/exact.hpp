// leadflow/exact.hpp — the exact absorbing-Markov-chain analysis
// (docs/simulation.md#exact-vs-monte-carlo): terminal probabilities, expected visits per node and
// expected calls per lead, with no sampling.
//
// Time is ignored (calling windows, concurrency, waits, release times and the horizon change
// when leads finish, not where), so the chain's states are the engine's wait points (a lead in
// a call, a TIME wait or an action) expanded with what conditions read: the last call's
// outcome, the analysis attributes conditions read, and the last application result. Lead
// variables that conditions read give a mixture over their value combinations, and so do the
// branches of SPLIT nodes (a lead takes the same branch at a SPLIT every time it passes it:
// split.hpp), weighted by the branches' weights. Transitions run the engine itself
// (engine.hpp), so the chain obeys the same edge rule as everything else.
// The linear system (I − Q)ᵀ x = π₀ over the transient states is solved by Gaussian
// elimination with partial pivoting (+ − × ÷ only: identical natively and in WebAssembly).
//
// Not representable (available = false with a reason): conditions on call.duration_s or on
// application.response.*; more than kMaxExactStates reachable states or kMaxExactMixture
// combinations of variable values and SPLIT branches; states from which no terminal or stuck
// outcome is reachable (the loop guard decides those leads); a graph that does not compile. The
// loop guard (max_steps_per_lead) is ignored: `failed` is 0 unless a lead can reach a step count no
// path allows, which the chain cannot see.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/json.hpp"
#include "leadflow/scenario.hpp"

namespace leadflow {

constexpr int kMaxExactStates = 2000;
constexpr int kMaxExactMixture = 256;

// One branch of a SPLIT node in the exact solution. A lead "takes" the branch when it enters
// the SPLIT at least once and its branch there is this one (a lead takes the same branch on
// every pass); `completed` and `dropped` are conditioned on that, like the Monte-Carlo
// `splits` results, whose shares of finished leads they are.
struct ExactSplitBranch {
    double leads = 0;      // P(a lead enters the SPLIT and takes this branch)
    double completed = 0;  // P(converted | took this branch); 0 when leads is 0
    double dropped = 0;    // P(dropped | took this branch); 0 when leads is 0
};

// The branches of one SPLIT node, in the order of its config.
struct ExactSplit {
    std::int32_t node = -1;  // node index
    std::vector<ExactSplitBranch> branches;
};

struct ExactResult {
    bool available = false;
    std::string reason;  // why not available; empty when available
    double completed = 0, dropped = 0, failed = 0, stuck = 0;
    std::vector<double> expected_visits;  // by node index
    double expected_calls = 0;
    int states = 0;  // transient states of the chain (all mixture components)
    // Every SPLIT node of the graph, in node order (empty for graphs without one). The chain
    // then also tracks which SPLIT nodes a lead has entered, which may add states.
    std::vector<ExactSplit> splits;
};

// Solves the chain for one lead of `s` on `g`. Never fails: what it cannot represent comes back
// with available = false and a reason.
ExactResult solve_exact(const CompiledGraph& g, const BoundScenario& s);

// {"available", "reason", "terminal": {completed, dropped, failed, stuck}, "expected_visits":
// {node_id: v}, "expected_calls", "states"} — the results' "exact" key
// (docs/simulation.md#results) — and, for graphs with a SPLIT node only, "splits": {node_id:
// {label: {"leads", "completed", "dropped"}}} (ExactSplitBranch; the conditional values are null
// for a branch no lead takes). When not available: terminal/expected values (and "splits") are
// null.
Json to_json(const ExactResult& r, const CompiledGraph& g);

}  // namespace leadflow
