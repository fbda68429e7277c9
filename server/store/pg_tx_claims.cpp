// server/store/pg_tx_claims.cpp — PgTx: work claimed by one of several servers.
#include "store/pg_internal.hpp"
#include "store/row_readers.hpp"

namespace leadflow::server::pg_internal {

Result<std::vector<OutboxRow>> PgTx::live_outbox_claim(TimeMs now, TimeMs lease_until, int limit) {
    // The due rows are locked as they are picked; rows another transaction holds are skipped
    // (SKIP LOCKED), never waited for. Each comes back with the time it was due, in the order
    // of live_outbox_due.
    return q("WITH due AS (SELECT id, next_attempt_at FROM outbox"
             " WHERE done_at IS NULL AND next_attempt_at <= $1"
             " ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),"
             " claimed AS (UPDATE outbox o SET next_attempt_at = $2 FROM due WHERE o.id = due.id"
             " RETURNING o.id, o.idempotency_key, o.kind, o.workflow_id, o.lead_id, o.payload,"
             " o.attempts, due.next_attempt_at, o.done_at, o.created_at)"
             " SELECT * FROM claimed ORDER BY 8, 1")
        .bind(now)
        .bind(lease_until)
        .bind(limit)
        .rows(rows::read_outbox<Row>);
}

}  // namespace leadflow::server::pg_internal
