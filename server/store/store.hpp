// server/store/store.hpp — the server's storage interface: organizations, API keys, workflows
// with their graphs and scenarios, leads with executions and history, calls and user webhooks.
//
// Index
//   [SECTION] Records and queries
//   [SECTION] StoreTx — the operations, all inside one transaction
//   [SECTION] Store — opening transactions
//
// Design. Business rules live in the HTTP handlers; the store only reads and writes rows. A
// handler that must check-then-change (e.g. "activate only from draft") runs the whole sequence
// inside Store::transact(), so it is atomic: a backend either takes its write lock when the
// transaction begins or locks the rows it reads for update, which is why every change goes
// through the same StoreTx object and no method keeps state between transactions. The
// interface names no backend's concept: leads are identified by their ids, orders are stated
// in terms of the records (enrolment order, append order), and a backend keeps whatever row
// identities or links it needs to itself (sqlite_store.hpp is one backend; tests/store is the
// conformance suite every backend passes). Graph objects are the core model types
// (leadflow/model.hpp); unknown fields in `extra` and unknown node types round-trip unchanged.
//
// Errors: kNotFound when a looked-up row does not exist (or belongs to another organization:
// the two are indistinguishable by design), kConflict on a uniqueness violation, kUnavailable
// when the storage failed (disk full, I/O error: the transaction was rolled back whole and may
// succeed when retried later), kInternal on any other database failure (the messages are for
// logs, never for API clients).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "leadflow/json.hpp"
#include "leadflow/model.hpp"
#include "leadflow/status.hpp"

namespace leadflow::server {

// [SECTION] Records and queries

struct Organization {
    std::string id;  // "org_…"
    std::string name;
    TimeMs created_at = 0;
};

// An API key as stored: the secret itself is never stored, only sha256(salt + secret).
struct ApiKeyRecord {
    std::string id;  // "key_…", the public half of "key_id:secret"
    std::string organization_id;
    std::string salt;         // hex
    std::string secret_hash;  // hex sha256(salt + secret)
    TimeMs created_at = 0;
    std::optional<TimeMs> expires_at;  // refused from this time on; nullopt = never expires
    std::optional<TimeMs> revoked_at;  // refused since; nullopt = not revoked
    bool read_only = false;            // may call GET and HEAD routes only
};

// An API key with its organization's name, for `keys list`.
struct ApiKeyInfo {
    ApiKeyRecord key;
    std::string organization_name;
};

// Per-workflow counts shown on the workflow object.
struct WorkflowCounts {
    std::int64_t node_count = 0;
    std::int64_t edge_count = 0;
    std::int64_t enrolled_leads = 0;                 // every lead ever enrolled, any status
    std::map<LeadStatus, std::int64_t> lead_counts;  // every status present (zero when none)
};

// One group of a workflow's leads: those at `node_id` (nullopt = no current node, i.e. not
// started) with status `status`.
struct NodeStatusCount {
    std::optional<std::string> node_id;
    LeadStatus status = LeadStatus::kPending;
    std::int64_t count = 0;  // > 0
};

enum class WorkflowSort { kCreatedAt, kUpdatedAt, kTitle };

struct WorkflowQuery {
    std::optional<WorkflowStatus> status;
    std::string search;  // case-insensitive title substring; empty = all
    WorkflowSort sort = WorkflowSort::kCreatedAt;
    bool descending = true;
    int page = 1;    // ≥ 1
    int limit = 20;  // 1–100
};

struct LeadQuery {
    std::vector<LeadStatus> statuses;  // empty = any
    std::vector<std::string> ids;      // empty = any
    int page = 1;
    int limit = 20;
    // A LIKE pattern (backslash escapes) the stored E.164 phone number must match; empty = any.
    // read_lead_query (server/http/leads.cpp) makes it from the `phone` parameter.
    std::string phone_like;
};

template <typename T>
struct PageOf {
    std::vector<T> items;
    std::int64_t total = 0;  // matching rows on all pages
};

// A lead with its live execution state.
struct LeadRecord {
    Lead lead;
    Execution execution;
};

// One call placed for a lead (written by the call runtime; read by GET /v1/calls).
struct CallRecord {
    std::string id;  // "call_…"
    std::string organization_id;
    std::string workflow_id;
    std::string lead_id;
    std::string node_id;
    std::string status;                  // "queued", "in_progress", "completed", "no_answer", …
    std::optional<std::string> outcome;  // "COMPLETED", "NO_ANSWER", …
    std::optional<std::string> end_reason;
    std::optional<double> duration_s;
    Json analysis = Json::object();
    TimeMs created_at = 0;
    std::optional<TimeMs> ended_at;
};

// A workflow's per-node aggregates (docs/calibration.md#where-the-numbers-come-from), summed over
// the hours read. `metric`: "outcome" (value: the outcome label; total, total_sq: the calls'
// durations in seconds), "analysis" (attr: the attribute; value: its value; COMPLETED calls
// only), "action" (value: "ok" or "failed"; total, total_sq: latencies in seconds) or "arrival"
// (node_id, attr and value empty: leads enrolled).
struct NodeStat {
    std::string node_id;
    std::string metric;
    std::string attr;
    std::string value;
    std::int64_t n = 0;
    double total = 0, total_sq = 0;
    TimeMs first_hour = 0, last_hour = 0;  // the first and last hour counted (ms, hour start)
};

struct NodeStatQuery {
    std::string workflow_id;
    TimeMs since = 0;  // from the start of the hour holding `since`
    // Only what leads of this version did (arrivals are counted whatever the version).
    std::optional<std::int64_t> version;
};

// An active lead as a forecast reads it (forecast.hpp): its stored engine state text (nullopt:
// not started yet), its variables, since when it waits for a call slot, and, while its
// workflow is paused, the time its timer had left when the workflow was paused (live_freeze).
struct ForecastLeadRow {
    std::string id;
    std::optional<std::string> state;
    std::map<std::string, std::string> variables;
    std::optional<TimeMs> slot_wait_at;
    std::optional<TimeMs> frozen_ms;
};

// A lead that live_cancel would end now, with where it stands (live_each_cancellable).
struct CancellableLead {
    std::string id;
    std::optional<std::string> node_id;  // nullopt: not started yet
    std::optional<std::int64_t> version;
    std::optional<TimeMs> entered_at;  // when it entered node_id
    std::optional<std::string> call_id;
};

// One APPLICATION result for the aggregates (live_record_action).
struct ActionSample {
    std::string workflow_id;
    std::int64_t version = 0;
    std::string node_id;
    TimeMs at = 0;
    bool ok = false;
    double latency_s = 0;
};

struct CallQuery {
    std::string workflow_id;  // empty = any
    std::string lead_id;      // empty = any
    int page = 1;
    int limit = 20;
    std::string status;  // one CallRecord::status; empty = any
};

struct UserWebhook {
    std::string id;  // "whk_…"
    std::string organization_id;
    std::string url;
    std::vector<std::string> events;
    std::string secret;  // used to sign deliveries; never returned by the API
    TimeMs created_at = 0;
};

// One published version of a workflow (docs/versions.md): immutable once inserted.
enum class MigrateMode { kKeep, kMove };
inline const char* to_string(MigrateMode m) {
    return m == MigrateMode::kMove ? "move" : "keep";
}

struct WorkflowVersion {
    std::string workflow_id;
    std::int64_t number = 0;  // 1, 2, … per workflow
    // The graph as published: nodes, edges (in edge order) and, in graph.workflow, the
    // workflow's id, organization, title, entry_node_id and settings at that time.
    Graph graph;
    Json scenario;  // the stored scenario when published; null when none was stored
    MigrateMode migrate = MigrateMode::kKeep;     // how leads running then were treated
    std::map<std::string, std::string> node_map;  // old node id → node id of this version
    std::string note;
    std::optional<std::string> published_by;  // the API key's id; nullopt: the server itself
    TimeMs created_at = 0;
    std::int64_t node_count = 0, edge_count = 0;  // also set when the graph is not read
};

// Running leads of a workflow that share a version, the newest version they were checked
// against and a node (publish's dry run resolves each group once).
struct LeadVersionGroup {
    std::optional<std::int64_t> version, seen;  // nullopt: not started
    std::optional<std::string> node_id;
    std::int64_t count = 0;
};

// A workflow the scheduler has work for: an active one (with its newest published version) or
// a cancelled one that still has leads due (calls that were in flight when it was cancelled).
struct RunnableWorkflow {
    std::string id;
    bool cancelled = false;
    std::optional<std::int64_t> published_version;
};

// [SECTION] Live progression records (server/runtime)

// A lead as the scheduler sees it: identity, variables and the persisted engine state.
struct LiveLead {
    std::string id;
    std::string workflow_id;
    std::string phone_number;
    std::map<std::string, std::string> variables;
    LeadStatus status = LeadStatus::kPending;
    std::optional<std::string> state;  // engine LeadState JSON; nullopt = not started yet
    // The published version the lead runs on, and the newest version it was checked against
    // (versions.hpp); nullopt before it starts.
    std::optional<std::int64_t> version, version_seen;
    std::optional<std::string> call_id;
    std::optional<TimeMs> due_at;         // when the scheduler must look at the lead again
    std::optional<TimeMs> slot_wait_at;   // queued for a call slot since (FIFO order)
    Json last_analysis = Json::object();  // post-call analysis of the most recent call
    Json last_response = Json::object();  // response of the most recent application step
    Json pending_event;                   // a call/action result waiting to be applied, or null
};

// Everything one engine step changes on a lead row (written in the step's transaction).
struct LiveLeadUpdate {
    LiveLead lead;
    std::optional<std::string> current_node_id;
    Phase phase = Phase::kEntering;
    std::optional<TimeMs> entered_at, release_at;
    std::int64_t steps = 0;
    TimeMs updated_at = 0;
    std::optional<TimeMs> completed_at;
    // What the step changed besides the always-written columns (state, scheduling, results):
    // an unchanged status, phase or slot queue position is not written, so its indexes (and
    // the lead-count trigger) are not touched.
    bool status_changed = true;
    bool phase_changed = true;
    bool slot_changed = true;
};

// One effect to perform outside the database after commit (docs/webhooks.md#delivery): a call
// dispatch, an APPLICATION action or a user-webhook delivery. `idempotency_key` is unique:
// inserting the same key twice keeps the first row.
struct OutboxRow {
    std::int64_t id = 0;
    std::string idempotency_key;
    std::string kind;  // "call_dispatch", "action", "user_webhook"
    std::string workflow_id;
    std::string lead_id;
    Json payload = Json::object();
    int attempts = 0;
    TimeMs next_attempt_at = 0;
    std::optional<TimeMs> done_at;
    TimeMs created_at = 0;
};

// One figure of the backend's own (Store::metrics), printed on /metrics in the Prometheus text
// format: "# HELP name help", "# TYPE name counter|gauge", then one line per sample.
struct StoreMetric {
    struct Sample {
        std::vector<std::pair<std::string, std::string>> labels;  // (name, value), in order
        std::int64_t value = 0;
    };
    std::string name;  // a Prometheus metric name, "leadflow_…"
    std::string help;
    bool counter = false;  // false: a gauge
    std::vector<Sample> samples;
};

// [SECTION] StoreTx — the operations, all inside one transaction

class StoreTx {
  public:
    virtual ~StoreTx() = default;

    // Organizations and API keys.
    // The organization named `name`, created with `new_id` and `now` when it does not exist.
    virtual Result<Organization> ensure_organization(const std::string& name,
                                                     const std::string& new_id, TimeMs now) = 0;
    virtual Status insert_api_key(const ApiKeyRecord& key) = 0;
    virtual Result<ApiKeyRecord> find_api_key(const std::string& key_id) = 0;
    // Every key (of the organization named `org_name`; "" = of every organization), oldest
    // first. kNotFound when `org_name` names no organization.
    virtual Result<std::vector<ApiKeyInfo>> list_api_keys(const std::string& org_name) = 0;
    // Sets revoked_at (a key already revoked keeps its first time); kNotFound for an unknown key.
    virtual Status revoke_api_key(const std::string& key_id, TimeMs now) = 0;
    // Sets expires_at; kNotFound for an unknown key.
    virtual Status set_api_key_expiry(const std::string& key_id, TimeMs expires_at) = 0;

    // Workflows. `get_workflow` and everything taking an organization id scope by it.
    virtual Status insert_workflow(const Workflow& w) = 0;
    virtual Result<Workflow> get_workflow(const std::string& org_id, const std::string& id) = 0;
    // Whether the workflow exists in the organization: get_workflow's check without reading
    // the row (for routes that only need the scope checked).
    virtual Result<bool> has_workflow(const std::string& org_id, const std::string& id) = 0;
    virtual Result<WorkflowCounts> workflow_counts(const std::string& workflow_id) = 0;
    virtual Result<PageOf<Workflow>> list_workflows(const std::string& org_id,
                                                    const WorkflowQuery& q) = 0;
    // Overwrites title, description, status, entry_node_id, settings, extra and timestamps.
    virtual Status update_workflow(const Workflow& w) = 0;
    // Deletes the workflow and, in the same transaction, its nodes, edges, leads and history.
    virtual Status delete_workflow(const std::string& workflow_id) = 0;
    // The stored scenario, or a null Json when none was stored.
    virtual Result<Json> get_scenario(const std::string& workflow_id) = 0;
    virtual Status put_scenario(const std::string& workflow_id, const Json& scenario) = 0;
    // Replaces the workflow's problems (a JSON array; docs/versions.md).
    virtual Status set_workflow_problems(const std::string& workflow_id, const Json& problems) = 0;
    // (workflow id, problems) of every workflow (of the organization `org_id`; "" = of every
    // organization) whose problems are not empty (for metrics).
    virtual Result<std::vector<std::pair<std::string, Json>>> workflows_with_problems(
        const std::string& org_id) = 0;

    // Published versions. insert_version also makes it the workflow's published_version;
    // kConflict when the number exists. get_version: kNotFound for an unknown number.
    // list_versions: newest first, without their graphs (node and edge counts are set).
    virtual Status insert_version(const WorkflowVersion& v) = 0;
    virtual Result<WorkflowVersion> get_version(const std::string& workflow_id,
                                                std::int64_t number) = 0;
    virtual Result<PageOf<WorkflowVersion>> list_versions(const std::string& workflow_id, int page,
                                                          int limit) = 0;
    // The workflow's pending and active leads grouped by version, newest version checked and
    // node (a lead not started has neither); non-empty groups, in no particular order.
    virtual Result<std::vector<LeadVersionGroup>> lead_version_groups(
        const std::string& workflow_id) = 0;
    // (version, version_seen) of each of the given leads of the workflow that has started.
    virtual Result<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> lead_versions(
        const std::string& workflow_id, const std::vector<std::string>& lead_ids) = 0;

    // Nodes and edges of one workflow (the caller has checked the workflow's organization).
    virtual Result<std::vector<Node>> list_nodes(const std::string& workflow_id) = 0;
    virtual Result<Node> get_node(const std::string& workflow_id, const std::string& id) = 0;
    virtual Status insert_node(const std::string& workflow_id, const Node& n) = 0;
    virtual Status update_node(const std::string& workflow_id, const Node& n) = 0;
    // Deletes the node and every edge into or out of it.
    virtual Status delete_node(const std::string& workflow_id, const std::string& id) = 0;
    // Edges in edge order (position, then creation order).
    virtual Result<std::vector<Edge>> list_edges(const std::string& workflow_id) = 0;
    virtual Result<Edge> get_edge(const std::string& workflow_id, const std::string& id) = 0;
    virtual Status insert_edge(const std::string& workflow_id, const Edge& e) = 0;
    virtual Status update_edge(const std::string& workflow_id, const Edge& e) = 0;
    virtual Status delete_edge(const std::string& workflow_id, const std::string& id) = 0;
    // Replaces every node and edge of the workflow with the given ones.
    virtual Status replace_graph(const std::string& workflow_id, const std::vector<Node>& nodes,
                                 const std::vector<Edge>& edges) = 0;

    // Leads. Inserting records the leads' variable names for variable_keys().
    virtual Status insert_leads(const std::vector<LeadRecord>& leads) = 0;
    // In enrolment order (the order insert_leads stored them).
    virtual Result<PageOf<Lead>> list_leads(const std::string& workflow_id, const LeadQuery& q) = 0;
    virtual Result<LeadRecord> get_lead(const std::string& workflow_id, const std::string& id) = 0;
    virtual Status update_lead(const LeadRecord& r) = 0;
    // Leads of the workflow whose status is one of `statuses` and whose current node is one of
    // `node_ids` (empty `node_ids` = any node), in enrolment order.
    virtual Result<std::vector<LeadRecord>> leads_where(
        const std::string& workflow_id, const std::vector<LeadStatus>& statuses,
        const std::vector<std::string>& node_ids) = 0;
    // Moves every lead in one of `from` to `to`, sets updated_at = now (and completed_at = now
    // when `to` is terminal) and, when given, the execution phase. Returns how many moved.
    virtual Result<std::int64_t> transition_leads(const std::string& workflow_id,
                                                  const std::vector<LeadStatus>& from,
                                                  LeadStatus to, std::optional<Phase> phase,
                                                  TimeMs now) = 0;
    // Number of leads of the workflow whose execution is in one of `phases`.
    virtual Result<std::int64_t> count_leads_in_phases(const std::string& workflow_id,
                                                       const std::vector<Phase>& phases) = 0;
    // Union of the variable names of every lead ever enrolled, sorted.
    virtual Result<std::vector<std::string>> variable_keys(const std::string& workflow_id) = 0;
    // History. The store keeps each lead's entries in the order they were appended: an entry
    // goes after every entry appended before it, in this transaction or a committed one
    // (whichever API: append_history or live_append_history), and history() returns them
    // oldest first, appends of the current transaction included. The caller never names or
    // links rows. kNotFound for an unknown lead (append_history).
    virtual Status append_history(const std::string& lead_id, const HistoryEntry& h) = 0;
    // append_history of each (lead id, entry) of `rows`, in order, sent together where the
    // backend can (one statement on PostgreSQL).
    virtual Status append_histories(
        const std::vector<std::pair<std::string, HistoryEntry>>& rows) = 0;
    virtual Result<std::vector<HistoryEntry>> history(const std::string& lead_id) = 0;
    // Leads by status over every workflow (for metrics).
    virtual Result<std::map<LeadStatus, std::int64_t>> lead_status_totals() = 0;
    // Leads by status over the organization's workflows (every status, zero when none).
    virtual Result<std::map<LeadStatus, std::int64_t>> lead_status_totals_of(
        const std::string& org_id) = 0;
    // The workflow's leads grouped by current node and status (one query), non-empty groups
    // only, in no particular order.
    virtual Result<std::vector<NodeStatusCount>> lead_counts_by_node(
        const std::string& workflow_id) = 0;

    // Per-node aggregates of the workflow's calls, actions and arrivals, one row per (node,
    // metric, attr, value) in no particular order. The store keeps them as calls end (in
    // insert_call and live_update_call, however the call is written), as leads are inserted, and
    // as live_record_action reports actions; reading them never scans the call log.
    virtual Result<std::vector<NodeStat>> node_stats(const NodeStatQuery& q) = 0;
    // The workflow's pending and active leads, passed to `each` one at a time in no particular
    // order (a forecast reads every one and keeps only what it simulates; `each` may take the
    // row's strings). A failed `each` stops the read with its status.
    virtual Status forecast_leads(const std::string& workflow_id,
                                  const std::function<Status(ForecastLeadRow&)>& each) = 0;

    // Calls.
    virtual Status insert_call(const CallRecord& c) = 0;
    virtual Result<PageOf<CallRecord>> list_calls(const std::string& org_id,
                                                  const CallQuery& q) = 0;

    // User webhooks.
    virtual Status insert_webhook(const UserWebhook& w) = 0;
    virtual Result<std::vector<UserWebhook>> list_webhooks(const std::string& org_id) = 0;
    virtual Result<UserWebhook> get_webhook(const std::string& org_id, const std::string& id) = 0;
    virtual Status delete_webhook(const std::string& org_id, const std::string& id) = 0;

    // Short share links (docs/api.md#share-links), owned by the organization that stored them.
    // put_share_link: kConflict when the id exists. get_share_link: kNotFound for an unknown id.
    // delete_share_link: kNotFound for an unknown id or one owned by another organization.
    virtual Status put_share_link(const std::string& id, const std::string& org_id,
                                  const std::string& fragment, TimeMs now) = 0;
    virtual Result<std::string> get_share_link(const std::string& id) = 0;
    virtual Status delete_share_link(const std::string& org_id, const std::string& id) = 0;

    // Live progression (server/runtime). The scheduler asks workflow by workflow, so that one
    // workflow's backlog never delays another's leads. Inside live_transact() a backend may run
    // the writes (live_save, live_append_history, …) behind the calls: a failed one is then
    // reported by a later call or by the transaction itself, which fails whole with its status.
    // Every active workflow, and every cancelled one with leads still due.
    virtual Result<std::vector<RunnableWorkflow>> live_runnable_workflows() = 0;
    // Several servers on one database (Store::shared): of `workflow_ids`, those this server
    // leases (Store::lease_workflows), each lease renewed for `lease_ms` and held until this
    // transaction ends, so that no other server takes it meanwhile; a lease another server took
    // after this one's lapsed is not returned (its owner steps those leads now). A scheduler
    // transaction serves only the workflows returned. Alone on the database every id is this
    // server's: the default returns `workflow_ids` unchanged.
    virtual Result<std::vector<std::string>> live_hold_workflows(
        const std::vector<std::string>& workflow_ids, std::int64_t lease_ms) {
        (void)lease_ms;
        return workflow_ids;
    }
    // The workflow's leads whose due_at <= now (any status: a removed or cancelled lead with a
    // call in flight is due to record its end), earliest first, at most `limit`.
    virtual Result<std::vector<LiveLead>> live_due_leads(const std::string& workflow_id, TimeMs now,
                                                         int limit) = 0;
    // The workflow's active leads not started yet (no engine state), oldest first.
    virtual Result<std::vector<LiveLead>> live_leads_to_start(const std::string& workflow_id,
                                                              int limit) = 0;
    // Leads of the workflow queued for a call slot, first come first served (leads queued at
    // the same time in enrolment order).
    virtual Result<std::vector<LiveLead>> live_slot_waiters(const std::string& workflow_id,
                                                            int limit) = 0;
    // Calls of the workflow still in progress, whatever became of their leads (a removed
    // lead's call counts against the limit until it ends).
    virtual Result<std::int64_t> live_calls_in_flight(const std::string& workflow_id) = 0;
    virtual Result<LiveLead> live_get_lead(const std::string& lead_id) = 0;
    // Writes a step's result: status, execution columns, state, scheduling, last results.
    // kNotFound for an unknown lead.
    virtual Status live_save(const LiveLeadUpdate& u) = 0;
    // Stores a call/action result for the lead and makes it due at `due_at`, or (the workflow
    // is paused) due as soon as it resumes when `due_at` is nullopt.
    virtual Status live_set_event(const std::string& lead_id, const Json& event,
                                  std::optional<TimeMs> due_at) = 0;
    // Pause: every scheduled lead of the workflow keeps its remaining time and stops being due.
    virtual Status live_freeze(const std::string& workflow_id, TimeMs now) = 0;
    // Resume: frozen leads become due after their remaining time, counted from `now`.
    virtual Status live_thaw(const std::string& workflow_id, TimeMs now) = 0;
    // Cancel (docs/api.md#lifecycle): every pending or active lead of the workflow without a call
    // in flight becomes `cancelled` (phase done) and is no longer scheduled; a lead with a call in
    // flight stays active and due (a paused workflow's frozen call is due again after the time it
    // had left, counted from `now`) so that the scheduler records the call's end and then cancels
    // it. Returns how many ended.
    virtual Result<std::int64_t> live_cancel(const std::string& workflow_id, TimeMs now) = 0;
    // Calls `each` for every lead live_cancel would end now (pending, and active without a call
    // in flight), in no promised order, read as a stream (in pages on PostgreSQL) rather than
    // all at once. A failed callback stops the read with its status. `each` must not use this
    // transaction.
    virtual Status live_each_cancellable(
        const std::string& workflow_id,
        const std::function<Status(const CancellableLead&)>& each) = 0;
    // Stuck active leads of the workflow become due at `now` (re-evaluated after a publish).
    virtual Status live_wake_stuck(const std::string& workflow_id, TimeMs now) = 0;
    // The workflow's started active leads that a publish after `version_seen` may have moved:
    // on a version older than `newest` and not yet checked against it (versions.hpp).
    virtual Result<std::vector<LiveLead>> live_leads_behind(const std::string& workflow_id,
                                                            std::int64_t newest) = 0;
    // Writes where a lead runs now: its version, version_seen, engine state text and current
    // node (a placement, versions.hpp; nothing else about the lead changes).
    virtual Status live_place(const LiveLead& lead, const std::string& node_id) = 0;
    // Workflow by id without an organization scope (the scheduler works for every tenant).
    virtual Result<Workflow> live_get_workflow(const std::string& workflow_id) = 0;
    virtual Result<CallRecord> live_get_call(const std::string& call_id) = 0;
    // Overwrites status, outcome, end_reason, duration_s, analysis and ended_at of a call.
    virtual Status live_update_call(const CallRecord& c) = 0;
    // Counts an APPLICATION's result in the workflow's aggregates (node_stats).
    virtual Status live_record_action(const ActionSample& a) = 0;
    // append_history with the entry already serialized (the text of to_json(h).dump()): the
    // scheduler's cheaper form, for a lead it read in this transaction. kNotFound for an
    // unknown lead.
    virtual Status live_append_history(const std::string& lead_id, const std::string& entry) = 0;
    // Outbox: insert (a duplicate key is ignored), due rows (done_at null, next_attempt_at <=
    // now, oldest first), and the outcome of an attempt.
    virtual Status live_outbox_insert(const OutboxRow& r) = 0;
    virtual Result<std::vector<OutboxRow>> live_outbox_due(TimeMs now, int limit) = 0;
    // live_outbox_due for one of several servers: the rows are also made not due until
    // `lease_until` in this transaction, so that no other server takes them meanwhile; rows
    // another transaction is claiming are skipped, not waited for. A row whose server dies
    // before it records the attempt is due again when the lease lapses. The rows are returned
    // as live_outbox_due returns them (next_attempt_at: when they were due).
    virtual Result<std::vector<OutboxRow>> live_outbox_claim(TimeMs now, TimeMs lease_until,
                                                             int limit) = 0;
    virtual Status live_outbox_update(const OutboxRow& r) = 0;
    // Small persistent key/value pairs of the runtime (the virtual clock).
    virtual Result<std::optional<std::string>> live_meta_get(const std::string& key) = 0;
    virtual Status live_meta_put(const std::string& key, const std::string& value) = 0;
};

// [SECTION] Store — opening transactions

class Store {
  public:
    virtual ~Store() = default;

    // Runs `fn` in one read-write transaction: committed when `fn` returns ok, rolled back
    // when it returns a failure (which is then returned unchanged), when the commit fails
    // (kUnavailable or kInternal), or when `fn` throws (the exception then propagates, and the
    // next transaction starts clean). Transactions are serialized; `fn` must not open another.
    virtual Status transact(const std::function<Status(StoreTx&)>& fn) = 0;

    // transact() for the live scheduler. A backend may run it on a connection of its own, so
    // API reads never wait for it; it lets API transactions waiting to write go before the
    // next one, so a scheduler running flat out delays an API write by at most one of its
    // transactions (the scheduler bounds their duration).
    virtual Status live_transact(const std::function<Status(StoreTx&)>& fn) = 0;
    // True while an API transaction waits for the write lock: a long live_transact() should
    // then commit at its next step boundary.
    virtual bool api_write_waiting() const = 0;

    // Runs `fn` for reading only (it must not write). Returns what `fn` returns; the read
    // transaction ends on every path out of `fn`, an exception included.
    virtual Status read(const std::function<Status(StoreTx&)>& fn) = 0;

    // The schema version the database is at (after migrations).
    virtual int schema_version() const = 0;

    // A number that changes whenever any writer, in this process or another one (e.g. the
    // `keys` commands), has committed since the previous call; cheap enough to call on every
    // request. Callers may keep what they read while it stays the same. nullopt when the
    // backend cannot tell (then nothing may be kept).
    virtual std::optional<std::int64_t> commit_counter() = 0;

    // True when other server processes may use the same database at the same time (then work
    // is claimed, e.g. StoreTx::live_outbox_claim, instead of read).
    virtual bool shared() const { return false; }

    // Several servers on one database: the share of the runnable workflows `workflow_ids` whose
    // leads this server's scheduler moves, in one short transaction of its own. The server
    // announces itself alive for `lease_ms` (wall ms, on the database's clock), renews its
    // leases on those workflows, gives back the ones beyond its fair share (the workflows
    // divided by the servers alive, rounded up) and takes free ones up to it: never leased,
    // given back, or lapsed because their server stopped renewing (it died or stalled). Leases
    // another transaction holds (StoreTx::live_hold_workflows) are skipped, never waited for.
    // Returns the ids this server leases now, in no promised order. nullopt when the store has
    // one server only: every workflow is this server's.
    virtual Result<std::optional<std::vector<std::string>>> lease_workflows(
        const std::vector<std::string>& workflow_ids, std::int64_t lease_ms) {
        (void)workflow_ids;
        (void)lease_ms;
        return std::optional<std::vector<std::string>>();
    }

    // Calls `fn` (on a thread of the store's) soon after another server process commits an API
    // write, which may have made work due here (leads enrolled, a workflow activated, a call
    // result): the scheduler wakes instead of waiting for its next poll. nullptr removes it;
    // when this returns, a previous callback is not running and will not run again. Backends
    // used by one process only ignore it (their writes are this process's own).
    virtual void on_remote_work(std::function<void()> fn) { (void)fn; }

    // The backend's own health figures for /metrics (e.g. how its log is kept short), in the
    // order they are to be shown; empty when it has none. The store names, describes and
    // labels them; the caller only prints them.
    virtual std::vector<StoreMetric> metrics() const { return {}; }
};

// A workflow with its nodes and edges (edges in edge order), read in the caller's transaction.
// Fails with what list_nodes / list_edges return.
inline Result<Graph> load_graph(StoreTx& tx, const Workflow& w) {
    Graph g;
    g.workflow = w;
    auto nodes = tx.list_nodes(w.id);
    if (!nodes.ok()) return nodes.status();
    auto edges = tx.list_edges(w.id);
    if (!edges.ok()) return edges.status();
    g.nodes = std::move(nodes.value());
    g.edges = std::move(edges.value());
    return g;
}

}  // namespace leadflow::server
