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
    auto n = node(number, node_id);
    if (!n.ok()) return n.status();
    return n.value() ? n.value()->type : NodeType::kUnknown;
}

Result<const Node*> VersionReader::node(std::optional<std::int64_t> number,
                                        const std::optional<std::string>& node_id) {
    if (!number || !node_id) return static_cast<const Node*>(nullptr);
    auto v = get(*number);
    if (!v.ok()) return v.status();
    return v.value()->graph.find_node(*node_id);
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

HistoryEntry ending_entry(const std::optional<std::string>& node_id, const Node* node,
                          std::optional<TimeMs> entered_at, std::optional<std::string> call_id,
                          std::string status, std::string reason, TimeMs now) {
    HistoryEntry h;
    h.node_id = node_id.value_or("");
    if (node) {
        h.node_type = node->node_type_raw.empty() ? to_string(node->type) : node->node_type_raw;
        h.label = node->label;
    }
    h.status = std::move(status);
    h.reason = std::move(reason);
    if (node && node->type == NodeType::kVoiceCall) h.call_id = std::move(call_id);
    h.started_at = h.node_id.empty() || !entered_at ? now : *entered_at;
    h.ended_at = now;
    return h;
}

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
    auto node = versions.node(r.lead.version, r.lead.current_node_id);
    if (!node.ok()) return node.status();
    const HistoryEntry h =
        ending_entry(r.lead.current_node_id, node.value(), r.execution.entered_at,
                     r.execution.call_id, "removed", "removed_by_api", now);
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
    std::vector<CancellableLead> ending;
    Status read = tx.live_each_cancellable(w.id, [&](const CancellableLead& l) {
        ending.push_back(l);
        return Status::ok();
    });
    if (!read) return read;
    auto ended = tx.live_cancel(w.id, live_now);
    if (!ended.ok()) return ended.status();
    // Their history rows, sent in chunks.
    constexpr std::size_t kChunk = 5000;
    VersionReader versions(tx, w.id);
    std::vector<std::pair<std::string, HistoryEntry>> rows;
    rows.reserve(std::min(ending.size(), kChunk));
    for (std::size_t i = 0; i < ending.size(); ++i) {
        const CancellableLead& l = ending[i];
        auto node = versions.node(l.version, l.node_id);
        if (!node.ok()) return node.status();
        rows.emplace_back(l.id, ending_entry(l.node_id, node.value(), l.entered_at, l.call_id,
                                             "cancelled", "workflow_cancelled", live_now));
        if (rows.size() == kChunk || i + 1 == ending.size()) {
            if (Status s = tx.append_histories(rows); !s) return s;
            rows.clear();
        }
    }
    return ended;
}

Status wake_stuck_leads(StoreTx& tx, const Workflow& w, TimeMs live_now) {
    return tx.live_wake_stuck(w.id, live_now);
}

}  // namespace leadflow::server
