#!/usr/bin/env bash
# bench/calibration_pg.sh — bench/calibration.sh's reads on PostgreSQL: the lead-nurture workflow
# made over the REST API and activated, then LEADFLOW_BENCH_CALIBRATION_CALLS ended calls
# (default 10,000,000; 200,000 with --quick) and their leads bulk-loaded with psql, as
# INSERT … SELECT over generate_series in chunks of 100,000 leads (one transaction each), so that
# the statement triggers fill node_stats; then GET /v1/workflows/{id}/calibration and /drift over
# HTTP (one warm-up, 7 timed requests each), checked against the calls loaded. Leads follow the
# fixture's paths as in bench/calibration_load.py (call, on no answer wait two days and call
# again, up to three calls; outcomes from the fixture's scenario; an analysis on COMPLETED calls).
# One throwaway PostgreSQL server on a Unix socket (tests/pg/pg-temp-server), fsync=on,
# synchronous_commit=off as in bench/scale.sh. Rewrites the "calibration-pg" section of
# BENCHMARKS.md (not with --quick).
#
# Usage: bench/calibration_pg.sh [--quick] [NATIVE_BUILD_DIR] (default build/native).
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
dir=${1:-${LEADFLOW_BENCH_NATIVE_DIR:-build/native}}
# shellcheck source=bench/live_server.sh
. bench/live_server.sh
bin=$dir/server/leadflow-server
[ -x "$bin" ] || { echo "bench calibration-pg: $bin missing (scripts/build native)" >&2; exit 1; }
pg_options="-c max_wal_size=4GB"
on_temp_pg calibration-pg "$PWD/bench/calibration_pg.sh" "${args[@]}"
pg_uri=$LEADFLOW_TEST_PG
live_bench_setup calibration-pg "$bin"
if [ "$quick" = 1 ]; then calls=${LEADFLOW_BENCH_CALIBRATION_CALLS:-200000}; else calls=${LEADFLOW_BENCH_CALIBRATION_CALLS:-10000000}; fi
psql_run() { psql "$pg_uri" -v ON_ERROR_STOP=1 -qAt -c "SET client_min_messages = warning" -c "$1"; }
pg_version=$(psql_run "SHOW server_version")
pg_settings=$(psql_run "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size')")
psql_run "CREATE DATABASE calbench"
db=${pg_uri/\/\/\/postgres\?/\/\/\/calbench?}

echo "== calibration-pg: workflow from the lead-nurture fixture" >&2
start_api "$db"
wf=$(nurture_workflow "Bench calibration")
stop_server

echo "== calibration-pg: $calls calls" >&2
psql_db() { psql "$db" -v ON_ERROR_STOP=1 -qAt -c "SET client_min_messages = warning" "$@"; }
start_ms=$(( ($(date +%s) / 3600 - 30 * 24) * 3600000 ))
psql_db -c "UPDATE workflow_versions SET created_at = $start_ms - 3600000 WHERE workflow_id = '$wf'" \
    -c "SELECT setseed(0.5)" >/dev/null
org=$(psql_db -c "SELECT organization_id FROM workflows WHERE id = '$wf'")
t0=$(date +%s.%N)
made=0 first=0 chunk=100000 leads=0
while [ "$made" -lt "$calls" ]; do
    left=$((calls - made))
    # One chunk: each lead's draws, its calls (call k happens when calls 1..k-1 were not
    # answered), the leads, then at most $left calls in lead order.
    got=$(psql_db -c "BEGIN" -c "
CREATE TEMP TABLE plan ON COMMIT DROP AS
SELECT i, 'lead_' || substr(md5('bench-' || i), 1, 24) AS id,
       $start_ms + floor(random() * 26 * 86400000)::bigint AS arrived,
       (60000 + floor(random() * 3 * 3600000))::bigint AS delay,
       ARRAY[random(), random(), random()] AS u, ARRAY[random(), random(), random()] AS d,
       ARRAY[floor(random() * 6)::int, floor(random() * 6)::int, floor(random() * 6)::int] AS a
FROM generate_series($first, $first + $chunk - 1) AS i;
CREATE TEMP TABLE pcalls ON COMMIT DROP AS
WITH steps AS (
    SELECT p.i, p.id, k, p.arrived + p.delay + (k - 1) * 2 * 86400000 AS at,
           CASE WHEN p.u[k] < (ARRAY[0.30, 0.25, 0.20])[k] THEN 'COMPLETED'
                WHEN p.u[k] < 0.75 THEN 'NO_ANSWER' WHEN p.u[k] < 0.85 THEN 'BUSY'
                WHEN p.u[k] < 0.95 THEN 'VOICEMAIL' ELSE 'FAILED' END AS outcome,
           p.d[k] AS d, p.a[k] AS a
    FROM plan p, generate_series(1, 3) AS k),
marked AS (
    SELECT s.*, count(*) FILTER (WHERE outcome IN ('COMPLETED', 'FAILED'))
                OVER (PARTITION BY i ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                AS ended_before
    FROM steps s)
SELECT i, id, k, at, outcome,
       CASE outcome WHEN 'COMPLETED' THEN greatest(5, 95 - 5 * (k - 1) + 40 * (d * 2 - 1) * 1.7)
                    WHEN 'VOICEMAIL' THEN greatest(3, 25 + 8 * (d * 2 - 1) * 1.7) ELSE 0 END AS dur,
       CASE WHEN outcome = 'COMPLETED'
            THEN json_build_object('interested', a < 3, 'sentiment',
                                   (ARRAY['positive', 'neutral', 'negative'])[a % 3 + 1])::text
            ELSE '{}' END AS analysis
FROM marked WHERE coalesce(ended_before, 0) = 0
ORDER BY i, k LIMIT $left;
INSERT INTO leads(id, workflow_id, phone_number, variables, status, current_node_id, phase,
                  steps, created_at, updated_at, completed_at, version, version_seen)
SELECT p.id, '$wf', '+1415' || lpad((2000000 + p.i % 8000000)::text, 7, '0'), '{}',
       CASE WHEN c.last = 'COMPLETED' THEN 'completed' ELSE 'dropped' END,
       CASE c.last WHEN 'COMPLETED' THEN 'node_converted' WHEN 'FAILED' THEN 'node_failed'
                   ELSE 'node_unresponsive' END,
       'done', 2 * c.n + 1, p.arrived, c.ended, c.ended, 1, 1
FROM plan p JOIN (SELECT i, count(*) AS n, (array_agg(outcome ORDER BY k DESC))[1] AS last,
                         max(at) + 60000 AS ended FROM pcalls GROUP BY i) c ON c.i = p.i
ORDER BY p.i;
INSERT INTO calls(id, organization_id, workflow_id, lead_id, node_id, status, outcome, duration_s,
                  analysis, created_at, ended_at)
SELECT 'call_' || substr(md5(id || '-' || k), 1, 24), '$org', '$wf', id, 'node_call' || k,
       lower(outcome), outcome, dur, analysis, at, at + (dur * 1000)::bigint + 15000
FROM pcalls ORDER BY i, k;
" -c "SELECT count(*) || ' ' || count(DISTINCT i) FROM pcalls" -c "COMMIT")
    read -r n nl <<<"$got"
    made=$((made + n))
    leads=$((leads + nl))
    first=$((first + chunk))
done
t1=$(date +%s.%N)
psql_db -c "ANALYZE" >/dev/null
load_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
read -r stats_rows call_rows stat_calls db_mb < <(psql_db -F ' ' -c "SELECT (SELECT count(*) FROM node_stats),
    (SELECT count(*) FROM calls), (SELECT sum(n) FROM node_stats WHERE metric = 'outcome'),
    pg_database_size(current_database()) / 1048576")
plan=$(psql_db -c "EXPLAIN SELECT node_id, metric, attr, value, sum(n), sum(total), sum(total_sq),
    min(hour), max(hour) FROM node_stats WHERE workflow_id = '$wf' AND hour >= 0
    GROUP BY node_id, metric, attr, value" | sed 's/^ *//; s/  */ /g; s/(cost[^)]*)//' | paste -sd ';' | sed 's/;/; /g')
[ "$call_rows" = "$calls" ] || { echo "bench calibration-pg: $call_rows call rows, expected $calls" >&2; exit 1; }
[ "$stat_calls" = "$calls" ] || { echo "bench calibration-pg: node_stats counts $stat_calls calls, expected $calls" >&2; exit 1; }

echo "== calibration-pg: GET calibration and drift" >&2
start_api "$db"
cal_times=$(time_requests 7 GET "/v1/workflows/$wf/calibration")
cp "$tmp/reply.json" "$tmp/calibration.json"
drift_times=$(time_requests 7 GET "/v1/workflows/$wf/drift")
cp "$tmp/reply.json" "$tmp/drift.json"
stop_server
read -r cal_calls drift_calls flagged < <(python3 - "$tmp/calibration.json" "$tmp/drift.json" <<'PY'
import json, sys
cal, dr = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
def calls(nodes):
    items = nodes.values() if isinstance(nodes, dict) else nodes
    return sum(int(n.get("calls", 0)) for n in items if isinstance(n, dict))
print(calls(cal["nodes"]), calls(dr["nodes"]), len(dr.get("flagged", [])))
PY
)
[ "$cal_calls" = "$calls" ] || { echo "bench calibration-pg: calibration counts $cal_calls calls, expected $calls" >&2; exit 1; }
[ "$drift_calls" = "$calls" ] || { echo "bench calibration-pg: drift counts $drift_calls calls, expected $calls" >&2; exit 1; }

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -sr)"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
md=$(python3 - "$calls" "$leads" "$load_s" "$db_mb" "$stats_rows" "$call_rows" "$plan" "$cal_times" \
    "$drift_times" "$flagged" "$machine" "$load_start" "$load_end" "$(git rev-parse --short HEAD)" \
    "$pg_version" "$pg_settings" <<'PY'
import datetime, statistics, sys
a = sys.argv
calls, leads, load_s, db_mb, stats_rows, call_rows = int(a[1]), int(a[2]), float(a[3]), int(a[4]), int(a[5]), int(a[6])
plan = a[7]
cal = [float(x) for x in a[8].split()]
dr = [float(x) for x in a[9].split()]
flagged, machine, load_start, load_end, commit, pg_version, pg_settings = a[10:17]
fmt = lambda n: format(n, ",")
ms = lambda v: "%.1f / %.1f" % (statistics.median(v), max(v))
goal = "met" if max(max(cal), max(dr)) < 2000 else "**not met**"
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
out = ["## Calibration and drift on PostgreSQL (bench/calibration_pg.sh)\n"]
out.append(f"Machine: {machine}; load average at the start: {load_start}, at the end: {load_end} "
           f"(the machine is shared). Commit {commit}, {now} UTC. PostgreSQL {pg_version} on a "
           f"Unix socket ({pg_settings}); the server API only (`--live false`).\n")
out.append(f"The same workflow as the SQLite section and a call log of the same shape, drawn in SQL ({fmt(calls)} calls of "
           f"{fmt(leads)} leads), loaded with `INSERT … SELECT` over `generate_series`, 100,000 "
           "leads per transaction, so that the statement triggers fill `node_stats`; then "
           "`ANALYZE`. Reads: one warm-up, then 7 requests over HTTP.\n")
out.append("| Measure | Result | Goal |")
out.append("|---|---|---|")
out.append(f"| `GET …/calibration`, {fmt(calls)} calls, median / max of 7 | **{ms(cal)} ms** | < 2 s — {goal} |")
out.append(f"| `GET …/drift`, same, median / max of 7 | **{ms(dr)} ms** ({flagged} node(s) flagged) | < 2 s — {goal} |")
out.append(f"| Rows: `node_stats` / `calls` | **{fmt(stats_rows)}** / {fmt(call_rows)} | |")
out.append(f"| Plan of the `node_stats` read | {plan} | |")
out.append(f"| Bulk load with the triggers (leads and calls) | {load_s:.0f} s ({fmt(int(calls / load_s))} calls/s); database {fmt(db_mb)} MB | |")
print("\n".join(out))
PY
)
echo "$md"
if [ "$quick" = 1 ]; then
    mkdir -p bench/results && echo "$md" >bench/results/calibration-pg-quick.md
    echo "(--quick: BENCHMARKS.md left as it was)" >&2
else
    mkdir -p bench/results && echo "$md" >bench/results/calibration-pg.md
    write_benchmarks_section calibration-pg "$md"
fi
