// server/store/pg_live_batch.cpp — LiveBatch (pg_live_batch.hpp): a scheduler transaction's
// writes, sent as one statement per kind over unnest() arrays.
#include "store/pg_live_batch.hpp"

#include <utility>

#include "leadflow/wire.hpp"

namespace leadflow::server::pg_internal {
namespace {

using Column = std::vector<std::optional<std::string>>;

std::string flag(bool v) {
    return v ? "t" : "f";
}

// Binds each column as one array parameter, in order.
Query& bind_columns(Query& s, const std::vector<Column>& cols) {
    for (const Column& col : cols) s.bind(nullable_text_array(col));
    return s;
}

constexpr int kCallColumns = 12;
constexpr const char* kInsertCalls =
    "INSERT INTO calls(id, organization_id, workflow_id, lead_id, node_id, status, outcome,"
    " end_reason, duration_s, analysis, created_at, ended_at)"
    " SELECT id, organization_id, workflow_id, lead_id, node_id, status, outcome, end_reason,"
    " duration_s, analysis, created_at, ended_at"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],"
    " $7::text[], $8::text[], $9::float8[], $10::text[], $11::bigint[], $12::bigint[])"
    " WITH ORDINALITY AS u(id, organization_id, workflow_id, lead_id, node_id, status, outcome,"
    " end_reason, duration_s, analysis, created_at, ended_at, ord)"
    " ORDER BY ord ON CONFLICT DO NOTHING";

constexpr int kCallEndColumns = 7;
constexpr const char* kEndCalls =
    "UPDATE calls c SET status = u.status, outcome = u.outcome, end_reason = u.end_reason,"
    " duration_s = u.duration_s, analysis = u.analysis, ended_at = u.ended_at"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[],"
    " $7::bigint[]) AS u(id, status, outcome, end_reason, duration_s, analysis, ended_at)"
    " WHERE c.id = u.id";

// The leads' rows, and the lead counts their status changes move: `before` reads the statuses
// the changed leads had (every part of one statement sees the rows as they were when it
// began), `moved` nets them against the statuses written. The per-row count trigger is off
// meanwhile (leadflow.recount_leads), so a batch's status changes cost one upsert per
// (workflow, status) instead of two row updates per lead on the same few count rows.
constexpr int kSaveColumns = 21;
constexpr const char* kSaveLeads =
    "WITH u AS (SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[], $4::bigint[],"
    " $5::boolean[], $6::text[], $7::boolean[], $8::bigint[], $9::text[], $10::bigint[],"
    " $11::bigint[], $12::text[], $13::bigint[], $14::bigint[], $15::text[], $16::bigint[],"
    " $17::text[], $18::text[], $19::text[], $20::bigint[], $21::bigint[])"
    " AS u(id, sc, status, completed_at, pc, phase, wc, slot_wait_at, current_node_id,"
    " entered_at, release_at, call_id, steps, updated_at, state, due_at, last_analysis,"
    " last_response, pending_event, version, version_seen)),"
    " before AS (SELECT l.id, l.status FROM leads l JOIN u ON l.id = u.id WHERE u.sc),"
    " saved AS (UPDATE leads l SET"
    " status = CASE WHEN u.sc THEN u.status ELSE l.status END,"
    " completed_at = CASE WHEN u.sc THEN u.completed_at ELSE l.completed_at END,"
    " phase = CASE WHEN u.pc THEN u.phase ELSE l.phase END,"
    " slot_wait_at = CASE WHEN u.wc THEN u.slot_wait_at ELSE l.slot_wait_at END,"
    " current_node_id = u.current_node_id, entered_at = u.entered_at,"
    " release_at = u.release_at, call_id = u.call_id, steps = u.steps,"
    " updated_at = u.updated_at, state = u.state, due_at = u.due_at,"
    " last_analysis = u.last_analysis, last_response = u.last_response,"
    " pending_event = u.pending_event, version = u.version, version_seen = u.version_seen"
    " FROM u WHERE l.id = u.id RETURNING l.id, l.workflow_id, l.status),"
    " moved AS (SELECT s.workflow_id, d.status, sum(d.n)::bigint AS n"
    " FROM saved s JOIN before b ON b.id = s.id"
    " CROSS JOIN LATERAL (VALUES (b.status, -1), (s.status, 1)) AS d(status, n)"
    " WHERE b.status IS DISTINCT FROM s.status GROUP BY s.workflow_id, d.status),"
    " counted AS (INSERT INTO lead_counts(workflow_id, status, n)"
    " SELECT workflow_id, status, n FROM moved"
    " ON CONFLICT (workflow_id, status) DO UPDATE SET n = lead_counts.n + excluded.n"
    " RETURNING 1)"
    " SELECT (SELECT count(*) FROM saved), (SELECT count(*) FROM counted)";

// Through the leads' rows, so that a row of an unknown lead is not inserted (and is reported).
constexpr const char* kAppendHistory =
    "INSERT INTO history(lead_id, entry) SELECT u.lead_id, u.entry"
    " FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(lead_id, entry, ord)"
    " JOIN leads l ON l.id = u.lead_id ORDER BY u.ord";

constexpr int kOutboxColumns = 9;
constexpr const char* kInsertOutbox =
    "INSERT INTO outbox(idempotency_key, kind, workflow_id, lead_id, payload, attempts,"
    " next_attempt_at, done_at, created_at)"
    " SELECT idempotency_key, kind, workflow_id, lead_id, payload, attempts, next_attempt_at,"
    " done_at, created_at"
    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],"
    " $7::bigint[], $8::bigint[], $9::bigint[]) WITH ORDINALITY AS u(idempotency_key, kind,"
    " workflow_id, lead_id, payload, attempts, next_attempt_at, done_at, created_at, ord)"
    " ORDER BY ord ON CONFLICT (idempotency_key) DO NOTHING";

}  // namespace

void LiveBatch::save(const LiveLeadUpdate& u) {
    auto [it, fresh] = save_of_.emplace(u.lead.id, saves_.size());
    if (fresh) {
        saves_.push_back(u);
        return;
    }
    LiveLeadUpdate& held = saves_[it->second];
    LiveLeadUpdate next = u;
    if (held.status_changed && !next.status_changed) {
        next.status_changed = true;
        next.lead.status = held.lead.status;
        next.completed_at = held.completed_at;
    }
    if (held.phase_changed && !next.phase_changed) {
        next.phase_changed = true;
        next.phase = held.phase;
    }
    if (held.slot_changed && !next.slot_changed) {
        next.slot_changed = true;
        next.lead.slot_wait_at = held.lead.slot_wait_at;
    }
    held = std::move(next);
}

void LiveBatch::update_call(const CallRecord& c) {
    auto [it, fresh] = call_end_of_.emplace(c.id, call_ends_.size());
    if (fresh) {
        call_ends_.push_back(c);
    } else {
        call_ends_[it->second] = c;
    }
}

void LiveBatch::clear() {
    saves_.clear();
    save_of_.clear();
    history_.clear();
    calls_.clear();
    call_ends_.clear();
    call_end_of_.clear();
    outbox_.clear();
}

Status LiveBatch::flush(Connection& c) {
    Status st = flush_calls(c);
    if (st) st = flush_call_ends(c);
    if (st) st = flush_saves(c);
    if (st) st = flush_history(c);
    if (st) st = flush_outbox(c);
    clear();
    return st;
}

Status LiveBatch::flush_calls(Connection& c) {
    if (calls_.empty()) return Status::ok();
    std::vector<Column> cols(kCallColumns);
    for (auto& col : cols) col.reserve(calls_.size());
    for (const CallRecord& r : calls_) {
        const std::optional<std::string> row[kCallColumns] = {r.id,
                                                              r.organization_id,
                                                              r.workflow_id,
                                                              r.lead_id,
                                                              r.node_id,
                                                              r.status,
                                                              r.outcome,
                                                              r.end_reason,
                                                              opt_double(r.duration_s),
                                                              r.analysis.dump(),
                                                              std::to_string(r.created_at),
                                                              opt_number(r.ended_at)};
        for (int k = 0; k < kCallColumns; ++k) cols[k].push_back(row[k]);
    }
    Query s(c, kInsertCalls);
    return bind_columns(s, cols).exec_inserting(
        static_cast<std::int64_t>(calls_.size()),
        "postgres: a call placed in this batch exists already");
}

Status LiveBatch::flush_call_ends(Connection& c) {
    if (call_ends_.empty()) return Status::ok();
    std::vector<Column> cols(kCallEndColumns);
    for (auto& col : cols) col.reserve(call_ends_.size());
    for (const CallRecord& r : call_ends_) {
        const std::optional<std::string> row[kCallEndColumns] = {r.id,
                                                                 r.status,
                                                                 r.outcome,
                                                                 r.end_reason,
                                                                 opt_double(r.duration_s),
                                                                 r.analysis.dump(),
                                                                 opt_number(r.ended_at)};
        for (int k = 0; k < kCallEndColumns; ++k) cols[k].push_back(row[k]);
    }
    Query s(c, kEndCalls);
    return bind_columns(s, cols).exec();
}

Status LiveBatch::flush_saves(Connection& c) {
    if (saves_.empty()) return Status::ok();
    std::vector<Column> cols(kSaveColumns);
    for (auto& col : cols) col.reserve(saves_.size());
    for (const LiveLeadUpdate& u : saves_) {
        const LiveLead& l = u.lead;
        const std::optional<std::string> row[kSaveColumns] = {
            l.id,
            flag(u.status_changed),
            std::string(to_string(l.status)),
            opt_number(u.completed_at),
            flag(u.phase_changed),
            std::string(to_string(u.phase)),
            flag(u.slot_changed),
            opt_number(l.slot_wait_at),
            u.current_node_id,
            opt_number(u.entered_at),
            opt_number(u.release_at),
            l.call_id,
            std::to_string(u.steps),
            std::to_string(u.updated_at),
            l.state,
            opt_number(l.due_at),
            json_or_null(l.last_analysis),
            json_or_null(l.last_response),
            json_or_null(l.pending_event),
            opt_number(l.version),
            opt_number(l.version_seen),
        };
        for (int k = 0; k < kSaveColumns; ++k) cols[k].push_back(row[k]);
    }
    if (Status st = c.exec("SELECT set_config('leadflow.recount_leads', 'on', true)"); !st) {
        return st;
    }
    Query s(c, kSaveLeads);
    auto saved = bind_columns(s, cols).one(
        [](const Row& r) -> Result<std::int64_t> { return r.i64(0); }, "");
    if (!saved.ok()) return saved.status();
    if (Status st = c.exec("SELECT set_config('leadflow.recount_leads', '', true)"); !st) {
        return st;
    }
    if (saved.value() < static_cast<std::int64_t>(saves_.size())) {
        return Status::not_found("Lead not found");
    }
    return Status::ok();
}

Status LiveBatch::flush_history(Connection& c) {
    if (history_.empty()) return Status::ok();
    std::vector<std::string> leads, entries;
    leads.reserve(history_.size());
    entries.reserve(history_.size());
    for (const HistoryRow& h : history_) {
        leads.push_back(h.lead_id);
        entries.push_back(h.entry);
    }
    auto n =
        Query(c, kAppendHistory).bind(text_array(leads)).bind(text_array(entries)).exec_count();
    if (!n.ok()) return n.status();
    if (n.value() < static_cast<std::int64_t>(history_.size())) {
        return Status::not_found("Lead not found");
    }
    return Status::ok();
}

Status LiveBatch::flush_outbox(Connection& c) {
    if (outbox_.empty()) return Status::ok();
    std::vector<Column> cols(kOutboxColumns);
    for (auto& col : cols) col.reserve(outbox_.size());
    for (const OutboxRow& r : outbox_) {
        const std::optional<std::string> row[kOutboxColumns] = {r.idempotency_key,
                                                                r.kind,
                                                                r.workflow_id,
                                                                r.lead_id,
                                                                r.payload.dump(),
                                                                std::to_string(r.attempts),
                                                                std::to_string(r.next_attempt_at),
                                                                opt_number(r.done_at),
                                                                std::to_string(r.created_at)};
        for (int k = 0; k < kOutboxColumns; ++k) cols[k].push_back(row[k]);
    }
    Query s(c, kInsertOutbox);
    return bind_columns(s, cols).exec();
}

}  // namespace leadflow::server::pg_internal
