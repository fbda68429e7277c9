// server/store/pg_internal.hpp — private to server/store/pg_*.cpp: the pieces of the
// PostgreSQL store (pg_store.hpp) that more than one of its files uses. Which file defines what:
//   pg_query.cpp         connections, the query helper and stored values (pg_query.hpp)
//   pg_schema.cpp        the migrations (migrate_schema)
//   pg_tx_org.cpp        PgTx: organizations, API keys, calls, webhooks, share links
//   pg_tx_workflows.cpp  PgTx: workflows, versions, nodes and edges
//   pg_tx_leads.cpp      PgTx: leads and their history
//   pg_tx_live.cpp       PgTx: the scheduler's live_* operations
//   pg_tx_claims.cpp     PgTx: outbox rows and workflow leases claimed by one of several servers
//   pg_live_batch.cpp    the scheduler's held-back writes (pg_live_batch.hpp)
//   pg_store.cpp         PgStore (connections, transactions, the write lock) and open_pg_store
//
// Index
//   [SECTION] Schema and migrations
//   [SECTION] PgTx
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/pg_live_batch.hpp"
#include "store/pg_query.hpp"
#include "store/store.hpp"

namespace leadflow::server::pg_internal {

// [SECTION] Schema and migrations (pg_schema.cpp)

// The schema version this build migrates to.
int latest_schema_version();

// Applies every migration the database has not seen yet, each in its own transaction, under a
// session advisory lock so that servers starting together migrate once; `version` is the
// version reached. kFailedPrecondition when the database's schema is newer than this build
// knows; kInternal naming the migration that failed (rolled back).
Status migrate_schema(Connection& c, int& version);

// [SECTION] PgTx
//
// The operations of one transaction on one connection (pg_store.cpp begins and ends it). Row
// order: tables whose order the contract names (enrolment order of leads, append order of
// history, creation order of keys, calls, webhooks and edges) carry a `seq` (or `id`) column
// from a sequence, which is the tie-breaker wherever the contract asks for creation order.
class PgTx final : public StoreTx {
  public:
    // `batch`: the scheduler's transaction holds its lead, history, call and outbox writes
    // there (pg_live_batch.hpp) and sends them before its next other statement; finish()
    // sends what is left. Without a batch every method runs its statement at once.
    // `owner`: the server whose workflow leases live_hold_workflows and lease_workflows keep
    // (PgStore's id for this process).
    explicit PgTx(Connection& c, LiveBatch* batch = nullptr, std::string owner = {})
        : c_(c), batch_(batch), owner_(std::move(owner)) {}

    // Sends the held-back writes; ok, or the failure of any flush of this transaction (which
    // must then not commit).
    Status finish() { return flush(); }

    // ---- organizations and keys (pg_tx_org.cpp)
    Result<Organization> ensure_organization(const std::string& name, const std::string& new_id,
                                             TimeMs now) override;
    Status insert_api_key(const ApiKeyRecord& k) override;
    Result<ApiKeyRecord> find_api_key(const std::string& key_id) override;
    Result<std::vector<ApiKeyInfo>> list_api_keys(const std::string& org_name) override;
    Status revoke_api_key(const std::string& key_id, TimeMs now) override;
    Status set_api_key_expiry(const std::string& key_id, TimeMs expires_at) override;

    // ---- workflows (pg_tx_workflows.cpp)
    Status insert_workflow(const Workflow& w) override;
    Result<Workflow> get_workflow(const std::string& org_id, const std::string& id) override;
    Result<bool> has_workflow(const std::string& org_id, const std::string& id) override;
    Result<WorkflowCounts> workflow_counts(const std::string& workflow_id) override;
    Result<PageOf<Workflow>> list_workflows(const std::string& org_id,
                                            const WorkflowQuery& q) override;
    Status update_workflow(const Workflow& w) override;
    Status delete_workflow(const std::string& workflow_id) override;
    Result<Json> get_scenario(const std::string& workflow_id) override;
    Status put_scenario(const std::string& workflow_id, const Json& scenario) override;
    Status set_workflow_problems(const std::string& workflow_id, const Json& problems) override;
    Result<std::vector<std::pair<std::string, Json>>> workflows_with_problems(
        const std::string& org_id) override;

    // ---- versions (pg_tx_workflows.cpp)
    Status insert_version(const WorkflowVersion& v) override;
    Result<WorkflowVersion> get_version(const std::string& workflow_id,
                                        std::int64_t number) override;
    Result<PageOf<WorkflowVersion>> list_versions(const std::string& workflow_id, int page,
                                                  int limit) override;
    Result<std::vector<LeadVersionGroup>> lead_version_groups(
        const std::string& workflow_id) override;
    Result<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> lead_versions(
        const std::string& workflow_id, const std::vector<std::string>& lead_ids) override;

    // ---- nodes and edges (pg_tx_workflows.cpp)
    Result<std::vector<Node>> list_nodes(const std::string& workflow_id) override;
    Result<Node> get_node(const std::string& workflow_id, const std::string& id) override;
    Status insert_node(const std::string& workflow_id, const Node& n) override;
    Status update_node(const std::string& workflow_id, const Node& n) override;
    Status delete_node(const std::string& workflow_id, const std::string& id) override;
    Result<std::vector<Edge>> list_edges(const std::string& workflow_id) override;
    Result<Edge> get_edge(const std::string& workflow_id, const std::string& id) override;
    Status insert_edge(const std::string& workflow_id, const Edge& e) override;
    Status update_edge(const std::string& workflow_id, const Edge& e) override;
    Status delete_edge(const std::string& workflow_id, const std::string& id) override;
    Status replace_graph(const std::string& workflow_id, const std::vector<Node>& nodes,
                         const std::vector<Edge>& edges) override;

    // ---- leads and history (pg_tx_leads.cpp)
    Status insert_leads(const std::vector<LeadRecord>& leads) override;
    Result<PageOf<Lead>> list_leads(const std::string& workflow_id, const LeadQuery& q) override;
    Result<LeadRecord> get_lead(const std::string& workflow_id, const std::string& id) override;
    Status update_lead(const LeadRecord& r) override;
    Result<std::vector<LeadRecord>> leads_where(const std::string& workflow_id,
                                                const std::vector<LeadStatus>& statuses,
                                                const std::vector<std::string>& node_ids) override;
    Result<std::int64_t> transition_leads(const std::string& workflow_id,
                                          const std::vector<LeadStatus>& from, LeadStatus to,
                                          std::optional<Phase> phase, TimeMs now) override;
    Result<std::int64_t> count_leads_in_phases(const std::string& workflow_id,
                                               const std::vector<Phase>& phases) override;
    Result<std::vector<std::string>> variable_keys(const std::string& workflow_id) override;
    Status append_history(const std::string& lead_id, const HistoryEntry& h) override;
    Status append_histories(const std::vector<std::pair<std::string, HistoryEntry>>& rows) override;
    Result<std::vector<HistoryEntry>> history(const std::string& lead_id) override;
    Result<std::map<LeadStatus, std::int64_t>> lead_status_totals() override;
    Result<std::map<LeadStatus, std::int64_t>> lead_status_totals_of(
        const std::string& org_id) override;
    Result<std::vector<NodeStatusCount>> lead_counts_by_node(
        const std::string& workflow_id) override;

    // ---- calls (pg_tx_org.cpp)
    Status insert_call(const CallRecord& c) override;
    Result<PageOf<CallRecord>> list_calls(const std::string& org_id, const CallQuery& q) override;
    Result<std::vector<NodeStat>> node_stats(const NodeStatQuery& q) override;
    Status forecast_leads(const std::string& workflow_id,
                          const std::function<Status(ForecastLeadRow&)>& each) override;

    // ---- user webhooks (pg_tx_org.cpp)
    Status insert_webhook(const UserWebhook& w) override;
    Result<std::vector<UserWebhook>> list_webhooks(const std::string& org_id) override;
    Result<UserWebhook> get_webhook(const std::string& org_id, const std::string& id) override;
    Status delete_webhook(const std::string& org_id, const std::string& id) override;

    // ---- share links (pg_tx_org.cpp)
    Status put_share_link(const std::string& id, const std::string& org_id,
                          const std::string& fragment, TimeMs now) override;
    Result<std::string> get_share_link(const std::string& id) override;
    Status delete_share_link(const std::string& org_id, const std::string& id) override;

    // ---- live progression, for server/runtime (pg_tx_live.cpp)
    Result<std::vector<RunnableWorkflow>> live_runnable_workflows() override;
    Result<std::vector<LiveLead>> live_due_leads(const std::string& workflow_id, TimeMs now,
                                                 int limit) override;
    Result<std::vector<LiveLead>> live_leads_to_start(const std::string& workflow_id,
                                                      int limit) override;
    Result<std::vector<LiveLead>> live_slot_waiters(const std::string& workflow_id,
                                                    int limit) override;
    Result<std::int64_t> live_calls_in_flight(const std::string& workflow_id) override;
    Result<LiveLead> live_get_lead(const std::string& lead_id) override;
    Status live_save(const LiveLeadUpdate& u) override;
    Status live_set_event(const std::string& lead_id, const Json& event,
                          std::optional<TimeMs> due_at) override;
    Status live_freeze(const std::string& workflow_id, TimeMs now) override;
    Status live_thaw(const std::string& workflow_id, TimeMs now) override;
    Result<std::int64_t> live_cancel(const std::string& workflow_id, TimeMs now) override;
    Status live_each_cancellable(
        const std::string& workflow_id,
        const std::function<Status(const CancellableLead&)>& each) override;
    Status live_wake_stuck(const std::string& workflow_id, TimeMs now) override;
    Result<std::vector<LiveLead>> live_leads_behind(const std::string& workflow_id,
                                                    std::int64_t newest) override;
    Status live_place(const LiveLead& l, const std::string& node_id) override;
    Result<Workflow> live_get_workflow(const std::string& workflow_id) override;
    Result<CallRecord> live_get_call(const std::string& call_id) override;
    Status live_update_call(const CallRecord& c) override;
    Status live_record_action(const ActionSample& a) override;
    Status live_append_history(const std::string& lead_id, const std::string& entry) override;
    Status live_outbox_insert(const OutboxRow& r) override;
    Result<std::vector<OutboxRow>> live_outbox_due(TimeMs now, int limit) override;
    Result<std::vector<OutboxRow>> live_outbox_claim(TimeMs now, TimeMs lease_until,
                                                     int limit) override;
    // ---- workflow leases (pg_tx_claims.cpp)
    Result<std::vector<std::string>> live_hold_workflows(
        const std::vector<std::string>& workflow_ids, std::int64_t lease_ms) override;
    // Store::lease_workflows inside this transaction (which holds nothing else).
    Result<std::vector<std::string>> lease_workflows(const std::vector<std::string>& workflow_ids,
                                                     std::int64_t lease_ms);
    Status live_outbox_update(const OutboxRow& r) override;
    Result<std::optional<std::string>> live_meta_get(const std::string& key) override;
    Status live_meta_put(const std::string& key, const std::string& value) override;

  private:
    // A statement on this transaction's connection, run after the held-back writes.
    Query q(std::string sql) { return Query(c_, std::move(sql), flush()); }
    // Sends the held-back writes (none without a batch). A failure stays: every later
    // statement and finish() fail with it.
    Status flush();
    // After a write was held back: flushes a batch grown large, so that a statement's
    // parameters stay a few megabytes; the held failure, if any.
    Status held();
    // Reads a workflow's leads in pages of 10,000 by seq, so that however many there are they
    // are never all in memory: `sql` selects with $1 the workflow id, $2 the last seq read and
    // $3 the page size, ORDER BY seq, and has seq as its column `seq_column`. `each` gets every
    // row; a failure stops the read with its status.
    Status each_lead_in_pages(const std::string& sql, const std::string& workflow_id,
                              int seq_column, const std::function<Status(const Row&)>& each);

    Connection& c_;
    LiveBatch* batch_;
    std::string owner_;
    Status failure_;
};

// pg_tx_leads.cpp: runs `update` (a statement on `c` that may change the status of many leads
// of `workflow_id`) without the per-row lead-count trigger, then recounts the workflow's leads
// by status in one statement (see the schema's lead_counts). Returns how many rows `update`
// changed.
Result<std::int64_t> update_leads_recounting(Connection& c, const std::string& workflow_id,
                                             Query& update);

// Rows more than one of the PgTx files reads: the columns to select (in this order) and the
// reader of such a row.
// pg_tx_workflows.cpp:
extern const char* const kWorkflowColumns;
Result<Workflow> read_workflow(const Row& r);
// (status, n) rows; an unknown stored status reads as nullopt (skipped by the callers).
Result<std::pair<std::optional<LeadStatus>, std::int64_t>> read_status_count(const Row& r);
// pg_tx_org.cpp:
extern const char* const kCallColumns;
Result<CallRecord> read_call(const Row& r);

}  // namespace leadflow::server::pg_internal
