// server/store/pg_tx_live.cpp — PgTx (pg_internal.hpp): the live_* operations of the scheduler
// (server/runtime): due leads, saving a lead's step, calls, history, the outbox and the
// runtime's key/values.
#include <array>

#include "leadflow/wire.hpp"
#include "store/pg_internal.hpp"
#include "store/row_readers.hpp"

namespace leadflow::server::pg_internal {
namespace {

using rows::kLiveLeadColumns;
constexpr auto read_live = rows::read_live_lead<Row>;

// A batch holding this many rows is sent before it takes more.
constexpr std::size_t kBatchRows = 4096;

}  // namespace

// ---- held-back writes (pg_live_batch.hpp)

Status PgTx::flush() {
    if (!failure_.is_ok() || !batch_ || batch_->empty()) return failure_;
    failure_ = batch_->flush(c_);
    return failure_;
}

Status PgTx::held() {
    if (failure_.is_ok() && batch_->rows() >= kBatchRows) return flush();
    return failure_;
}

// ---- what is due

Result<std::vector<RunnableWorkflow>> PgTx::live_runnable_workflows() {
    return q("SELECT id, status = 'cancelled', published_version FROM workflows w"
             " WHERE status = 'active' OR (status = 'cancelled' AND EXISTS ("
             " SELECT 1 FROM leads WHERE workflow_id = w.id AND due_at IS NOT NULL))"
             " ORDER BY created_at, id COLLATE \"C\"")
        .rows([](const Row& r) -> Result<RunnableWorkflow> {
            return RunnableWorkflow{r.text(0), r.boolean(1), r.opt_i64(2)};
        });
}

Result<std::vector<LiveLead>> PgTx::live_due_leads(const std::string& workflow_id, TimeMs now,
                                                   int limit) {
    // Leads due at the same time in enrolment order (index leads_due).
    return q(std::string("SELECT ") + kLiveLeadColumns +
             " FROM leads l WHERE l.workflow_id = $1 AND l.due_at IS NOT NULL"
             " AND l.due_at <= $2 ORDER BY l.due_at, l.seq LIMIT $3")
        .bind(workflow_id)
        .bind(now)
        .bind(limit)
        .rows(read_live);
}

Result<std::vector<LiveLead>> PgTx::live_leads_to_start(const std::string& workflow_id, int limit) {
    // Leads enrolled at the same time in enrolment order (index leads_to_start).
    return q(std::string("SELECT ") + kLiveLeadColumns +
             " FROM leads l WHERE l.workflow_id = $1 AND l.status = 'active'"
             " AND l.state IS NULL ORDER BY l.created_at, l.seq LIMIT $2")
        .bind(workflow_id)
        .bind(limit)
        .rows(read_live);
}

Result<std::vector<LiveLead>> PgTx::live_slot_waiters(const std::string& workflow_id, int limit) {
    return q(std::string("SELECT ") + kLiveLeadColumns +
             " FROM leads l WHERE l.workflow_id = $1 AND l.slot_wait_at IS NOT NULL"
             " AND l.status = 'active' ORDER BY l.slot_wait_at, l.seq LIMIT $2")
        .bind(workflow_id)
        .bind(limit)
        .rows(read_live);
}

Result<std::int64_t> PgTx::live_calls_in_flight(const std::string& workflow_id) {
    return q("SELECT count(*) FROM calls WHERE workflow_id = $1 AND status = 'in_progress'")
        .bind(workflow_id)
        .single_i64();
}

Result<LiveLead> PgTx::live_get_lead(const std::string& lead_id) {
    return q(std::string("SELECT ") + kLiveLeadColumns + " FROM leads l WHERE l.id = $1")
        .bind(lead_id)
        .one(read_live, "Lead not found");
}

// ---- a lead's step

Status PgTx::live_save(const LiveLeadUpdate& u) {
    if (batch_) {
        if (!failure_.is_ok()) return failure_;
        batch_->save(u);
        return held();
    }
    // Eight statement variants: a column that did not change is not written, so neither its
    // index nor (for status) the lead-count trigger is touched. frozen_ms is never set on a
    // lead the scheduler steps (a paused workflow's leads are not due).
    static const std::array<std::string, 8> kSql = [] {
        std::array<std::string, 8> a;
        for (int v = 0; v < 8; ++v) {
            int n = 0;
            auto param = [&n] { return "$" + std::to_string(++n); };
            std::string sql = "UPDATE leads SET ";
            if (v & 1) {
                sql += "status = " + param();
                sql += ", completed_at = " + param() + ", ";
            }
            if (v & 2) sql += "phase = " + param() + ", ";
            if (v & 4) sql += "slot_wait_at = " + param() + ", ";
            for (const char* col : {"current_node_id", "entered_at", "release_at", "call_id",
                                    "steps", "updated_at", "state", "due_at", "last_analysis",
                                    "last_response", "pending_event", "version", "version_seen"}) {
                sql += col;
                sql += " = " + param() + ", ";
            }
            sql.resize(sql.size() - 2);
            sql += " WHERE id = " + param();
            a[static_cast<std::size_t>(v)] = std::move(sql);
        }
        return a;
    }();
    const LiveLead& l = u.lead;
    const int v = (u.status_changed ? 1 : 0) | (u.phase_changed ? 2 : 0) | (u.slot_changed ? 4 : 0);
    Query s = q(kSql[static_cast<std::size_t>(v)]);
    if (u.status_changed) s.bind(to_string(l.status)).bind(u.completed_at);
    if (u.phase_changed) s.bind(to_string(u.phase));
    if (u.slot_changed) s.bind(l.slot_wait_at);
    s.bind(u.current_node_id).bind(u.entered_at).bind(u.release_at).bind(l.call_id);
    s.bind(u.steps).bind(u.updated_at).bind(l.state).bind(l.due_at);
    s.bind(json_or_null(l.last_analysis)).bind(json_or_null(l.last_response));
    s.bind(json_or_null(l.pending_event));
    s.bind(l.version).bind(l.version_seen);
    s.bind(l.id);
    return s.exec_changing("Lead not found");
}

Status PgTx::live_set_event(const std::string& lead_id, const Json& event,
                            std::optional<TimeMs> due_at) {
    // No due time (the workflow is paused): frozen with nothing left to wait, so due as soon
    // as the workflow resumes.
    return q("UPDATE leads SET pending_event = $1, due_at = $2::bigint,"
             " frozen_ms = CASE WHEN $2::bigint IS NULL THEN 0 ELSE NULL END WHERE id = $3")
        .bind(event.dump())
        .bind(due_at)
        .bind(lead_id)
        .exec();
}

// ---- pause, resume, cancel, publish

Status PgTx::live_freeze(const std::string& workflow_id, TimeMs now) {
    return q("UPDATE leads SET frozen_ms = greatest(due_at - $2, 0), due_at = NULL"
             " WHERE workflow_id = $1 AND due_at IS NOT NULL")
        .bind(workflow_id)
        .bind(now)
        .exec();
}

Status PgTx::live_thaw(const std::string& workflow_id, TimeMs now) {
    return q("UPDATE leads SET due_at = $2 + frozen_ms, frozen_ms = NULL"
             " WHERE workflow_id = $1 AND frozen_ms IS NOT NULL")
        .bind(workflow_id)
        .bind(now)
        .exec();
}

Result<std::int64_t> PgTx::live_cancel(const std::string& workflow_id, TimeMs now) {
    // A frozen lead with a call in flight is due again now, to record the call's end.
    if (Status st = q("UPDATE leads SET due_at = $2 + frozen_ms, frozen_ms = NULL,"
                      " slot_wait_at = NULL WHERE workflow_id = $1 AND status = 'active'"
                      " AND phase = 'in_call' AND frozen_ms IS NOT NULL")
                        .bind(workflow_id)
                        .bind(now)
                        .exec();
        !st) {
        return st;
    }
    Query s =
        q("UPDATE leads SET status = 'cancelled', phase = 'done', updated_at = $2,"
          " completed_at = $2, due_at = NULL, frozen_ms = NULL, slot_wait_at = NULL,"
          " pending_event = NULL WHERE workflow_id = $1 AND status IN ('pending', 'active')"
          " AND NOT (status = 'active' AND phase = 'in_call')");
    s.bind(workflow_id).bind(now);
    return update_leads_recounting(c_, workflow_id, s);
}

Status PgTx::live_each_cancellable(const std::string& workflow_id,
                                   const std::function<Status(const CancellableLead&)>& each) {
    CancellableLead lead;
    return each_lead_in_pages(
        "SELECT id, current_node_id, version, entered_at, call_id, seq FROM leads"
        " WHERE workflow_id = $1 AND seq > $2 AND status IN ('pending', 'active')"
        " AND NOT (status = 'active' AND phase = 'in_call') ORDER BY seq LIMIT $3",
        workflow_id, 5, [&](const Row& r) {
            rows::read_cancellable_lead(r, lead);
            return each(lead);
        });
}

Status PgTx::live_wake_stuck(const std::string& workflow_id, TimeMs now) {
    return q("UPDATE leads SET due_at = $2"
             " WHERE workflow_id = $1 AND phase = 'stuck' AND status = 'active'")
        .bind(workflow_id)
        .bind(now)
        .exec();
}

Result<std::vector<LiveLead>> PgTx::live_leads_behind(const std::string& workflow_id,
                                                      std::int64_t newest) {
    return q(std::string("SELECT ") + kLiveLeadColumns +
             " FROM leads l WHERE l.workflow_id = $1 AND l.status = 'active'"
             " AND l.state IS NOT NULL AND l.version < $2"
             " AND coalesce(l.version_seen, l.version) < $2 ORDER BY l.seq")
        .bind(workflow_id)
        .bind(newest)
        .rows(read_live);
}

Status PgTx::live_place(const LiveLead& l, const std::string& node_id) {
    return q("UPDATE leads SET version = $1, version_seen = $2, state = $3, current_node_id = $4"
             " WHERE id = $5")
        .bind(l.version)
        .bind(l.version_seen)
        .bind(l.state)
        .bind(node_id)
        .bind(l.id)
        .exec();
}

// ---- workflows, calls and history

Result<Workflow> PgTx::live_get_workflow(const std::string& workflow_id) {
    return q(std::string("SELECT ") + kWorkflowColumns + " FROM workflows WHERE id = $1")
        .bind(workflow_id)
        .one(read_workflow, "Workflow not found");
}

Result<CallRecord> PgTx::live_get_call(const std::string& call_id) {
    return q(std::string("SELECT ") + kCallColumns + " FROM calls WHERE id = $1")
        .bind(call_id)
        .one(read_call, "Call not found");
}

Status PgTx::live_update_call(const CallRecord& c) {
    if (batch_) {
        if (!failure_.is_ok()) return failure_;
        batch_->update_call(c);
        return held();
    }
    return q("UPDATE calls SET status = $1, outcome = $2, end_reason = $3, duration_s = $4,"
             " analysis = $5, ended_at = $6 WHERE id = $7")
        .bind(c.status)
        .bind(c.outcome)
        .bind(c.end_reason)
        .bind(c.duration_s)
        .bind(c.analysis.dump())
        .bind(c.ended_at)
        .bind(c.id)
        .exec();
}

Status PgTx::live_append_history(const std::string& lead_id, const std::string& entry) {
    if (batch_) {
        if (!failure_.is_ok()) return failure_;
        batch_->append_history(lead_id, entry);
        return held();
    }
    // Inserted through the lead's row, so that an unknown lead changes nothing (kNotFound);
    // the bigserial id gives the append order.
    return q("INSERT INTO history(lead_id, entry) SELECT id, $2 FROM leads WHERE id = $1")
        .bind(lead_id)
        .bind(entry)
        .exec_changing("Lead not found");
}

// ---- outbox and runtime values

Status PgTx::live_outbox_insert(const OutboxRow& r) {
    if (batch_) {
        if (!failure_.is_ok()) return failure_;
        batch_->insert_outbox(r);
        return held();
    }
    return q("INSERT INTO outbox(idempotency_key, kind, workflow_id, lead_id, payload, attempts,"
             " next_attempt_at, done_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
             " ON CONFLICT (idempotency_key) DO NOTHING")
        .bind(r.idempotency_key)
        .bind(r.kind)
        .bind(r.workflow_id)
        .bind(r.lead_id)
        .bind(r.payload.dump())
        .bind(r.attempts)
        .bind(r.next_attempt_at)
        .bind(r.done_at)
        .bind(r.created_at)
        .exec();
}

Result<std::vector<OutboxRow>> PgTx::live_outbox_due(TimeMs now, int limit) {
    return q(std::string("SELECT ") + rows::kOutboxColumns +
             " FROM outbox WHERE done_at IS NULL AND next_attempt_at <= $1"
             " ORDER BY next_attempt_at, id LIMIT $2")
        .bind(now)
        .bind(limit)
        .rows(rows::read_outbox<Row>);
}

Status PgTx::live_outbox_update(const OutboxRow& r) {
    return q("UPDATE outbox SET attempts = $1, next_attempt_at = $2, done_at = $3, payload = $4"
             " WHERE id = $5")
        .bind(r.attempts)
        .bind(r.next_attempt_at)
        .bind(r.done_at)
        .bind(r.payload.dump())
        .bind(r.id)
        .exec();
}

Result<std::optional<std::string>> PgTx::live_meta_get(const std::string& key) {
    auto v = q("SELECT value FROM runtime_meta WHERE key = $1")
                 .bind(key)
                 .one([](const Row& r) -> Result<std::string> { return r.text(0); }, "");
    if (v.ok()) return std::optional<std::string>(std::move(v.value()));
    if (v.status().code() == StatusCode::kNotFound) return std::optional<std::string>();
    return v.status();
}

Status PgTx::live_meta_put(const std::string& key, const std::string& value) {
    return q("INSERT INTO runtime_meta(key, value) VALUES ($1, $2)"
             " ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .exec();
}

}  // namespace leadflow::server::pg_internal
