// web/app/split_data.hpp — the Results tab's comparison of SPLIT branches (A/B tests): the
// "splits" and "exact.splits" keys of the results JSON (docs/simulation.md#results) as rows to
// draw. Pure and ImGui-free (tests/web checks it); split_results.cpp draws the rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"

namespace leadflow::web {

// One branch of a SPLIT node, as simulated.
struct SplitBranchRow {
    std::string label;
    std::int64_t leads = 0;  // leads that entered the SPLIT on this branch
    double share = 0;        // of all simulated leads
    // Conversion: the share of the branch's leads that completed, with its Wilson 95% interval,
    // and the exact solution's value when it has one.
    double conversion = 0, conversion_lo = 0, conversion_hi = 0;
    std::optional<double> exact_conversion;
    // Call cost per lead of the branch (mean, 95% interval) and calls per lead.
    double cost = 0, cost_lo = 0, cost_hi = 0;
    double calls_per_lead = 0;
    // Hours from arrival to the end, over the branch's leads that finished; nullopt when none did.
    std::optional<double> hours;
    double hours_lo = 0, hours_hi = 0;
    double p_best = 0;  // probability that this branch converts best
    bool best = false;  // the node's largest p_best (the first such branch on a tie)
};

// The branches of one SPLIT node, in the order of its config.
struct SplitTable {
    std::string node_id;
    std::vector<SplitBranchRow> rows;
};

// The SPLIT tables of a results JSON, in its order; empty when it has no "splits" key (a graph
// without a SPLIT) or the key is not an object. Missing or mistyped numbers read as 0.
std::vector<SplitTable> split_tables(const Json& results);

// "likely best" when `p_best` is at least 0.95, "" otherwise: the wording the table uses for
// the branch whose lead is clear.
const char* best_verdict(double p_best);

}  // namespace leadflow::web
