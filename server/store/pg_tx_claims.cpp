// server/store/pg_tx_claims.cpp — PgTx: work claimed by one of several servers: outbox rows,
// and the workflows whose leads a server's scheduler moves (scheduler_leases, schema 6).
#include <algorithm>

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

namespace {

Result<std::string> read_id(const Row& r) {
    return r.text(0);
}

}  // namespace

Result<std::vector<std::string>> PgTx::live_hold_workflows(
    const std::vector<std::string>& workflow_ids, std::int64_t lease_ms) {
    // The UPDATE locks the rows it renews until the transaction ends: a server taking lapsed
    // leases skips locked rows, so none of these changes owner while this transaction steps
    // their leads. A row whose lease another server took meanwhile no longer names this owner
    // (the UPDATE waits for that server's transaction, then sees the new owner).
    return q("UPDATE scheduler_leases SET lease_until = leadflow_now_ms() + $3"
             " WHERE workflow_id = ANY($1::text[]) AND owner = $2 RETURNING workflow_id")
        .bind(text_array(workflow_ids))
        .bind(owner_)
        .bind(lease_ms)
        .rows(read_id);
}

Result<std::vector<std::string>> PgTx::lease_workflows(const std::vector<std::string>& workflow_ids,
                                                       std::int64_t lease_ms) {
    std::vector<std::string> ids = workflow_ids;
    std::sort(ids.begin(), ids.end());  // rows are created and locked in one order by everyone
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const std::string all = text_array(ids);
    if (Status st = q("INSERT INTO scheduler_servers(owner, alive_until)"
                      " VALUES ($1, leadflow_now_ms() + $2) ON CONFLICT (owner)"
                      " DO UPDATE SET alive_until = excluded.alive_until")
                        .bind(owner_)
                        .bind(lease_ms)
                        .exec();
        !st) {
        return st;
    }
    // Servers gone for a day are forgotten.
    if (Status st = q("DELETE FROM scheduler_servers"
                      " WHERE alive_until < leadflow_now_ms() - 86400000")
                        .exec();
        !st) {
        return st;
    }
    auto alive = q("SELECT count(*) FROM scheduler_servers WHERE alive_until >= leadflow_now_ms()")
                     .single_i64();
    if (!alive.ok()) return alive.status();
    // Only the ids without a row: an INSERT that meets an existing row whose lease a running
    // transaction holds (renewed, so a new row version) would wait for that transaction.
    if (Status st = q("INSERT INTO scheduler_leases(workflow_id)"
                      " SELECT id FROM unnest($1::text[]) AS u(id) WHERE NOT EXISTS"
                      " (SELECT 1 FROM scheduler_leases l WHERE l.workflow_id = u.id)"
                      " ORDER BY id ON CONFLICT DO NOTHING")
                        .bind(all)
                        .exec();
        !st) {
        return st;
    }
    auto mine = live_hold_workflows(ids, lease_ms);  // renewed
    if (!mine.ok()) return mine.status();
    std::vector<std::string> held = std::move(mine.value());
    std::sort(held.begin(), held.end());
    const std::int64_t servers = std::max<std::int64_t>(1, alive.value());
    const auto share =
        static_cast<std::size_t>((static_cast<std::int64_t>(ids.size()) + servers - 1) / servers);
    if (held.size() > share) {
        // Beyond the fair share (a server joined): the rest go back for the others to take.
        std::vector<std::string> extra(held.begin() + static_cast<std::ptrdiff_t>(share),
                                       held.end());
        held.resize(share);
        if (Status st = q("UPDATE scheduler_leases SET owner = NULL, lease_until = 0"
                          " WHERE workflow_id = ANY($1::text[]) AND owner = $2")
                            .bind(text_array(extra))
                            .bind(owner_)
                            .exec();
            !st) {
            return st;
        }
    } else if (held.size() < share) {
        auto taken =
            q("UPDATE scheduler_leases s SET owner = $2, lease_until = leadflow_now_ms() + $3"
              " FROM (SELECT workflow_id FROM scheduler_leases"
              "  WHERE workflow_id = ANY($1::text[])"
              "   AND (owner IS NULL OR lease_until < leadflow_now_ms())"
              "  ORDER BY workflow_id LIMIT $4 FOR UPDATE SKIP LOCKED) f"
              " WHERE s.workflow_id = f.workflow_id RETURNING s.workflow_id")
                .bind(all)
                .bind(owner_)
                .bind(lease_ms)
                .bind(static_cast<std::int64_t>(share - held.size()))
                .rows(read_id);
        if (!taken.ok()) return taken.status();
        held.insert(held.end(), taken->begin(), taken->end());
    }
    return held;
}

}  // namespace leadflow::server::pg_internal
