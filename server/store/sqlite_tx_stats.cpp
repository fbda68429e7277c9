// server/store/sqlite_tx_stats.cpp — SqliteTx: the per-node aggregates behind calibration and
// drift (schema migration 10; docs/calibration.md). Calls and arrivals are counted by triggers;
// actions are counted here.

#include "store/sqlite_internal.hpp"

namespace leadflow::server::sqlite_internal {

namespace {
constexpr TimeMs kHourMs = 3'600'000;
}  // namespace

Result<std::vector<NodeStat>> SqliteTx::node_stats(const NodeStatQuery& q) {
    Stmt s = prep(
        "SELECT node_id, metric, attr, value, sum(n), sum(total), sum(total_sq), min(hour),"
        " max(hour) FROM node_stats WHERE workflow_id = ?1 AND hour >= ?2"
        " AND (?3 IS NULL OR version = ?3 OR metric = 'arrival')"
        " GROUP BY node_id, metric, attr, value");
    s.bind(q.workflow_id).bind(q.since / kHourMs).bind(q.version);
    return s.rows([](const Stmt& r) -> Result<NodeStat> {
        NodeStat st;
        st.node_id = r.text(0);
        st.metric = r.text(1);
        st.attr = r.text(2);
        st.value = r.text(3);
        st.n = r.i64(4);
        st.total = r.dbl(5);
        st.total_sq = r.dbl(6);
        st.first_hour = r.i64(7) * kHourMs;
        st.last_hour = r.i64(8) * kHourMs;
        return st;
    });
}

Status SqliteTx::live_record_action(const ActionSample& a) {
    static const std::string kSql =
        "INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n,"
        " total, total_sq) VALUES (?, ?, ?, ?, 'action', '', ?, 1, ?, ?)"
        " ON CONFLICT DO UPDATE SET n = n + 1, total = total + excluded.total,"
        " total_sq = total_sq + excluded.total_sq";
    return write(kSql, nullptr, [&](auto& s) {
        s.bind(a.workflow_id).bind(a.version).bind(a.node_id).bind(a.at / kHourMs);
        s.bind(std::string(a.ok ? "ok" : "failed")).bind(a.latency_s);
        s.bind(a.latency_s * a.latency_s);
    });
}

}  // namespace leadflow::server::sqlite_internal
