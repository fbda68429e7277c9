#!/usr/bin/env bash
# bench/forecast.sh — POST /v1/workflows/{id}/forecast over LEADFLOW_BENCH_FORECAST_LEADS running
# leads (default 1,000,000), in a real leadflow-server process, on SQLite or (--pg) PostgreSQL:
#   1. a workflow made over the REST API from the lead-nurture fixture (graph and scenario) and
#      activated (version 1), on a fresh database; its forecast with no lead (the fixed cost);
#   2. the leads bulk-loaded through the normal `leads` and `calls` tables, so that the triggers
#      keep lead_counts (bench/forecast_leads.py: 2% not started, 92% waiting at node_wait1 or
#      node_wait2 with their timers over the next 2 days, 6% in a call at node_call1..3 with the
#      call in flight): SQLite through python3's sqlite3, PostgreSQL with psql's \copy;
#   3. the server restarted on that database with its API alone (`--live false`: no scheduler,
#      so no lead moves while the forecasts read them), then the forecast with the stored
#      scenario ({"scenario":"stored","seed":1}) and with the calibrated one ({"seed":1}): one
#      unrecorded warm-up and LEADFLOW_BENCH_FORECAST_RUNS timed requests each (default 5;
#      curl's time_total, a new connection each), the server's CPU time (and PostgreSQL's) per
#      request over the warm-up and the timed ones, its resident memory before, its peak after one forecast and after all of them;
#      the replies must count every running lead and every lead not started, or the run fails;
#   4. what a browser pays on top: the reply's size, and node's fetch and JSON.parse of it
#      (bench/forecast_fetch.mjs);
#   5. where the time goes: the store's read alone (the same SELECT through python3's sqlite3 or
#      psql, every row fetched), and one stored-scenario request under `perf record` (when perf
#      works here), its samples summed by part (store, state parsing, sorting, simulation, JSON).
# Prints a table and rewrites the "forecast" (or "forecast-pg") section of BENCHMARKS.md.
# LEADFLOW_BENCH_FORECAST_CALLGRAPH=1 also records one request with call stacks and writes the
# time spent in each function and its callees to bench/results/forecast[-pg]-callgraph.txt.
#
# Usage: bench/forecast.sh [--quick] [--pg] [NATIVE_BUILD_DIR] (default build/native).
# --quick: 50,000 leads, 3 timed requests; prints the table without touching BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
quick=0 pg=0
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --pg) pg=1 ;;
    *) break ;;
    esac
    shift
done
dir=${1:-${LEADFLOW_BENCH_NATIVE_DIR:-build/native}}
bin=$dir/server/leadflow-server
name=forecast
[ "$pg" = 1 ] && name=forecast-pg
# shellcheck source=bench/live_server.sh
. bench/live_server.sh
[ -x "$bin" ] || { echo "bench $name: $bin missing (scripts/build native)" >&2; exit 1; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
[ "$pg" = 1 ] && on_temp_pg "$name" "$PWD/bench/forecast.sh" "${args[@]}"
live_bench_setup "$name" "$bin"
if [ "$quick" = 1 ]; then
    n=${LEADFLOW_BENCH_FORECAST_LEADS:-50000}
    runs=${LEADFLOW_BENCH_FORECAST_RUNS:-3}
else
    n=${LEADFLOW_BENCH_FORECAST_LEADS:-1000000}
    runs=${LEADFLOW_BENCH_FORECAST_RUNS:-5}
fi
stored='{"scenario":"stored","seed":1}'
calibrated='{"seed":1}'

# The database: a SQLite file in $tmp, or a new database on the throwaway PostgreSQL server.
if [ "$pg" = 1 ]; then
    psql "$LEADFLOW_TEST_PG" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE forecastbench"
    db=${LEADFLOW_TEST_PG/\/\/\/postgres\?/\/\/\/forecastbench?}
    psql_db() { psql "$db" -v ON_ERROR_STOP=1 -qAt -c "SET client_min_messages = warning" "$@"; }
    store="PostgreSQL $(psql_db -c "SHOW server_version") on a Unix socket ($(psql_db -c "SELECT
        string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings
        WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers')"))"
else
    db=$tmp/forecast.db
    store="SQLite (WAL, synchronous=NORMAL), the database file in the OS page cache"
    pg_pid=
fi
cpu_of() { python3 bench/proc_cpu.py "$pid" ${pg_pid:+"$pg_pid"} | paste -sd ' '; }

# 1. The workflow, and its forecast with no lead.
echo "== $name: workflow from the lead-nurture fixture" >&2
start_api "$db"
wf=$(nurture_workflow "Bench forecast")
empty_times=$(time_requests "$runs" POST "/v1/workflows/$wf/forecast" "$stored")
stop_server

# 2. The leads.
echo "== $name: $n running leads" >&2
t0=$(date +%s.%N)
if [ "$pg" = 1 ]; then
    org=$(psql_db -c "SELECT organization_id FROM workflows WHERE id = '$wf'")
    made=$(python3 bench/forecast_leads.py tsv "$tmp" "$wf" "$org" "$n")
    { read -r lead_cols; read -r call_cols; } < <(python3 bench/forecast_leads.py --columns)
    t1=$(date +%s.%N)
    psql_db -c "BEGIN" -c "\\copy $lead_cols FROM '$tmp/leads.tsv'" \
        -c "\\copy $call_cols FROM '$tmp/calls.tsv'" -c "COMMIT" -c "ANALYZE" >/dev/null
    insert_s=$(python3 -c "print(f'{$(date +%s.%N) - $t1:.2f}')")
    db_mb=$(psql_db -c "SELECT pg_database_size(current_database()) / 1048576")
    read -r active lead_rows in_flight < <(psql_db -F ' ' -c "SELECT (SELECT n FROM lead_counts
        WHERE workflow_id = '$wf' AND status = 'active'), (SELECT count(*) FROM leads),
        (SELECT count(*) FROM calls WHERE status = 'in_progress')")
    rm -f "$tmp/leads.tsv" "$tmp/calls.tsv"
else
    made=$(python3 bench/forecast_leads.py sqlite "$db" "$wf" "$n")
    insert_s=$(sed 's/.*insert_s=\([0-9.]*\).*/\1/' <<<"$made")
    db_mb=$(du -m "$db" | cut -f1)
    read -r active lead_rows in_flight < <(sqlite3 -separator ' ' "$db" "SELECT (SELECT n FROM
        lead_counts WHERE workflow_id = '$wf' AND status = 'active'), (SELECT count(*) FROM leads),
        (SELECT count(*) FROM calls WHERE status = 'in_progress')")
fi
load_s=$(python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')")
echo "   $made; $load_s s" >&2
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$made"; }
running=$(field running) pending=$(field pending) in_call=$(field in_call)
[ "$active" = "$n" ] && [ "$lead_rows" = "$n" ] && [ "$in_flight" = "$in_call" ] || {
    echo "bench $name: lead_counts says $active active, $lead_rows lead rows, $in_flight calls in flight; expected $n, $n, $in_call" >&2
    exit 1
}

# 3. The forecasts over HTTP.
start_api "$db"
rss_start=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
# One request's own peak, before the others: each request runs on a connection thread of its
# own, and glibc's per-thread malloc arenas keep what a request freed, so the peak after many
# requests is more than one request needs.
api POST "/v1/workflows/$wf/forecast" "$stored" >/dev/null
rss_one=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
check_reply() {  # the reply counts every running lead and every lead not started
    python3 - "$tmp/reply.json" "$running" "$pending" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
if (r["running"], r["pending"]) != (int(sys.argv[2]), int(sys.argv[3])):
    sys.exit(f"the forecast counted {r['running']} running and {r['pending']} pending leads,"
             f" expected {sys.argv[2]} and {sys.argv[3]}")
PY
}
forecast_times() {  # BODY → the times (ms), then the CPU seconds per request (warm-up included)
    local c0 c1 times
    c0=$(cpu_of)
    times=$(time_requests "$runs" POST "/v1/workflows/$wf/forecast" "$1")
    c1=$(cpu_of)
    check_reply
    echo "$times" | paste -sd ' '
    python3 -c "import sys; a, b = sys.argv[1].split(), sys.argv[2].split();
print(' '.join(f'{(float(y) - float(x)) / ($runs + 1):.2f}' for x, y in zip(a, b)))" "$c0" "$c1"
}
echo "== $name: forecast, stored scenario, $n leads" >&2
{ read -r stored_times; read -r stored_cpu; } < <(forecast_times "$stored")
cp "$tmp/reply.json" "$tmp/stored.json"
echo "== $name: forecast, calibrated scenario" >&2
{ read -r cal_times; read -r cal_cpu; } < <(forecast_times "$calibrated")
rss_peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")

# 4. What the browser pays on top of the server: node's fetch and JSON.parse of the reply.
echo "== $name: fetch and JSON.parse in node" >&2
browser=$(node bench/forecast_fetch.mjs "$base/v1/workflows/$wf/forecast" "$key" "$stored" "$runs")

# 5. Where the time goes: the store's read alone, and one request under perf.
# The same SELECT as the store's (server/store/*_tx_stats.cpp), every row fetched, best of 3.
read_sql="SELECT id, state, variables, slot_wait_at FROM leads WHERE workflow_id = '$wf'
    AND status IN ('pending', 'active')"
if [ "$pg" = 1 ]; then
    read_how="psql, every row to /dev/null, best of 3"
else
    read_sql=${read_sql/FROM leads/FROM leads INDEXED BY leads_by_workflow_status}
    read_how="python3 sqlite3, every row fetched, best of 3"
fi
read_ms=$(python3 bench/query_ms.py "$db" "$read_sql")
profile=
if command -v perf >/dev/null && perf record -q -o /dev/null true 2>/dev/null; then
    echo "== $name: one forecast under perf record" >&2
    perf record -q -F 999 -p "$pid" -o "$tmp/perf.data" 2>/dev/null &
    perf_pid=$!
    sleep 1
    api POST "/v1/workflows/$wf/forecast" "$stored" >/dev/null
    kill -INT "$perf_pid"
    wait "$perf_pid" 2>/dev/null || true
    perf report -i "$tmp/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null |
        grep -v '^#' | grep -v '^$' >"$tmp/perf.txt" || true
    profile=$(python3 bench/forecast_profile.py "$tmp/perf.txt")
    mkdir -p bench/results && cp "$tmp/perf.txt" "bench/results/$name-profile.txt"
    if [ "${LEADFLOW_BENCH_FORECAST_CALLGRAPH:-0}" = 1 ]; then
        # Inclusive time by function: call stacks unwound from DWARF (the Release build keeps
        # no frame pointers), a lower rate to keep the stacks' size in hand.
        echo "== $name: one forecast under perf record --call-graph dwarf" >&2
        perf record -q -F 199 --call-graph dwarf,16384 -p "$pid" -o "$tmp/perf-cg.data" 2>/dev/null &
        perf_pid=$!
        sleep 1
        api POST "/v1/workflows/$wf/forecast" "$stored" >/dev/null
        kill -INT "$perf_pid"
        wait "$perf_pid" 2>/dev/null || true
        perf report -i "$tmp/perf-cg.data" --children --sort symbol --stdio -g none \
            2>/dev/null | grep -v '^#' | grep -v '^$' >"bench/results/$name-callgraph.txt" || true
    fi
fi
stop_server

# The table.
machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -sr)"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
md=$(python3 - "$name" "$n" "$running" "$pending" "$in_call" "$runs" "$empty_times" \
    "$stored_times" "$stored_cpu" "$cal_times" "$cal_cpu" "$rss_start" "$rss_one" "$rss_peak" "$browser" \
    "$read_ms" "$read_how" "$profile" "$insert_s" "$load_s" "$db_mb" "$store" "$machine" \
    "$load_start" "$load_end" "$(git rev-parse --short HEAD)" <<'PY'
import datetime, json, statistics, sys
a = sys.argv
name, n, running, pending, in_call, runs = a[1], int(a[2]), int(a[3]), int(a[4]), int(a[5]), int(a[6])
empty, stored, cal = ([float(x) for x in s.split()] for s in (a[7], a[8], a[10]))
stored_cpu, cal_cpu = a[9].split(), a[11].split()
rss_start, rss_one, rss_peak, browser, read_ms, read_how, profile = a[12], a[13], a[14], json.loads(a[15]), a[16], a[17], a[18]
insert_s, load_s, db_mb, store, machine, load_start, load_end, commit = a[19:27]
fmt = lambda v: format(v, ",")
med = statistics.median
ms = lambda v: "%s / %s" % (fmt(round(med(v))), fmt(round(max(v))))
goal = lambda v: "met" if med(v) < 3000 else "**not met**"
pg = name == "forecast-pg"
def cpu(c):
    s = f"{c[0]} s server"
    return s + (f" + {c[1]} s PostgreSQL" if pg else "")
now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M")
title = "on PostgreSQL" if pg else "on SQLite"
out = [f"## Forecast of {fmt(n)} running leads {title} (bench/forecast.sh{' --pg' if pg else ''})\n"]
out.append(f"Machine: {machine}; load average at the start: {load_start}, at the end: {load_end} "
           f"(the machine is shared: the CPU time is the steadier measure). Commit {commit}, "
           f"{now} UTC. {store}; the server API only (`--live false`, so no lead moves while the "
           "forecast reads them).\n")
out.append(f"The lead-nurture fixture, activated over the API; then {fmt(n)} active leads "
           "bulk-loaded with the states the scheduler stores (bench/forecast_leads.py): "
           f"{fmt(running - in_call)} waiting at node_wait1 / node_wait2 (timers over the next "
           f"2 days), {fmt(in_call)} in a call at node_call1..3 (the call in flight), "
           f"{fmt(pending)} not started. `POST /v1/workflows/{{id}}/forecast`: one warm-up, then "
           f"{runs} requests over HTTP, a new connection each (curl's time_total); CPU time per "
           "request from /proc over the warm-up and the timed requests.\n")
out.append("| Measure | Result | Goal |")
out.append("|---|---|---|")
out.append(f"| Forecast, stored scenario (`{{\"scenario\":\"stored\",\"seed\":1}}`), median / max of {runs} "
           f"| **{ms(stored)} ms**; CPU per request {cpu(stored_cpu)} | < 3 s — {goal(stored)} |")
out.append(f"| Forecast, calibrated scenario (`{{\"seed\":1}}`, the default), median / max of {runs} "
           f"| **{ms(cal)} ms**; CPU per request {cpu(cal_cpu)} | < 3 s — {goal(cal)} |")
out.append(f"| The same workflow with no lead (the fixed cost), median of {runs} | {med(empty):.1f} ms | |")
out.append(f"| The store's read of the leads alone ({read_how}) | {fmt(round(float(read_ms)))} ms | |")
if profile:
    out.append(f"| Where a stored-scenario request's server CPU goes (`perf record`, self time) | {profile} | |")
cache = " (SQLite's page cache and its memory map of the database file included)" if not pg else ""
out.append(f"| Server memory: resident before the first forecast / peak after one forecast / peak "
           f"after all {1 + 2 * (runs + 1)} | {rss_start} MB / **{rss_one} MB** / "
           f"{rss_peak} MB{cache} | |")
out.append(f"| Reply | {fmt(browser['bytes'])} bytes of JSON | |")
out.append(f"| In the browser on top of the server: node's `fetch` + `text()` of the reply, then "
           f"`JSON.parse`, median of {browser['runs']} | fetch {fmt(round(browser['fetch_ms']))} ms "
           f"(the server's time included), **JSON.parse {browser['parse_ms']:.2f} ms** | |")
out.append(f"| Bulk load of the leads (with the triggers) | {float(insert_s):.1f} s in the store, "
           f"{float(load_s):.1f} s with making the rows; database {fmt(int(db_mb))} MB | |")
print("\n".join(out))
PY
)
echo "$md"
if [ "$quick" = 1 ]; then
    mkdir -p bench/results && echo "$md" >"bench/results/$name-quick.md"
    echo "(--quick: BENCHMARKS.md left as it was)" >&2
else
    mkdir -p bench/results && echo "$md" >"bench/results/$name.md"
    write_benchmarks_section "$name" "$md"
fi
