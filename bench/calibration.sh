#!/usr/bin/env bash
# bench/calibration.sh — calibration and drift read from the per-node aggregates (node_stats)
# of a large call log, in a real leadflow-server process on SQLite:
#   1. a workflow made over the REST API from the lead-nurture fixture (graph and scenario) and
#      activated (version 1), on a fresh database;
#   2. LEADFLOW_BENCH_CALIBRATION_CALLS ended calls (default 10,000,000) and their leads
#      bulk-loaded into that database through the normal tables, so that the triggers keep
#      node_stats (bench/calibration_load.py: ~30 days of calls over the three VOICE_CALL
#      nodes, outcomes from the fixture's scenario, an analysis on every COMPLETED call);
#   3. the triggers' cost: LEADFLOW_BENCH_CALIBRATION_TRIGGER_CALLS calls (default 1,000,000)
#      loaded into two copies of the fresh database, one with the three node_stats triggers
#      dropped, alternately, LEADFLOW_BENCH_CALIBRATION_TRIGGER_RUNS times each (default 3);
#   4. the server restarted on the large database (API only, --live false: the bulk-loaded leads
#      have ended, and nothing should run beside the reads), then
#      GET /v1/workflows/{id}/calibration and GET /v1/workflows/{id}/drift over HTTP, one
#      unrecorded warm-up and 7 timed requests each (curl's time_total, a new connection each);
#      the replies' call counts must add up to the calls loaded, or the run fails.
# Prints a table and rewrites the "calibration" section of BENCHMARKS.md.
#
# Usage: bench/calibration.sh [--quick] [NATIVE_BUILD_DIR] (default build/native).
# --quick: 200,000 calls, 100,000 for the trigger cost, one run of it; about a minute; prints
# the table without touching BENCHMARKS.md. LEADFLOW_BENCH_CALIBRATION_DIR keeps the databases
# there (default: a temporary folder removed at the end; the 10,000,000-call file is ~4 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
dir=${1:-${LEADFLOW_BENCH_NATIVE_DIR:-build/native}}
bin=$dir/server/leadflow-server
# shellcheck source=bench/live_server.sh
. bench/live_server.sh
live_bench_setup calibration "$bin"
if [ "$quick" = 1 ]; then
    calls=${LEADFLOW_BENCH_CALIBRATION_CALLS:-200000}
    tcalls=${LEADFLOW_BENCH_CALIBRATION_TRIGGER_CALLS:-100000}
    truns=${LEADFLOW_BENCH_CALIBRATION_TRIGGER_RUNS:-1}
else
    calls=${LEADFLOW_BENCH_CALIBRATION_CALLS:-10000000}
    tcalls=${LEADFLOW_BENCH_CALIBRATION_TRIGGER_CALLS:-1000000}
    truns=${LEADFLOW_BENCH_CALIBRATION_TRIGGER_RUNS:-3}
fi
data=${LEADFLOW_BENCH_CALIBRATION_DIR:-$tmp}
mkdir -p "$data"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. The workflow.
echo "== calibration: workflow from the lead-nurture fixture" >&2
rm -f "$data"/cal-*.db "$data"/cal-*.db-wal "$data"/cal-*.db-shm
start_api "$data/cal-empty.db"
wf=$(nurture_workflow "Bench calibration")
stop_server

# 2. The triggers' cost, on copies of the fresh database, alternately with and without them.
: >"$tmp/trig"
for run in $(seq "$truns"); do
    for kind in with without; do
        cp "$data/cal-empty.db" "$data/cal-trig.db"
        flag=
        [ "$kind" = without ] && flag=--no-stats-triggers
        echo "== calibration: $tcalls calls, triggers $kind (run $run)" >&2
        line=$(python3 bench/calibration_load.py "$data/cal-trig.db" "$wf" "$tcalls" $flag)
        echo "   $line" >&2
        echo "$kind $line" >>"$tmp/trig"
        rm -f "$data"/cal-trig.db*
    done
done

# 3. The large call log.
echo "== calibration: $calls calls with the triggers" >&2
cp "$data/cal-empty.db" "$data/cal-big.db"
load=$(python3 bench/calibration_load.py "$data/cal-big.db" "$wf" "$calls")
echo "   $load" >&2
leads=$(sed 's/.*leads=\([0-9]*\).*/\1/' <<<"$load")
load_insert_s=$(sed 's/.*insert_s=\([0-9.]*\).*/\1/' <<<"$load")
load_wall_s=$(sed 's/.*wall_s=\([0-9.]*\).*/\1/' <<<"$load")
db_mb=$(du -m "$data/cal-big.db" | cut -f1)
read -r stats_rows call_rows stat_calls < <(sqlite3 -separator ' ' "$data/cal-big.db" \
    "SELECT (SELECT count(*) FROM node_stats), (SELECT count(*) FROM calls),
            (SELECT sum(n) FROM node_stats WHERE metric = 'outcome')")
plan=$(sqlite3 "$data/cal-big.db" "EXPLAIN QUERY PLAN SELECT node_id, metric, attr, value, sum(n),
    sum(total), sum(total_sq), min(hour), max(hour) FROM node_stats WHERE workflow_id = '$wf'
    AND hour >= 0 AND (NULL IS NULL OR version = NULL OR metric = 'arrival')
    GROUP BY node_id, metric, attr, value" | sed -n 's/^.*--//p' | paste -sd ';' | sed 's/;/; /g')
# The store's query alone (best of 3), for comparison with the HTTP time.
query_ms=$(python3 bench/query_ms.py "$data/cal-big.db" "SELECT node_id, metric, attr, value,
    sum(n), sum(total), sum(total_sq), min(hour), max(hour) FROM node_stats WHERE workflow_id = ?1
    AND hour >= ?2 AND (?3 IS NULL OR version = ?3 OR metric = 'arrival')
    GROUP BY node_id, metric, attr, value" "$wf" 0 NULL)
[ "$call_rows" = "$calls" ] || { echo "bench calibration: $call_rows call rows, expected $calls" >&2; exit 1; }
[ "$stat_calls" = "$calls" ] || { echo "bench calibration: node_stats counts $stat_calls calls, expected $calls" >&2; exit 1; }

# 4. The reads over HTTP.
echo "== calibration: GET calibration and drift, $calls calls" >&2
start_api "$data/cal-big.db"
cal_times=$(time_requests 7 GET "/v1/workflows/$wf/calibration")
cp "$tmp/reply.json" "$tmp/calibration.json"
drift_times=$(time_requests 7 GET "/v1/workflows/$wf/drift")
cp "$tmp/reply.json" "$tmp/drift.json"
rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
stop_server
read -r cal_calls drift_calls flagged cal_bytes < <(python3 - "$tmp/calibration.json" "$tmp/drift.json" <<'PY'
import json, os, sys
cal, dr = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
def calls(nodes):
    items = nodes.values() if isinstance(nodes, dict) else nodes
    return sum(int(n.get("calls", 0)) for n in items if isinstance(n, dict))
print(calls(cal["nodes"]), calls(dr["nodes"]), len(dr.get("flagged", [])), os.path.getsize(sys.argv[1]))
PY
)
[ "$cal_calls" = "$calls" ] || { echo "bench calibration: calibration counts $cal_calls calls, expected $calls" >&2; exit 1; }
[ "$drift_calls" = "$calls" ] || { echo "bench calibration: drift counts $drift_calls calls, expected $calls" >&2; exit 1; }
[ -n "${LEADFLOW_BENCH_CALIBRATION_DIR:-}" ] || rm -f "$data"/cal-*.db*

# The table.
machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -sr)"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
md=$(python3 - "$tmp/trig" "$calls" "$tcalls" "$truns" "$leads" "$load_insert_s" "$load_wall_s" \
    "$db_mb" "$stats_rows" "$call_rows" "$query_ms" "$plan" "$cal_times" "$drift_times" "$rss" \
    "$flagged" "$cal_bytes" "$machine" "$load_start" "$load_end" "$(git rev-parse --short HEAD)" <<'PY'
import datetime, statistics, sys
a = sys.argv
trig_file, calls, tcalls, truns, leads = a[1], int(a[2]), int(a[3]), int(a[4]), int(a[5])
insert_s, wall_s, db_mb, stats_rows, call_rows = float(a[6]), float(a[7]), int(a[8]), int(a[9]), int(a[10])
query_ms, plan = a[11], a[12]
cal = [float(x) for x in a[13].split()]
dr = [float(x) for x in a[14].split()]
rss, flagged, cal_bytes, machine, load_start, load_end, commit = a[15:22]
runs = {"with": [], "without": []}
for line in open(trig_file):
    kind, *fields = line.split()
    f = dict(x.split("=") for x in fields)
    runs[kind].append(float(f["insert_s"]))
w, wo = statistics.median(runs["with"]), statistics.median(runs["without"])
per_call_us = (w - wo) / tcalls * 1e6
pairs = sorted((x - y) / tcalls * 1e6 for x, y in zip(runs["with"], runs["without"]))
fmt = lambda n: format(n, ",")
ms = lambda v: "%s / %s" % (("%.1f" % statistics.median(v)), ("%.1f" % max(v)))
goal = "met" if max(max(cal), max(dr)) < 2000 else "**not met**"
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
out = []
out.append("## Calibration and drift over a large call log (bench/calibration.sh)\n")
out.append(f"Machine: {machine}; load average at the start: {load_start}, at the end: {load_end} "
           f"(the machine is shared). Commit {commit}, {now} UTC. SQLite (WAL, synchronous=NORMAL); "
           "the server API only (`--live false`), the database file in the OS page cache.\n")
out.append(f"The lead-nurture fixture, activated over the API; then {fmt(calls)} ended calls of "
           f"{fmt(leads)} leads bulk-loaded through the `leads` and `calls` tables "
           "(bench/calibration_load.py: arrivals over 26 days, calls over ~30, outcomes drawn "
           "from the fixture's scenario, an analysis of two attributes on every COMPLETED call), "
           "so that the triggers fill `node_stats`. Reads: one warm-up, then 7 requests over "
           "HTTP, a new connection each (curl's time_total).\n")
out.append("| Measure | Result | Goal |")
out.append("|---|---|---|")
out.append(f"| `GET /v1/workflows/{{id}}/calibration`, {fmt(calls)} calls, median / max of 7 | "
           f"**{ms(cal)} ms** ({fmt(int(cal_bytes))}-byte reply) | < 2 s — {goal} |")
out.append(f"| `GET /v1/workflows/{{id}}/drift`, same, median / max of 7 | **{ms(dr)} ms** "
           f"({flagged} node(s) flagged) | < 2 s — {goal} |")
out.append(f"| The store's `node_stats` query alone (python3 sqlite3, best of 3) | {query_ms} ms | |")
out.append(f"| Rows in `node_stats` (the read takes all of the workflow's) / in `calls` (not read) | **{fmt(stats_rows)}** / {fmt(call_rows)} | from an index, not a scan |")
out.append(f"| Query plan of the `node_stats` read | {plan} | |")
out.append(f"| Bulk load of {fmt(calls)} calls + {fmt(leads)} leads with the triggers | "
           f"{insert_s:.0f} s in SQLite ({fmt(int(calls / insert_s))} calls/s), {wall_s:.0f} s "
           f"with making the rows; database {fmt(int(db_mb))} MB | |")
out.append(f"| Triggers' cost, {fmt(tcalls)} calls, with / without the three node_stats triggers "
           f"(median of {truns}) | {w:.1f} s / {wo:.1f} s: **{per_call_us:.1f} µs per call** "
           f"(runs: {', '.join('%.1f' % p for p in pairs)} µs) | |")
out.append(f"| Server peak memory (the reads) | {rss} MB | |")
out.append("")
out.append("The triggers' cost per call includes the arrival trigger of the call's lead (about "
           "one lead per two calls) and, for a COMPLETED call, the analysis rows (`json_each` "
           "over the analysis). The load inserts ended calls, so `calls_stats_insert` fires; the "
           "server inserts a call when it starts and fires `calls_stats_end` when it ends, which "
           "does the same work plus the update.")
print("\n".join(out))
PY
)
echo "$md"
if [ "$quick" = 1 ]; then
    mkdir -p bench/results && echo "$md" >bench/results/calibration-quick.md
    echo "(--quick: BENCHMARKS.md left as it was)" >&2
else
    mkdir -p bench/results && echo "$md" >bench/results/calibration.md
    write_benchmarks_section calibration "$md"
fi
