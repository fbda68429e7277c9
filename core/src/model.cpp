// Enum wire names and small graph queries of the model.
#include "leadflow/model.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "leadflow/text.hpp"

namespace leadflow {

const char* to_string(NodeType t) {
    switch (t) {
        case NodeType::kVoiceCall:
            return "VOICE_CALL";
        case NodeType::kTime:
            return "TIME";
        case NodeType::kConditional:
            return "CONDITIONAL";
        case NodeType::kApplication:
            return "APPLICATION";
        case NodeType::kConverted:
            return "CONVERTED";
        case NodeType::kDropped:
            return "DROPPED";
        case NodeType::kSplit:
            return "SPLIT";
        case NodeType::kUnknown:
            break;
    }
    return "";
}

NodeType parse_node_type(const std::string& s) {
    for (NodeType t :
         {NodeType::kVoiceCall, NodeType::kTime, NodeType::kConditional, NodeType::kApplication,
          NodeType::kConverted, NodeType::kDropped, NodeType::kSplit}) {
        if (s == to_string(t)) return t;
    }
    return NodeType::kUnknown;
}

bool is_terminal(NodeType t) {
    return t == NodeType::kConverted || t == NodeType::kDropped;
}

bool is_terminal(LeadStatus s) {
    return s != LeadStatus::kPending && s != LeadStatus::kActive;
}

const char* to_string(WorkflowStatus s) {
    switch (s) {
        case WorkflowStatus::kDraft:
            return "draft";
        case WorkflowStatus::kActive:
            return "active";
        case WorkflowStatus::kPaused:
            return "paused";
        case WorkflowStatus::kCompleted:
            return "completed";
        case WorkflowStatus::kCancelled:
            return "cancelled";
    }
    return "";
}

std::optional<WorkflowStatus> parse_workflow_status(const std::string& s) {
    // "running" is the legacy spelling of "active": read as active, never written.
    if (s == "running") return WorkflowStatus::kActive;
    for (WorkflowStatus w :
         {WorkflowStatus::kDraft, WorkflowStatus::kActive, WorkflowStatus::kPaused,
          WorkflowStatus::kCompleted, WorkflowStatus::kCancelled}) {
        if (s == to_string(w)) return w;
    }
    return std::nullopt;
}

const std::vector<LeadStatus>& all_lead_statuses() {
    static const std::vector<LeadStatus> all = {
        LeadStatus::kPending, LeadStatus::kActive, LeadStatus::kCompleted, LeadStatus::kDropped,
        LeadStatus::kRemoved, LeadStatus::kFailed, LeadStatus::kCancelled};
    return all;
}

const char* to_string(LeadStatus s) {
    switch (s) {
        case LeadStatus::kPending:
            return "pending";
        case LeadStatus::kActive:
            return "active";
        case LeadStatus::kCompleted:
            return "completed";
        case LeadStatus::kDropped:
            return "dropped";
        case LeadStatus::kRemoved:
            return "removed";
        case LeadStatus::kFailed:
            return "failed";
        case LeadStatus::kCancelled:
            return "cancelled";
    }
    return "";
}

std::optional<LeadStatus> parse_lead_status(const std::string& s) {
    if (s == "in_progress") return LeadStatus::kActive;
    for (LeadStatus l : all_lead_statuses()) {
        if (s == to_string(l)) return l;
    }
    return std::nullopt;
}

const char* to_string(Phase p) {
    switch (p) {
        case Phase::kEntering:
            return "entering";
        case Phase::kInCall:
            return "in_call";
        case Phase::kInAction:
            return "in_action";
        case Phase::kWaiting:
            return "waiting";
        case Phase::kQueued:
            return "queued";
        case Phase::kStuck:
            return "stuck";
        case Phase::kDone:
            return "done";
    }
    return "";
}

std::optional<Phase> parse_phase(const std::string& s) {
    for (Phase p : {Phase::kEntering, Phase::kInCall, Phase::kInAction, Phase::kWaiting,
                    Phase::kQueued, Phase::kStuck, Phase::kDone}) {
        if (s == to_string(p)) return p;
    }
    return std::nullopt;
}

const char* to_string(CallOutcome o) {
    switch (o) {
        case CallOutcome::kCompleted:
            return "COMPLETED";
        case CallOutcome::kNoAnswer:
            return "NO_ANSWER";
        case CallOutcome::kBusy:
            return "BUSY";
        case CallOutcome::kVoicemail:
            return "VOICEMAIL";
        case CallOutcome::kFailed:
            return "FAILED";
    }
    return "";
}

const char* call_status_name(CallOutcome o) {
    switch (o) {
        case CallOutcome::kCompleted:
            return "completed";
        case CallOutcome::kNoAnswer:
            return "no_answer";
        case CallOutcome::kBusy:
            return "busy";
        case CallOutcome::kVoicemail:
            return "voicemail";
        case CallOutcome::kFailed:
            return "failed";
    }
    return "";
}

const char* family_label(CallOutcome o) {
    switch (o) {
        case CallOutcome::kNoAnswer:
        case CallOutcome::kBusy:
        case CallOutcome::kVoicemail:
            return "DNP";
        default:
            return nullptr;
    }
}

std::optional<CallOutcome> parse_call_outcome(const std::string& s) {
    const std::string l = lower(s);
    for (CallOutcome o : {CallOutcome::kCompleted, CallOutcome::kNoAnswer, CallOutcome::kBusy,
                          CallOutcome::kVoicemail, CallOutcome::kFailed}) {
        if (l == call_status_name(o)) return o;
    }
    return std::nullopt;
}

const char* to_string(Severity s) {
    return s == Severity::kError ? "error" : "warning";
}

const Node* Graph::find_node(const std::string& id) const {
    for (const Node& n : nodes) {
        if (n.id == id) return &n;
    }
    return nullptr;
}

const Edge* Graph::find_edge(const std::string& id) const {
    for (const Edge& e : edges) {
        if (e.id == id) return &e;
    }
    return nullptr;
}

std::string normalize_label(const std::string& label) {
    return upper(trim_view(label));
}

bool is_unlabelled(const Edge& e) {
    return !e.label || normalize_label(*e.label).empty();
}

std::vector<std::size_t> outgoing_edges(const Graph& g, const std::string& node_id) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < g.edges.size(); ++i) {
        if (g.edges[i].from_node_id == node_id) out.push_back(i);
    }
    std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
        return g.edges[a].position < g.edges[b].position;
    });
    return out;
}

std::optional<std::string> resolve_entry_node(const Graph& g) {
    if (g.workflow.entry_node_id && !g.workflow.entry_node_id->empty()) {
        return g.workflow.entry_node_id;
    }
    std::set<std::string> with_incoming;
    for (const Edge& e : g.edges) {
        if (g.find_node(e.from_node_id)) with_incoming.insert(e.to_node_id);
    }
    std::optional<std::string> entry;
    for (const Node& n : g.nodes) {
        if (with_incoming.count(n.id)) continue;
        if (entry) return std::nullopt;  // several candidates
        entry = n.id;
    }
    return entry;
}

}  // namespace leadflow
