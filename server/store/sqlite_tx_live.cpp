// server/store/sqlite_tx_live.cpp — SqliteTx: the live_* operations of the scheduler
// (server/runtime): due leads, saving a lead's step, calls, history and the outbox.
#include <array>

#include "leadflow/wire.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

// ---- live progression (server/runtime)

// The shared live columns (lead_rows.hpp), then the lead's rowid and newest history row.
static const std::string kLiveColumns =
    std::string(rows::kLiveLeadColumns) + ", l.rowid, l.history_last";

Result<std::vector<LiveLead>> SqliteTx::read_live_rows(Stmt& s) {
    return s.rows([this](const Stmt& r) -> Result<LiveLead> {
        auto l = rows::read_live_lead(r);
        if (l.ok()) {
            remember_lead(l->id, r.i64(rows::kLiveLeadColumnCount),
                          r.opt_i64(rows::kLiveLeadColumnCount + 1));
        }
        return l;
    });
}

Result<SqliteTx::LeadRow*> SqliteTx::lead_row(const std::string& lead_id) {
    auto it = leads_.find(lead_id);
    if (it != leads_.end()) return &it->second;
    Stmt s = prep("SELECT rowid, history_last FROM leads WHERE id = ?");
    s.bind(lead_id);
    auto row = s.one(
        [](const Stmt& r) -> Result<LeadRow> {
            return LeadRow{r.i64(0), r.opt_i64(1), false};
        },
        "Lead not found");
    if (!row.ok()) return row.status();
    return &leads_.emplace(lead_id, row.value()).first->second;
}

Status SqliteTx::flush_history_heads() {
    static const std::string kSql = "UPDATE leads SET history_last = ? WHERE rowid = ?";
    for (auto& entry : leads_) {
        auto& row = entry.second;  // a named reference: a lambda cannot capture a binding in C++17
        if (!row.unsaved) continue;
        row.unsaved = false;
        if (Status st =
                write(kSql, nullptr, [&](auto& s) { s.bind(row.history_last).bind(row.rowid); });
            !st) {
            return st;
        }
    }
    return Status::ok();
}

Result<std::vector<RunnableWorkflow>> SqliteTx::live_runnable_workflows() {
    Stmt s = prep(
        "SELECT id, status = 'cancelled', published_version FROM workflows w"
        " WHERE status = 'active' OR (status = 'cancelled' AND EXISTS ("
        " SELECT 1 FROM leads INDEXED BY leads_due WHERE workflow_seq = w.seq"
        " AND due_at IS NOT NULL)) ORDER BY created_at, id");
    return s.rows([](const Stmt& r) -> Result<RunnableWorkflow> {
        return RunnableWorkflow{r.text(0), r.i64(1) != 0, r.opt_i64(2)};
    });
}

Result<std::vector<LiveLead>> SqliteTx::live_due_leads(const std::string& workflow_id, TimeMs now,
                                                       int limit) {
    Stmt s = prep("SELECT " + kLiveColumns +
                  " FROM leads l INDEXED BY leads_due"
                  " WHERE l.workflow_seq = (SELECT seq FROM workflows WHERE id = ?)"
                  " AND l.due_at IS NOT NULL AND l.due_at <= ? ORDER BY l.due_at LIMIT ?");
    s.bind(workflow_id).bind(now).bind(limit);
    return read_live_rows(s);
}

Result<std::vector<LiveLead>> SqliteTx::live_leads_to_start(const std::string& workflow_id,
                                                            int limit) {
    Stmt s = prep("SELECT " + kLiveColumns +
                  " FROM leads l INDEXED BY leads_to_start WHERE l.workflow_id = ?"
                  " AND l.status = 'active' AND l.state IS NULL ORDER BY l.created_at"
                  " LIMIT ?");
    s.bind(workflow_id).bind(limit);
    return read_live_rows(s);
}

Result<std::vector<LiveLead>> SqliteTx::live_slot_waiters(const std::string& workflow_id,
                                                          int limit) {
    Stmt s = prep("SELECT " + kLiveColumns +
                  " FROM leads l WHERE l.workflow_id = ? AND l.slot_wait_at IS NOT NULL"
                  " AND l.status = 'active' ORDER BY l.slot_wait_at, l.rowid LIMIT ?");
    s.bind(workflow_id).bind(limit);
    return read_live_rows(s);
}

Result<std::int64_t> SqliteTx::live_calls_in_flight(const std::string& workflow_id) {
    Stmt s = prep(
        "SELECT count(*) FROM calls INDEXED BY calls_in_flight"
        " WHERE workflow_id = ? AND status = 'in_progress'");
    s.bind(workflow_id);
    return s.single_i64();
}

Result<LiveLead> SqliteTx::live_get_lead(const std::string& lead_id) {
    Stmt s = prep("SELECT " + kLiveColumns + " FROM leads l WHERE l.id = ?");
    s.bind(lead_id);
    auto rows = read_live_rows(s);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return Status::not_found("Lead not found");
    return std::move(rows->front());
}

Status SqliteTx::live_save(const LiveLeadUpdate& u) {
    // Sixteen statement variants: a column that did not change is not written, so neither
    // its index nor (for status) the lead-count trigger is touched; a lead read in this
    // transaction is found by its rowid (one B-tree search instead of two) and gets its newest
    // history row (LeadRow); another one is found by its id. frozen_ms is never set on a lead
    // the scheduler steps (a paused workflow's leads are not due).
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
                " pending_event = ?, version = ?, version_seen = ?";
            sql += (v & 8) ? ", history_last = ? WHERE rowid = ?" : " WHERE id = ?";
            a[static_cast<std::size_t>(v)] = std::move(sql);
        }
        return a;
    }();
    const LiveLead& l = u.lead;
    auto known = leads_.find(l.id);
    LeadRow* row = known == leads_.end() ? nullptr : &known->second;
    const int v = (u.status_changed ? 1 : 0) | (u.phase_changed ? 2 : 0) |
                  (u.slot_changed ? 4 : 0) | (row ? 8 : 0);
    return write(kSql[static_cast<std::size_t>(v)], "Lead not found", [&](auto& s) {
        if (u.status_changed) s.bind(to_string(l.status)).bind(u.completed_at);
        if (u.phase_changed) s.bind(to_string(u.phase));
        if (u.slot_changed) s.bind(l.slot_wait_at);
        s.bind(u.current_node_id).bind(u.entered_at).bind(u.release_at).bind(l.call_id);
        s.bind(u.steps).bind(u.updated_at).bind(l.state).bind(l.due_at);
        s.bind(json_or_null(l.last_analysis)).bind(json_or_null(l.last_response));
        s.bind(json_or_null(l.pending_event));
        s.bind(l.version).bind(l.version_seen);
        if (row) {
            s.bind(row->history_last).bind(row->rowid);
            row->unsaved = false;
        } else {
            s.bind(l.id);
        }
    });
}

Status SqliteTx::live_set_event(const std::string& lead_id, const Json& event,
                                std::optional<TimeMs> due_at) {
    Stmt s = prep(
        "UPDATE leads SET pending_event = ?1,"
        " due_at = CASE WHEN ?2 IS NULL THEN NULL ELSE ?2 END,"
        " frozen_ms = CASE WHEN ?2 IS NULL THEN 0 ELSE NULL END WHERE id = ?3");
    s.bind(event.dump()).bind(due_at).bind(lead_id);
    return s.exec();
}

Status SqliteTx::live_freeze(const std::string& workflow_id, TimeMs now) {
    Stmt s = prep(
        "UPDATE leads SET frozen_ms = max(due_at - ?2, 0), due_at = NULL"
        " WHERE workflow_id = ?1 AND due_at IS NOT NULL");
    s.bind(workflow_id).bind(now);
    return s.exec();
}

Status SqliteTx::live_thaw(const std::string& workflow_id, TimeMs now) {
    Stmt s = prep(
        "UPDATE leads INDEXED BY leads_frozen SET due_at = ?2 + frozen_ms, frozen_ms = NULL"
        " WHERE workflow_id = ?1 AND frozen_ms IS NOT NULL");
    s.bind(workflow_id).bind(now);
    return s.exec();
}

Result<std::int64_t> SqliteTx::live_cancel(const std::string& workflow_id, TimeMs now) {
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

Status SqliteTx::live_each_cancellable(const std::string& workflow_id,
                                       const std::function<Status(const CancellableLead&)>& each) {
    // Each lead's row is remembered as it is read, so that the history rows the caller appends
    // next need no read of their own.
    Stmt s = prep(
        "SELECT id, current_node_id, version, entered_at, call_id, rowid, history_last FROM leads"
        " INDEXED BY leads_by_workflow_status WHERE workflow_id = ?1"
        " AND status IN ('pending', 'active') AND NOT (status = 'active' AND phase = 'in_call')");
    s.bind(workflow_id);
    CancellableLead lead;
    auto read = s.rows([&](const Stmt& r) -> Result<bool> {
        rows::read_cancellable_lead(r, lead);
        remember_lead(lead.id, r.i64(5), r.opt_i64(6));
        if (Status st = each(lead); !st) return st;
        return true;
    });
    return read.ok() ? Status::ok() : read.status();
}

Status SqliteTx::live_wake_stuck(const std::string& workflow_id, TimeMs now) {
    Stmt s = prep(
        "UPDATE leads INDEXED BY leads_stuck SET due_at = ?2"
        " WHERE workflow_id = ?1 AND phase = 'stuck' AND status = 'active'");
    s.bind(workflow_id).bind(now);
    return s.exec();
}

Result<std::vector<LiveLead>> SqliteTx::live_leads_behind(const std::string& workflow_id,
                                                          std::int64_t newest) {
    Stmt s = prep("SELECT " + kLiveColumns +
                  " FROM leads l INDEXED BY leads_by_workflow_status WHERE l.workflow_id = ?1"
                  " AND l.status = 'active' AND l.state IS NOT NULL AND l.version < ?2"
                  " AND coalesce(l.version_seen, l.version) < ?2");
    s.bind(workflow_id).bind(newest);
    return read_live_rows(s);
}

Status SqliteTx::live_place(const LiveLead& l, const std::string& node_id) {
    static const std::string kSql =
        "UPDATE leads SET version = ?, version_seen = ?, state = ?, current_node_id = ?"
        " WHERE id = ?";
    return write(kSql, nullptr, [&](auto& s) {
        s.bind(l.version).bind(l.version_seen).bind(l.state).bind(node_id).bind(l.id);
    });
}

Result<Workflow> SqliteTx::live_get_workflow(const std::string& workflow_id) {
    Stmt s = prep(std::string("SELECT ") + kWorkflowColumns + " FROM workflows WHERE id = ?");
    s.bind(workflow_id);
    return s.one(read_workflow, "Workflow not found");
}

Result<CallRecord> SqliteTx::live_get_call(const std::string& call_id) {
    Stmt s = prep(std::string("SELECT ") + kCallColumns + " FROM calls WHERE id = ?");
    s.bind(call_id);
    return s.one(read_call, "Call not found");
}

Status SqliteTx::live_update_call(const CallRecord& c) {
    static const std::string kSql =
        "UPDATE calls SET status = ?, outcome = ?, end_reason = ?, duration_s = ?,"
        " analysis = ?, ended_at = ? WHERE id = ?";
    return write(kSql, nullptr, [&](auto& s) {
        s.bind(c.status).bind(c.outcome).bind(c.end_reason).bind(c.duration_s);
        s.bind(c.analysis.dump()).bind(c.ended_at).bind(c.id);
    });
}

Status SqliteTx::live_append_history(const std::string& lead_id, const std::string& entry) {
    auto row = lead_row(lead_id);
    if (!row.ok()) return row.status();
    LeadRow& lead = *row.value();
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
    lead.unsaved = true;
    return write(kHistoryInsert[1], nullptr,
                 [&](auto& s) { s.bind(id).bind(lead_id).bind(prev).bind(entry); });
}

Status SqliteTx::live_outbox_insert(const OutboxRow& r) {
    static const std::string kSql =
        "INSERT OR IGNORE INTO outbox(idempotency_key, kind, workflow_id, lead_id, payload,"
        " attempts, next_attempt_at, done_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    return write(kSql, nullptr, [&](auto& s) {
        s.bind(r.idempotency_key).bind(r.kind).bind(r.workflow_id).bind(r.lead_id);
        s.bind(r.payload.dump()).bind(r.attempts).bind(r.next_attempt_at).bind(r.done_at);
        s.bind(r.created_at);
    });
}

Result<std::vector<OutboxRow>> SqliteTx::live_outbox_due(TimeMs now, int limit) {
    Stmt s = prep(std::string("SELECT ") + rows::kOutboxColumns +
                  " FROM outbox INDEXED BY outbox_pending"
                  " WHERE done_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id"
                  " LIMIT ?");
    s.bind(now).bind(limit);
    return s.rows(rows::read_outbox<Stmt>);
}

// One writer at a time: the due rows are this transaction's alone.
Result<std::vector<OutboxRow>> SqliteTx::live_outbox_claim(TimeMs now, TimeMs lease_until,
                                                           int limit) {
    auto rows = live_outbox_due(now, limit);
    if (!rows.ok() || rows->empty()) return rows;
    Json ids = Json::array();
    for (const OutboxRow& r : rows.value()) ids.push_back(r.id);
    Stmt s =
        prep("UPDATE outbox SET next_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?))");
    s.bind(lease_until).bind(ids.dump());
    if (Status st = s.exec(); !st) return st;
    return rows;
}

Status SqliteTx::live_outbox_update(const OutboxRow& r) {
    Stmt s = prep(
        "UPDATE outbox SET attempts = ?, next_attempt_at = ?, done_at = ?, payload = ?"
        " WHERE id = ?");
    s.bind(r.attempts).bind(r.next_attempt_at).bind(r.done_at).bind(r.payload.dump());
    s.bind(r.id);
    return s.exec();
}

Result<std::optional<std::string>> SqliteTx::live_meta_get(const std::string& key) {
    Stmt s = prep("SELECT value FROM runtime_meta WHERE key = ?");
    s.bind(key);
    auto v = s.one([](const Stmt& r) -> Result<std::string> { return r.text(0); }, "");
    if (v.ok()) return std::optional<std::string>(std::move(v.value()));
    if (v.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return v.status();
}

Status SqliteTx::live_meta_put(const std::string& key, const std::string& value) {
    Stmt s = prep(
        "INSERT INTO runtime_meta(key, value) VALUES (?1, ?2)"
        " ON CONFLICT(key) DO UPDATE SET value = ?2");
    s.bind(key).bind(value);
    return s.exec();
}

}  // namespace leadflow::server::sqlite_internal
