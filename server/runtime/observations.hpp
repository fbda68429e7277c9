// server/runtime/observations.hpp — a workflow's per-node aggregates (StoreTx::node_stats) as the
// core's calibration input, and the drift of what runs now (docs/calibration.md).
#pragma once

#include <vector>

#include "leadflow/calibration.hpp"
#include "leadflow/status.hpp"
#include "store/store.hpp"

namespace leadflow::server {

// The aggregate rows as Observations: outcome counts and the durations of COMPLETED and
// VOICEMAIL calls, COMPLETED calls' analysis values, action results and latencies, arrivals.
Observations observations_from(const std::vector<NodeStat>& rows);

// Drift of the workflow's published version: the calls its leads made since it was published,
// against the scenario it was published with (the documented default models when it was
// published without one). {"version": n, "since": ISO, …core drift()…}; for a workflow never
// published, {"version": null, "since": null, "flagged": [], "nodes": {}}.
Result<Json> published_drift(StoreTx& tx, const Workflow& w);

}  // namespace leadflow::server
