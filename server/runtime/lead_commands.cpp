// server/runtime/lead_commands.cpp — see lead_commands.hpp.
#include "runtime/lead_commands.hpp"

#include <algorithm>

#include "runtime/lead_state_text.hpp"

namespace leadflow::server {

// [SECTION] Versions

Result<const WorkflowVersion*> VersionReader::get(std::int64_t number) {
    auto it = versions_.find(number);
    if (it != versions_.end()) return it->second.get();
    auto v = tx_.get_version(workflow_id_, number);
    if (!v.ok()) return v.status();
    auto owned = std::make_unique<WorkflowVersion>(std::move(v.value()));
    const WorkflowVersion* raw = owned.get();
    versions_[number] = std::move(owned);
    return raw;
}

Result<std::vector<VersionStep>> VersionReader::steps(std::int64_t first, std::int64_t last) {
    std::vector<VersionStep> out;
    for (std::int64_t n = first; n <= last; ++n) {
        auto v = get(n);
        if (!v.ok()) return v.status();
        out.push_back(version_step(n, v.value()->migrate == MigrateMode::kMove, v.value()->node_map,
                                   v.value()->graph));
    }
    return out;
}

Result<NodeType> VersionReader::node_type(std::int64_t number, const std::string& node_id) {
    auto v = get(number);
    if (!v.ok()) return v.status();
    const Node* n = v.value()->graph.find_node(node_id);
    return n ? n->type : NodeType::kUnknown;
}

Result<LeadPlacement> VersionReader::placement(const LeadPlacement& at, std::int64_t seen,
                                               std::int64_t newest) {
    auto type = node_type(at.version, at.node_id);
    if (!type.ok()) return type.status();
    auto later = steps(seen + 1, newest);
    if (!later.ok()) return later.status();
    return resolve_placement(at, type.value(), seen, later.value());
}

// [SECTION] Settling

namespace {

// Moves `l` (read with live_* in this transaction) to where it runs after the publishes up to
// `newest` it has not been checked against, when that differs from its row.
Status settle(StoreTx& tx, VersionReader& versions, std::int64_t newest, LiveLead& l) {
    if (!l.state || !l.version) return Status::ok();
    const std::int64_t seen = std::max(l.version_seen.value_or(*l.version), *l.version);
    if (seen >= newest) return Status::ok();
    const std::optional<Phase> phase = lead_state_phase(*l.state);
    const std::optional<std::string> node_id = lead_state_node_id(*l.state);
    if (!phase || *phase == Phase::kDone || !node_id) return Status::ok();
    auto at = versions.placement({*l.version, *node_id}, seen, newest);
    if (!at.ok()) return at.status();
    if (at->version == *l.version) return Status::ok();
    auto moved = with_lead_state_node_id(*l.state, at->node_id);
    if (!moved) return Status::ok();
    l.state = std::move(*moved);
    l.version = at->version;
    l.version_seen = newest;
    return tx.live_place(l, at->node_id);
}

}  // namespace

Status settle_leads(StoreTx& tx, const Workflow& w) {
    if (!w.published_version) return Status::ok();
    auto behind = tx.live_leads_behind(w.id, *w.published_version);
    if (!behind.ok()) return behind.status();
    VersionReader versions(tx, w.id);
    for (LiveLead& l : behind.value()) {
        if (Status s = settle(tx, versions, *w.published_version, l); !s) return s;
    }
    return Status::ok();
}

// [SECTION] Commands

Status remove_lead(StoreTx& tx, const Workflow& w, const std::string& lead_id, TimeMs now) {
    auto found = tx.get_lead(w.id, lead_id);
    if (!found.ok()) return found.status();
    const LeadStatus status = found->lead.status;
    if (is_terminal(status)) {
        return Status::conflict(std::string("The lead is already ") + to_string(status));
    }
    VersionReader versions(tx, w.id);
    if (status == LeadStatus::kActive && w.published_version) {
        auto live = tx.live_get_lead(lead_id);
        if (!live.ok()) return live.status();
        if (Status s = settle(tx, versions, *w.published_version, live.value()); !s) return s;
        found = tx.get_lead(w.id, lead_id);
        if (!found.ok()) return found.status();
    }
    LeadRecord r = found.value();
    HistoryEntry h;
    h.node_id = r.lead.current_node_id.value_or("");
    if (!h.node_id.empty() && r.lead.version) {
        auto v = versions.get(*r.lead.version);
        if (!v.ok()) return v.status();
        if (const Node* n = v.value()->graph.find_node(h.node_id)) {
            h.node_type = n->node_type_raw;
            h.label = n->label;
        }
    }
    h.status = "removed";
    h.reason = "removed_by_api";
    h.call_id = r.execution.call_id;
    // Dated from the visit it ends, so history_visits folds it into that visit.
    h.started_at = h.node_id.empty() ? std::optional<TimeMs>(now) : r.execution.entered_at;
    if (!h.started_at) h.started_at = now;
    h.ended_at = now;
    r.lead.status = LeadStatus::kRemoved;
    r.lead.updated_at = r.lead.completed_at = now;
    // A call in flight finishes on its own; the lead simply moves no further.
    if (r.execution.phase != Phase::kInCall) r.execution.phase = Phase::kDone;
    if (Status s = tx.update_lead(r); !s) return s;
    return tx.append_history(r.lead.id, h);
}

Status start_leads(StoreTx& tx, const Workflow& w, bool resumed, TimeMs live_now, TimeMs now) {
    if (resumed) {
        if (Status s = tx.live_thaw(w.id, live_now); !s) return s;
    }
    auto started =
        tx.transition_leads(w.id, {LeadStatus::kPending}, LeadStatus::kActive, std::nullopt, now);
    return started.ok() ? Status::ok() : started.status();
}

Status pause_leads(StoreTx& tx, const Workflow& w, TimeMs live_now) {
    return tx.live_freeze(w.id, live_now);
}

Result<std::int64_t> cancel_leads(StoreTx& tx, const Workflow& w, TimeMs live_now) {
    if (Status s = settle_leads(tx, w); !s) return s;
    return tx.live_cancel(w.id, live_now);
}

Status wake_stuck_leads(StoreTx& tx, const Workflow& w, TimeMs live_now) {
    return tx.live_wake_stuck(w.id, live_now);
}

}  // namespace leadflow::server
