// leadflow/forecast.hpp — the forecast of a running workflow (docs/calibration.md#forecast).
//
// The Monte-Carlo simulator (simulate.hpp) run from where the leads are now: every running lead
// starts from its stored state (node, phase and the time it has left there: a lead 20 hours
// into a 2-day wait has 28 hours left; a call in progress ends after a duration drawn given
// that it has lasted this long), and the scenario's leads arrive after them as the expected
// future arrivals. The result counts how the leads will end, by day, with 95% bands for the
// actual counts, and when the last lead will finish.
//
// The bands: a lead's end is a Bernoulli draw whose probability depends on where it starts.
// Leads are grouped by their starting (node, phase), future arrivals forming one more group;
// within a group the simulated share p̂ estimates that probability. The actual count and the
// simulated one are independent draws of the same sum, so their difference has about twice
// the sum's variance: the band is  Ĉ ± 1.96 · √(2 · Σ_groups n·p̂·(1 − p̂)), clamped to
// [0, leads]. Leads in a group that differ (elapsed time, variables) only narrow the true
// spread, so the band errs wide.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "leadflow/compiled_graph.hpp"
#include "leadflow/engine.hpp"
#include "leadflow/json.hpp"
#include "leadflow/scenario.hpp"
#include "leadflow/simulate.hpp"
#include "leadflow/status.hpp"

namespace leadflow {

// A lead that has started and not ended, as the server stores it.
struct RunningLead {
    // Its engine state (node, phase, steps, last results, entered_at, release_at). Phases:
    // waiting / queued for the calling window: due at release_at (at the forecast's start when
    // that has passed); queued for a call slot: in the order given, behind the calls in
    // progress; in a call: the call started at entered_at; running an action: since
    // entered_at; entering: due at the start; stuck: stays stuck; done: rejected.
    LeadState state;
    // The lead's id: a SPLIT node ahead of it chooses the branch the server will choose.
    std::string id;
    // Its variables; a value the scenario's distribution of that variable does not list (or a
    // variable the lead lacks) is drawn from the scenario as for a new lead.
    std::vector<std::pair<std::string, std::string>> variables;
};

// Runs the forecast: the running leads (started at the scenario's start_time, the forecast's
// "now") then scenario.leads future arrivals as the scenario places them (0 is allowed: no
// arrivals). Returns
//   {"now", "running", "arrivals", "leads",
//    "final":  {"completed"|"dropped"|"failed"|"unfinished": {"expected", "low", "high"}},
//    "by_day": [{"day": d, "at": ISO, "completed"|"dropped"|"failed": {"expected", "low",
//                "high"}}, …]  (leads ended by the end of day d after now, cumulative; one entry
//                per day of the horizon, until every lead has ended),
//    "last_finish": ISO of the last lead's end, or null when some lead is still running at the
//                   horizon, and "last_finish_days" (days after now, or null),
//    "simulation": the results JSON of simulate() for the same run}.
// With no running leads, "simulation" is byte for byte what simulate() returns for the
// scenario. Fails as simulate() does, and with kInvalidArgument for a running lead whose state
// cannot be run (done, or a node index outside the graph), naming its id.
Result<Json> forecast(const CompiledGraph& g, const BoundScenario& s,
                      const std::vector<RunningLead>& running, const SimulateOptions& options = {});

}  // namespace leadflow
