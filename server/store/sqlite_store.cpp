// server/store/sqlite_store.cpp — SQLite implementation of store.hpp.
//
// Index
//   [SECTION] Schema and migrations
//   [SECTION] Statement helper
//   [SECTION] SqliteTx
//   [SECTION] SqliteStore
#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "leadflow/wire.hpp"
#include "util/log_text.hpp"

namespace leadflow::server {
namespace {

// [SECTION] Schema and migrations
//
// Migrations only ever get appended; a released one is never edited. Lead counts per status are
// kept by triggers so that reading a workflow never scans its leads.
const char* const kMigrations[] = {
    // 1: initial schema
    R"sql(
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    entry_node_id TEXT,
    settings TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    scenario TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    activated_at INTEGER,
    completed_at INTEGER
);
CREATE INDEX workflows_by_org ON workflows(organization_id, created_at);
CREATE TABLE nodes (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    node_type TEXT NOT NULL,
    label TEXT NOT NULL,
    position_x REAL NOT NULL,
    position_y REAL NOT NULL,
    config TEXT NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE TABLE edges (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    from_node_id TEXT NOT NULL,
    to_node_id TEXT NOT NULL,
    label TEXT,
    position INTEGER NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    phone_number TEXT NOT NULL,
    variables TEXT NOT NULL,
    status TEXT NOT NULL,
    current_node_id TEXT,
    phase TEXT NOT NULL,
    entered_at INTEGER,
    release_at INTEGER,
    call_id TEXT,
    steps INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX leads_by_workflow ON leads(workflow_id);
CREATE INDEX leads_by_workflow_status ON leads(workflow_id, status);
CREATE TABLE lead_counts (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, status)
) WITHOUT ROWID;
CREATE TRIGGER leads_count_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_counts(workflow_id, status, n) VALUES (new.workflow_id, new.status, 1)
    ON CONFLICT(workflow_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER leads_count_update AFTER UPDATE OF status ON leads
WHEN old.status <> new.status BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE workflow_id = old.workflow_id AND status = old.status;
    INSERT INTO lead_counts(workflow_id, status, n) VALUES (new.workflow_id, new.status, 1)
    ON CONFLICT(workflow_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE workflow_id = old.workflow_id AND status = old.status;
END;
CREATE TABLE lead_variable_keys (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    PRIMARY KEY (workflow_id, key)
) WITHOUT ROWID;
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    entry TEXT NOT NULL
);
CREATE INDEX history_by_lead ON history(lead_id, id);
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    end_reason TEXT,
    duration_s REAL,
    analysis TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX calls_by_org ON calls(organization_id, created_at);
CREATE TABLE user_webhooks (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
)sql",
    // 2: live progression — engine state and scheduling columns on leads (due_at indexed so a
    // tick reads only what is due), graph versions, the outbox and runtime key/values.
    R"sql(
ALTER TABLE leads ADD COLUMN state TEXT;
ALTER TABLE leads ADD COLUMN due_at INTEGER;
ALTER TABLE leads ADD COLUMN frozen_ms INTEGER;
ALTER TABLE leads ADD COLUMN slot_wait_at INTEGER;
ALTER TABLE leads ADD COLUMN last_analysis TEXT;
ALTER TABLE leads ADD COLUMN last_response TEXT;
ALTER TABLE leads ADD COLUMN pending_event TEXT;
CREATE INDEX leads_due ON leads(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX leads_frozen ON leads(workflow_id) WHERE frozen_ms IS NOT NULL;
CREATE INDEX leads_to_start ON leads(created_at) WHERE status = 'active' AND state IS NULL;
CREATE INDEX leads_slot_wait ON leads(workflow_id, slot_wait_at) WHERE slot_wait_at IS NOT NULL;
CREATE INDEX leads_by_workflow_phase ON leads(workflow_id, phase);
ALTER TABLE workflows ADD COLUMN graph_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER nodes_version_insert AFTER INSERT ON nodes BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER nodes_version_update AFTER UPDATE ON nodes BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER nodes_version_delete AFTER DELETE ON nodes BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = old.workflow_id;
END;
CREATE TRIGGER edges_version_insert AFTER INSERT ON edges BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER edges_version_update AFTER UPDATE ON edges BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER edges_version_delete AFTER DELETE ON edges BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = old.workflow_id;
END;
CREATE TRIGGER workflows_version_settings AFTER UPDATE OF settings, entry_node_id ON workflows
BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.id;
END;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    done_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE done_at IS NULL;
CREATE TABLE runtime_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 3: short share links survive restarts.
    R"sql(
CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    fragment TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 4: cheaper scheduler writes. A lead's history is a chain: each row names the lead's
    // previous row (prev_id) and the lead its newest (history_last), so a step's history rows
    // are appended at the end of one B-tree instead of also going into a per-lead index at a
    // random place. Leads are found by phase only for the few phases that need it (calls and
    // actions in flight, stuck leads), through partial indexes that hold only those leads,
    // instead of an index of every lead's phase rewritten at every phase change; they cover
    // the counts (workflow, status, phase), so counting calls in flight reads no lead row.
    R"sql(
CREATE TABLE history_chain (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    prev_id INTEGER,
    entry TEXT NOT NULL
);
INSERT INTO history_chain(id, lead_id, prev_id, entry)
    SELECT id, lead_id, lag(id) OVER (PARTITION BY lead_id ORDER BY id), entry FROM history;
ALTER TABLE leads ADD COLUMN history_last INTEGER;
UPDATE leads SET history_last = (SELECT max(id) FROM history WHERE history.lead_id = leads.id);
DROP TABLE history;
ALTER TABLE history_chain RENAME TO history;
DROP INDEX leads_by_workflow_phase;
CREATE INDEX leads_in_call ON leads(workflow_id, status, phase) WHERE phase = 'in_call';
CREATE INDEX leads_in_action ON leads(workflow_id, status, phase) WHERE phase = 'in_action';
CREATE INDEX leads_stuck ON leads(workflow_id, status, phase) WHERE phase = 'stuck';
)sql",
    // 5: the next node or edge number (max(seq) of the workflow) found in the index instead of
    // by reading every row of the workflow, once per inserted row.
    R"sql(
CREATE INDEX nodes_by_seq ON nodes(workflow_id, seq);
CREATE INDEX edges_by_seq ON edges(workflow_id, seq);
)sql",
    // 6: API keys can expire, be revoked and be read-only (`keys list|revoke|rotate`).
    R"sql(
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
CREATE INDEX api_keys_by_organization ON api_keys(organization_id, created_at);
)sql",
    // 7: workflow versions (docs/versions.md). Leads run on immutable published versions, so
    // edits no longer change what the scheduler runs and the graph-version triggers go. Due
    // leads and leads to start are found workflow by workflow (the scheduler is fair between
    // workflows); calls in flight are counted from the calls table (a removed lead's call
    // counts until it ends). The legacy status `running` is stored as `active`. A call left
    // `in_progress` by a lead that no longer waits for it (a node deleted under it before
    // versions existed) is closed as failed, so it stops counting against the call limit.
    // Workflows that had started get version 1 from their current graph (in C++, after this).
    R"sql(
CREATE TABLE workflow_versions (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    graph TEXT NOT NULL,
    scenario TEXT,
    migrate TEXT NOT NULL,
    node_map TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    published_by TEXT,
    node_count INTEGER NOT NULL,
    edge_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, number)
) WITHOUT ROWID;
ALTER TABLE workflows ADD COLUMN published_version INTEGER;
ALTER TABLE workflows ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
ALTER TABLE leads ADD COLUMN version INTEGER;
ALTER TABLE leads ADD COLUMN version_seen INTEGER;
UPDATE workflows SET status = 'active' WHERE status = 'running';
DROP TRIGGER nodes_version_insert;
DROP TRIGGER nodes_version_update;
DROP TRIGGER nodes_version_delete;
DROP TRIGGER edges_version_insert;
DROP TRIGGER edges_version_update;
DROP TRIGGER edges_version_delete;
DROP TRIGGER workflows_version_settings;
DROP INDEX leads_due;
DROP INDEX leads_to_start;
CREATE INDEX leads_due ON leads(workflow_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX leads_to_start ON leads(workflow_id, created_at)
    WHERE status = 'active' AND state IS NULL;
CREATE INDEX calls_in_flight ON calls(workflow_id) WHERE status = 'in_progress';
UPDATE calls SET status = 'failed', outcome = 'FAILED', end_reason = 'call_lost',
    ended_at = created_at
    WHERE status = 'in_progress' AND NOT EXISTS (SELECT 1 FROM leads
        WHERE leads.call_id = calls.id AND leads.phase = 'in_call'
        AND leads.status IN ('active', 'removed'));
)sql",
};
constexpr int kLatestVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
// The migration that introduced workflow versions; it ends with a step in C++
// (SqliteTx::snapshot_started_workflows).
constexpr int kVersionsMigration = 7;

// [SECTION] Statement helper

template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
    using type = T;
};

// A failed SQLite call as a Status: kUnavailable when the storage failed (disk full, I/O
// error: nothing of the transaction is saved, and the same write may succeed later),
// kConflict on a constraint violation, else kInternal. `rc` may be an extended code.
Status sqlite_failure(int rc, std::string msg) {
    switch (rc & 0xFF) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
            return Status::unavailable(std::move(msg));
        case SQLITE_CONSTRAINT:
            return Status::conflict(std::move(msg));
        default:
            return Status::internal(std::move(msg));
    }
}

// A cached prepared statement, reset and unbound when the helper goes out of scope.
class Stmt {
  public:
    Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt() {
        if (s_) {
            sqlite3_reset(s_);
            sqlite3_clear_bindings(s_);
        }
    }

    Stmt& bind(const std::string& v) {
        sqlite3_bind_text(s_, ++idx_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(const char* v) { return bind(std::string(v)); }
    // `v` must stay unchanged until the statement is reset.
    Stmt& bind_static(const std::string& v) {
        sqlite3_bind_text(s_, ++idx_, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        return *this;
    }
    Stmt& bind(std::int64_t v) {
        sqlite3_bind_int64(s_, ++idx_, v);
        return *this;
    }
    Stmt& bind(int v) { return bind(static_cast<std::int64_t>(v)); }
    Stmt& bind(double v) {
        sqlite3_bind_double(s_, ++idx_, v);
        return *this;
    }
    Stmt& bind_null() {
        sqlite3_bind_null(s_, ++idx_);
        return *this;
    }
    template <typename T>
    Stmt& bind(const std::optional<T>& v) {
        return v ? bind(*v) : bind_null();
    }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(s_); }
    // Steps to completion; ok or the failure (sqlite_failure). Every write runs inside a
    // transaction: outside one, SQLite has rolled the transaction back by itself (after a
    // storage error), and the write would commit alone, so it fails instead.
    Status exec() {
        if (sqlite3_get_autocommit(db_)) {
            return Status::unavailable(
                "sqlite: the transaction was rolled back after a storage error");
        }
        int rc = step();
        while (rc == SQLITE_ROW) rc = step();
        if (rc == SQLITE_DONE) return Status::ok();
        return error(rc);
    }
    Status error(int rc) const {
        return sqlite_failure(rc, std::string("sqlite: ") + sqlite3_errmsg(db_));
    }

    bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    std::string text(int col) const {
        const unsigned char* p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }
    std::optional<std::string> opt_text(int col) const {
        if (is_null(col)) return std::nullopt;
        return text(col);
    }
    std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
    std::optional<std::int64_t> opt_i64(int col) const {
        if (is_null(col)) return std::nullopt;
        return i64(col);
    }
    double dbl(int col) const { return sqlite3_column_double(s_, col); }

    // Every row, each converted by `read` (const Stmt& → Result<T>), in order. Fails with the
    // first conversion failure or step error.
    template <typename Read>
    Result<std::vector<typename ResultValue<std::invoke_result_t<Read, const Stmt&>>::type>> rows(
        Read read) {
        std::vector<typename ResultValue<std::invoke_result_t<Read, const Stmt&>>::type> out;
        int rc;
        while ((rc = step()) == SQLITE_ROW) {
            auto v = read(*this);
            if (!v.ok()) return v.status();
            out.push_back(std::move(v.value()));
        }
        if (rc != SQLITE_DONE) return error(rc);
        return out;
    }
    // The first row converted by `read`, or kNotFound with `missing` when there is none.
    template <typename Read>
    std::invoke_result_t<Read, const Stmt&> one(Read read, const std::string& missing) {
        int rc = step();
        if (rc == SQLITE_ROW) return read(*this);
        if (rc != SQLITE_DONE) return error(rc);
        return Status::not_found(missing);
    }
    // The first column of the row a query always returns (count(*), sum(…)).
    Result<std::int64_t> single_i64() {
        int rc = step();
        if (rc != SQLITE_ROW) return error(rc);
        return i64(0);
    }
    // exec(), then kNotFound with `missing` when the statement changed no row.
    Status exec_changing(const char* missing) {
        if (Status st = exec(); !st) return st;
        if (sqlite3_changes(db_) == 0) return Status::not_found(missing);
        return Status::ok();
    }

  private:
    sqlite3* db_;
    sqlite3_stmt* s_;
    int idx_ = 0;
};

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

    explicit WriteBehind(Runner run) : run_(std::move(run)) {
        worker_ = std::thread([this] { work(); });
    }
    ~WriteBehind() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping_ = true;
        }
        work_cv_.notify_one();
        worker_.join();
    }
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
    Status drain() {
        if (filling_.n > 0) flush();
        std::unique_lock<std::mutex> lock(mu_);
        idle_cv_.wait(lock, [this] { return queue_.empty() && !working_; });
        Status st = error_;
        error_ = Status::ok();
        return st;
    }

  private:
    static constexpr std::size_t kChunk = 64;
    static constexpr std::size_t kMaxQueued = 2;

    struct Chunk {
        std::vector<PendingWrite> writes;
        std::size_t n = 0;
    };

    void flush() {
        std::unique_lock<std::mutex> lock(mu_);
        idle_cv_.wait(lock, [this] { return queue_.size() < kMaxQueued; });
        queue_.push_back(std::move(filling_));
        if (!spare_.empty()) {
            filling_ = std::move(spare_.back());
            spare_.pop_back();
        } else {
            filling_ = Chunk();
        }
        filling_.n = 0;
        lock.unlock();
        work_cv_.notify_one();
    }

    void work() {
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
            work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping
            Chunk c = std::move(queue_.front());
            queue_.erase(queue_.begin());
            working_ = true;
            const bool failed = !error_;
            lock.unlock();
            Status st;
            if (!failed) st = run_(c.writes.data(), c.n);
            lock.lock();
            if (!st && error_) error_ = st;
            working_ = false;
            c.n = 0;
            spare_.push_back(std::move(c));
            idle_cv_.notify_all();
        }
    }

    Runner run_;
    Chunk filling_;  // scheduler thread only
    std::mutex mu_;
    std::condition_variable work_cv_, idle_cv_;
    std::vector<Chunk> queue_, spare_;
    bool working_ = false, stopping_ = false;
    Status error_;
    std::thread worker_;
};

Result<Json> parse_stored_json(const std::string& text, const char* what) {
    if (text == "{}") return Json::object();  // most variables and analyses: no parse
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return Status::internal(std::string("stored ") + what + " is not JSON");
    return j;
}

// Reads a JSON string without escapes or non-ASCII bytes at text[i] (the opening quote); on
// success sets `out` to its content and advances i past the closing quote.
bool read_plain_json_string(std::string_view text, std::size_t& i, std::string_view& out) {
    if (i >= text.size() || text[i] != '"') return false;
    std::size_t j = i + 1;
    for (; j < text.size(); ++j) {
        const auto c = static_cast<unsigned char>(text[j]);
        if (c == '"') break;
        if (c == '\\' || c < 0x20 || c >= 0x80) return false;
    }
    if (j >= text.size()) return false;
    out = text.substr(i + 1, j - i - 1);
    i = j + 1;
    return true;
}

// Lead variables as stored: a JSON object whose string members are the variables (members of
// other types are skipped; a repeated name keeps its last value, as the JSON parser does). The
// shape Json::dump writes for plain ASCII text, {"name":"value",…}, is read directly: the
// lead-list route reads thousands of these per second. Anything else goes through the parser.
Status read_string_map(const std::string& text, std::map<std::string, std::string>& out) {
    const std::string_view t = text;
    std::size_t i = 1;
    bool plain = !t.empty() && t[0] == '{';
    if (plain && i < t.size() && t[i] == '}') {
        if (i + 1 == t.size()) return Status::ok();
        plain = false;
    }
    while (plain) {
        std::string_view key, value;
        if (!read_plain_json_string(t, i, key) || i >= t.size() || t[i] != ':') break;
        ++i;
        if (!read_plain_json_string(t, i, value) || i >= t.size()) break;
        out[std::string(key)] = std::string(value);
        if (t[i] == ',') {
            ++i;
            continue;
        }
        if (t[i] == '}' && i + 1 == t.size()) return Status::ok();
        break;
    }
    out.clear();
    auto vars = parse_stored_json(text, "lead variables");
    if (!vars.ok()) return vars.status();
    for (auto it = vars->begin(); it != vars->end(); ++it) {
        if (it->is_string()) out[it.key()] = it->get<std::string>();
    }
    return Status::ok();
}

Json string_list_json(const std::vector<std::string>& v) {
    Json a = Json::array();
    for (const auto& s : v) a.push_back(s);
    return a;
}

Json status_list_json(const std::vector<LeadStatus>& v) {
    Json a = Json::array();
    for (LeadStatus s : v) a.push_back(to_string(s));
    return a;
}

std::string escape_like(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out;
}

bool is_terminal_lead_status(LeadStatus s) {
    return s == LeadStatus::kCompleted || s == LeadStatus::kDropped || s == LeadStatus::kRemoved ||
           s == LeadStatus::kFailed || s == LeadStatus::kCancelled;
}

// [SECTION] SqliteTx

class SqliteTx final : public StoreTx {
  public:
    using StmtCache = std::unordered_map<std::string, sqlite3_stmt*>;

    // `behind`: the scheduler connection's write-behind (see its section), or nullptr.
    SqliteTx(sqlite3* db, StmtCache* cache, WriteBehind* behind = nullptr)
        : db_(db), cache_(cache), behind_(behind) {}

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
                              const PendingWrite* writes, std::size_t n) {
        for (std::size_t i = 0; i < n;) {
            std::size_t rows = 1;
            if (writes[i].sql == &kHistoryInsert[1]) {
                while (rows < kHistoryRowsMax && i + rows < n &&
                       writes[i + rows].sql == &kHistoryInsert[1]) {
                    ++rows;
                }
            }
            const std::string* sql = rows > 1 ? &kHistoryInsert[rows] : writes[i].sql;
            sqlite3_stmt*& raw_stmt = (*stmts)[sql];
            if (!raw_stmt) raw_stmt = raw(db, cache, *sql);
            Stmt s(db, raw_stmt);
            for (std::size_t r = i; r < i + rows; ++r) bind_pending(s, writes[r]);
            const PendingWrite& w = writes[i];
            Status st = w.missing ? s.exec_changing(w.missing) : s.exec();
            if (!st) return st;
            i += rows;
        }
        return Status::ok();
    }

    static void bind_pending(Stmt& s, const PendingWrite& w) {
        for (std::size_t i = 0; i < w.count; ++i) {
            const PendingValue& v = w.values[i];
            switch (v.kind) {
                case PendingValue::kNull:
                    s.bind_null();
                    break;
                case PendingValue::kInt:
                    s.bind(v.i);
                    break;
                case PendingValue::kReal:
                    s.bind(v.d);
                    break;
                case PendingValue::kText:
                    s.bind_static(v.s);
                    break;
            }
        }
    }

    // kHistoryInsert[k]: INSERT of k history rows (k >= 1).
    static constexpr std::size_t kHistoryRowsMax = 16;
    static const std::array<std::string, kHistoryRowsMax + 1> kHistoryInsert;

    // ---- organizations and keys

    static Result<Organization> read_organization(const Stmt& s) {
        return Organization{s.text(0), s.text(1), s.i64(2)};
    }

    Result<Organization> ensure_organization(const std::string& name, const std::string& new_id,
                                             TimeMs now) override {
        {
            Stmt s = prep("SELECT id, name, created_at FROM organizations WHERE name = ?");
            s.bind(name);
            auto found = s.one(read_organization, "");
            if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
        }
        Stmt s = prep("INSERT INTO organizations(id, name, created_at) VALUES (?, ?, ?)");
        s.bind(new_id).bind(name).bind(now);
        if (Status st = s.exec(); !st) return st;
        return Organization{new_id, name, now};
    }

    Status insert_api_key(const ApiKeyRecord& k) override {
        Stmt s = prep(
            "INSERT INTO api_keys(id, organization_id, salt, secret_hash, created_at, expires_at,"
            " revoked_at, read_only) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(k.id).bind(k.organization_id).bind(k.salt).bind(k.secret_hash).bind(k.created_at);
        s.bind(k.expires_at).bind(k.revoked_at).bind(k.read_only ? 1 : 0);
        return s.exec();
    }

    static constexpr const char* kKeyColumns =
        "k.id, k.organization_id, k.salt, k.secret_hash, k.created_at, k.expires_at,"
        " k.revoked_at, k.read_only";

    static ApiKeyRecord read_api_key(const Stmt& r) {
        ApiKeyRecord k;
        k.id = r.text(0);
        k.organization_id = r.text(1);
        k.salt = r.text(2);
        k.secret_hash = r.text(3);
        k.created_at = r.i64(4);
        k.expires_at = r.opt_i64(5);
        k.revoked_at = r.opt_i64(6);
        k.read_only = r.i64(7) != 0;
        return k;
    }

    Result<ApiKeyRecord> find_api_key(const std::string& key_id) override {
        Stmt s = prep(std::string("SELECT ") + kKeyColumns + " FROM api_keys k WHERE k.id = ?");
        s.bind(key_id);
        return s.one([](const Stmt& r) -> Result<ApiKeyRecord> { return read_api_key(r); },
                     "API key not found");
    }

    Result<std::vector<ApiKeyInfo>> list_api_keys(const std::string& org_name) override {
        if (!org_name.empty()) {
            Stmt o = prep("SELECT count(*) FROM organizations WHERE name = ?");
            o.bind(org_name);
            auto n = o.single_i64();
            if (!n.ok()) return n.status();
            if (n.value() == 0) return Status::not_found("no organization named " + org_name);
        }
        Stmt s = prep(std::string("SELECT ") + kKeyColumns +
                      ", o.name FROM api_keys k JOIN organizations o ON o.id = k.organization_id"
                      " WHERE ?1 = '' OR o.name = ?1 ORDER BY k.created_at, k.rowid");
        s.bind(org_name);
        return s.rows([](const Stmt& r) -> Result<ApiKeyInfo> {
            return ApiKeyInfo{read_api_key(r), r.text(8)};
        });
    }

    Status revoke_api_key(const std::string& key_id, TimeMs now) override {
        Stmt s = prep("UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");
        s.bind(now).bind(key_id);
        return s.exec_changing("API key not found");
    }

    Status set_api_key_expiry(const std::string& key_id, TimeMs expires_at) override {
        Stmt s = prep("UPDATE api_keys SET expires_at = ? WHERE id = ?");
        s.bind(expires_at).bind(key_id);
        return s.exec_changing("API key not found");
    }

    // ---- workflows

    Status insert_workflow(const Workflow& w) override {
        Stmt s = prep(
            "INSERT INTO workflows(id, organization_id, title, description, status, entry_node_id,"
            " settings, extra, created_at, updated_at, activated_at, completed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(w.id).bind(w.organization_id).bind(w.title).bind(w.description);
        s.bind(to_string(w.status)).bind(w.entry_node_id).bind(to_json(w.settings).dump());
        s.bind(w.extra.dump()).bind(w.created_at.value_or(0)).bind(w.updated_at.value_or(0));
        s.bind(w.activated_at).bind(w.completed_at);
        return s.exec();
    }

    static constexpr const char* kWorkflowColumns =
        "id, organization_id, title, description, status, entry_node_id, settings, extra,"
        " created_at, updated_at, activated_at, completed_at, published_version, problems";

    static Result<Workflow> read_workflow(const Stmt& s) {
        Workflow w;
        w.id = s.text(0);
        w.organization_id = s.text(1);
        w.title = s.text(2);
        w.description = s.text(3);
        auto status = parse_workflow_status(s.text(4));
        if (!status) return Status::internal("stored workflow status is unknown: " + s.text(4));
        w.status = *status;
        w.entry_node_id = s.opt_text(5);
        auto settings_json = parse_stored_json(s.text(6), "settings");
        if (!settings_json.ok()) return settings_json.status();
        auto settings = settings_from_json(settings_json.value());
        if (!settings.ok())
            return Status::internal("stored settings: " + settings.status().message());
        w.settings = std::move(settings.value());
        auto extra = parse_stored_json(s.text(7), "workflow extra");
        if (!extra.ok()) return extra.status();
        w.extra = std::move(extra.value());
        w.created_at = s.i64(8);
        w.updated_at = s.i64(9);
        w.activated_at = s.opt_i64(10);
        w.completed_at = s.opt_i64(11);
        w.published_version = s.opt_i64(12);
        auto problems = parse_stored_json(s.text(13), "workflow problems");
        if (!problems.ok()) return problems.status();
        w.problems = problems->is_array() ? std::move(problems.value()) : Json::array();
        return w;
    }

    Result<Workflow> get_workflow(const std::string& org_id, const std::string& id) override {
        Stmt s = prep(std::string("SELECT ") + kWorkflowColumns +
                      " FROM workflows WHERE id = ? AND organization_id = ?");
        s.bind(id).bind(org_id);
        return s.one(read_workflow, "Workflow not found");
    }

    Result<bool> has_workflow(const std::string& org_id, const std::string& id) override {
        Stmt s = prep("SELECT 1 FROM workflows WHERE id = ? AND organization_id = ?");
        s.bind(id).bind(org_id);
        auto found = s.one([](const Stmt&) -> Result<bool> { return true; }, "");
        if (found.ok() || found.status().code() != StatusCode::kNotFound) return found;
        return false;
    }

    // (status, n) rows; an unknown stored status reads as nullopt (skipped by the callers).
    static Result<std::pair<std::optional<LeadStatus>, std::int64_t>> read_status_count(
        const Stmt& s) {
        return std::pair<std::optional<LeadStatus>, std::int64_t>{parse_lead_status(s.text(0)),
                                                                  s.i64(1)};
    }

    Result<WorkflowCounts> workflow_counts(const std::string& workflow_id) override {
        WorkflowCounts c;
        for (LeadStatus st : all_lead_statuses()) c.lead_counts[st] = 0;
        {
            Stmt s = prep(
                "SELECT (SELECT count(*) FROM nodes WHERE workflow_id = ?1),"
                " (SELECT count(*) FROM edges WHERE workflow_id = ?1)");
            s.bind(workflow_id);
            int rc = s.step();
            if (rc != SQLITE_ROW) return s.error(rc);
            c.node_count = s.i64(0);
            c.edge_count = s.i64(1);
        }
        Stmt s = prep("SELECT status, n FROM lead_counts WHERE workflow_id = ?");
        s.bind(workflow_id);
        auto rows = s.rows(read_status_count);
        if (!rows.ok()) return rows.status();
        for (const auto& [status, n] : rows.value()) {
            if (!status) continue;
            c.lead_counts[*status] = n;
            c.enrolled_leads += n;
        }
        return c;
    }

    Result<PageOf<Workflow>> list_workflows(const std::string& org_id,
                                            const WorkflowQuery& q) override {
        const char* where =
            " FROM workflows WHERE organization_id = ?1"
            " AND (?2 IS NULL OR status = ?2)"
            " AND (?3 = '' OR title LIKE '%' || ?3 || '%' ESCAPE '\\')";
        std::optional<std::string> status;
        if (q.status) status = to_string(*q.status);
        std::string search = escape_like(q.search);
        PageOf<Workflow> page;
        {
            Stmt s = prep(std::string("SELECT count(*)") + where);
            s.bind(org_id).bind(status).bind(search);
            auto total = s.single_i64();
            if (!total.ok()) return total.status();
            page.total = total.value();
        }
        std::string order = q.sort == WorkflowSort::kTitle       ? "title COLLATE NOCASE"
                            : q.sort == WorkflowSort::kUpdatedAt ? "updated_at"
                                                                 : "created_at";
        const char* dir = q.descending ? " DESC" : " ASC";
        Stmt s = prep(std::string("SELECT ") + kWorkflowColumns + where + " ORDER BY " + order +
                      dir + ", rowid" + dir + " LIMIT ?4 OFFSET ?5");
        s.bind(org_id).bind(status).bind(search).bind(q.limit);
        s.bind(static_cast<std::int64_t>(q.page - 1) * q.limit);
        auto items = s.rows(read_workflow);
        if (!items.ok()) return items.status();
        page.items = std::move(items.value());
        return page;
    }

    Status update_workflow(const Workflow& w) override {
        Stmt s = prep(
            "UPDATE workflows SET title = ?, description = ?, status = ?, entry_node_id = ?,"
            " settings = ?, extra = ?, updated_at = ?, activated_at = ?, completed_at = ?,"
            " problems = ? WHERE id = ?");
        s.bind(w.title).bind(w.description).bind(to_string(w.status)).bind(w.entry_node_id);
        s.bind(to_json(w.settings).dump()).bind(w.extra.dump()).bind(w.updated_at.value_or(0));
        s.bind(w.activated_at).bind(w.completed_at);
        s.bind(w.problems.is_array() ? w.problems.dump() : std::string("[]")).bind(w.id);
        return s.exec_changing("Workflow not found");
    }

    Status delete_workflow(const std::string& workflow_id) override {
        // History rows first, found by walking each lead's chain; nodes, edges, leads, counts,
        // keys and calls cascade from the workflow row.
        {
            Stmt h = prep(
                "WITH RECURSIVE chain(id) AS ("
                " SELECT history_last FROM leads WHERE workflow_id = ? AND history_last NOT NULL"
                " UNION ALL SELECT h.prev_id FROM history h JOIN chain ON h.id = chain.id"
                " WHERE h.prev_id NOT NULL)"
                " DELETE FROM history WHERE id IN (SELECT id FROM chain)");
            h.bind(workflow_id);
            if (Status st = h.exec(); !st) return st;
        }
        Stmt s = prep("DELETE FROM workflows WHERE id = ?");
        s.bind(workflow_id);
        return s.exec_changing("Workflow not found");
    }

    Result<Json> get_scenario(const std::string& workflow_id) override {
        Stmt s = prep("SELECT scenario FROM workflows WHERE id = ?");
        s.bind(workflow_id);
        return s.one(
            [](const Stmt& r) -> Result<Json> {
                if (r.is_null(0)) return Json();
                return parse_stored_json(r.text(0), "scenario");
            },
            "Workflow not found");
    }

    Status put_scenario(const std::string& workflow_id, const Json& scenario) override {
        Stmt s = prep("UPDATE workflows SET scenario = ? WHERE id = ?");
        if (scenario.is_null()) {
            s.bind_null();
        } else {
            s.bind(scenario.dump());
        }
        s.bind(workflow_id);
        return s.exec();
    }

    Status set_workflow_problems(const std::string& workflow_id, const Json& problems) override {
        Stmt s = prep("UPDATE workflows SET problems = ? WHERE id = ?");
        s.bind(problems.is_array() ? problems.dump() : std::string("[]")).bind(workflow_id);
        return s.exec_changing("Workflow not found");
    }

    Result<std::vector<std::pair<std::string, Json>>> workflows_with_problems(
        const std::string& org_id) override {
        Stmt s = prep(
            "SELECT id, problems FROM workflows WHERE problems <> '[]'"
            " AND (?1 = '' OR organization_id = ?1)");
        s.bind(org_id);
        return s.rows([](const Stmt& r) -> Result<std::pair<std::string, Json>> {
            auto p = parse_stored_json(r.text(1), "workflow problems");
            if (!p.ok()) return p.status();
            return std::make_pair(r.text(0), std::move(p.value()));
        });
    }

    // ---- versions

    Status insert_version(const WorkflowVersion& v) override {
        Json node_map = Json::object();
        for (const auto& [from, to] : v.node_map) node_map[from] = to;
        {
            Stmt s = prep(
                "INSERT INTO workflow_versions(workflow_id, number, graph, scenario, migrate,"
                " node_map, note, published_by, node_count, edge_count, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            s.bind(v.workflow_id).bind(v.number).bind(to_json(v.graph).dump());
            if (v.scenario.is_null()) {
                s.bind_null();
            } else {
                s.bind(v.scenario.dump());
            }
            s.bind(to_string(v.migrate)).bind(node_map.dump()).bind(v.note).bind(v.published_by);
            s.bind(static_cast<std::int64_t>(v.graph.nodes.size()));
            s.bind(static_cast<std::int64_t>(v.graph.edges.size())).bind(v.created_at);
            if (Status st = s.exec(); !st) return st;
        }
        Stmt s = prep("UPDATE workflows SET published_version = ? WHERE id = ?");
        s.bind(v.number).bind(v.workflow_id);
        return s.exec_changing("Workflow not found");
    }

    static constexpr const char* kVersionColumns =
        "workflow_id, number, migrate, node_map, note, published_by, node_count, edge_count,"
        " created_at";

    static Result<WorkflowVersion> read_version(const Stmt& s) {
        WorkflowVersion v;
        v.workflow_id = s.text(0);
        v.number = s.i64(1);
        v.migrate = s.text(2) == "move" ? MigrateMode::kMove : MigrateMode::kKeep;
        if (Status st = read_string_map(s.text(3), v.node_map); !st) return st;
        v.note = s.text(4);
        v.published_by = s.opt_text(5);
        v.node_count = s.i64(6);
        v.edge_count = s.i64(7);
        v.created_at = s.i64(8);
        return v;
    }

    Result<WorkflowVersion> get_version(const std::string& workflow_id,
                                        std::int64_t number) override {
        Stmt s = prep(std::string("SELECT ") + kVersionColumns +
                      ", graph, scenario FROM workflow_versions"
                      " WHERE workflow_id = ? AND number = ?");
        s.bind(workflow_id).bind(number);
        return s.one(
            [](const Stmt& r) -> Result<WorkflowVersion> {
                auto v = read_version(r);
                if (!v.ok()) return v.status();
                auto graph_json = parse_stored_json(r.text(9), "version graph");
                if (!graph_json.ok()) return graph_json.status();
                auto graph = graph_from_json(graph_json.value());
                if (!graph.ok()) {
                    return Status::internal("stored version graph: " + graph.status().message());
                }
                v->graph = std::move(graph.value());
                if (!r.is_null(10)) {
                    auto sc = parse_stored_json(r.text(10), "version scenario");
                    if (!sc.ok()) return sc.status();
                    v->scenario = std::move(sc.value());
                }
                return v;
            },
            "Version not found");
    }

    Result<PageOf<WorkflowVersion>> list_versions(const std::string& workflow_id, int page,
                                                  int limit) override {
        PageOf<WorkflowVersion> out;
        {
            Stmt s = prep("SELECT count(*) FROM workflow_versions WHERE workflow_id = ?");
            s.bind(workflow_id);
            auto n = s.single_i64();
            if (!n.ok()) return n.status();
            out.total = n.value();
        }
        Stmt s = prep(std::string("SELECT ") + kVersionColumns +
                      " FROM workflow_versions WHERE workflow_id = ? ORDER BY number DESC"
                      " LIMIT ? OFFSET ?");
        s.bind(workflow_id).bind(limit).bind(static_cast<std::int64_t>(page - 1) * limit);
        auto items = s.rows(read_version);
        if (!items.ok()) return items.status();
        out.items = std::move(items.value());
        return out;
    }

    Result<std::vector<LeadVersionGroup>> lead_version_groups(
        const std::string& workflow_id) override {
        Stmt s = prep(
            "SELECT version, version_seen, current_node_id, count(*) FROM leads"
            " INDEXED BY leads_by_workflow_status WHERE workflow_id = ?"
            " AND status IN ('pending', 'active')"
            " GROUP BY version, version_seen, current_node_id");
        s.bind(workflow_id);
        return s.rows([](const Stmt& r) -> Result<LeadVersionGroup> {
            LeadVersionGroup g;
            g.version = r.opt_i64(0);
            g.seen = r.opt_i64(1);
            g.node_id = r.opt_text(2);
            g.count = r.i64(3);
            return g;
        });
    }

    Result<std::map<std::string, std::pair<std::int64_t, std::int64_t>>> lead_versions(
        const std::string& workflow_id, const std::vector<std::string>& lead_ids) override {
        // By primary key: with `workflow_id = ?1` as an index term SQLite walked every lead of
        // the workflow (leads_by_workflow) for a page of ids, 140 ms at 100,000 leads, on every
        // lead read after a publish; the unary + keeps that term a filter.
        Stmt s = prep(
            "SELECT id, version, coalesce(version_seen, version) FROM leads"
            " WHERE id IN (SELECT value FROM json_each(?2)) AND +workflow_id = ?1"
            " AND version IS NOT NULL");
        s.bind(workflow_id).bind(string_list_json(lead_ids).dump());
        auto rows =
            s.rows([](const Stmt& r)
                       -> Result<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> {
                return std::make_pair(r.text(0), std::make_pair(r.i64(1), r.i64(2)));
            });
        if (!rows.ok()) return rows.status();
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> out;
        for (auto& [id, v] : rows.value()) out[id] = v;
        return out;
    }

    // ---- nodes and edges

    static constexpr const char* kNodeColumns =
        "id, node_type, label, position_x, position_y, config, extra";

    static Result<Node> read_node(const Stmt& s) {
        Node n;
        n.id = s.text(0);
        n.node_type_raw = s.text(1);
        n.type = parse_node_type(n.node_type_raw);
        n.label = s.text(2);
        n.position_x = s.dbl(3);
        n.position_y = s.dbl(4);
        auto config = parse_stored_json(s.text(5), "node config");
        if (!config.ok()) return config.status();
        n.config = std::move(config.value());
        auto extra = parse_stored_json(s.text(6), "node extra");
        if (!extra.ok()) return extra.status();
        n.extra = std::move(extra.value());
        return n;
    }

    Result<std::vector<Node>> list_nodes(const std::string& workflow_id) override {
        Stmt s = prep(std::string("SELECT ") + kNodeColumns +
                      " FROM nodes WHERE workflow_id = ? ORDER BY seq");
        s.bind(workflow_id);
        return s.rows(read_node);
    }

    Result<Node> get_node(const std::string& workflow_id, const std::string& id) override {
        Stmt s = prep(std::string("SELECT ") + kNodeColumns +
                      " FROM nodes WHERE workflow_id = ? AND id = ?");
        s.bind(workflow_id).bind(id);
        return s.one(read_node, "Node not found");
    }

    Status insert_node(const std::string& workflow_id, const Node& n) override {
        Stmt s = prep(
            "INSERT INTO nodes(workflow_id, id, seq, node_type, label, position_x, position_y,"
            " config, extra) VALUES (?1, ?2,"
            " (SELECT coalesce(max(seq), 0) + 1 FROM nodes WHERE workflow_id = ?1),"
            " ?3, ?4, ?5, ?6, ?7, ?8)");
        s.bind(workflow_id).bind(n.id).bind(n.node_type_raw).bind(n.label);
        s.bind(n.position_x).bind(n.position_y).bind(n.config.dump()).bind(n.extra.dump());
        return s.exec();
    }

    Status update_node(const std::string& workflow_id, const Node& n) override {
        Stmt s = prep(
            "UPDATE nodes SET label = ?, position_x = ?, position_y = ?, config = ?, extra = ?"
            " WHERE workflow_id = ? AND id = ?");
        s.bind(n.label).bind(n.position_x).bind(n.position_y).bind(n.config.dump());
        s.bind(n.extra.dump()).bind(workflow_id).bind(n.id);
        return s.exec_changing("Node not found");
    }

    Status delete_node(const std::string& workflow_id, const std::string& id) override {
        {
            Stmt s = prep(
                "DELETE FROM edges WHERE workflow_id = ?1 AND (from_node_id = ?2 OR to_node_id = "
                "?2)");
            s.bind(workflow_id).bind(id);
            if (Status st = s.exec(); !st) return st;
        }
        Stmt s = prep("DELETE FROM nodes WHERE workflow_id = ? AND id = ?");
        s.bind(workflow_id).bind(id);
        return s.exec_changing("Node not found");
    }

    static constexpr const char* kEdgeColumns =
        "id, from_node_id, to_node_id, label, position, extra";

    static Result<Edge> read_edge(const Stmt& s) {
        Edge e;
        e.id = s.text(0);
        e.from_node_id = s.text(1);
        e.to_node_id = s.text(2);
        e.label = s.opt_text(3);
        e.position = s.i64(4);
        auto extra = parse_stored_json(s.text(5), "edge extra");
        if (!extra.ok()) return extra.status();
        e.extra = std::move(extra.value());
        return e;
    }

    Result<std::vector<Edge>> list_edges(const std::string& workflow_id) override {
        Stmt s = prep(std::string("SELECT ") + kEdgeColumns +
                      " FROM edges WHERE workflow_id = ? ORDER BY position, seq");
        s.bind(workflow_id);
        return s.rows(read_edge);
    }

    Result<Edge> get_edge(const std::string& workflow_id, const std::string& id) override {
        Stmt s = prep(std::string("SELECT ") + kEdgeColumns +
                      " FROM edges WHERE workflow_id = ? AND id = ?");
        s.bind(workflow_id).bind(id);
        return s.one(read_edge, "Edge not found");
    }

    Status insert_edge(const std::string& workflow_id, const Edge& e) override {
        Stmt s = prep(
            "INSERT INTO edges(workflow_id, id, seq, from_node_id, to_node_id, label, position,"
            " extra) VALUES (?1, ?2,"
            " (SELECT coalesce(max(seq), 0) + 1 FROM edges WHERE workflow_id = ?1),"
            " ?3, ?4, ?5, ?6, ?7)");
        s.bind(workflow_id).bind(e.id).bind(e.from_node_id).bind(e.to_node_id).bind(e.label);
        s.bind(e.position).bind(e.extra.dump());
        return s.exec();
    }

    Status update_edge(const std::string& workflow_id, const Edge& e) override {
        Stmt s = prep(
            "UPDATE edges SET label = ?, position = ?, extra = ? WHERE workflow_id = ? AND id = ?");
        s.bind(e.label).bind(e.position).bind(e.extra.dump()).bind(workflow_id).bind(e.id);
        return s.exec_changing("Edge not found");
    }

    Status delete_edge(const std::string& workflow_id, const std::string& id) override {
        Stmt s = prep("DELETE FROM edges WHERE workflow_id = ? AND id = ?");
        s.bind(workflow_id).bind(id);
        return s.exec_changing("Edge not found");
    }

    Status replace_graph(const std::string& workflow_id, const std::vector<Node>& nodes,
                         const std::vector<Edge>& edges) override {
        {
            Stmt s = prep("DELETE FROM edges WHERE workflow_id = ?");
            s.bind(workflow_id);
            if (Status st = s.exec(); !st) return st;
        }
        {
            Stmt s = prep("DELETE FROM nodes WHERE workflow_id = ?");
            s.bind(workflow_id);
            if (Status st = s.exec(); !st) return st;
        }
        for (const Node& n : nodes) {
            if (Status st = insert_node(workflow_id, n); !st) return st;
        }
        for (const Edge& e : edges) {
            if (Status st = insert_edge(workflow_id, e); !st) return st;
        }
        return Status::ok();
    }

    // ---- leads

    Status insert_leads(const std::vector<LeadRecord>& leads) override {
        std::map<std::string, std::set<std::string>> keys;  // workflow → variable names
        for (const LeadRecord& r : leads) {
            const Lead& l = r.lead;
            const Execution& x = r.execution;
            Json vars = Json::object();
            for (const auto& [name, value] : l.variables) {
                vars[name] = value;
                keys[l.workflow_id].insert(name);
            }
            Stmt s = prep(
                "INSERT INTO leads(id, workflow_id, phone_number, variables, status,"
                " current_node_id, phase, entered_at, release_at, call_id, steps, created_at,"
                " updated_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            s.bind(l.id).bind(l.workflow_id).bind(l.phone_number).bind(vars.dump());
            s.bind(to_string(l.status)).bind(l.current_node_id).bind(to_string(x.phase));
            s.bind(x.entered_at).bind(x.release_at).bind(x.call_id).bind(x.steps);
            s.bind(l.created_at.value_or(0)).bind(l.updated_at.value_or(0)).bind(l.completed_at);
            if (Status st = s.exec(); !st) return st;
        }
        for (const auto& [workflow_id, names] : keys) {
            for (const std::string& name : names) {
                Stmt s = prep(
                    "INSERT OR IGNORE INTO lead_variable_keys(workflow_id, key) VALUES (?, ?)");
                s.bind(workflow_id).bind(name);
                if (Status st = s.exec(); !st) return st;
            }
        }
        return Status::ok();
    }

    static constexpr const char* kLeadColumns =
        "id, workflow_id, phone_number, variables, status, current_node_id, phase, entered_at,"
        " release_at, call_id, steps, created_at, updated_at, completed_at, version";

    static Result<LeadRecord> read_lead(const Stmt& s) {
        LeadRecord r;
        Lead& l = r.lead;
        l.id = s.text(0);
        l.workflow_id = s.text(1);
        l.phone_number = s.text(2);
        if (Status st = read_string_map(s.text(3), l.variables); !st) return st;
        auto status = parse_lead_status(s.text(4));
        if (!status) return Status::internal("stored lead status is unknown: " + s.text(4));
        l.status = *status;
        l.current_node_id = s.opt_text(5);
        auto phase = parse_phase(s.text(6));
        if (!phase) return Status::internal("stored execution phase is unknown: " + s.text(6));
        Execution& x = r.execution;
        x.current_node_id = l.current_node_id;
        x.phase = *phase;
        x.entered_at = s.opt_i64(7);
        x.release_at = s.opt_i64(8);
        x.call_id = s.opt_text(9);
        x.steps = s.i64(10);
        l.created_at = s.i64(11);
        l.updated_at = s.i64(12);
        l.completed_at = s.opt_i64(13);
        l.version = s.opt_i64(14);
        return r;
    }

    Result<PageOf<Lead>> list_leads(const std::string& workflow_id, const LeadQuery& q) override {
        const char* where =
            " FROM leads WHERE workflow_id = ?1"
            " AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))"
            " AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3)))";
        std::optional<std::string> statuses, ids;
        if (!q.statuses.empty()) statuses = status_list_json(q.statuses).dump();
        if (!q.ids.empty()) ids = string_list_json(q.ids).dump();
        PageOf<Lead> page;
        if (!ids) {
            // The maintained counts answer "how many" without scanning the leads.
            Stmt s = prep(
                "SELECT coalesce(sum(n), 0) FROM lead_counts WHERE workflow_id = ?1"
                " AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2)))");
            s.bind(workflow_id).bind(statuses);
            auto total = s.single_i64();
            if (!total.ok()) return total.status();
            page.total = total.value();
        } else {
            Stmt s = prep(std::string("SELECT count(*)") + where);
            s.bind(workflow_id).bind(statuses).bind(ids);
            auto total = s.single_i64();
            if (!total.ok()) return total.status();
            page.total = total.value();
        }
        Stmt s = prep(std::string("SELECT ") + kLeadColumns + where +
                      " ORDER BY rowid LIMIT ?4 OFFSET ?5");
        s.bind(workflow_id).bind(statuses).bind(ids).bind(q.limit);
        s.bind(static_cast<std::int64_t>(q.page - 1) * q.limit);
        auto items = s.rows([](const Stmt& r) -> Result<Lead> {
            auto record = read_lead(r);
            if (!record.ok()) return record.status();
            return std::move(record.value().lead);
        });
        if (!items.ok()) return items.status();
        page.items = std::move(items.value());
        return page;
    }

    Result<LeadRecord> get_lead(const std::string& workflow_id, const std::string& id) override {
        Stmt s = prep(std::string("SELECT ") + kLeadColumns +
                      " FROM leads WHERE workflow_id = ? AND id = ?");
        s.bind(workflow_id).bind(id);
        return s.one(read_lead, "Lead not found");
    }

    Status update_lead(const LeadRecord& r) override {
        const Lead& l = r.lead;
        const Execution& x = r.execution;
        Json vars = Json::object();
        for (const auto& [name, value] : l.variables) vars[name] = value;
        Stmt s = prep(
            "UPDATE leads SET phone_number = ?, variables = ?, status = ?, current_node_id = ?,"
            " phase = ?, entered_at = ?, release_at = ?, call_id = ?, steps = ?, updated_at = ?,"
            " completed_at = ? WHERE id = ? AND workflow_id = ?");
        s.bind(l.phone_number).bind(vars.dump()).bind(to_string(l.status));
        s.bind(x.current_node_id).bind(to_string(x.phase)).bind(x.entered_at).bind(x.release_at);
        s.bind(x.call_id).bind(x.steps).bind(l.updated_at.value_or(0)).bind(l.completed_at);
        s.bind(l.id).bind(l.workflow_id);
        return s.exec_changing("Lead not found");
    }

    Result<std::vector<LeadRecord>> leads_where(const std::string& workflow_id,
                                                const std::vector<LeadStatus>& statuses,
                                                const std::vector<std::string>& node_ids) override {
        Stmt s = prep(std::string("SELECT ") + kLeadColumns +
                      " FROM leads WHERE workflow_id = ?1"
                      " AND status IN (SELECT value FROM json_each(?2))"
                      " AND (?3 IS NULL OR current_node_id IN (SELECT value FROM json_each(?3)))"
                      " ORDER BY rowid");
        std::optional<std::string> nodes;
        if (!node_ids.empty()) nodes = string_list_json(node_ids).dump();
        s.bind(workflow_id).bind(status_list_json(statuses).dump()).bind(nodes);
        return s.rows(read_lead);
    }

    Result<std::int64_t> transition_leads(const std::string& workflow_id,
                                          const std::vector<LeadStatus>& from, LeadStatus to,
                                          std::optional<Phase> phase, TimeMs now) override {
        Stmt s = prep(
            "UPDATE leads SET status = ?3, phase = coalesce(?4, phase), updated_at = ?5,"
            " completed_at = CASE WHEN ?6 THEN ?5 ELSE completed_at END"
            " WHERE workflow_id = ?1 AND status IN (SELECT value FROM json_each(?2))");
        std::optional<std::string> phase_name;
        if (phase) phase_name = to_string(*phase);
        s.bind(workflow_id).bind(status_list_json(from).dump()).bind(to_string(to));
        s.bind(phase_name).bind(now).bind(is_terminal_lead_status(to) ? 1 : 0);
        if (Status st = s.exec(); !st) return st;
        return static_cast<std::int64_t>(sqlite3_changes(db_));
    }

    Result<std::int64_t> count_leads_in_phases(const std::string& workflow_id,
                                               const std::vector<Phase>& phases) override {
        // One count per phase, the phase written into the SQL so that the partial index of
        // in-flight and stuck leads (migration 4) serves it.
        std::int64_t total = 0;
        for (Phase p : std::set<Phase>(phases.begin(), phases.end())) {
            Stmt s =
                prep(std::string("SELECT count(*) FROM leads WHERE workflow_id = ? AND phase = '") +
                     to_string(p) + "'");
            s.bind(workflow_id);
            auto n = s.single_i64();
            if (!n.ok()) return n.status();
            total += n.value();
        }
        return total;
    }

    Result<std::vector<std::string>> variable_keys(const std::string& workflow_id) override {
        Stmt s = prep("SELECT key FROM lead_variable_keys WHERE workflow_id = ? ORDER BY key");
        s.bind(workflow_id);
        return s.rows([](const Stmt& r) -> Result<std::string> { return r.text(0); });
    }

    Status append_history(const std::string& lead_id, const HistoryEntry& h) override {
        next_history_id_ = 0;  // the scheduler's next id is read again (live_append_history)
        Stmt s = prep(
            "INSERT INTO history(lead_id, prev_id, entry)"
            " SELECT id, history_last, ?2 FROM leads WHERE id = ?1");
        s.bind(lead_id).bind(to_json(h).dump());
        if (Status st = s.exec_changing("Lead not found"); !st) return st;
        Stmt head = prep("UPDATE leads SET history_last = last_insert_rowid() WHERE id = ?");
        head.bind(lead_id);
        return head.exec();
    }

    Result<std::vector<HistoryEntry>> history(const std::string& lead_id) override {
        // The chain from the lead's newest row back to its first, oldest first.
        Stmt s = prep(
            "WITH RECURSIVE chain(id, prev_id, entry) AS ("
            " SELECT h.id, h.prev_id, h.entry FROM leads l JOIN history h ON h.id = l.history_last"
            " WHERE l.id = ?"
            " UNION ALL SELECT h.id, h.prev_id, h.entry FROM history h JOIN chain c"
            " ON h.id = c.prev_id)"
            " SELECT entry FROM chain ORDER BY id");
        s.bind(lead_id);
        return s.rows([](const Stmt& r) -> Result<HistoryEntry> {
            auto j = parse_stored_json(r.text(0), "history entry");
            if (!j.ok()) return j.status();
            auto h = history_entry_from_json(j.value());
            if (!h.ok()) return Status::internal("stored history: " + h.status().message());
            return std::move(h.value());
        });
    }

    Result<std::map<LeadStatus, std::int64_t>> lead_status_totals() override {
        std::map<LeadStatus, std::int64_t> out;
        for (LeadStatus st : all_lead_statuses()) out[st] = 0;
        Stmt s = prep("SELECT status, sum(n) FROM lead_counts GROUP BY status");
        auto rows = s.rows(read_status_count);
        if (!rows.ok()) return rows.status();
        for (const auto& [status, n] : rows.value()) {
            if (status) out[*status] = n;
        }
        return out;
    }

    Result<std::map<LeadStatus, std::int64_t>> lead_status_totals_of(
        const std::string& org_id) override {
        std::map<LeadStatus, std::int64_t> out;
        for (LeadStatus st : all_lead_statuses()) out[st] = 0;
        Stmt s = prep(
            "SELECT c.status, sum(c.n) FROM lead_counts c JOIN workflows w ON w.id = c.workflow_id"
            " WHERE w.organization_id = ? GROUP BY c.status");
        s.bind(org_id);
        auto rows = s.rows(read_status_count);
        if (!rows.ok()) return rows.status();
        for (const auto& [status, n] : rows.value()) {
            if (status) out[*status] = n;
        }
        return out;
    }

    Result<std::vector<NodeStatusCount>> lead_counts_by_node(
        const std::string& workflow_id) override {
        Stmt s = prep(
            "SELECT current_node_id, status, count(*) FROM leads WHERE workflow_id = ?"
            " GROUP BY current_node_id, status");
        s.bind(workflow_id);
        return s.rows([](const Stmt& r) -> Result<NodeStatusCount> {
            auto st = parse_lead_status(r.text(1));
            if (!st) return Status::internal("stored lead status: " + r.text(1));
            NodeStatusCount c;
            if (!r.is_null(0)) c.node_id = r.text(0);
            c.status = *st;
            c.count = r.i64(2);
            return c;
        });
    }

    // ---- calls

    Status insert_call(const CallRecord& c) override {
        static const std::string kSql =
            "INSERT INTO calls(id, organization_id, workflow_id, lead_id, node_id, status, outcome,"
            " end_reason, duration_s, analysis, created_at, ended_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return write(kSql, nullptr, [&](auto& s) {
            s.bind(c.id).bind(c.organization_id).bind(c.workflow_id).bind(c.lead_id);
            s.bind(c.node_id).bind(c.status).bind(c.outcome).bind(c.end_reason);
            s.bind(c.duration_s).bind(c.analysis.dump()).bind(c.created_at).bind(c.ended_at);
        });
    }

    static constexpr const char* kCallColumns =
        "id, organization_id, workflow_id, lead_id, node_id, status, outcome, end_reason,"
        " duration_s, analysis, created_at, ended_at";

    static Result<CallRecord> read_call(const Stmt& s) {
        CallRecord c;
        c.id = s.text(0);
        c.organization_id = s.text(1);
        c.workflow_id = s.text(2);
        c.lead_id = s.text(3);
        c.node_id = s.text(4);
        c.status = s.text(5);
        c.outcome = s.opt_text(6);
        c.end_reason = s.opt_text(7);
        if (!s.is_null(8)) c.duration_s = s.dbl(8);
        auto analysis = parse_stored_json(s.text(9), "call analysis");
        if (!analysis.ok()) return analysis.status();
        c.analysis = std::move(analysis.value());
        c.created_at = s.i64(10);
        c.ended_at = s.opt_i64(11);
        return c;
    }

    Result<PageOf<CallRecord>> list_calls(const std::string& org_id, const CallQuery& q) override {
        const char* where =
            " FROM calls WHERE organization_id = ?1 AND (?2 = '' OR workflow_id = ?2)"
            " AND (?3 = '' OR lead_id = ?3)";
        PageOf<CallRecord> page;
        {
            Stmt s = prep(std::string("SELECT count(*)") + where);
            s.bind(org_id).bind(q.workflow_id).bind(q.lead_id);
            auto total = s.single_i64();
            if (!total.ok()) return total.status();
            page.total = total.value();
        }
        Stmt s = prep(std::string("SELECT ") + kCallColumns + where +
                      " ORDER BY created_at DESC, rowid DESC LIMIT ?4 OFFSET ?5");
        s.bind(org_id).bind(q.workflow_id).bind(q.lead_id).bind(q.limit);
        s.bind(static_cast<std::int64_t>(q.page - 1) * q.limit);
        auto items = s.rows(read_call);
        if (!items.ok()) return items.status();
        page.items = std::move(items.value());
        return page;
    }

    // ---- user webhooks

    Status insert_webhook(const UserWebhook& w) override {
        Stmt s = prep(
            "INSERT INTO user_webhooks(id, organization_id, url, events, secret, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)");
        s.bind(w.id).bind(w.organization_id).bind(w.url).bind(string_list_json(w.events).dump());
        s.bind(w.secret).bind(w.created_at);
        return s.exec();
    }

    static Result<UserWebhook> read_webhook(const Stmt& s) {
        UserWebhook w;
        w.id = s.text(0);
        w.organization_id = s.text(1);
        w.url = s.text(2);
        auto events = parse_stored_json(s.text(3), "webhook events");
        if (!events.ok()) return events.status();
        for (const auto& e : events.value()) {
            if (e.is_string()) w.events.push_back(e.get<std::string>());
        }
        w.secret = s.text(4);
        w.created_at = s.i64(5);
        return w;
    }

    Result<std::vector<UserWebhook>> list_webhooks(const std::string& org_id) override {
        Stmt s = prep(
            "SELECT id, organization_id, url, events, secret, created_at FROM user_webhooks"
            " WHERE organization_id = ? ORDER BY created_at, rowid");
        s.bind(org_id);
        return s.rows(read_webhook);
    }

    Result<UserWebhook> get_webhook(const std::string& org_id, const std::string& id) override {
        Stmt s = prep(
            "SELECT id, organization_id, url, events, secret, created_at FROM user_webhooks"
            " WHERE organization_id = ? AND id = ?");
        s.bind(org_id).bind(id);
        return s.one(read_webhook, "Webhook not found");
    }

    Status delete_webhook(const std::string& org_id, const std::string& id) override {
        Stmt s = prep("DELETE FROM user_webhooks WHERE organization_id = ? AND id = ?");
        s.bind(org_id).bind(id);
        return s.exec_changing("Webhook not found");
    }

    // ---- share links

    Status put_share_link(const std::string& id, const std::string& org_id,
                          const std::string& fragment, TimeMs now) override {
        Stmt s = prep(
            "INSERT INTO share_links (id, organization_id, fragment, created_at)"
            " VALUES (?, ?, ?, ?)");
        s.bind(id).bind(org_id).bind(fragment).bind(now);
        return s.exec();
    }

    Result<std::string> get_share_link(const std::string& id) override {
        Stmt s = prep("SELECT fragment FROM share_links WHERE id = ?");
        s.bind(id);
        return s.one([](const Stmt& r) -> Result<std::string> { return r.text(0); },
                     "No short link " + id + " on this server");
    }

    Status delete_share_link(const std::string& org_id, const std::string& id) override {
        Stmt s = prep("DELETE FROM share_links WHERE organization_id = ? AND id = ?");
        s.bind(org_id).bind(id);
        return s.exec_changing("Short link not found");
    }

    // ---- live progression (server/runtime)

    static constexpr const char* kLiveColumns =
        "l.id, l.workflow_id, l.phone_number, l.variables, l.status, l.state, l.call_id,"
        " l.due_at, l.slot_wait_at, l.last_analysis, l.last_response, l.pending_event, l.rowid,"
        " l.history_last, l.version, l.version_seen";

    Result<LiveLead> read_live(const Stmt& s) {
        LiveLead l;
        l.id = s.text(0);
        l.workflow_id = s.text(1);
        l.phone_number = s.text(2);
        auto vars = parse_stored_json(s.text(3), "lead variables");
        if (!vars.ok()) return vars.status();
        for (auto it = vars->begin(); it != vars->end(); ++it) {
            if (it->is_string()) l.variables[it.key()] = it->get<std::string>();
        }
        auto status = parse_lead_status(s.text(4));
        if (!status) return Status::internal("stored lead status is unknown: " + s.text(4));
        l.status = *status;
        l.state = s.opt_text(5);
        l.call_id = s.opt_text(6);
        l.due_at = s.opt_i64(7);
        l.slot_wait_at = s.opt_i64(8);
        for (auto [col, out] : {std::pair<int, Json*>{9, &l.last_analysis},
                                {10, &l.last_response},
                                {11, &l.pending_event}}) {
            if (s.is_null(col)) continue;
            auto j = parse_stored_json(s.text(col), "lead live column");
            if (!j.ok()) return j.status();
            *out = std::move(j.value());
        }
        l.rowid = s.i64(12);
        l.history_last = s.opt_i64(13);
        l.version = s.opt_i64(14);
        l.version_seen = s.opt_i64(15);
        return l;
    }

    Result<std::vector<LiveLead>> read_live_rows(Stmt& s) {
        return s.rows([this](const Stmt& r) { return read_live(r); });
    }

    Result<std::vector<RunnableWorkflow>> live_runnable_workflows() override {
        Stmt s = prep(
            "SELECT id, status = 'cancelled', published_version FROM workflows w"
            " WHERE status = 'active' OR (status = 'cancelled' AND EXISTS ("
            " SELECT 1 FROM leads INDEXED BY leads_due WHERE workflow_id = w.id"
            " AND due_at IS NOT NULL)) ORDER BY created_at, id");
        return s.rows([](const Stmt& r) -> Result<RunnableWorkflow> {
            return RunnableWorkflow{r.text(0), r.i64(1) != 0, r.opt_i64(2)};
        });
    }

    Result<std::vector<LiveLead>> live_due_leads(const std::string& workflow_id, TimeMs now,
                                                 int limit) override {
        Stmt s = prep(std::string("SELECT ") + kLiveColumns +
                      " FROM leads l INDEXED BY leads_due WHERE l.workflow_id = ?"
                      " AND l.due_at IS NOT NULL AND l.due_at <= ? ORDER BY l.due_at LIMIT ?");
        s.bind(workflow_id).bind(now).bind(limit);
        return read_live_rows(s);
    }

    Result<std::vector<LiveLead>> live_leads_to_start(const std::string& workflow_id,
                                                      int limit) override {
        Stmt s = prep(std::string("SELECT ") + kLiveColumns +
                      " FROM leads l INDEXED BY leads_to_start WHERE l.workflow_id = ?"
                      " AND l.status = 'active' AND l.state IS NULL ORDER BY l.created_at"
                      " LIMIT ?");
        s.bind(workflow_id).bind(limit);
        return read_live_rows(s);
    }

    Result<std::vector<LiveLead>> live_slot_waiters(const std::string& workflow_id,
                                                    int limit) override {
        Stmt s = prep(std::string("SELECT ") + kLiveColumns +
                      " FROM leads l WHERE l.workflow_id = ? AND l.slot_wait_at IS NOT NULL"
                      " AND l.status = 'active' ORDER BY l.slot_wait_at, l.rowid LIMIT ?");
        s.bind(workflow_id).bind(limit);
        return read_live_rows(s);
    }

    Result<std::int64_t> live_calls_in_flight(const std::string& workflow_id) override {
        Stmt s = prep(
            "SELECT count(*) FROM calls INDEXED BY calls_in_flight"
            " WHERE workflow_id = ? AND status = 'in_progress'");
        s.bind(workflow_id);
        return s.single_i64();
    }

    Result<LiveLead> live_get_lead(const std::string& lead_id) override {
        Stmt s = prep(std::string("SELECT ") + kLiveColumns + " FROM leads l WHERE l.id = ?");
        s.bind(lead_id);
        return s.one([this](const Stmt& r) { return read_live(r); }, "Lead not found");
    }

    static std::optional<std::string> json_or_null(const Json& j) {
        if (j.is_null()) return std::nullopt;
        return j.dump();
    }

    Status live_save(const LiveLeadUpdate& u) override {
        // Sixteen statement variants: a column that did not change is not written, so neither
        // its index nor (for status) the lead-count trigger is touched; a lead read in this
        // transaction is found by its rowid (one B-tree search instead of two). frozen_ms is
        // never set on a lead the scheduler steps (a paused workflow's leads are not due).
        static const std::array<std::string, 16> kSql = [] {
            std::array<std::string, 16> a;
            for (int v = 0; v < 16; ++v) {
                std::string sql = "UPDATE leads SET ";
                if (v & 1) sql += "status = ?, completed_at = ?, ";
                if (v & 2) sql += "phase = ?, ";
                if (v & 4) sql += "slot_wait_at = ?, ";
                sql +=
                    "current_node_id = ?, entered_at = ?, release_at = ?, call_id = ?, steps = ?,"
                    " updated_at = ?, state = ?, due_at = ?, last_analysis = ?, last_response = ?,"
                    " pending_event = ?, history_last = ?, version = ?, version_seen = ? WHERE ";
                sql += (v & 8) ? "rowid = ?" : "id = ?";
                a[static_cast<std::size_t>(v)] = std::move(sql);
            }
            return a;
        }();
        const LiveLead& l = u.lead;
        const int v = (u.status_changed ? 1 : 0) | (u.phase_changed ? 2 : 0) |
                      (u.slot_changed ? 4 : 0) | (l.rowid > 0 ? 8 : 0);
        return write(kSql[static_cast<std::size_t>(v)], "Lead not found", [&](auto& s) {
            if (u.status_changed) s.bind(to_string(l.status)).bind(u.completed_at);
            if (u.phase_changed) s.bind(to_string(u.phase));
            if (u.slot_changed) s.bind(l.slot_wait_at);
            s.bind(u.current_node_id).bind(u.entered_at).bind(u.release_at).bind(l.call_id);
            s.bind(u.steps).bind(u.updated_at).bind(l.state).bind(l.due_at);
            s.bind(json_or_null(l.last_analysis)).bind(json_or_null(l.last_response));
            s.bind(json_or_null(l.pending_event)).bind(l.history_last);
            s.bind(l.version).bind(l.version_seen);
            if (l.rowid > 0) {
                s.bind(l.rowid);
            } else {
                s.bind(l.id);
            }
        });
    }

    Status live_set_event(const std::string& lead_id, const Json& event,
                          std::optional<TimeMs> due_at) override {
        Stmt s = prep(
            "UPDATE leads SET pending_event = ?1,"
            " due_at = CASE WHEN ?2 IS NULL THEN NULL ELSE ?2 END,"
            " frozen_ms = CASE WHEN ?2 IS NULL THEN 0 ELSE NULL END WHERE id = ?3");
        s.bind(event.dump()).bind(due_at).bind(lead_id);
        return s.exec();
    }

    Status live_freeze(const std::string& workflow_id, TimeMs now) override {
        Stmt s = prep(
            "UPDATE leads SET frozen_ms = max(due_at - ?2, 0), due_at = NULL"
            " WHERE workflow_id = ?1 AND due_at IS NOT NULL");
        s.bind(workflow_id).bind(now);
        return s.exec();
    }

    Status live_thaw(const std::string& workflow_id, TimeMs now) override {
        Stmt s = prep(
            "UPDATE leads INDEXED BY leads_frozen SET due_at = ?2 + frozen_ms, frozen_ms = NULL"
            " WHERE workflow_id = ?1 AND frozen_ms IS NOT NULL");
        s.bind(workflow_id).bind(now);
        return s.exec();
    }

    Result<std::int64_t> live_cancel(const std::string& workflow_id, TimeMs now) override {
        Stmt thaw = prep(
            "UPDATE leads INDEXED BY leads_in_call"
            " SET due_at = ?2 + frozen_ms, frozen_ms = NULL, slot_wait_at = NULL"
            " WHERE workflow_id = ?1 AND status = 'active' AND phase = 'in_call'"
            " AND frozen_ms IS NOT NULL");
        thaw.bind(workflow_id).bind(now);
        if (Status st = thaw.exec(); !st) return st;
        Stmt s = prep(
            "UPDATE leads SET status = 'cancelled', phase = 'done', updated_at = ?2,"
            " completed_at = ?2, due_at = NULL, frozen_ms = NULL, slot_wait_at = NULL,"
            " pending_event = NULL WHERE workflow_id = ?1 AND status IN ('pending', 'active')"
            " AND NOT (status = 'active' AND phase = 'in_call')");
        s.bind(workflow_id).bind(now);
        if (Status st = s.exec(); !st) return st;
        return static_cast<std::int64_t>(sqlite3_changes(db_));
    }

    Status live_wake_stuck(const std::string& workflow_id, TimeMs now) override {
        Stmt s = prep(
            "UPDATE leads INDEXED BY leads_stuck SET due_at = ?2"
            " WHERE workflow_id = ?1 AND phase = 'stuck' AND status = 'active'");
        s.bind(workflow_id).bind(now);
        return s.exec();
    }

    Result<std::vector<LiveLead>> live_leads_behind(const std::string& workflow_id,
                                                    std::int64_t newest) override {
        Stmt s = prep(std::string("SELECT ") + kLiveColumns +
                      " FROM leads l INDEXED BY leads_by_workflow_status WHERE l.workflow_id = ?1"
                      " AND l.status = 'active' AND l.state IS NOT NULL AND l.version < ?2"
                      " AND coalesce(l.version_seen, l.version) < ?2");
        s.bind(workflow_id).bind(newest);
        return read_live_rows(s);
    }

    Status live_place(const LiveLead& l, const std::string& node_id) override {
        static const std::string kSql =
            "UPDATE leads SET version = ?, version_seen = ?, state = ?, current_node_id = ?"
            " WHERE id = ?";
        return write(kSql, nullptr, [&](auto& s) {
            s.bind(l.version).bind(l.version_seen).bind(l.state).bind(node_id).bind(l.id);
        });
    }

    Result<Workflow> live_get_workflow(const std::string& workflow_id) override {
        Stmt s = prep(std::string("SELECT ") + kWorkflowColumns + " FROM workflows WHERE id = ?");
        s.bind(workflow_id);
        return s.one(read_workflow, "Workflow not found");
    }

    Result<CallRecord> live_get_call(const std::string& call_id) override {
        Stmt s = prep(std::string("SELECT ") + kCallColumns + " FROM calls WHERE id = ?");
        s.bind(call_id);
        return s.one(read_call, "Call not found");
    }

    Status live_update_call(const CallRecord& c) override {
        static const std::string kSql =
            "UPDATE calls SET status = ?, outcome = ?, end_reason = ?, duration_s = ?,"
            " analysis = ?, ended_at = ? WHERE id = ?";
        return write(kSql, nullptr, [&](auto& s) {
            s.bind(c.status).bind(c.outcome).bind(c.end_reason).bind(c.duration_s);
            s.bind(c.analysis.dump()).bind(c.ended_at).bind(c.id);
        });
    }

    Status live_append_history(LiveLead& lead, const std::string& entry) override {
        // Ids are given here, not by SQLite, so that the write can run behind: the next id is
        // read once per transaction (this connection is the only writer meanwhile).
        if (next_history_id_ == 0) {
            Stmt s = prep("SELECT coalesce(max(id), 0) + 1 FROM history");
            auto next = s.single_i64();
            if (!next.ok()) return next.status();
            next_history_id_ = next.value();
        }
        const std::int64_t id = next_history_id_++;
        const std::optional<std::int64_t> prev = lead.history_last;
        lead.history_last = id;
        return write(kHistoryInsert[1], nullptr,
                     [&](auto& s) { s.bind(id).bind(lead.id).bind(prev).bind(entry); });
    }

    Status live_outbox_insert(const OutboxRow& r) override {
        static const std::string kSql =
            "INSERT OR IGNORE INTO outbox(idempotency_key, kind, workflow_id, lead_id, payload,"
            " attempts, next_attempt_at, done_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        return write(kSql, nullptr, [&](auto& s) {
            s.bind(r.idempotency_key).bind(r.kind).bind(r.workflow_id).bind(r.lead_id);
            s.bind(r.payload.dump()).bind(r.attempts).bind(r.next_attempt_at).bind(r.done_at);
            s.bind(r.created_at);
        });
    }

    Result<std::vector<OutboxRow>> live_outbox_due(TimeMs now, int limit) override {
        Stmt s = prep(
            "SELECT id, idempotency_key, kind, workflow_id, lead_id, payload, attempts,"
            " next_attempt_at, done_at, created_at FROM outbox INDEXED BY outbox_pending"
            " WHERE done_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id"
            " LIMIT ?");
        s.bind(now).bind(limit);
        return s.rows([](const Stmt& q) -> Result<OutboxRow> {
            OutboxRow r;
            r.id = q.i64(0);
            r.idempotency_key = q.text(1);
            r.kind = q.text(2);
            r.workflow_id = q.text(3);
            r.lead_id = q.text(4);
            auto p = parse_stored_json(q.text(5), "outbox payload");
            if (!p.ok()) return p.status();
            r.payload = std::move(p.value());
            r.attempts = static_cast<int>(q.i64(6));
            r.next_attempt_at = q.i64(7);
            r.done_at = q.opt_i64(8);
            r.created_at = q.i64(9);
            return r;
        });
    }

    Status live_outbox_update(const OutboxRow& r) override {
        Stmt s = prep(
            "UPDATE outbox SET attempts = ?, next_attempt_at = ?, done_at = ?, payload = ?"
            " WHERE id = ?");
        s.bind(r.attempts).bind(r.next_attempt_at).bind(r.done_at).bind(r.payload.dump());
        s.bind(r.id);
        return s.exec();
    }

    Result<std::optional<std::string>> live_meta_get(const std::string& key) override {
        Stmt s = prep("SELECT value FROM runtime_meta WHERE key = ?");
        s.bind(key);
        auto v = s.one([](const Stmt& r) -> Result<std::string> { return r.text(0); }, "");
        if (v.ok()) return std::optional<std::string>(std::move(v.value()));
        if (v.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
        return v.status();
    }

    Status live_meta_put(const std::string& key, const std::string& value) override {
        Stmt s = prep(
            "INSERT INTO runtime_meta(key, value) VALUES (?1, ?2)"
            " ON CONFLICT(key) DO UPDATE SET value = ?2");
        s.bind(key).bind(value);
        return s.exec();
    }

    // Migration 7's second half: every workflow that has started gets version 1 from its
    // current graph and scenario, its started leads run on it, and leads not started yet have
    // no current node (their entry is resolved when they start).
    Status snapshot_started_workflows(TimeMs now) {
        std::vector<std::string> ids;
        {
            Stmt s = prep(
                "SELECT id FROM workflows WHERE status <> 'draft' AND published_version IS NULL");
            auto rows = s.rows([](const Stmt& r) -> Result<std::string> { return r.text(0); });
            if (!rows.ok()) return rows.status();
            ids = std::move(rows.value());
        }
        for (const std::string& id : ids) {
            auto w = live_get_workflow(id);
            if (!w.ok()) return w.status();
            auto g = load_graph(*this, w.value());
            if (!g.ok()) return g.status();
            auto scenario = get_scenario(id);
            if (!scenario.ok()) return scenario.status();
            WorkflowVersion v;
            v.workflow_id = id;
            v.number = 1;
            v.graph = std::move(g.value());
            v.scenario = std::move(scenario.value());
            v.note = "the graph the workflow ran before versions existed";
            v.created_at = now;
            if (Status st = insert_version(v); !st) return st;
            Stmt s = prep(
                "UPDATE leads SET version = 1, version_seen = 1"
                " WHERE workflow_id = ? AND state IS NOT NULL");
            s.bind(id);
            if (Status st = s.exec(); !st) return st;
        }
        Stmt s = prep(
            "UPDATE leads SET current_node_id = NULL"
            " WHERE state IS NULL AND status IN ('pending', 'active')");
        return s.exec();
    }

  private:
    // The cached prepared statement for `sql`. A statement that fails to prepare is a bug in
    // this file; the helper then carries a null statement and every step reports the error.
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

    sqlite3* db_;
    StmtCache* cache_;
    WriteBehind* behind_;
    Status behind_error_;
    std::int64_t next_history_id_ = 0;  // live_append_history's next row id; 0: not read yet
};

const std::array<std::string, SqliteTx::kHistoryRowsMax + 1> SqliteTx::kHistoryInsert = [] {
    std::array<std::string, kHistoryRowsMax + 1> a;
    for (std::size_t k = 1; k <= kHistoryRowsMax; ++k) {
        std::string sql = "INSERT INTO history(id, lead_id, prev_id, entry) VALUES (?, ?, ?, ?)";
        for (std::size_t i = 1; i < k; ++i) sql += ", (?, ?, ?, ?)";
        a[k] = std::move(sql);
    }
    return a;
}();

// [SECTION] SqliteStore

// One SQLite connection with its cache of prepared statements. Used by one thread at a time
// (the store hands it out), so it is opened with SQLITE_OPEN_NOMUTEX.
struct Connection {
    sqlite3* db = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache;

    Connection() = default;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection() {
        for (auto& [sql, stmt] : cache) sqlite3_finalize(stmt);
        sqlite3_close(db);
    }

    Status exec(const std::string& sql) {
        char* err = nullptr;
        if (int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            return sqlite_failure(rc, "sqlite: " + msg);
        }
        return Status::ok();
    }
};

// A lock another connection (or process) holds: retried every millisecond for up to ~5 s.
// SQLite's own busy timeout sleeps 1, 2, 5, 10 ... 100 ms between tries, so a writer that met
// a lock held for a quarter of a second went on up to 100 ms after it was free (while API
// writes waited for it).
int wait_for_lock(void*, int tries) {
    if (tries >= 5000) return 0;  // SQLITE_BUSY to the caller
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return 1;
}

// Opens `path` read-write (creating it when `create`), NOMUTEX, waiting up to ~5 s for locks,
// through the VFS named `vfs` (empty: the default).
Result<std::unique_ptr<Connection>> open_connection(const std::string& path, bool create,
                                                    const std::string& vfs) {
    auto c = std::make_unique<Connection>();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &c->db, flags, vfs.empty() ? nullptr : vfs.c_str());
    if (rc != SQLITE_OK) {
        std::string msg = c->db ? sqlite3_errmsg(c->db) : "out of memory";
        return sqlite_failure(rc, "cannot open database " + path + ": " + msg);
    }
    // Every connection waits for locks instead of failing at once: a reader can meet a short
    // lock while the WAL index is rebuilt or a checkpoint resets the log.
    sqlite3_busy_handler(c->db, &wait_for_lock, nullptr);
    return c;
}

// [SECTION] Background checkpoints
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
    Checkpointer(std::string path, std::string vfs) : path_(std::move(path)), vfs_(std::move(vfs)) {
        thread_ = std::thread([this] { work(); });
    }
    ~Checkpointer() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stopping_ = true;
        }
        cv_.notify_one();
        thread_.join();
    }
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    // Asks for one passive checkpoint soon; does nothing while one is asked for or running.
    void request() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            if (requested_ || busy_) return;
            requested_ = true;
        }
        cv_.notify_one();
    }
    // True from request() until that checkpoint has ended.
    bool busy() const {
        std::lock_guard<std::mutex> lock(mu_);
        return requested_ || busy_;
    }
    // Checkpoints (passes) that ran to the end so far.
    std::int64_t runs() const { return runs_.load(); }

  private:
    void work() {
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
            cv_.wait(lock, [this] { return stopping_ || requested_; });
            if (stopping_) return;
            requested_ = false;
            busy_ = true;
            lock.unlock();
            checkpoint();
            lock.lock();
            busy_ = false;
        }
    }

    void checkpoint() {
        if (!conn_) {
            auto c = open_connection(path_, false, vfs_);
            Status st = c.ok() ? c.value()->exec("PRAGMA synchronous = NORMAL") : c.status();
            if (!st) {
                // The writers' own checkpoints (the scheduler's catch-up, the writer's
                // fallback) still bound the log; say once why this thread does not help.
                if (!failed_) {
                    std::fprintf(stderr, "leadflow-server: background checkpoints are off: %s\n",
                                 st.message().c_str());
                }
                failed_ = true;
                return;
            }
            conn_ = std::move(c.value());
        }
        // Frames committed while it ran are copied by a second (shorter) pass, and so on a few
        // times, so that the log is wholly copied when the writes pause. SQLITE_BUSY (another
        // checkpoint is running) is fine: that one does the work.
        for (int pass = 0; pass < 4; ++pass) {
            int log = 0, copied = 0;
            int rc = sqlite3_wal_checkpoint_v2(conn_->db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                                               &copied);
            if (rc != SQLITE_OK) break;
            runs_.fetch_add(1);
            if (copied >= log) break;
        }
    }

    const std::string path_, vfs_;
    std::unique_ptr<Connection> conn_;  // the thread's own, opened at its first checkpoint
    bool failed_ = false;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool requested_ = false, busy_ = false, stopping_ = false;
    std::atomic<std::int64_t> runs_{0};
    std::thread thread_;
};

class SqliteStore final : public Store {
  public:
    SqliteStore(std::unique_ptr<Connection> writer, std::string path, std::string vfs, bool readers)
        : writer_(std::move(writer)),
          path_(std::move(path)),
          vfs_(std::move(vfs)),
          readers_enabled_(readers) {
        if (readers_enabled_) {
            checkpointer_ = std::make_unique<Checkpointer>(path_, vfs_);
            // Replaces the writer's automatic checkpoint: its commits only ask for one.
            sqlite3_wal_hook(writer_->db, &SqliteStore::on_writer_wal, this);
        }
    }

    Connection& writer() { return *writer_; }

    // Up to `target` (0: the latest version).
    Status migrate(int target) {
        if (target <= 0 || target > kLatestVersion) target = kLatestVersion;
        auto v = pragma_int("PRAGMA user_version");
        if (!v.ok()) return v.status();
        version_ = v.value();
        if (version_ > kLatestVersion) {
            return Status::precondition("the database schema (version " + std::to_string(version_) +
                                        ") is newer than this server understands (" +
                                        std::to_string(kLatestVersion) + ")");
        }
        for (int i = version_; i < target; ++i) {
            Status st = writer_->exec(std::string("BEGIN IMMEDIATE;") + kMigrations[i]);
            if (st && i + 1 == kVersionsMigration) {
                SqliteTx tx(writer_->db, &writer_->cache);
                const auto now = std::chrono::system_clock::now().time_since_epoch();
                st = tx.snapshot_started_workflows(
                    std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
            }
            if (st) {
                st = writer_->exec("PRAGMA user_version = " + std::to_string(i + 1) + ";COMMIT;");
            }
            if (!st) {
                writer_->exec("ROLLBACK");
                return Status::internal("migration " + std::to_string(i + 1) +
                                        " failed: " + st.message());
            }
            version_ = i + 1;
        }
        return Status::ok();
    }

    Result<int> pragma_int(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(writer_->db, sql, -1, &s, nullptr) != SQLITE_OK) {
            return Status::internal(std::string("sqlite: ") + sqlite3_errmsg(writer_->db));
        }
        int v = 0;
        if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        return v;
    }

    Status transact(const std::function<Status(StoreTx&)>& fn) override {
        WriteTurn turn(*this, true);
        std::lock_guard<std::mutex> lock(write_mu_);
        Status st = run_transaction(*writer_, fn);
        after_transaction(*writer_, st);
        // Only when the background thread could not keep up (API writes back to back, or its
        // connection could not be opened): within the write turn, so that no write transaction
        // begins before the log is wholly copied and the next commit restarts it.
        if (checkpointer_ && wal_pages_.load() >= kWriterCatchUpPages) {
            catch_up(*writer_, writer_checkpoints_);
        }
        return st;
    }

    // The scheduler's connection: its own (opened on first use) with foreign key checks off —
    // it only inserts history and call rows for leads it has just read in the same
    // transaction, and never deletes — and no automatic checkpoint inside its commits: it
    // checkpoints after its write turn instead (see Checkpointer).
    Status live_transact(const std::function<Status(StoreTx&)>& fn) override {
        std::lock_guard<std::mutex> lock(live_mu_);
        if (!readers_enabled_) {  // an in-memory database has one connection
            WriteTurn turn(*this, false);
            std::lock_guard<std::mutex> writer_lock(write_mu_);
            Status st = run_transaction(*writer_, fn);
            after_transaction(*writer_, st);
            return st;
        }
        if (!live_) {
            if (Status st = open_live_connection(); !st) return st;
        }
        Status st;
        {
            WriteTurn turn(*this, false);
            st = run_transaction(*live_, fn, live_behind_.get());
            after_transaction(*live_, st);
        }
        // Once the log is long; the scheduler's next transaction then writes into a restarted
        // log.
        if (wal_pages_.load() >= kCatchUpPages) catch_up(*live_, scheduler_checkpoints_);
        return st;
    }

    bool api_write_waiting() const override { return api_waiting_.load() > 0; }

    Status read(const std::function<Status(StoreTx&)>& fn) override {
        if (!readers_enabled_) {
            // An in-memory database has one connection: reads share it with the writer.
            std::lock_guard<std::mutex> lock(write_mu_);
            SqliteTx tx(writer_->db, &writer_->cache);
            return fn(tx);
        }
        auto lease = lease_reader();
        if (!lease.ok()) return lease.status();
        Connection& c = *lease->conn;
        // One read transaction: every statement of `fn` sees the same snapshot, and writers
        // (WAL) go on meanwhile.
        if (Status st = run_cached(c, "BEGIN"); !st) return st;
        lease->in_tx = true;
        SqliteTx tx(c.db, &c.cache);
        return fn(tx);
    }

    int schema_version() const override { return version_; }

    // PRAGMA data_version of a connection of its own changes whenever another connection
    // (every writer of this process, and other processes) commits.
    std::optional<std::int64_t> commit_counter() override {
        if (!readers_enabled_) return std::nullopt;
        std::lock_guard<std::mutex> lock(version_mu_);
        if (!version_conn_) {
            auto c = open_connection(path_, false, vfs_);
            if (!c.ok()) return std::nullopt;
            version_conn_ = std::move(c).value();
        }
        sqlite3_stmt* st = nullptr;
        auto it = version_conn_->cache.find("PRAGMA data_version");
        if (it != version_conn_->cache.end()) {
            st = it->second;
        } else if (sqlite3_prepare_v2(version_conn_->db, "PRAGMA data_version", -1, &st, nullptr) ==
                   SQLITE_OK) {
            version_conn_->cache.emplace("PRAGMA data_version", st);
        } else {
            return std::nullopt;
        }
        std::optional<std::int64_t> v;
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return v;
    }

    CheckpointCounts checkpoint_counts() const override {
        CheckpointCounts c;
        if (checkpointer_) {
            c.background = checkpointer_->runs();
            c.background_running = checkpointer_->busy();
        }
        c.scheduler = scheduler_checkpoints_.load();
        c.writer = writer_checkpoints_.load();
        c.log_pages = wal_pages_.load();
        c.truncated_after_failure = truncations_.load();
        return c;
    }

  private:
    // WAL lengths in pages (~4 KB) from which the scheduler checkpoints after its commit, an
    // API commit asks for a background checkpoint, and an API writer checkpoints after its
    // commit (see kSqliteCheckpointPages, Checkpointer).
    static constexpr int kCatchUpPages = kSqliteCheckpointPages;
    static constexpr int kBackgroundPages = kCatchUpPages + kCatchUpPages / 2;
    static constexpr int kWriterCatchUpPages = 2 * kCatchUpPages;

    // One writer at a time over the writer and scheduler connections (so they never meet
    // SQLITE_BUSY), and API writers that are waiting go before the scheduler's next
    // transaction.
    class WriteTurn {
      public:
        WriteTurn(SqliteStore& s, bool api) : s_(s) {
            std::unique_lock<std::mutex> lock(s_.turn_mu_);
            if (api) {
                ++s_.api_waiting_;
                s_.turn_cv_.wait(lock, [this] { return !s_.writing_; });
                --s_.api_waiting_;
            } else {
                s_.turn_cv_.wait(lock, [this] { return !s_.writing_ && s_.api_waiting_ == 0; });
            }
            s_.writing_ = true;
        }
        ~WriteTurn() {
            {
                std::lock_guard<std::mutex> lock(s_.turn_mu_);
                s_.writing_ = false;
            }
            s_.turn_cv_.notify_all();
        }
        WriteTurn(const WriteTurn&) = delete;
        WriteTurn& operator=(const WriteTurn&) = delete;

      private:
        SqliteStore& s_;
    };

    // One write transaction on a connection: begun by begin(), committed by commit(), and
    // rolled back when the guard goes away uncommitted — a body that returned a failure, a
    // failed commit, or an exception thrown by the body (which then goes on to the caller). So
    // no path leaves the connection inside a transaction, where every later BEGIN would fail.
    // `behind`: the connection's write-behind; what it still holds runs (or is dropped)
    // before the rollback, so the worker never uses the connection after the guard.
    class TxGuard {
      public:
        TxGuard(Connection& c, WriteBehind* behind) : c_(c), behind_(behind) {}
        TxGuard(const TxGuard&) = delete;
        TxGuard& operator=(const TxGuard&) = delete;
        ~TxGuard() {
            if (!open_) return;
            if (behind_) behind_->abandon();
            // SQLite may already have rolled back by itself (after SQLITE_FULL or an I/O
            // error inside a statement): then there is nothing to end.
            if (sqlite3_get_autocommit(c_.db)) return;
            if (Status st = c_.exec("ROLLBACK"); !st) {
                std::fprintf(stderr, "leadflow-server: cannot roll back a transaction: %s\n",
                             st.message().c_str());
            }
        }
        Status begin() {
            Status st = c_.exec("BEGIN IMMEDIATE");
            open_ = st.is_ok();
            return st;
        }
        Status commit() {
            Status st = c_.exec("COMMIT");
            if (st) open_ = false;
            return st;
        }

      private:
        Connection& c_;
        WriteBehind* behind_;
        bool open_ = false;
    };

    // `behind`: the connection's write-behind, drained before the commit or rollback.
    static Status run_transaction(Connection& c, const std::function<Status(StoreTx&)>& fn,
                                  WriteBehind* behind = nullptr) {
        TxGuard guard(c, behind);
        if (Status st = guard.begin(); !st) return st;
        SqliteTx tx(c.db, &c.cache, behind);
        Status result = fn(tx);
        if (Status writes = tx.finish_writes(); !writes && result) result = writes;
        if (!result) return result;  // the guard rolls back
        return guard.commit();
    }

    // After a transaction of the writer or the scheduler's connection, inside its write turn:
    // remembers a storage failure, and at the first commit after one checkpoints the whole
    // WAL and truncates it, so that the log (grown while checkpoints failed) gives its space
    // back instead of filling the disk again.
    void after_transaction(Connection& c, const Status& st) {
        if (st.code() == StatusCode::kUnavailable) {
            if (!storage_failed_.exchange(true)) {
                std::fprintf(stderr, "leadflow-server: storage failure, writes are not saved: %s\n",
                             st.message().c_str());
            }
            return;
        }
        if (!st || !storage_failed_.exchange(false) || !readers_enabled_) return;
        int log = 0, copied = 0;
        int rc =
            sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &copied);
        std::fprintf(stderr, "leadflow-server: storage writes succeed again; WAL checkpoint: %s\n",
                     rc == SQLITE_OK ? "copied and truncated" : sqlite3_errstr(rc));
        if (rc == SQLITE_OK) {
            wal_pages_ = 0;
            truncations_.fetch_add(1);
        }
    }

    // A passive checkpoint on `c`: the next write transaction then begins with every frame
    // copied, and its commit restarts the log. While another checkpoint runs (the background
    // one), SQLite answers SQLITE_BUSY at once and the next commit tries again.
    void catch_up(Connection& c, std::atomic<std::int64_t>& count) {
        if (sqlite3_wal_checkpoint_v2(c.db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
            SQLITE_OK) {
            count.fetch_add(1);
        }
    }

    // After every commit of the scheduler's connection: `pages` is the length of the log.
    static int on_live_wal(void* self, sqlite3*, const char*, int pages) {
        static_cast<SqliteStore*>(self)->wal_pages_ = pages;
        return SQLITE_OK;
    }
    // After every commit of the writer connection: asks for a background checkpoint while the
    // log is long (a request while one runs is dropped).
    static int on_writer_wal(void* self, sqlite3*, const char*, int pages) {
        auto* store = static_cast<SqliteStore*>(self);
        store->wal_pages_ = pages;
        if (pages >= kBackgroundPages) store->checkpointer_->request();
        return SQLITE_OK;
    }

    Status open_live_connection() {
        auto c = open_connection(path_, false, vfs_);
        if (!c.ok()) return c.status();
        for (const char* pragma : {"PRAGMA foreign_keys = OFF", "PRAGMA synchronous = NORMAL",
                                   "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456"}) {
            if (Status st = c.value()->exec(pragma); !st) {
                return Status::internal("cannot configure the scheduler's connection to " + path_ +
                                        ": " + st.message());
            }
        }
        sqlite3_wal_hook(c.value()->db, &SqliteStore::on_live_wal, this);  // no autocheckpoint
        live_ = std::move(c.value());
        Connection* conn = live_.get();
        live_behind_ =
            std::make_unique<WriteBehind>([conn, stmts = SqliteTx::PendingStmts()](
                                              const PendingWrite* writes, std::size_t n) mutable {
                return SqliteTx::run_pending(conn->db, &conn->cache, &stmts, writes, n);
            });
        return Status::ok();
    }

    // A reader connection taken from the pool for one read(); back into the pool (with its
    // read transaction ended) when the lease goes away, also when `fn` throws.
    struct ReaderLease {
        SqliteStore* store = nullptr;
        std::unique_ptr<Connection> conn;
        bool in_tx = false;
        ReaderLease(SqliteStore* s, std::unique_ptr<Connection> c) : store(s), conn(std::move(c)) {}
        ReaderLease(ReaderLease&& o) noexcept
            : store(o.store), conn(std::move(o.conn)), in_tx(o.in_tx) {}
        ReaderLease& operator=(ReaderLease&&) = delete;
        ~ReaderLease() {
            if (!conn) return;
            if (in_tx && run_cached(*conn, "COMMIT")) in_tx = false;
            // A connection whose transaction could not be ended is not reused.
            if (in_tx || !sqlite3_get_autocommit(conn->db)) return;
            store->return_reader(std::move(conn));
        }
    };

    // Runs a short statement through the connection's statement cache.
    static Status run_cached(Connection& c, const char* sql) {
        sqlite3_stmt* s = nullptr;
        auto it = c.cache.find(sql);
        if (it != c.cache.end()) {
            s = it->second;
        } else {
            if (sqlite3_prepare_v3(c.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
                SQLITE_OK) {
                return Status::internal(std::string("sqlite: ") + sqlite3_errmsg(c.db));
            }
            c.cache.emplace(sql, s);
        }
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return sqlite_failure(rc, std::string("sqlite: ") + sqlite3_errstr(rc));
        return Status::ok();
    }

    Result<ReaderLease> lease_reader() {
        {
            std::lock_guard<std::mutex> lock(pool_mu_);
            if (!idle_readers_.empty()) {
                auto c = std::move(idle_readers_.back());
                idle_readers_.pop_back();
                return ReaderLease(this, std::move(c));
            }
        }
        // None idle: open one more. The pool grows to the number of concurrent readers.
        auto c = open_connection(path_, false, vfs_);
        if (!c.ok()) return c.status();
        Connection& conn = *c.value();
        for (const char* pragma : {"PRAGMA query_only = ON", "PRAGMA cache_size = -16384",
                                   "PRAGMA mmap_size = 268435456"}) {
            if (Status st = conn.exec(pragma); !st) return st;
        }
        return ReaderLease(this, std::move(c.value()));
    }

    void return_reader(std::unique_ptr<Connection> c) {
        std::lock_guard<std::mutex> lock(pool_mu_);
        idle_readers_.push_back(std::move(c));
    }

    std::unique_ptr<Connection> writer_;
    const std::string path_, vfs_;
    const bool readers_enabled_;
    std::mutex version_mu_;                     // commit_counter()
    std::unique_ptr<Connection> version_conn_;  // opened by the first commit_counter()
    std::mutex write_mu_;
    std::mutex pool_mu_;
    std::vector<std::unique_ptr<Connection>> idle_readers_;
    int version_ = 0;
    // The scheduler's connection (live_transact).
    std::unique_ptr<Connection> live_;
    std::unique_ptr<WriteBehind> live_behind_;  // declared after live_: stops before it closes
    std::mutex live_mu_;
    // Checkpoints (see Checkpointer). checkpointer_ is null for an in-memory database.
    std::unique_ptr<Checkpointer> checkpointer_;
    std::atomic<int> wal_pages_{0};
    std::atomic<std::int64_t> scheduler_checkpoints_{0}, writer_checkpoints_{0};
    // A write failed for want of storage and no write has succeeded since (after_transaction).
    std::atomic<bool> storage_failed_{false};
    std::atomic<std::int64_t> truncations_{0};
    // Write turns (WriteTurn).
    std::mutex turn_mu_;
    std::condition_variable turn_cv_;
    bool writing_ = false;
    std::atomic<int> api_waiting_{0};
};

}  // namespace

int sqlite_schema_latest_version() {
    return kLatestVersion;
}

namespace {

// The database holds webhook secrets and every tenant's data: the file and its -wal and -shm
// companions are for the server's user only. A new file is created 0600 before SQLite opens it
// (SQLite creates -wal and -shm with the mode of the database file); an existing file that
// group or others may read or write is changed to 0600, with a warning.
void protect_database_files(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) ::close(fd);
        return;  // failures are reported by sqlite3_open_v2 next
    }
    for (const std::string& f : {path, path + "-wal", path + "-shm"}) {
        if (::stat(f.c_str(), &st) != 0 || (st.st_mode & 077) == 0) continue;
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        if (::chmod(f.c_str(), st.st_mode & 0700) == 0) {
            log_line("warning: " + log_escape(f) + " was open to other users (mode " + mode +
                     "); changed to owner-only");
        } else {
            log_line("warning: " + log_escape(f) + " is open to other users (mode " + mode +
                     ") and cannot be changed: " + std::strerror(errno));
        }
    }
}

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, int migrate_to,
                                                 const std::string& vfs) {
    protect_database_files(path);
    auto writer = open_connection(path, true, vfs);
    if (!writer.ok()) return Status::internal(writer.status().message());
    // Reads get connections of their own, except for a private in-memory database (a second
    // connection would open a different, empty database).
    const bool readers = !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
    auto store = std::make_unique<SqliteStore>(std::move(writer.value()), path, vfs, readers);
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
          // A 64 MB page cache and memory-mapped reads: the scheduler's batches touch many
          // lead pages; without them most time goes to read() system calls.
          "PRAGMA cache_size = -65536", "PRAGMA mmap_size = 268435456"}) {
        if (Status st = store->writer().exec(pragma); !st) {
            return Status::internal("cannot configure database " + path + ": " + st.message());
        }
    }
    if (Status st = store->migrate(migrate_to); !st) {
        if (st.code() == StatusCode::kFailedPrecondition) return st;
        return Status::internal("cannot migrate database " + path + ": " + st.message());
    }
    return std::unique_ptr<Store>(std::move(store));
}

}  // namespace leadflow::server
