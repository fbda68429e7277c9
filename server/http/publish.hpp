// server/http/publish.hpp — publishing a workflow's draft as a version (docs/versions.md), for
// the publish route, activation, resume and the edits of an active workflow.
//
// The draft is the workflow's editable graph (its nodes, edges, entry node and settings). A
// version is an immutable copy of it that leads run on. Every function here runs inside the
// caller's transaction and changes nothing but the workflow's versions and problems (and wakes
// its stuck leads, which the scheduler then re-evaluates): lead state is only ever written by
// the scheduler.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/app.hpp"
#include "http/http_types.hpp"
#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"
#include "leadflow/validate.hpp"
#include "leadflow/versions.hpp"
#include "store/store.hpp"

namespace leadflow::server {

struct PublishOptions {
    MigrateMode migrate = MigrateMode::kKeep;
    std::map<std::string, std::string> node_map;
    std::string note;
};

// The diagnostics of the draft at activation grade: validate_graph() plus, when that finds no
// error, the engine's own compile (GRAPH_CANNOT_RUN), so a published version always runs.
std::vector<Diagnostic> publish_diagnostics(const Graph& draft);

// Whether the draft would run differently from the version: nodes (but not their positions),
// edges, entry node and settings. True when there is no version.
bool draft_differs(const Graph& draft, const WorkflowVersion* version);
// draft_differs against the workflow's newest published version (true when it has none).
Result<bool> draft_differs_from_published(StoreTx& tx, const Workflow& w, const Graph& draft);

// Publishes `draft` as version published_version + 1 of `w` (updating w.published_version and
// clearing the draft's problems from w.problems), with the workflow's stored scenario, and
// makes its stuck leads due at `live_now` so that they are re-evaluated. The caller has checked
// the diagnostics. `key_id` empty: published by the server itself.
Result<WorkflowVersion> publish_draft(StoreTx& tx, Workflow& w, const Graph& draft,
                                      const PublishOptions& options, const std::string& key_id,
                                      TimeMs now, TimeMs live_now);

// What a draft edit did to an active workflow: nothing to publish (not active, or the draft
// runs like the published version), published, or saved to the draft only.
enum class EditOutcome { kNotLive, kUnchanged, kPublished, kDraftOnly };

// After a draft edit (node, edge, graph, settings), in the edit's transaction: an active
// workflow's draft is published at once with `move` when it validates and differs; when it
// does not validate the diagnostics become the workflow's problems and the running version is
// untouched. `publish` false (the editor's "save draft") only saves.
Result<EditOutcome> after_draft_edit(StoreTx& tx, RequestContext& ctx, Workflow& w, bool publish);

// Sets X-Leadflow-Published on a successful edit's response (true when published, false when
// saved to the draft only; absent otherwise).
void mark_edit_outcome(Response& r, EditOutcome outcome);

// Whether the request asks to save the draft only (`?publish=false`).
bool draft_only(const Request& req);

// How a publish would treat the workflow's leads, counted from their current places.
struct MigrationSummary {
    std::int64_t move = 0;         // running leads that move to the new version
    std::int64_t stay = 0;         // running leads that stay on (and finish on) their version
    std::int64_t not_started = 0;  // they start on the new version
    std::map<std::int64_t, std::int64_t> stay_by_version;
    std::map<std::string, std::int64_t> stay_by_node;  // "v<version>:<node id>" → leads
};
Result<MigrationSummary> summarize_migration(StoreTx& tx, const Workflow& w, const Graph& draft,
                                             const PublishOptions& options);
Json to_json(const MigrationSummary& s);

// A version without its graph: number, created_at, note, published_by, migrate, node_map,
// node_count, edge_count, current (whether it is the workflow's newest).
Json version_summary_json(const WorkflowVersion& v, const Workflow& w);

// Where each of the given started leads of the workflow runs now (versions.hpp), reading the
// versions it needs; leads not started are absent. For the lead view of the API.
Result<std::map<std::string, LeadPlacement>> current_placements(StoreTx& tx, const Workflow& w,
                                                                const std::vector<Lead>& leads);

}  // namespace leadflow::server
