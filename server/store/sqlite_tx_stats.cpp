// server/store/sqlite_tx_stats.cpp — SqliteTx: the per-node aggregates behind calibration and
// drift (schema migration 10; docs/calibration.md). Calls and arrivals are counted by triggers;
// actions are counted here. The active leads a forecast reads are here too.

#include "store/row_readers.hpp"
#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

Result<std::vector<NodeStat>> SqliteTx::node_stats(const NodeStatQuery& q) {
    Stmt s = prep(
        "SELECT node_id, metric, attr, value, sum(n), sum(total), sum(total_sq), min(hour),"
        " max(hour) FROM node_stats WHERE workflow_id = ?1 AND hour >= ?2"
        " AND (?3 IS NULL OR version = ?3 OR metric = 'arrival')"
        " GROUP BY node_id, metric, attr, value");
    s.bind(q.workflow_id).bind(q.since / rows::kStatsHourMs).bind(q.version);
    return s.rows(rows::read_node_stat<Stmt>);
}

Status SqliteTx::forecast_leads(const std::string& workflow_id,
                                const std::function<Status(ForecastLeadRow&)>& each) {
    Stmt s = prep(
        "SELECT id, state, variables, slot_wait_at, frozen_ms FROM leads"
        " INDEXED BY leads_by_workflow_status"
        " WHERE workflow_id = ?1 AND status IN ('pending', 'active')");
    s.bind(workflow_id);
    ForecastLeadRow row;
    auto read = s.rows([&](const Stmt& r) -> Result<bool> {
        if (Status st = rows::read_forecast_lead(r, row); !st) return st;
        if (Status st = each(row); !st) return st;
        return true;
    });
    return read.ok() ? Status::ok() : read.status();
}

Status SqliteTx::live_record_action(const ActionSample& a) {
    static const std::string kSql =
        "INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n,"
        " total, total_sq) VALUES (?, ?, ?, ?, 'action', '', ?, 1, ?, ?)"
        " ON CONFLICT DO UPDATE SET n = n + 1, total = total + excluded.total,"
        " total_sq = total_sq + excluded.total_sq";
    return write(kSql, nullptr, [&](auto& s) {
        s.bind(a.workflow_id).bind(a.version).bind(a.node_id).bind(a.at / rows::kStatsHourMs);
        s.bind(std::string(a.ok ? "ok" : "failed")).bind(a.latency_s);
        s.bind(a.latency_s * a.latency_s);
    });
}

}  // namespace leadflow::server::sqlite_internal
