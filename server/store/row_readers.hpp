// server/store/row_readers.hpp — private to server/store: the rows every backend stores alike
// (the same columns, in the same order, holding the same text and numbers), read by one template
// over the backend's row type: sqlite_stmt.hpp's Stmt or pg_query.hpp's Row, each reading a
// column by index (is_null, text, opt_text, i64, opt_i64, dbl; a boolean column reads as 0 or 1
// through i64).
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

inline constexpr const char* kOrganizationColumns = "id, name, created_at";

template <typename R>
Result<Organization> read_organization(const R& r) {
    return Organization{r.text(0), r.text(1), r.i64(2)};
}

// API keys are read joined with their organization: the key's table is `k`.
inline constexpr const char* kApiKeyColumns =
    "k.id, k.organization_id, k.salt, k.secret_hash, k.created_at, k.expires_at,"
    " k.revoked_at, k.read_only";

template <typename R>
ApiKeyRecord read_api_key(const R& r) {
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

inline constexpr const char* kWorkflowColumns =
    "id, organization_id, title, description, status, entry_node_id, settings, extra,"
    " created_at, updated_at, activated_at, completed_at, published_version, problems";

template <typename R>
Result<Workflow> read_workflow(const R& r) {
    Workflow w;
    w.id = r.text(0);
    w.organization_id = r.text(1);
    w.title = r.text(2);
    w.description = r.text(3);
    auto status = parse_workflow_status(r.text(4));
    if (!status) return Status::internal("stored workflow status is unknown: " + r.text(4));
    w.status = *status;
    w.entry_node_id = r.opt_text(5);
    auto settings_json = stored::parse_stored_json(r.text(6), "settings");
    if (!settings_json.ok()) return settings_json.status();
    auto settings = settings_from_json(settings_json.value());
    if (!settings.ok()) return Status::internal("stored settings: " + settings.status().message());
    w.settings = std::move(settings.value());
    auto extra = stored::parse_stored_json(r.text(7), "workflow extra");
    if (!extra.ok()) return extra.status();
    w.extra = std::move(extra.value());
    w.created_at = r.i64(8);
    w.updated_at = r.i64(9);
    w.activated_at = r.opt_i64(10);
    w.completed_at = r.opt_i64(11);
    w.published_version = r.opt_i64(12);
    auto problems = stored::parse_stored_json(r.text(13), "workflow problems");
    if (!problems.ok()) return problems.status();
    w.problems = problems->is_array() ? std::move(problems.value()) : Json::array();
    return w;
}

// (status, n) rows; an unknown stored status reads as nullopt (skipped by the callers).
template <typename R>
Result<std::pair<std::optional<LeadStatus>, std::int64_t>> read_status_count(const R& r) {
    return std::pair<std::optional<LeadStatus>, std::int64_t>{parse_lead_status(r.text(0)),
                                                              r.i64(1)};
}

// Published versions without their graph and scenario (list_versions); get_version selects
// `graph, scenario` after these columns and reads them with read_version_graph.
inline constexpr const char* kVersionColumns =
    "workflow_id, number, migrate, node_map, note, published_by, node_count, edge_count,"
    " created_at";

template <typename R>
Result<WorkflowVersion> read_version(const R& r) {
    WorkflowVersion v;
    v.workflow_id = r.text(0);
    v.number = r.i64(1);
    v.migrate = r.text(2) == "move" ? MigrateMode::kMove : MigrateMode::kKeep;
    if (Status st = stored::read_string_map(r.text(3), v.node_map); !st) return st;
    v.note = r.text(4);
    v.published_by = r.opt_text(5);
    v.node_count = r.i64(6);
    v.edge_count = r.i64(7);
    v.created_at = r.i64(8);
    return v;
}

template <typename R>
Result<WorkflowVersion> read_version_graph(const R& r) {
    auto v = read_version(r);
    if (!v.ok()) return v.status();
    auto graph_json = stored::parse_stored_json(r.text(9), "version graph");
    if (!graph_json.ok()) return graph_json.status();
    auto graph = graph_from_json(graph_json.value());
    if (!graph.ok()) return Status::internal("stored version graph: " + graph.status().message());
    v->graph = std::move(graph.value());
    if (!r.is_null(10)) {
        auto sc = stored::parse_stored_json(r.text(10), "version scenario");
        if (!sc.ok()) return sc.status();
        v->scenario = std::move(sc.value());
    }
    return v;
}

inline constexpr const char* kNodeColumns =
    "id, node_type, label, position_x, position_y, config, extra";

template <typename R>
Result<Node> read_node(const R& r) {
    Node n;
    n.id = r.text(0);
    n.node_type_raw = r.text(1);
    n.type = parse_node_type(n.node_type_raw);
    n.label = r.text(2);
    n.position_x = r.dbl(3);
    n.position_y = r.dbl(4);
    auto config = stored::parse_stored_json(r.text(5), "node config");
    if (!config.ok()) return config.status();
    n.config = std::move(config.value());
    auto extra = stored::parse_stored_json(r.text(6), "node extra");
    if (!extra.ok()) return extra.status();
    n.extra = std::move(extra.value());
    return n;
}

inline constexpr const char* kEdgeColumns = "id, from_node_id, to_node_id, label, position, extra";

template <typename R>
Result<Edge> read_edge(const R& r) {
    Edge e;
    e.id = r.text(0);
    e.from_node_id = r.text(1);
    e.to_node_id = r.text(2);
    e.label = r.opt_text(3);
    e.position = r.i64(4);
    auto extra = stored::parse_stored_json(r.text(5), "edge extra");
    if (!extra.ok()) return extra.status();
    e.extra = std::move(extra.value());
    return e;
}

inline constexpr const char* kCallColumns =
    "id, organization_id, workflow_id, lead_id, node_id, status, outcome, end_reason,"
    " duration_s, analysis, created_at, ended_at";

template <typename R>
Result<CallRecord> read_call(const R& r) {
    CallRecord c;
    c.id = r.text(0);
    c.organization_id = r.text(1);
    c.workflow_id = r.text(2);
    c.lead_id = r.text(3);
    c.node_id = r.text(4);
    c.status = r.text(5);
    c.outcome = r.opt_text(6);
    c.end_reason = r.opt_text(7);
    if (!r.is_null(8)) c.duration_s = r.dbl(8);
    auto analysis = stored::parse_stored_json(r.text(9), "call analysis");
    if (!analysis.ok()) return analysis.status();
    c.analysis = std::move(analysis.value());
    c.created_at = r.i64(10);
    c.ended_at = r.opt_i64(11);
    return c;
}

inline constexpr const char* kWebhookColumns =
    "id, organization_id, url, events, secret, created_at";

template <typename R>
Result<UserWebhook> read_webhook(const R& r) {
    UserWebhook w;
    w.id = r.text(0);
    w.organization_id = r.text(1);
    w.url = r.text(2);
    Result<Json> events = stored::parse_stored_json(r.text(3), "webhook events");
    if (!events.ok()) return events.status();
    for (const Json& e : events.value()) {
        if (e.is_string()) w.events.push_back(e.get<std::string>());
    }
    w.secret = r.text(4);
    w.created_at = r.i64(5);
    return w;
}

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

// A workflow's per-node aggregates summed over the hours read (StoreTx::node_stats), selected as
// node_id, metric, attr, value, sum(n), sum(total), sum(total_sq), min(hour), max(hour); hours
// are counted in kStatsHourMs since the epoch.
inline constexpr TimeMs kStatsHourMs = 3'600'000;

template <typename R>
Result<NodeStat> read_node_stat(const R& r) {
    NodeStat st;
    st.node_id = r.text(0);
    st.metric = r.text(1);
    st.attr = r.text(2);
    st.value = r.text(3);
    st.n = r.i64(4);
    st.total = r.dbl(5);
    st.total_sq = r.dbl(6);
    st.first_hour = r.i64(7) * kStatsHourMs;
    st.last_hour = r.i64(8) * kStatsHourMs;
    return st;
}

// An active lead for a forecast (StoreTx::forecast_leads), selected as id, state, variables,
// slot_wait_at, frozen_ms; read into `out` so that its strings keep their capacity from row to
// row.
template <typename R>
Status read_forecast_lead(const R& r, ForecastLeadRow& out) {
    out.id = r.text(0);
    out.state = r.opt_text(1);
    out.variables.clear();
    if (Status st = stored::read_string_map(r.text(2), out.variables); !st) return st;
    out.slot_wait_at = r.opt_i64(3);
    out.frozen_ms = r.opt_i64(4);
    return Status::ok();
}

// CancellableLead from (id, current_node_id, version, entered_at, call_id).
template <typename R>
void read_cancellable_lead(const R& r, CancellableLead& out) {
    out.id = r.text(0);
    out.node_id = r.opt_text(1);
    out.version = r.opt_i64(2);
    out.entered_at = r.opt_i64(3);
    out.call_id = r.opt_text(4);
}

}  // namespace leadflow::server::rows
