// server/store/sqlite_schema.cpp — the SQLite schema: its migrations, in order, and the steps of
// them that run in C++.
#include <chrono>
#include <string>

#include "store/sqlite_internal.hpp"
#include "store/sqlite_store.hpp"

namespace leadflow::server::sqlite_internal {
namespace {

// [SECTION] Schema and migrations
//
// Migrations only ever get appended; a released one is never edited. Lead counts per status are
// kept by triggers so that reading a workflow never scans its leads.
const char* const kMigrations[] = {
    // 1: initial schema
    R"sql(
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    entry_node_id TEXT,
    settings TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}',
    scenario TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    activated_at INTEGER,
    completed_at INTEGER
);
CREATE INDEX workflows_by_org ON workflows(organization_id, created_at);
CREATE TABLE nodes (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    node_type TEXT NOT NULL,
    label TEXT NOT NULL,
    position_x REAL NOT NULL,
    position_y REAL NOT NULL,
    config TEXT NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE TABLE edges (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    from_node_id TEXT NOT NULL,
    to_node_id TEXT NOT NULL,
    label TEXT,
    position INTEGER NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    phone_number TEXT NOT NULL,
    variables TEXT NOT NULL,
    status TEXT NOT NULL,
    current_node_id TEXT,
    phase TEXT NOT NULL,
    entered_at INTEGER,
    release_at INTEGER,
    call_id TEXT,
    steps INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
);
CREATE INDEX leads_by_workflow ON leads(workflow_id);
CREATE INDEX leads_by_workflow_status ON leads(workflow_id, status);
CREATE TABLE lead_counts (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, status)
) WITHOUT ROWID;
CREATE TRIGGER leads_count_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_counts(workflow_id, status, n) VALUES (new.workflow_id, new.status, 1)
    ON CONFLICT(workflow_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER leads_count_update AFTER UPDATE OF status ON leads
WHEN old.status <> new.status BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE workflow_id = old.workflow_id AND status = old.status;
    INSERT INTO lead_counts(workflow_id, status, n) VALUES (new.workflow_id, new.status, 1)
    ON CONFLICT(workflow_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE workflow_id = old.workflow_id AND status = old.status;
END;
CREATE TABLE lead_variable_keys (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    PRIMARY KEY (workflow_id, key)
) WITHOUT ROWID;
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    entry TEXT NOT NULL
);
CREATE INDEX history_by_lead ON history(lead_id, id);
CREATE TABLE calls (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    lead_id TEXT NOT NULL,
    node_id TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    end_reason TEXT,
    duration_s REAL,
    analysis TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX calls_by_org ON calls(organization_id, created_at);
CREATE TABLE user_webhooks (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
)sql",
    // 2: live progression — engine state and scheduling columns on leads (due_at indexed so a
    // tick reads only what is due), graph versions, the outbox and runtime key/values.
    R"sql(
ALTER TABLE leads ADD COLUMN state TEXT;
ALTER TABLE leads ADD COLUMN due_at INTEGER;
ALTER TABLE leads ADD COLUMN frozen_ms INTEGER;
ALTER TABLE leads ADD COLUMN slot_wait_at INTEGER;
ALTER TABLE leads ADD COLUMN last_analysis TEXT;
ALTER TABLE leads ADD COLUMN last_response TEXT;
ALTER TABLE leads ADD COLUMN pending_event TEXT;
CREATE INDEX leads_due ON leads(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX leads_frozen ON leads(workflow_id) WHERE frozen_ms IS NOT NULL;
CREATE INDEX leads_to_start ON leads(created_at) WHERE status = 'active' AND state IS NULL;
CREATE INDEX leads_slot_wait ON leads(workflow_id, slot_wait_at) WHERE slot_wait_at IS NOT NULL;
CREATE INDEX leads_by_workflow_phase ON leads(workflow_id, phase);
ALTER TABLE workflows ADD COLUMN graph_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER nodes_version_insert AFTER INSERT ON nodes BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER nodes_version_update AFTER UPDATE ON nodes BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER nodes_version_delete AFTER DELETE ON nodes BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = old.workflow_id;
END;
CREATE TRIGGER edges_version_insert AFTER INSERT ON edges BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER edges_version_update AFTER UPDATE ON edges BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.workflow_id;
END;
CREATE TRIGGER edges_version_delete AFTER DELETE ON edges BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = old.workflow_id;
END;
CREATE TRIGGER workflows_version_settings AFTER UPDATE OF settings, entry_node_id ON workflows
BEGIN
    UPDATE workflows SET graph_version = graph_version + 1 WHERE id = new.id;
END;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    workflow_id TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    done_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE done_at IS NULL;
CREATE TABLE runtime_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 3: short share links survive restarts.
    R"sql(
CREATE TABLE share_links (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    fragment TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 4: cheaper scheduler writes. A lead's history is a chain: each row names the lead's
    // previous row (prev_id) and the lead its newest (history_last), so a step's history rows
    // are appended at the end of one B-tree instead of also going into a per-lead index at a
    // random place. Leads are found by phase only for the few phases that need it (calls and
    // actions in flight, stuck leads), through partial indexes that hold only those leads,
    // instead of an index of every lead's phase rewritten at every phase change; they cover
    // the counts (workflow, status, phase), so counting calls in flight reads no lead row.
    R"sql(
CREATE TABLE history_chain (
    id INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    prev_id INTEGER,
    entry TEXT NOT NULL
);
INSERT INTO history_chain(id, lead_id, prev_id, entry)
    SELECT id, lead_id, lag(id) OVER (PARTITION BY lead_id ORDER BY id), entry FROM history;
ALTER TABLE leads ADD COLUMN history_last INTEGER;
UPDATE leads SET history_last = (SELECT max(id) FROM history WHERE history.lead_id = leads.id);
DROP TABLE history;
ALTER TABLE history_chain RENAME TO history;
DROP INDEX leads_by_workflow_phase;
CREATE INDEX leads_in_call ON leads(workflow_id, status, phase) WHERE phase = 'in_call';
CREATE INDEX leads_in_action ON leads(workflow_id, status, phase) WHERE phase = 'in_action';
CREATE INDEX leads_stuck ON leads(workflow_id, status, phase) WHERE phase = 'stuck';
)sql",
    // 5: the next node or edge number (max(seq) of the workflow) found in the index instead of
    // by reading every row of the workflow, once per inserted row.
    R"sql(
CREATE INDEX nodes_by_seq ON nodes(workflow_id, seq);
CREATE INDEX edges_by_seq ON edges(workflow_id, seq);
)sql",
    // 6: API keys can expire, be revoked and be read-only (`keys list|revoke|rotate`).
    R"sql(
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
CREATE INDEX api_keys_by_organization ON api_keys(organization_id, created_at);
)sql",
    // 7: workflow versions (docs/versions.md). Leads run on immutable published versions, so
    // edits no longer change what the scheduler runs and the graph-version triggers go. Due
    // leads and leads to start are found workflow by workflow (the scheduler is fair between
    // workflows); calls in flight are counted from the calls table (a removed lead's call
    // counts until it ends). The legacy status `running` is stored as `active`. A call left
    // `in_progress` by a lead that no longer waits for it (a node deleted under it before
    // versions existed) is closed as failed, so it stops counting against the call limit.
    // Workflows that had started get version 1 from their current graph (in C++, after this).
    R"sql(
CREATE TABLE workflow_versions (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    graph TEXT NOT NULL,
    scenario TEXT,
    migrate TEXT NOT NULL,
    node_map TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    published_by TEXT,
    node_count INTEGER NOT NULL,
    edge_count INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (workflow_id, number)
) WITHOUT ROWID;
ALTER TABLE workflows ADD COLUMN published_version INTEGER;
ALTER TABLE workflows ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
ALTER TABLE leads ADD COLUMN version INTEGER;
ALTER TABLE leads ADD COLUMN version_seen INTEGER;
UPDATE workflows SET status = 'active' WHERE status = 'running';
DROP TRIGGER nodes_version_insert;
DROP TRIGGER nodes_version_update;
DROP TRIGGER nodes_version_delete;
DROP TRIGGER edges_version_insert;
DROP TRIGGER edges_version_update;
DROP TRIGGER edges_version_delete;
DROP TRIGGER workflows_version_settings;
DROP INDEX leads_due;
DROP INDEX leads_to_start;
CREATE INDEX leads_due ON leads(workflow_id, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX leads_to_start ON leads(workflow_id, created_at)
    WHERE status = 'active' AND state IS NULL;
CREATE INDEX calls_in_flight ON calls(workflow_id) WHERE status = 'in_progress';
UPDATE calls SET status = 'failed', outcome = 'FAILED', end_reason = 'call_lost',
    ended_at = created_at
    WHERE status = 'in_progress' AND NOT EXISTS (SELECT 1 FROM leads
        WHERE leads.call_id = calls.id AND leads.phase = 'in_call'
        AND leads.status IN ('active', 'removed'));
)sql",
    // 8: the due-lead index is keyed by a small integer per workflow (`seq`) instead of the
    // workflow's text id: every engine step deletes and inserts an entry of that index, and the
    // narrower key makes each step cheaper while keeping due leads found workflow by workflow.
    // Triggers fill `seq` and `workflow_seq` for rows inserted without them (lead inserts set
    // it themselves; the triggers keep any other writer correct).
    R"sql(
ALTER TABLE workflows ADD COLUMN seq INTEGER;
UPDATE workflows SET seq = rowid;
CREATE UNIQUE INDEX workflows_seq ON workflows(seq);
CREATE TRIGGER workflows_seq AFTER INSERT ON workflows WHEN NEW.seq IS NULL BEGIN
    UPDATE workflows SET seq = (SELECT coalesce(max(seq), 0) + 1 FROM workflows)
        WHERE rowid = NEW.rowid;
END;
ALTER TABLE leads ADD COLUMN workflow_seq INTEGER;
UPDATE leads SET workflow_seq = (SELECT seq FROM workflows w WHERE w.id = leads.workflow_id);
CREATE TRIGGER leads_workflow_seq AFTER INSERT ON leads WHEN NEW.workflow_seq IS NULL BEGIN
    UPDATE leads SET workflow_seq = (SELECT seq FROM workflows WHERE id = NEW.workflow_id)
        WHERE rowid = NEW.rowid;
END;
DROP INDEX leads_due;
CREATE INDEX leads_due ON leads(workflow_seq, due_at) WHERE due_at IS NOT NULL;
)sql",
    // 9: a lead's `metadata` (DialNexa): the client's JSON object, stored as sent; NULL = none.
    R"sql(
ALTER TABLE leads ADD COLUMN metadata TEXT;
)sql",
    // 10: per-node aggregates for calibration and drift (docs/calibration.md): counts, sums
    // and sums of squares per workflow, version, node, hour and observed value, kept by
    // triggers as calls end and leads arrive (and by the scheduler for actions), so that
    // reading them never scans the call log. `version` is the version the call's lead ran
    // when the call ended (0: unknown, and for arrivals). Analysis values are those of
    // COMPLETED calls (the simulator draws analysis only for them); true and false are kept as
    // the words, other scalars as their text. Filled from the calls and leads already stored.
    R"sql(
CREATE TABLE node_stats (
    workflow_id TEXT NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    node_id TEXT NOT NULL,
    hour INTEGER NOT NULL,
    metric TEXT NOT NULL,
    attr TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    total REAL NOT NULL,
    total_sq REAL NOT NULL,
    PRIMARY KEY (workflow_id, node_id, metric, attr, value, version, hour)
) WITHOUT ROWID;
-- A call that ended, as both triggers below hand it over: the view holds no rows; inserting
-- into it counts the call.
CREATE VIEW calls_ended AS
    SELECT workflow_id, lead_id, node_id, outcome, duration_s, analysis, created_at, ended_at
    FROM calls WHERE 0;
CREATE TRIGGER calls_ended_count INSTEAD OF INSERT ON calls_ended BEGIN
    INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                           total_sq)
    VALUES (new.workflow_id, coalesce((SELECT version FROM leads WHERE id = new.lead_id), 0),
            new.node_id, coalesce(new.ended_at, new.created_at) / 3600000, 'outcome', '',
            new.outcome, 1, coalesce(new.duration_s, 0),
            coalesce(new.duration_s, 0) * coalesce(new.duration_s, 0))
    ON CONFLICT DO UPDATE SET n = n + 1, total = total + excluded.total,
        total_sq = total_sq + excluded.total_sq;
    INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                           total_sq)
    SELECT new.workflow_id, coalesce((SELECT version FROM leads WHERE id = new.lead_id), 0),
           new.node_id, coalesce(new.ended_at, new.created_at) / 3600000, 'analysis', j.key,
           CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                ELSE CAST(j.value AS TEXT) END, 1, 0, 0
    FROM json_each(CASE WHEN json_valid(new.analysis) THEN new.analysis ELSE '{}' END) AS j
    WHERE new.outcome = 'COMPLETED' AND j.type NOT IN ('object', 'array', 'null')
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER calls_stats_end AFTER UPDATE OF outcome ON calls
WHEN old.outcome IS NULL AND new.outcome IS NOT NULL BEGIN
    INSERT INTO calls_ended VALUES (new.workflow_id, new.lead_id, new.node_id, new.outcome,
                                    new.duration_s, new.analysis, new.created_at, new.ended_at);
END;
CREATE TRIGGER calls_stats_insert AFTER INSERT ON calls WHEN new.outcome IS NOT NULL BEGIN
    INSERT INTO calls_ended VALUES (new.workflow_id, new.lead_id, new.node_id, new.outcome,
                                    new.duration_s, new.analysis, new.created_at, new.ended_at);
END;
CREATE TRIGGER leads_stats_arrival AFTER INSERT ON leads BEGIN
    INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                           total_sq)
    VALUES (new.workflow_id, 0, '', new.created_at / 3600000, 'arrival', '', '', 1, 0, 0)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                       total_sq)
SELECT c.workflow_id, coalesce(l.version, 0), c.node_id,
       coalesce(c.ended_at, c.created_at) / 3600000, 'outcome', '', c.outcome, count(*),
       sum(coalesce(c.duration_s, 0)), sum(coalesce(c.duration_s, 0) * coalesce(c.duration_s, 0))
FROM calls c LEFT JOIN leads l ON l.id = c.lead_id
WHERE c.outcome IS NOT NULL
GROUP BY 1, 2, 3, 4, 7;
INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                       total_sq)
SELECT c.workflow_id, coalesce(l.version, 0), c.node_id,
       coalesce(c.ended_at, c.created_at) / 3600000, 'analysis', j.key,
       CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
            ELSE CAST(j.value AS TEXT) END, count(*), 0, 0
FROM calls c LEFT JOIN leads l ON l.id = c.lead_id,
     json_each(CASE WHEN json_valid(c.analysis) THEN c.analysis ELSE '{}' END) AS j
WHERE c.outcome = 'COMPLETED' AND j.type NOT IN ('object', 'array', 'null')
GROUP BY 1, 2, 3, 4, 6, 7;
INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                       total_sq)
SELECT workflow_id, 0, '', created_at / 3600000, 'arrival', '', '', count(*), 0, 0
FROM leads GROUP BY 1, 4;
)sql",
};
constexpr int kLatestVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
// The migration that introduced workflow versions; it ends with a step in C++
// (SqliteTx::snapshot_started_workflows).
constexpr int kVersionsMigration = 7;

Result<int> pragma_int(Connection& c, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(c.db, sql, -1, &s, nullptr) != SQLITE_OK) {
        return Status::internal(std::string("sqlite: ") + sqlite3_errmsg(c.db));
    }
    int v = 0;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

}  // namespace

Status migrate_schema(Connection& c, int target, int& version) {
    if (target <= 0 || target > kLatestVersion) target = kLatestVersion;
    auto v = pragma_int(c, "PRAGMA user_version");
    if (!v.ok()) return v.status();
    version = v.value();
    if (version > kLatestVersion) {
        return Status::precondition("the database schema (version " + std::to_string(version) +
                                    ") is newer than this server understands (" +
                                    std::to_string(kLatestVersion) + ")");
    }
    for (int i = version; i < target; ++i) {
        Status st = c.exec(std::string("BEGIN IMMEDIATE;") + kMigrations[i]);
        if (st && i + 1 == kVersionsMigration) {
            SqliteTx tx(c.db, &c.cache);
            const auto now = std::chrono::system_clock::now().time_since_epoch();
            st = tx.snapshot_started_workflows(
                std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
        }
        if (st) {
            st = c.exec("PRAGMA user_version = " + std::to_string(i + 1) + ";COMMIT;");
        }
        if (!st) {
            c.exec("ROLLBACK");
            return Status::internal("migration " + std::to_string(i + 1) +
                                    " failed: " + st.message());
        }
        version = i + 1;
    }
    return Status::ok();
}

// Migration 7's second half: every workflow that has started gets version 1 from its
// current graph and scenario, its started leads run on it, and leads not started yet have
// no current node (their entry is resolved when they start).
Status SqliteTx::snapshot_started_workflows(TimeMs now) {
    std::vector<std::string> ids;
    {
        Stmt s =
            prep("SELECT id FROM workflows WHERE status <> 'draft' AND published_version IS NULL");
        auto rows = s.rows([](const Stmt& r) -> Result<std::string> { return r.text(0); });
        if (!rows.ok()) return rows.status();
        ids = std::move(rows.value());
    }
    for (const std::string& id : ids) {
        auto w = live_get_workflow(id);
        if (!w.ok()) return w.status();
        auto g = load_graph(*this, w.value());
        if (!g.ok()) return g.status();
        auto scenario = get_scenario(id);
        if (!scenario.ok()) return scenario.status();
        WorkflowVersion v;
        v.workflow_id = id;
        v.number = 1;
        v.graph = std::move(g.value());
        v.scenario = std::move(scenario.value());
        v.note = "the graph the workflow ran before versions existed";
        v.created_at = now;
        if (Status st = insert_version(v); !st) return st;
        Stmt s = prep(
            "UPDATE leads SET version = 1, version_seen = 1"
            " WHERE workflow_id = ? AND state IS NOT NULL");
        s.bind(id);
        if (Status st = s.exec(); !st) return st;
    }
    Stmt s = prep(
        "UPDATE leads SET current_node_id = NULL"
        " WHERE state IS NULL AND status IN ('pending', 'active')");
    return s.exec();
}

}  // namespace leadflow::server::sqlite_internal

namespace leadflow::server {

int sqlite_schema_latest_version() {
    return sqlite_internal::kLatestVersion;
}

}  // namespace leadflow::server
