// server/store/lead_rows.hpp — private to server/store: the lead and outbox rows every backend
// stores alike (the same columns, in the same order, holding the same text and numbers), read by
// one template over the backend's row type: sqlite_stmt.hpp's Stmt or pg_query.hpp's Row, each
// reading a column by index (is_null, text, opt_text, i64, opt_i64).
//
// Each reader comes with the columns it expects, to select in this order; a backend may select
// more columns after them for itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "leadflow/wire.hpp"
#include "store/store.hpp"
#include "store/stored_values.hpp"

namespace leadflow::server::rows {

inline constexpr const char* kLeadColumns =
    "id, workflow_id, phone_number, variables, status, current_node_id, phase, entered_at,"
    " release_at, call_id, steps, created_at, updated_at, completed_at, version, metadata";

template <typename R>
Result<LeadRecord> read_lead(const R& s) {
    LeadRecord r;
    Lead& l = r.lead;
    l.id = s.text(0);
    l.workflow_id = s.text(1);
    l.phone_number = s.text(2);
    if (Status st = stored::read_string_map(s.text(3), l.variables); !st) return st;
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
    if (auto metadata = s.opt_text(15)) {
        auto m = parse_json(*metadata);
        if (!m.ok() || !m->is_object()) return Status::internal("stored lead metadata is damaged");
        l.metadata = std::move(m.value());
    }
    return r;
}

// A lead as the scheduler reads it; the lead's table is `l`.
inline constexpr const char* kLiveLeadColumns =
    "l.id, l.workflow_id, l.phone_number, l.variables, l.status, l.state, l.call_id,"
    " l.due_at, l.slot_wait_at, l.last_analysis, l.last_response, l.pending_event, l.version,"
    " l.version_seen";
inline constexpr int kLiveLeadColumnCount = 14;

template <typename R>
Result<LiveLead> read_live_lead(const R& s) {
    LiveLead l;
    l.id = s.text(0);
    l.workflow_id = s.text(1);
    l.phone_number = s.text(2);
    if (Status st = stored::read_string_map(s.text(3), l.variables); !st) return st;
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
        auto j = stored::parse_stored_json(s.text(col), "lead live column");
        if (!j.ok()) return j.status();
        *out = std::move(j.value());
    }
    l.version = s.opt_i64(12);
    l.version_seen = s.opt_i64(13);
    return l;
}

inline constexpr const char* kOutboxColumns =
    "id, idempotency_key, kind, workflow_id, lead_id, payload, attempts, next_attempt_at,"
    " done_at, created_at";

template <typename R>
Result<OutboxRow> read_outbox(const R& q) {
    OutboxRow r;
    r.id = q.i64(0);
    r.idempotency_key = q.text(1);
    r.kind = q.text(2);
    r.workflow_id = q.text(3);
    r.lead_id = q.text(4);
    auto p = stored::parse_stored_json(q.text(5), "outbox payload");
    if (!p.ok()) return p.status();
    r.payload = std::move(p.value());
    r.attempts = static_cast<int>(q.i64(6));
    r.next_attempt_at = q.i64(7);
    r.done_at = q.opt_i64(8);
    r.created_at = q.i64(9);
    return r;
}

}  // namespace leadflow::server::rows
