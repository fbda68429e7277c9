// server/store/pg_tx_stats.cpp — PgTx: the per-node aggregates behind calibration and drift
// (schema migration 2; docs/calibration.md). Calls and arrivals are counted by statement
// triggers; actions are counted here. The active leads a forecast reads are here too.
#include "store/pg_internal.hpp"
#include "store/row_readers.hpp"

namespace leadflow::server::pg_internal {

Result<std::vector<NodeStat>> PgTx::node_stats(const NodeStatQuery& nq) {
    return q("SELECT node_id, metric, attr, value, sum(n), sum(total), sum(total_sq), min(hour),"
             " max(hour) FROM node_stats WHERE workflow_id = $1 AND hour >= $2"
             " AND ($3::bigint IS NULL OR version = $3::bigint OR metric = 'arrival')"
             " GROUP BY node_id, metric, attr, value")
        .bind(nq.workflow_id)
        .bind(nq.since / rows::kStatsHourMs)
        .bind(nq.version)
        .rows(rows::read_node_stat<Row>);
}

// Pages of kForecastPage leads in creation order (the index leads_by_workflow), so that the
// client holds one page's rows at a time instead of the whole result (about 400 bytes a lead).
// The read transaction is REPEATABLE READ: every page comes from one snapshot.
Status PgTx::forecast_leads(const std::string& workflow_id,
                            const std::function<Status(ForecastLeadRow&)>& each) {
    ForecastLeadRow row;
    return each_lead_in_pages(
        "SELECT id, state, variables, slot_wait_at, frozen_ms, seq FROM leads"
        " WHERE workflow_id = $1 AND seq > $2 AND status IN ('pending', 'active')"
        " ORDER BY seq LIMIT $3",
        workflow_id, 5, [&](const Row& r) {
            if (Status st = rows::read_forecast_lead(r, row); !st) return st;
            return each(row);
        });
}

Status PgTx::live_record_action(const ActionSample& a) {
    return q("INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n,"
             " total, total_sq) VALUES ($1, $2, $3, $4, 'action', '', $5, 1, $6, $7)"
             " ON CONFLICT (workflow_id, node_id, metric, attr, value, version, hour) DO UPDATE"
             " SET n = node_stats.n + 1, total = node_stats.total + excluded.total,"
             " total_sq = node_stats.total_sq + excluded.total_sq")
        .bind(a.workflow_id)
        .bind(a.version)
        .bind(a.node_id)
        .bind(a.at / rows::kStatsHourMs)
        .bind(a.ok ? "ok" : "failed")
        .bind(a.latency_s)
        .bind(a.latency_s * a.latency_s)
        .exec();
}

}  // namespace leadflow::server::pg_internal
