// leadflow/model.hpp — the workflow model (docs/workflows.md, docs/api.md): workflows, nodes,
// edges, leads, executions and history, with every enum and its exact wire name.
//
// The model is plain data. Fields the model does not know are kept in `extra` (a JSON object)
// so that the wire format round-trips exactly, and unknown node types keep their raw string.
// Timestamps are milliseconds since the Unix epoch (UTC); absent ones are std::nullopt.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leadflow/json.hpp"

namespace leadflow {

using TimeMs = std::int64_t;  // milliseconds since 1970-01-01T00:00:00Z

// [SECTION] Enums and their wire names

enum class NodeType {
    kVoiceCall,
    kTime,
    kConditional,
    kApplication,
    kConverted,
    kDropped,
    kSplit,  // a Leadflow extension: weighted A/B branches (docs/workflows.md#split)
    kUnknown
};
// Wire name ("VOICE_CALL", …); kUnknown has none (use Node::node_type_raw).
const char* to_string(NodeType t);
// Parses a wire name exactly (upper case); anything else is kUnknown.
NodeType parse_node_type(const std::string& s);
// True for CONVERTED and DROPPED.
bool is_terminal(NodeType t);

enum class WorkflowStatus { kDraft, kActive, kPaused, kCompleted, kCancelled };
const char* to_string(WorkflowStatus s);
// Parses "draft", "active", …; the legacy "running" reads as kActive; nullopt for anything
// else.
std::optional<WorkflowStatus> parse_workflow_status(const std::string& s);

enum class LeadStatus { kPending, kActive, kCompleted, kDropped, kRemoved, kFailed, kCancelled };
const char* to_string(LeadStatus s);
// Parses a lead status; "in_progress" is accepted as kActive. nullopt for anything else.
std::optional<LeadStatus> parse_lead_status(const std::string& s);
// Every lead status in wire order (for lead_counts, metrics).
const std::vector<LeadStatus>& all_lead_statuses();
// The lead has ended (every status but pending and active): it moves no further.
bool is_terminal(LeadStatus s);

enum class Phase { kEntering, kInCall, kInAction, kWaiting, kQueued, kStuck, kDone };
const char* to_string(Phase p);
std::optional<Phase> parse_phase(const std::string& s);

// The five specific call outcomes of a VOICE_CALL; DNP is the family of NO_ANSWER, BUSY, VOICEMAIL
// (docs/workflows.md#node-types).
enum class CallOutcome { kCompleted, kNoAnswer, kBusy, kVoicemail, kFailed };
constexpr int kCallOutcomeCount = 5;
const char* to_string(CallOutcome o);         // "COMPLETED", "NO_ANSWER", …
const char* call_status_name(CallOutcome o);  // "completed", "no_answer", … (provider)
const char* family_label(CallOutcome o);      // "DNP" for the family, else nullptr
// Parses a provider status or outcome label, case-insensitively ("no_answer", "NO_ANSWER").
std::optional<CallOutcome> parse_call_outcome(const std::string& s);

enum class Severity { kError, kWarning };
const char* to_string(Severity s);

// [SECTION] Workflow settings (docs/workflows.md#settings)

struct CallingWindow {
    std::vector<std::string> days;  // "mon" … "sun", lower case
    std::string start = "09:00";    // HH:MM, local time in the workflow's (or lead's) zone
    std::string end = "18:00";      // HH:MM; end <= start means the window wraps past midnight
};

// The local hours calls are allowed in, in every zone a lead may be in (docs/calling-hours.md).
struct LocalCallingHours {
    std::string start = "08:00";  // HH:MM local time
    std::string end = "21:00";    // HH:MM, after start ("24:00" = midnight)
};

struct Settings {
    std::string timezone = "UTC";                 // IANA name
    std::optional<CallingWindow> calling_window;  // nullopt = any time
    // Hold calls until local_calling_hours hold in every zone the lead may be in. A settings
    // object without the key reads as false (workflows stored before the setting existed keep
    // their behaviour); the server writes true into every workflow it creates.
    bool respect_lead_local_time = false;
    LocalCallingHours local_calling_hours;
    std::optional<int> max_concurrent_calls;  // nullopt = unlimited
    int max_steps_per_lead = 1000;            // loop guard
    bool auto_complete = true;
    std::string default_region = "US";  // for phone-number normalization
    Json extra = Json::object();        // unknown keys, kept for round trip
};

// [SECTION] Graph

struct Workflow {
    std::string id;
    std::string organization_id;
    std::string title;
    std::string description;
    WorkflowStatus status = WorkflowStatus::kDraft;
    std::optional<std::string> entry_node_id;
    Settings settings;
    std::optional<TimeMs> created_at, updated_at, activated_at, completed_at;
    // The newest published version (docs/versions.md); nullopt: never published. Written by
    // the wire format only when set.
    std::optional<std::int64_t> published_version;
    // What keeps the workflow from running as edited (diagnostics objects: code, message,
    // node_id, …); written by the wire format only when not empty.
    Json problems = Json::array();
    Json extra = Json::object();  // unknown or server-computed keys (node_count, lead_counts, …)
};

struct Node {
    std::string id;
    NodeType type = NodeType::kUnknown;
    std::string node_type_raw;  // the wire string, always set; differs from to_string(type)
                                // only for kUnknown
    std::string label;
    double position_x = 0;
    double position_y = 0;
    Json config = Json::object();  // type-specific (node_config.hpp); kept exactly as given
    Json extra = Json::object();
};

struct Edge {
    std::string id;
    std::string from_node_id;
    std::string to_node_id;
    std::optional<std::string> label;  // nullopt or empty = unlabelled (the default edge)
    std::int64_t position = 0;         // edge order; ties keep list order
    Json extra = Json::object();
};

// A workflow with its nodes and edges: the shape of GET /v1/workflows/{id}/graph.
struct Graph {
    Workflow workflow;
    std::vector<Node> nodes;
    std::vector<Edge> edges;

    // The node with this id, or nullptr.
    const Node* find_node(const std::string& id) const;
    const Edge* find_edge(const std::string& id) const;
};

// True when the edge has no label (nullopt or only white space).
bool is_unlabelled(const Edge& e);
// Label normalized for matching: trimmed, upper-cased (the edge choice rule ignores case).
std::string normalize_label(const std::string& label);
// Indices of the outgoing edges of `node_id`, in edge order (position, then list order).
std::vector<std::size_t> outgoing_edges(const Graph& g, const std::string& node_id);

// The entry node: entry_node_id when set (even if it names no node — validation reports that), else
// the unique node without incoming edges; nullopt if none or several.
std::optional<std::string> resolve_entry_node(const Graph& g);

// [SECTION] Leads, executions, history

struct Execution {
    std::optional<std::string> current_node_id;
    Phase phase = Phase::kEntering;
    std::optional<TimeMs> entered_at;
    std::optional<TimeMs> release_at;
    std::optional<std::string> call_id;
    std::int64_t steps = 0;
};

struct HistoryEntry {
    std::string node_id;
    std::string node_type;  // wire name
    std::string label;
    std::string status;  // e.g. "completed", "stuck", "failed", "waiting"
    std::optional<std::string> outcome;
    std::optional<std::string> edge_id;
    std::optional<std::string> edge_label;
    std::optional<std::string> to_node_id;
    std::optional<std::string> call_id;
    std::optional<std::string> reason;
    std::optional<TimeMs> started_at;
    std::optional<TimeMs> ended_at;
    std::optional<TimeMs> ends_at;  // planned release for a waiting step
};

struct Lead {
    std::string id;
    std::string workflow_id;
    std::string phone_number;  // E.164
    std::map<std::string, std::string> variables;
    // The client's own data about the lead (DialNexa `metadata`): a JSON object, carried and
    // returned as sent, never read by the engine; null when none was given (written as {}).
    Json metadata;
    LeadStatus status = LeadStatus::kPending;
    std::optional<std::string> current_node_id;
    // The published version the lead runs on (docs/versions.md); nullopt until it starts.
    // Written by the wire format only when set.
    std::optional<std::int64_t> version;
    std::optional<TimeMs> created_at, updated_at, completed_at;
};

}  // namespace leadflow
