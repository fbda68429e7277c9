// server/runtime/lead_commands.hpp — what the API asks of a workflow's leads.
//
// The HTTP layer never writes a lead's state. When a request changes leads — a lead removed, a
// workflow activated, paused, resumed or cancelled, a publish — the handler calls one of these
// functions in its transaction, and they change the rows with the same rules the scheduler
// follows: where a lead runs after publishes is decided by core (versions.hpp), and every
// history row a command writes has a reason the API documents.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "leadflow/versions.hpp"
#include "store/store.hpp"

namespace leadflow::server {

// The published versions of one workflow, each read at most once per transaction.
class VersionReader {
  public:
    VersionReader(StoreTx& tx, std::string workflow_id)
        : tx_(tx), workflow_id_(std::move(workflow_id)) {}

    // Version `number`; kNotFound when it does not exist.
    Result<const WorkflowVersion*> get(std::int64_t number);
    // The steps (what each publish did to running leads) of versions first..last.
    Result<std::vector<VersionStep>> steps(std::int64_t first, std::int64_t last);
    // The type of `node_id` in version `number` (kUnknown when absent).
    Result<NodeType> node_type(std::int64_t number, const std::string& node_id);
    // Node `node_id` of version `number`; null when either is nullopt or the node is absent.
    Result<const Node*> node(std::optional<std::int64_t> number,
                             const std::optional<std::string>& node_id);
    // Where a lead at `at`, checked against versions up to `seen`, runs once versions
    // seen+1..newest have been published (resolve_placement).
    Result<LeadPlacement> placement(const LeadPlacement& at, std::int64_t seen,
                                    std::int64_t newest);

  private:
    StoreTx& tx_;
    std::string workflow_id_;
    std::map<std::int64_t, std::unique_ptr<WorkflowVersion>> versions_;
};

// Writes where each of the workflow's started active leads runs now, for those a publish may
// have moved since their last step. A lead the API ends must first be settled, so that it
// stays on the version and node the publishes put it on (its row is never read through the
// publishes again once it has ended).
Status settle_leads(StoreTx& tx, const Workflow& w);

// The history row that ends a lead outside an engine step (status `removed` or `cancelled`).
// It names the lead's node (`node`: that node in the lead's version; null when the lead never
// entered one or the node is not in its graph) and is dated from the visit it ends
// (`entered_at`; `now` when there is none), so that history_visits folds it into that visit.
// `call_id` is kept on a VOICE_CALL node only, as the engine's rows do.
HistoryEntry ending_entry(const std::optional<std::string>& node_id, const Node* node,
                          std::optional<TimeMs> entered_at, std::optional<std::string> call_id,
                          std::string status, std::string reason, TimeMs now);

// Removes a lead (DELETE …/leads/{id}): it is settled, then ends `removed` with a history row
// (reason `removed_by_api`) naming the node of its version. A call in flight still finishes:
// the scheduler records its result. kConflict when the lead has already ended.
Status remove_lead(StoreTx& tx, const Workflow& w, const std::string& lead_id, TimeMs now);

// The leads follow their workflow's new status. `live_now` is the scheduler's clock (due
// times), `now` the wall clock (row times).
// activate / resume: leads enrolled while draft or paused start (the scheduler picks them up);
// resume also re-arms the leads pause froze, with the time they had left.
Status start_leads(StoreTx& tx, const Workflow& w, bool resumed, TimeMs live_now, TimeMs now);
// pause: every scheduled lead keeps its remaining time and stops being due.
Status pause_leads(StoreTx& tx, const Workflow& w, TimeMs live_now);
// cancel (docs/api.md#lifecycle): leads are settled, then every lead without a call in flight ends
// `cancelled` with a history row (reason `workflow_cancelled`) naming the node it was on; the
// others end once their call does (the scheduler writes their row). Returns how many ended now.
Result<std::int64_t> cancel_leads(StoreTx& tx, const Workflow& w, TimeMs live_now);
// After a publish: stuck leads are re-evaluated (the publish may have moved them or given their
// node the edge they lacked).
Status wake_stuck_leads(StoreTx& tx, const Workflow& w, TimeMs live_now);

}  // namespace leadflow::server
