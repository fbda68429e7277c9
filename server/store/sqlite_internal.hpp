// server/store/sqlite_internal.hpp — private to server/store/sqlite_*.cpp: the pieces of the
// SQLite store (sqlite_store.hpp) that more than one of its files uses. Which file defines
// what:
//   sqlite_schema.cpp        the migrations (migrate_schema, snapshot_started_workflows)
//   sqlite_stmt.cpp          stored values (sqlite_stmt.hpp)
//   sqlite_connection.cpp    Connection, open_connection
//   sqlite_write_behind.cpp  WriteBehind, SqliteTx::run_pending
//   sqlite_checkpoint.cpp    Checkpointer
//   sqlite_tx_org.cpp        SqliteTx: organizations, API keys, calls, webhooks, share links
//   sqlite_tx_workflows.cpp  SqliteTx: workflows, versions, nodes and edges
//   sqlite_tx_leads.cpp      SqliteTx: leads and their history
//   sqlite_tx_live.cpp       SqliteTx: the scheduler's live_* operations
//   sqlite_store.cpp         SqliteStore (write turns, reader pool, when to checkpoint) and
//                            open_sqlite_store
//
// Index
//   [SECTION] Connections
//   [SECTION] Schema and migrations
//   [SECTION] Write-behind for the scheduler's connection
//   [SECTION] SqliteTx
//   [SECTION] Background checkpoints
#pragma once

#include <sqlite3.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite_stmt.hpp"
#include "store/store.hpp"

namespace leadflow::server::sqlite_internal {

// [SECTION] Connections (sqlite_connection.cpp)

// One SQLite connection with its cache of prepared statements. Used by one thread at a time
// (the store hands it out), so it is opened with SQLITE_OPEN_NOMUTEX.
struct Connection {
    sqlite3* db = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache;

    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    // Finalizes every cached statement, then closes the connection.
    ~Connection();

    // Runs `sql` (one or more statements, no results); ok, or the failure as sqlite_failure
    // makes it.
    Status exec(const std::string& sql);
};

// Opens `path` read-write (creating it when `create`), NOMUTEX, waiting up to ~5 s for locks,
// through the VFS named `vfs` (empty: the default). Fails as sqlite_failure makes it, the
// message naming `path`.
Result<std::unique_ptr<Connection>> open_connection(const std::string& path, bool create,
                                                    const std::string& vfs);

// [SECTION] Schema and migrations (sqlite_schema.cpp)

// Applies to the database of `c` (the writer connection) every migration from its PRAGMA
// user_version up to `target` (<= 0 or beyond the latest: the latest), each in its own
// transaction, recording the version reached in `version` after each. kFailedPrecondition
// when the file's schema is newer than this build knows; kInternal naming the migration that
// failed (rolled back; `version` stays at the last one applied).
Status migrate_schema(Connection& c, int target, int& version);

// [SECTION] Write-behind for the scheduler's connection
//
// The scheduler's transactions are mostly writes whose results it never reads back in the same
// step (lead rows, history rows, call rows, outbox rows). On the scheduler's connection those
// statements are recorded as PendingWrite values (the SQL plus its bound values) and executed
// by a second thread, in order, while the scheduler computes the next steps: the two cores run
// the engine and SQLite at the same time. Every other statement (every read) first waits until
// the writes recorded before it have run (WriteBehind::drain), so it sees them, and the
// transaction commits or rolls back only after a drain. The worker never touches the
// connection while the scheduler thread does: the scheduler thread uses it only after a drain,
// and records new writes only once its own statement has been reset.

// One bound value of a recorded write.
struct PendingValue {
    enum Kind : std::uint8_t { kNull, kInt, kReal, kText } kind = kNull;
    std::int64_t i = 0;
    double d = 0;
    std::string s;  // kText (its capacity is reused by later writes)
};

// One recorded write: the statement and its values, bound like Stmt::bind.
struct PendingWrite {
    const std::string* sql = nullptr;  // a statement string that outlives the transaction
    const char* missing = nullptr;     // non-null: kNotFound with this text when no row changed
    std::vector<PendingValue> values;
    std::size_t count = 0;

    PendingValue& next() {
        if (count == values.size()) values.emplace_back();
        return values[count++];
    }
    PendingWrite& bind(const std::string& v) {
        PendingValue& x = next();
        x.kind = PendingValue::kText;
        x.s.assign(v);
        return *this;
    }
    PendingWrite& bind(const char* v) {
        PendingValue& x = next();
        x.kind = PendingValue::kText;
        x.s.assign(v);
        return *this;
    }
    PendingWrite& bind(std::int64_t v) {
        PendingValue& x = next();
        x.kind = PendingValue::kInt;
        x.i = v;
        return *this;
    }
    PendingWrite& bind(int v) { return bind(static_cast<std::int64_t>(v)); }
    PendingWrite& bind(double v) {
        PendingValue& x = next();
        x.kind = PendingValue::kReal;
        x.d = v;
        return *this;
    }
    PendingWrite& bind_null() {
        next().kind = PendingValue::kNull;
        return *this;
    }
    template <typename T>
    PendingWrite& bind(const std::optional<T>& v) {
        return v ? bind(*v) : bind_null();
    }
};

// The worker thread and the queue of recorded writes (see the section comment). Writes are
// handed over in chunks; at most kMaxQueued chunks wait, so a drain (before a read, a commit
// or an API write's turn) waits for a bounded backlog.
class WriteBehind {
  public:
    // Runs a chunk's writes, in order, on the connection; the worker's only access to it.
    using Runner = std::function<Status(const PendingWrite* writes, std::size_t n)>;

    // Starts the worker thread.
    explicit WriteBehind(Runner run);
    // Stops the worker after the chunks handed over have run.
    ~WriteBehind();
    WriteBehind(const WriteBehind&) = delete;
    WriteBehind& operator=(const WriteBehind&) = delete;

    // A new write to fill in (scheduler thread).
    PendingWrite& add(const std::string& sql, const char* missing) {
        if (filling_.n == filling_.writes.size()) filling_.writes.emplace_back();
        PendingWrite& w = filling_.writes[filling_.n++];
        w.sql = &sql;
        w.missing = missing;
        w.count = 0;
        return w;
    }
    // Hands the filled chunk over once it is big enough (after a write is complete).
    void maybe_flush() {
        if (filling_.n >= kChunk) flush();
    }
    // Drops the writes not handed over yet, then drain(): for a transaction that is abandoned
    // (rolled back) with its last write perhaps half recorded.
    Status abandon() {
        filling_.n = 0;
        return drain();
    }
    // Waits until every recorded write has run; the first failure since the last drain, or ok.
    Status drain();

  private:
    static constexpr std::size_t kChunk = 64;
    static constexpr std::size_t kMaxQueued = 2;

    struct Chunk {
        std::vector<PendingWrite> writes;
        std::size_t n = 0;
    };

    // Queues the filled chunk (waiting while kMaxQueued wait) and starts filling a spare one.
    void flush();
    // The worker thread: runs the queued chunks in order; after a failure it skips the rest
    // until drain() has reported it.
    void work();

    Runner run_;
    Chunk filling_;  // scheduler thread only
    std::mutex mu_;
    std::condition_variable work_cv_, idle_cv_;
    std::vector<Chunk> queue_, spare_;
    bool working_ = false, stopping_ = false;
    Status error_;
    std::thread worker_;
};

// [SECTION] SqliteTx
//
// The StoreTx of every SQLite transaction; the operations are documented in store.hpp. A
// SqliteTx only runs statements: the transaction itself is begun and ended by its owner
// (SqliteStore, or migrate_schema).

class SqliteTx final : public StoreTx {
  public:
    using StmtCache = std::unordered_map<std::string, sqlite3_stmt*>;

    // `behind`: the scheduler connection's write-behind (see its section), or nullptr.
    SqliteTx(sqlite3* db, StmtCache* cache, WriteBehind* behind = nullptr)
        : db_(db), cache_(cache), behind_(behind) {}

    // Writes the newest history row of every lead that got history rows since it was last
    // saved (see LeadRow). Called before a transaction that is to commit ends.
    Status flush_history_heads();

    // Waits for the recorded writes; the first of their failures, or ok. Called before the
    // transaction commits or rolls back.
    Status finish_writes() {
        sync();
        Status st = behind_error_;
        behind_error_ = Status::ok();
        return st;
    }

    // The statements of the write-behind's worker by the address of their SQL text (every
    // recorded write's SQL is a static string): no hashing of the text per write.
    using PendingStmts = std::unordered_map<const std::string*, sqlite3_stmt*>;

    // Runs a chunk of recorded writes on `db`, in order (the write-behind's worker). A run of
    // consecutive history rows is inserted by one multi-row INSERT of up to kHistoryRowsMax
    // rows (rowids in the order of the rows, as one INSERT per row would give them).
    static Status run_pending(sqlite3* db, StmtCache* cache, PendingStmts* stmts,
                              const PendingWrite* writes, std::size_t n);
    // Binds the recorded values of `w` on `s`, in order.
    static void bind_pending(Stmt& s, const PendingWrite& w);

    // kHistoryInsert[k]: INSERT of k history rows (k >= 1).
    static constexpr std::size_t kHistoryRowsMax = 16;
    static const std::array<std::string, kHistoryRowsMax + 1> kHistoryInsert;

    // ---- organizations and keys (sqlite_tx_org.cpp)
    Result<Organization> ensure_organization(const std::string& name, const std::string& new_id,
                                             TimeMs now) override;
    Status insert_api_key(const ApiKeyRecord& k) override;
    Result<ApiKeyRecord> find_api_key(const std::string& key_id) override;
    Result<std::vector<ApiKeyInfo>> list_api_keys(const std::string& org_name) override;
    Status revoke_api_key(const std::string& key_id, TimeMs now) override;
    Status set_api_key_expiry(const std::string& key_id, TimeMs expires_at) override;

    // ---- workflows (sqlite_tx_workflows.cpp)
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

    // ---- versions (sqlite_tx_workflows.cpp)
    Status insert_version(const WorkflowVersion& v) override;
    Result<WorkflowVersion> get_version(const std::string& workflow_id,
                                        std::int64_t number) override;
    Result<PageOf<WorkflowVersion>> list_versions(const std::string& workflow_id, int page,
                                                  int limit) override;
    Result<std::vector<LeadVersionGroup>> lead_version_groups(
        const std::string& workflow_id) override;
    Result<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> lead_versions(
        const std::string& workflow_id, const std::vector<std::string>& lead_ids) override;

    // ---- nodes and edges (sqlite_tx_workflows.cpp)
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

    // ---- leads and history (sqlite_tx_leads.cpp)
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

    // ---- calls (sqlite_tx_org.cpp)
    Status insert_call(const CallRecord& c) override;
    Result<PageOf<CallRecord>> list_calls(const std::string& org_id, const CallQuery& q) override;
    Result<std::vector<NodeStat>> node_stats(const NodeStatQuery& q) override;
    Status forecast_leads(const std::string& workflow_id,
                          const std::function<Status(ForecastLeadRow&)>& each) override;

    // ---- user webhooks (sqlite_tx_org.cpp)
    Status insert_webhook(const UserWebhook& w) override;
    Result<std::vector<UserWebhook>> list_webhooks(const std::string& org_id) override;
    Result<UserWebhook> get_webhook(const std::string& org_id, const std::string& id) override;
    Status delete_webhook(const std::string& org_id, const std::string& id) override;

    // ---- share links (sqlite_tx_org.cpp)
    Status put_share_link(const std::string& id, const std::string& org_id,
                          const std::string& fragment, TimeMs now) override;
    Result<std::string> get_share_link(const std::string& id) override;
    Status delete_share_link(const std::string& org_id, const std::string& id) override;

    // ---- live progression, for server/runtime (sqlite_tx_live.cpp)
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
    Status live_outbox_update(const OutboxRow& r) override;
    Result<std::optional<std::string>> live_meta_get(const std::string& key) override;
    Status live_meta_put(const std::string& key, const std::string& value) override;

    // ---- migrations (sqlite_schema.cpp)

    // Migration 7's second half: every workflow that has started gets version 1 from its
    // current graph and scenario, its started leads run on it, and leads not started yet have
    // no current node (their entry is resolved when they start).
    Status snapshot_started_workflows(TimeMs now);

  private:
    // The cached prepared statement for `sql`. A statement that fails to prepare is a bug in
    // the SqliteTx files; the helper then carries a null statement and every step reports the
    // error.
    static sqlite3_stmt* raw(sqlite3* db, StmtCache* cache, const std::string& sql) {
        auto it = cache->find(sql);
        if (it != cache->end()) return it->second;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
            return nullptr;
        }
        cache->emplace(sql, s);
        return s;
    }
    // A statement run now: the recorded writes before it have run first.
    Stmt prep(const std::string& sql) {
        sync();
        return Stmt(db_, raw(db_, cache_, sql));
    }
    void sync() {
        if (!behind_) return;
        Status st = behind_->drain();
        if (!st && behind_error_) behind_error_ = st;
    }
    // A write whose result is not read back: recorded for the write-behind when there is one,
    // else run now. `bind(b)` binds the values on a Stmt or a PendingWrite alike; `missing`
    // (optional) makes "no row changed" a kNotFound. `sql` must outlive the transaction.
    template <typename Bind>
    Status write(const std::string& sql, const char* missing, Bind bind) {
        if (behind_) {
            bind(behind_->add(sql, missing));
            behind_->maybe_flush();
            return Status::ok();
        }
        Stmt s = prep(sql);
        bind(s);
        return missing ? s.exec_changing(missing) : s.exec();
    }

    // A lead's history is a chain (schema migration 4): each row names the lead's previous row
    // (prev_id) and the lead row its newest (history_last), so appending a row adds to the end
    // of one B-tree and needs no per-lead index. The chain is this backend's own: the
    // transaction keeps, per lead it read or appended to, the lead's rowid (live_save then
    // finds the row in one B-tree search) and its newest history row, which live_save stores
    // with the step's other columns; flush_history_heads stores it for a lead appended to and
    // not saved since, before the transaction commits and before anything reads the chains.
    struct LeadRow {
        std::int64_t rowid = 0;
        std::optional<std::int64_t> history_last;
        bool unsaved = false;  // history_last is newer than the stored one
    };
    // Remembers the row of a lead just read (a lead known already keeps what this transaction
    // knows about it, which is at least as new as the stored row).
    void remember_lead(const std::string& id, std::int64_t rowid,
                       std::optional<std::int64_t> history_last) {
        leads_.emplace(id, LeadRow{rowid, history_last, false});
    }
    // The row of a lead of this transaction, read when not known yet; kNotFound for an
    // unknown lead.
    Result<LeadRow*> lead_row(const std::string& lead_id);
    // The live rows of `s` (columns kLiveColumns), each lead remembered.
    Result<std::vector<LiveLead>> read_live_rows(Stmt& s);

    sqlite3* db_;
    StmtCache* cache_;
    WriteBehind* behind_;
    Status behind_error_;
    std::int64_t next_history_id_ = 0;  // the next history row id; 0: not read yet
    std::unordered_map<std::string, LeadRow> leads_;
};

// Rows more than one of the SqliteTx files reads: the columns to select (in this order) and
// the reader of such a row.
// sqlite_tx_workflows.cpp:
extern const char* const kWorkflowColumns;
Result<Workflow> read_workflow(const Stmt& s);
// (status, n) rows; an unknown stored status reads as nullopt (skipped by the callers).
Result<std::pair<std::optional<LeadStatus>, std::int64_t>> read_status_count(const Stmt& s);
// sqlite_tx_org.cpp:
extern const char* const kCallColumns;
Result<CallRecord> read_call(const Stmt& s);

// [SECTION] Background checkpoints (sqlite_checkpoint.cpp)
//
// A checkpoint copies the pages of the WAL back into the database file. Run inside a commit
// (SQLite's automatic checkpoint) it stalls whoever committed, an API request for up to a few
// hundred milliseconds. So no commit checkpoints: an API commit that leaves the log long asks
// this thread, which runs passive checkpoints on a connection of its own beside the writers.
// The scheduler, which can write without pause, checkpoints itself right after a commit
// (outside its write turn, so API writes do not wait; SqliteStore::live_transact): SQLite
// restarts the log only at the first commit of a transaction that began once every frame was
// copied, which a checkpoint running beside a writer that never pauses would not reach. One
// long log copied in one go also copies each page that many transactions touched only once.
class Checkpointer {
  public:
    // Starts the thread; its connection to `path` (through `vfs`) is opened at the first
    // checkpoint.
    Checkpointer(std::string path, std::string vfs);
    // Stops the thread (after the checkpoint running, if any).
    ~Checkpointer();
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // Asks for one passive checkpoint soon; does nothing while one is asked for or running.
    void request();
    // True from request() until that checkpoint has ended.
    bool busy() const;
    // Checkpoints (passes) that ran to the end so far.
    std::int64_t runs() const { return runs_.load(); }

  private:
    // The thread: one checkpoint() per request until stopped.
    void work();
    // Up to four passive passes, each copying the frames committed during the one before; the
    // first opens the connection (said once on stderr when it cannot be).
    void checkpoint();

    const std::string path_, vfs_;
    std::unique_ptr<Connection> conn_;  // the thread's own, opened at its first checkpoint
    bool failed_ = false;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool requested_ = false, busy_ = false, stopping_ = false;
    std::atomic<std::int64_t> runs_{0};
    std::thread thread_;
};

}  // namespace leadflow::server::sqlite_internal
