// leadflow/history.hpp — a lead's history as one entry per node visit
// (docs/workflows.md#history-statuses-and-reasons).
//
// The engine records events: a call's visit writes an `in_call` row when the call starts and a
// `completed` row when its result arrives (a `queued` row first when the calling window or the
// concurrency limit held it); a TIME node writes `waiting`, then `completed`; an APPLICATION
// `in_action`, then `completed`; a step that found no edge adds a `stuck` row. Stored as events,
// the rows are an honest log, but a client reading them sees steps that never end. This folds
// them into visits:
//
// Rows fold into the current visit when they name the same node and either the visit is still
// open (its last row has no `ended_at`) or the row started at the visit's `started_at` (the rows
// of one engine step share the node's entry instant). The visit keeps its first `started_at`;
// `status`, `reason` and `ended_at` come from its last row (the row that says how the visit
// ended, or where it stands now), except that a status ending the lead (`removed`, `cancelled`,
// `failed`, `converted`, `dropped`) stays once written: a call that ends after its lead was
// removed adds its outcome and end time to the visit, which stays `removed`; `outcome`, `edge_*`,
// `to_node_id`, `call_id` and `ends_at` take the last value any of its rows gave. A visit whose
// last row is open is still running.
#pragma once

#include <vector>

#include "leadflow/model.hpp"

namespace leadflow {

// The visits of `events` (a lead's history rows in the order they were written).
std::vector<HistoryEntry> history_visits(const std::vector<HistoryEntry>& events);

}  // namespace leadflow
