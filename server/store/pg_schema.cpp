// server/store/pg_schema.cpp — the PostgreSQL schema: its migrations, in order.
#include <string>

#include "store/pg_internal.hpp"

namespace leadflow::server::pg_internal {
namespace {

// [SECTION] Schema and migrations
//
// Migrations only ever get appended; a released one is never edited. The schema holds the same
// records as the SQLite one (sqlite_schema.cpp at its latest version); times are milliseconds
// since the epoch (bigint), JSON is kept as the text the server wrote. Lead counts per status
// are kept by triggers so that reading a workflow never scans its leads.
const char* const kMigrations[] = {
    // 1: the schema
    R"sql(
CREATE TABLE organizations (
    id text PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created_at bigint NOT NULL
);
CREATE TABLE api_keys (
    id text PRIMARY KEY,
    seq bigserial NOT NULL,
    organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    salt text NOT NULL,
    secret_hash text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint,
    revoked_at bigint,
    read_only boolean NOT NULL DEFAULT false
);
CREATE INDEX api_keys_by_organization ON api_keys(organization_id, created_at, seq);
CREATE TABLE workflows (
    id text PRIMARY KEY,
    seq bigserial NOT NULL UNIQUE,
    organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    status text NOT NULL,
    entry_node_id text,
    settings text NOT NULL,
    extra text NOT NULL DEFAULT '{}',
    scenario text,
    problems text NOT NULL DEFAULT '[]',
    published_version bigint,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    activated_at bigint,
    completed_at bigint
);
CREATE INDEX workflows_by_org ON workflows(organization_id, created_at);
CREATE INDEX workflows_runnable ON workflows(status) WHERE status IN ('active', 'cancelled');
CREATE TABLE nodes (
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id text NOT NULL,
    seq bigint NOT NULL,
    node_type text NOT NULL,
    label text NOT NULL,
    position_x double precision NOT NULL,
    position_y double precision NOT NULL,
    config text NOT NULL,
    extra text NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE INDEX nodes_by_seq ON nodes(workflow_id, seq);
CREATE TABLE edges (
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    id text NOT NULL,
    seq bigint NOT NULL,
    from_node_id text NOT NULL,
    to_node_id text NOT NULL,
    label text,
    position bigint NOT NULL,
    extra text NOT NULL,
    PRIMARY KEY (workflow_id, id)
);
CREATE INDEX edges_by_seq ON edges(workflow_id, seq);
CREATE TABLE workflow_versions (
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    number bigint NOT NULL,
    graph text NOT NULL,
    scenario text,
    migrate text NOT NULL,
    node_map text NOT NULL DEFAULT '{}',
    note text NOT NULL DEFAULT '',
    published_by text,
    node_count bigint NOT NULL,
    edge_count bigint NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (workflow_id, number)
);
CREATE TABLE leads (
    id text PRIMARY KEY,
    seq bigserial NOT NULL,
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    phone_number text NOT NULL,
    variables text NOT NULL,
    metadata text,
    status text NOT NULL,
    current_node_id text,
    phase text NOT NULL,
    entered_at bigint,
    release_at bigint,
    call_id text,
    steps bigint NOT NULL DEFAULT 0,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    completed_at bigint,
    state text,
    version bigint,
    version_seen bigint,
    due_at bigint,
    frozen_ms bigint,
    slot_wait_at bigint,
    last_analysis text,
    last_response text,
    pending_event text
);
CREATE INDEX leads_by_workflow ON leads(workflow_id, seq);
CREATE INDEX leads_by_workflow_status ON leads(workflow_id, status);
CREATE INDEX leads_due ON leads(workflow_id, due_at, seq) WHERE due_at IS NOT NULL;
CREATE INDEX leads_frozen ON leads(workflow_id) WHERE frozen_ms IS NOT NULL;
CREATE INDEX leads_to_start ON leads(workflow_id, created_at, seq)
    WHERE status = 'active' AND state IS NULL;
CREATE INDEX leads_slot_wait ON leads(workflow_id, slot_wait_at, seq)
    WHERE slot_wait_at IS NOT NULL;
CREATE INDEX leads_in_call ON leads(workflow_id, status) WHERE phase = 'in_call';
CREATE INDEX leads_in_action ON leads(workflow_id, status) WHERE phase = 'in_action';
CREATE INDEX leads_stuck ON leads(workflow_id, status) WHERE phase = 'stuck';
CREATE TABLE lead_counts (
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    status text NOT NULL,
    n bigint NOT NULL,
    PRIMARY KEY (workflow_id, status)
);
CREATE FUNCTION leadflow_count_leads_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_counts(workflow_id, status, n)
    SELECT workflow_id, status, count(*) FROM new_leads GROUP BY workflow_id, status
    ON CONFLICT (workflow_id, status) DO UPDATE SET n = lead_counts.n + excluded.n;
    RETURN NULL;
END $$;
CREATE FUNCTION leadflow_count_leads_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lead_counts c SET n = c.n - o.n
    FROM (SELECT workflow_id, status, count(*) AS n FROM old_leads
          GROUP BY workflow_id, status) o
    WHERE c.workflow_id = o.workflow_id AND c.status = o.status;
    RETURN NULL;
END $$;
CREATE FUNCTION leadflow_count_lead_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lead_counts SET n = n - 1 WHERE workflow_id = OLD.workflow_id AND status = OLD.status;
    INSERT INTO lead_counts(workflow_id, status, n) VALUES (NEW.workflow_id, NEW.status, 1)
    ON CONFLICT (workflow_id, status) DO UPDATE SET n = lead_counts.n + 1;
    RETURN NULL;
END $$;
-- Inserts and deletes are counted per statement: a row trigger updating the same count row
-- once per lead makes a statement over n leads take time quadratic in n, each update walking
-- the row versions the previous ones left in the transaction. A status change is counted per
-- row, so that an UPDATE leaving the status alone (the scheduler's steps) fires nothing; a
-- statement changing the status of many leads sets leadflow.recount_leads and recounts the
-- workflow's leads afterwards instead (pg_tx_leads.cpp, update_leads_recounting).
CREATE TRIGGER leads_count_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadflow_count_leads_in();
CREATE TRIGGER leads_count_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadflow_count_leads_out();
CREATE TRIGGER leads_count_update AFTER UPDATE OF status ON leads FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          AND current_setting('leadflow.recount_leads', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION leadflow_count_lead_moved();
CREATE TABLE lead_variable_keys (
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    key text NOT NULL,
    PRIMARY KEY (workflow_id, key)
);
CREATE TABLE history (
    id bigserial PRIMARY KEY,
    lead_id text NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    entry text NOT NULL
);
CREATE INDEX history_by_lead ON history(lead_id, id);
CREATE TABLE calls (
    id text PRIMARY KEY,
    seq bigserial NOT NULL,
    organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    lead_id text NOT NULL,
    node_id text NOT NULL,
    status text NOT NULL,
    outcome text,
    end_reason text,
    duration_s double precision,
    analysis text NOT NULL DEFAULT '{}',
    created_at bigint NOT NULL,
    ended_at bigint
);
CREATE INDEX calls_by_org ON calls(organization_id, created_at, seq);
CREATE INDEX calls_in_flight ON calls(workflow_id) WHERE status = 'in_progress';
CREATE TABLE user_webhooks (
    id text PRIMARY KEY,
    seq bigserial NOT NULL,
    organization_id text NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    url text NOT NULL,
    events text NOT NULL,
    secret text NOT NULL,
    created_at bigint NOT NULL
);
CREATE TABLE share_links (
    id text PRIMARY KEY,
    organization_id text NOT NULL,
    fragment text NOT NULL,
    created_at bigint NOT NULL
);
CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    kind text NOT NULL,
    workflow_id text NOT NULL,
    lead_id text NOT NULL,
    payload text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    done_at bigint,
    created_at bigint NOT NULL
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE done_at IS NULL;
CREATE TABLE runtime_meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
)sql",
    // 2: per-node aggregates for calibration and drift, as SQLite's migration 10 (see there).
    // Calls and leads are counted per statement (the scheduler writes them in batches), each
    // statement's rows grouped before the upsert so that a count row is written once per
    // statement; the rows are upserted in key order, so two writers lock them in one order.
    R"sql(
CREATE TABLE node_stats (
    workflow_id text NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
    version bigint NOT NULL,
    node_id text NOT NULL,
    hour bigint NOT NULL,
    metric text NOT NULL,
    attr text NOT NULL,
    value text NOT NULL,
    n bigint NOT NULL,
    total double precision NOT NULL,
    total_sq double precision NOT NULL,
    PRIMARY KEY (workflow_id, node_id, metric, attr, value, version, hour)
);
-- A call's analysis as an object; text that is not a JSON object counts as none.
CREATE FUNCTION leadflow_analysis_object(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j jsonb;
BEGIN
    j := t::jsonb;
    IF jsonb_typeof(j) = 'object' THEN RETURN j; END IF;
    RETURN '{}'::jsonb;
EXCEPTION WHEN others THEN
    RETURN '{}'::jsonb;
END $$;
CREATE FUNCTION leadflow_add_call_stats(ended calls[]) RETURNS void LANGUAGE sql AS $$
INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                       total_sq)
SELECT c.workflow_id, coalesce(l.version, 0), c.node_id,
       coalesce(c.ended_at, c.created_at) / 3600000, 'outcome', '', c.outcome, count(*),
       sum(coalesce(c.duration_s, 0)), sum(coalesce(c.duration_s, 0) * coalesce(c.duration_s, 0))
FROM unnest(ended) c LEFT JOIN leads l ON l.id = c.lead_id
GROUP BY 1, 2, 3, 4, 7
ORDER BY 1, 3, 7, 2, 4
ON CONFLICT (workflow_id, node_id, metric, attr, value, version, hour) DO UPDATE
SET n = node_stats.n + excluded.n, total = node_stats.total + excluded.total,
    total_sq = node_stats.total_sq + excluded.total_sq;
INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                       total_sq)
SELECT c.workflow_id, coalesce(l.version, 0), c.node_id,
       coalesce(c.ended_at, c.created_at) / 3600000, 'analysis', a.key,
       CASE jsonb_typeof(a.value) WHEN 'string' THEN a.value #>> '{}' ELSE a.value::text END,
       count(*), 0, 0
FROM unnest(ended) c LEFT JOIN leads l ON l.id = c.lead_id
CROSS JOIN LATERAL jsonb_each(leadflow_analysis_object(c.analysis)) a
WHERE c.outcome = 'COMPLETED' AND c.analysis <> '{}'
  AND jsonb_typeof(a.value) NOT IN ('object', 'array', 'null')
GROUP BY 1, 2, 3, 4, 6, 7
ORDER BY 1, 3, 6, 7, 2, 4
ON CONFLICT (workflow_id, node_id, metric, attr, value, version, hour) DO UPDATE
SET n = node_stats.n + excluded.n;
$$;
CREATE FUNCTION leadflow_calls_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leadflow_add_call_stats(ARRAY(SELECT n::calls FROM new_calls n
                                          WHERE n.outcome IS NOT NULL));
    RETURN NULL;
END $$;
CREATE FUNCTION leadflow_calls_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM leadflow_add_call_stats(ARRAY(SELECT n::calls FROM new_calls n
                                          JOIN old_calls o ON o.id = n.id
                                          WHERE o.outcome IS NULL AND n.outcome IS NOT NULL));
    RETURN NULL;
END $$;
CREATE FUNCTION leadflow_leads_arrived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                           total_sq)
    SELECT workflow_id, 0, '', created_at / 3600000, 'arrival', '', '', count(*), 0, 0
    FROM new_leads GROUP BY 1, 4 ORDER BY 1, 4
    ON CONFLICT (workflow_id, node_id, metric, attr, value, version, hour) DO UPDATE
    SET n = node_stats.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER calls_stats_insert AFTER INSERT ON calls REFERENCING NEW TABLE AS new_calls
    FOR EACH STATEMENT EXECUTE FUNCTION leadflow_calls_inserted();
CREATE TRIGGER calls_stats_end AFTER UPDATE ON calls
    REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
    FOR EACH STATEMENT EXECUTE FUNCTION leadflow_calls_ended();
CREATE TRIGGER leads_stats_arrival AFTER INSERT ON leads REFERENCING NEW TABLE AS new_leads
    FOR EACH STATEMENT EXECUTE FUNCTION leadflow_leads_arrived();
DO $$
DECLARE w text;
BEGIN
    FOR w IN SELECT id FROM workflows LOOP
        PERFORM leadflow_add_call_stats(ARRAY(SELECT c FROM calls c
                                              WHERE c.workflow_id = w AND c.outcome IS NOT NULL));
    END LOOP;
END $$;
INSERT INTO node_stats(workflow_id, version, node_id, hour, metric, attr, value, n, total,
                       total_sq)
SELECT workflow_id, 0, '', created_at / 3600000, 'arrival', '', '', count(*), 0, 0
FROM leads GROUP BY 1, 4;
)sql",
    // 3: the ended-calls trigger plans its join of the two transition tables on every statement.
    // PL/pgSQL keeps a static query's plan for the session: one made for a small first statement
    // (a nested loop) would be reused for batches of hundreds of calls and take quadratic time
    // inside the scheduler's write turn. EXECUTE plans with the actual row counts (a hash join).
    R"sql(
CREATE OR REPLACE FUNCTION leadflow_calls_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'SELECT leadflow_add_call_stats(ARRAY(SELECT n::calls FROM new_calls n'
            ' JOIN old_calls o ON o.id = n.id'
            ' WHERE o.outcome IS NULL AND n.outcome IS NOT NULL))';
    RETURN NULL;
END $$;
)sql",
    // 4: the foreign keys of the rows the scheduler writes by the thousand. A history row is
    // written only through its lead's row (the insert joins it); a call only with its lead's
    // workflow and organization, read in the same transaction; organizations are never deleted,
    // and PgTx::delete_workflow deletes a workflow's calls and its leads' history itself. Each
    // key's check is a query per row after the insert: a third of a history row's cost and of a
    // call's.
    R"sql(
ALTER TABLE history DROP CONSTRAINT history_lead_id_fkey;
ALTER TABLE calls DROP CONSTRAINT calls_organization_id_fkey;
ALTER TABLE calls DROP CONSTRAINT calls_workflow_id_fkey;
)sql",
    // 5: every text column compares bytes (COLLATE "C"), whatever the database's locale. Ids,
    // statuses and keys are what the indexes hold; under a language's collation each comparison
    // in an index goes through strcoll(), and every index of `leads` starts with the workflow id
    // that all of a workflow's leads share. It is also the order SQLite's BINARY collation gives,
    // so both backends list ties and variable keys alike. One ALTER per table, so each index is
    // rebuilt once. Tables added later declare their text columns COLLATE "C". A trigger that
    // names a column (leads_count_update) is made again around the change.
    R"sql(
DROP TRIGGER leads_count_update ON leads;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.table_name,
                    string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', c.column_name),
                               ', ' ORDER BY c.ordinal_position) AS alters
             FROM information_schema.columns c
             WHERE c.table_schema = current_schema() AND c.data_type = 'text'
               AND c.collation_name IS DISTINCT FROM 'C'
               AND c.table_name IN ('organizations', 'api_keys', 'workflows', 'nodes', 'edges',
                                    'workflow_versions', 'leads', 'lead_counts',
                                    'lead_variable_keys', 'history', 'calls', 'user_webhooks',
                                    'share_links', 'outbox', 'runtime_meta', 'node_stats')
             GROUP BY c.table_name ORDER BY c.table_name
    LOOP
        EXECUTE format('ALTER TABLE %I %s', r.table_name, r.alters);
    END LOOP;
END $$;
CREATE TRIGGER leads_count_update AFTER UPDATE OF status ON leads FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          AND current_setting('leadflow.recount_leads', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION leadflow_count_lead_moved();
)sql",
    // 6: the schedulers' workflow leases (Store::lease_workflows). A server is alive while its
    // alive_until is ahead of the database's clock; a workflow is served by the owner of its
    // lease while lease_until is. Times are the database's (leadflow_now_ms), so that the
    // servers' own clocks need not agree.
    R"sql(
CREATE FUNCTION leadflow_now_ms() RETURNS bigint LANGUAGE sql VOLATILE
    AS $$ SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint $$;
CREATE TABLE scheduler_servers (
    owner text COLLATE "C" PRIMARY KEY,
    alive_until bigint NOT NULL
);
CREATE TABLE scheduler_leases (
    workflow_id text COLLATE "C" PRIMARY KEY,
    owner text COLLATE "C",
    lease_until bigint NOT NULL DEFAULT 0
);
)sql",
};
constexpr int kLatestVersion = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

// The session advisory lock that serializes migrations between servers starting together.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7204319011)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7204319011)";

Status migrate_locked(Connection& c, int& version) {
    if (Status st = c.exec("CREATE TABLE IF NOT EXISTS leadflow_schema (version integer NOT NULL);"
                           "INSERT INTO leadflow_schema(version) SELECT 0"
                           " WHERE NOT EXISTS (SELECT 1 FROM leadflow_schema)");
        !st) {
        return Status::internal("cannot create the schema table: " + st.message());
    }
    auto v = Query(c, "SELECT max(version) FROM leadflow_schema").single_i64();
    if (!v.ok()) return v.status();
    version = static_cast<int>(v.value());
    if (version > kLatestVersion) {
        return Status::precondition("the database schema (version " + std::to_string(version) +
                                    ") is newer than this server understands (" +
                                    std::to_string(kLatestVersion) + ")");
    }
    for (int i = version; i < kLatestVersion; ++i) {
        Status st = c.exec(std::string("BEGIN;") + kMigrations[i]);
        if (st) {
            st =
                c.exec("UPDATE leadflow_schema SET version = " + std::to_string(i + 1) + ";COMMIT");
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

}  // namespace

int latest_schema_version() {
    return kLatestVersion;
}

Status migrate_schema(Connection& c, int& version) {
    if (Status st = c.exec(kMigrationLock); !st) return st;
    Status st = migrate_locked(c, version);
    c.exec(kMigrationUnlock);
    return st;
}

}  // namespace leadflow::server::pg_internal
