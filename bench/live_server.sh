# bench/live_server.sh — helpers for the benchmarks that drive a live leadflow-server over its
# REST API (sourced by bench/live.sh, bench/publish.sh, bench/calibration.sh,
# bench/calibration_pg.sh and bench/forecast.sh). The caller runs from the repository root, calls
# live_bench_setup first and sets $bin (the server binary); start_server and start_api set $pid,
# $key and $base (start_server also $metrics_base).

# live_bench_setup NAME BIN: exits unless BIN is an executable server binary (NAME names the
# benchmark in the message); makes the scratch folder $tmp and, on exit, stops a server still
# running and removes $tmp.
live_bench_setup() {
    [ -x "$2" ] || { echo "bench $1: $2 missing (scripts/build native)" >&2; exit 1; }
    tmp=$(mktemp -d)
    pid=
    trap live_bench_cleanup EXIT
}
live_bench_cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }

# write_benchmarks_section NAME MARKDOWN: puts MARKDOWN between the markers
# <!-- bench:NAME:start --> and <!-- bench:NAME:end --> of BENCHMARKS.md (added at the end of
# the file, or of a new one, when missing).
write_benchmarks_section() {
    local doc=BENCHMARKS.md
    [ -f "$doc" ] || printf '# Benchmarks\n' >"$doc"
    grep -q "<!-- bench:$1:start -->" "$doc" ||
        printf '\n<!-- bench:%s:start -->\n<!-- bench:%s:end -->\n' "$1" "$1" >>"$doc"
    python3 - "$doc" "$1" "$2" <<'PY'
import re, sys
doc, name, md = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(doc).read()
text = re.sub(r"(<!-- bench:" + name + r":start -->\n).*?(<!-- bench:" + name + r":end -->)",
              lambda m: m.group(1) + md + "\n" + m.group(2), text, flags=re.S)
open(doc, "w").write(text)
PY
}

start_server() {  # DB SCALE
    key=$("$bin" keys create --db "$1" --org bench | tail -n 1)
    "$bin" serve --db "$1" --port 0 --rate-limit 0 --time-scale "$2" \
        --metrics-listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 300); do grep -q '^metrics on' "$tmp/out" && break; sleep 0.1; done
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/out")
    if [ -z "$port" ]; then
        local alive=exited
        kill -0 "$pid" 2>/dev/null && alive=running
        echo "bench: $bin serve did not start in 30 s (process $alive); stdout:" >&2
        cat "$tmp/out" >&2
        echo "stderr:" >&2
        cat "$tmp/err" >&2
        return 1
    fi
    base=http://127.0.0.1:$port
    # Every organization's counters: the operator's scrape listener.
    metrics_base=http://127.0.0.1:$(sed -n 's/^metrics on .*:\([0-9]*\)$/\1/p' "$tmp/out")
}
# start_api DB: the server's API alone on DB (a SQLite file or a PostgreSQL URI), with an API key
# made for it: `--live false` runs neither the scheduler nor the outbox, so stored leads stay
# where they are while a benchmark reads them.
start_api() {
    key=$("$bin" keys create --db "$1" --org bench | tail -n 1)
    "$bin" serve --db "$1" --port 0 --rate-limit 0 --live false >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 600); do grep -q '^listening on' "$tmp/out" && break; sleep 0.1; done
    port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$tmp/out")
    [ -n "$port" ] || { echo "bench: $bin serve --live false did not start:" >&2; cat "$tmp/err" >&2; return 1; }
    base=http://127.0.0.1:$port
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
# nurture_workflow TITLE: a workflow made over the API from the lead-nurture fixture (graph and
# scenario), without local calling hours, activated (version 1); prints its id.
nurture_workflow() {
    local wf
    wf=$(api POST /v1/workflows "{\"title\":\"$1\",\"settings\":{\"respect_lead_local_time\":false}}" | id_of)
    python3 -c 'import json; g = json.load(open("tests/fixtures/lead_nurture.json"));
print(json.dumps({"nodes": g["nodes"], "edges": g["edges"]}))' >"$tmp/graph.json"
    api PUT "/v1/workflows/$wf/graph" "$(cat "$tmp/graph.json")" >/dev/null
    api PUT "/v1/workflows/$wf/scenario" "$(cat tests/fixtures/lead_nurture.scenario.json)" >/dev/null
    api POST "/v1/workflows/$wf/activate" >/dev/null
    echo "$wf"
}
# time_requests N METHOD PATH [JSON]: one unrecorded warm-up, then N requests, a new connection
# each; prints each one's wall time at the client (curl's time_total) in ms, one per line. The
# last reply is left in $tmp/reply.json; an HTTP error fails.
time_requests() {
    local n=$1 i
    shift
    api "$@" >"$tmp/reply.json"
    for i in $(seq "$n"); do
        curl -sSf -X "$1" -o "$tmp/reply.json" -w '%{time_total}\n' "$base$2" \
            -H "Authorization: Bearer $key" -H 'Content-Type: application/json' ${3:+-d "$3"}
    done | awk '{printf "%.1f\n", $1 * 1000}'
}
# on_temp_pg NAME SCRIPT ARGS…: the first time (LEADFLOW_BENCH_PG unset), runs bash SCRIPT ARGS…
# again under a throwaway PostgreSQL server (tests/pg/pg-temp-server; fsync=on and
# synchronous_commit=off: durable commits without an fsync each, as bench/scale.sh explains; then
# $pg_options, more server settings) and exits with its status; inside that run, returns with
# $LEADFLOW_TEST_PG (the server's URI), $pg_pid (its postmaster) and $load_start (the load
# average before the server started). SCRIPT's stdout is the caller's, not pg-temp-server's
# (which prints the URI there).
on_temp_pg() {
    local name=$1 rc
    shift
    if [ -z "${LEADFLOW_BENCH_PG:-}" ]; then
        set +e
        LEADFLOW_PG_TEMP_OPTIONS="-c fsync=on -c synchronous_commit=off ${pg_options:-}" \
            LEADFLOW_BENCH_PG=1 LEADFLOW_BENCH_PG_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)" \
            tests/pg/pg-temp-server bash "$@" 3>&1 >/dev/null
        rc=$?
        set -e
        [ "$rc" != 77 ] || echo "bench $name: PostgreSQL's server programs are missing (scripts/setup)" >&2
        exit "$rc"
    fi
    exec 1>&3 3>&-
    pg_pid=$(head -n 1 "$LEADFLOW_TEST_PG_DIR/data/postmaster.pid")
    load_start=$LEADFLOW_BENCH_PG_LOAD
}
api() {  # METHOD PATH [JSON]; fails on an HTTP error (curl names it on stderr)
    curl -sSf -X "$1" "$base$2" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        ${3:+-d "$3"}
}
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
metric() { curl -sf "$metrics_base/metrics" | awk -v k="$1" '$1 == k {print $2}'; }
# The workflow's status, read without starting an interpreter: the polling loops run beside a
# scheduler that keeps both cores busy, and a python3 start-up every 0.2 s took CPU from it.
status_of() { api GET "/v1/workflows/$1" | grep -o '"status":"[a-z_]*"' | head -n 1 | cut -d'"' -f4; }
insert_leads() {  # DB WORKFLOW COUNT PREFIX
    sqlite3 -cmd ".timeout 60000" "$1" "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1
        FROM c WHERE i < $3 - 1) INSERT INTO leads(id, workflow_id, phone_number, variables,
        status, phase, steps, created_at, updated_at) SELECT '$4' || i, '$2',
        printf('+1415%07d', 2000000 + i), '{}', 'pending', 'entering', 0, i, i FROM c;"
}
wait_graph() {  # WORKFLOW HOURS → TIME hold then CONVERTED
    local wf=$1 t c
    t=$(api POST "/v1/workflows/$wf/nodes" "{\"node_type\":\"TIME\",\"config\":{\"duration_value\":$2,\"duration_unit\":\"hours\"}}" | id_of)
    c=$(api POST "/v1/workflows/$wf/nodes" '{"node_type":"CONVERTED"}' | id_of)
    api POST "/v1/workflows/$wf/edges" "{\"from_node_id\":\"$t\",\"to_node_id\":\"$c\"}" >/dev/null
}
now() { date +%s.%N; }

# nurture_run DB LEADS [PUBLISH_AFTER]: LEADS leads through the lead-nurture fixture at time
# scale 1e6 on a fresh server ($bin) over DB, with an API write (PATCH of another workflow's
# title, curl's time_total into $tmp/writes) every 0.2 s until the workflow completes. With
# PUBLISH_AFTER, once that many steps are persisted the unchanged draft is published with
# `move`, so every running lead moves to version 2 at its next step. Sets rate (durable
# transitions/s), transitions, secs, history_rows, writes, write_p50 and write_max (ms), and
# published (the number of versions stored: 0 before versions existed).
nurture_run() {
    local db=$1 n=$2 publish_after=${3:-} wf other t0 t1
    start_server "$db" 1000000
    wf=$(api POST /v1/workflows '{"title":"Bench nurture","settings":{"respect_lead_local_time":false}}' | id_of)
    python3 - "$wf" >"$tmp/graph.json" <<'PY'
import json, sys
g = json.load(open("tests/fixtures/lead_nurture.json"))
print(json.dumps({"nodes": g["nodes"], "edges": g["edges"]}))
PY
    api PUT "/v1/workflows/$wf/graph" "$(cat "$tmp/graph.json")" >/dev/null
    api PUT "/v1/workflows/$wf/scenario" "$(cat tests/fixtures/lead_nurture.scenario.json)" >/dev/null
    insert_leads "$db" "$wf" "$n" wlead_b
    other=$(api POST /v1/workflows '{"title":"Edited during the run"}' | id_of)
    : >"$tmp/writes"
    t0=$(now)
    api POST "/v1/workflows/$wf/activate" >/dev/null
    while [ "$(status_of "$wf")" != completed ]; do
        # An API write while the scheduler runs flat out: its wall time (curl's time_total).
        curl -sf -o /dev/null -w '%{time_total}\n' -X PATCH "$base/v1/workflows/$other" \
            -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
            -d '{"title":"Edited during the run"}' >>"$tmp/writes"
        if [ -n "$publish_after" ] && [ "$(metric leadflow_transitions_total)" -ge "$publish_after" ]; then
            api POST "/v1/workflows/$wf/publish" '{"migrate":"move"}' >/dev/null
            publish_after=
        fi
        sleep 0.2
    done
    t1=$(now)
    read -r write_p50 write_max < <(python3 - "$tmp/writes" <<'PY'
import sys
v = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
print(f"{v[len(v) // 2]:.1f} {v[-1]:.1f}" if v else "n/a n/a")
PY
)
    writes=$(wc -l <"$tmp/writes")
    sleep 0.5  # the counter is raised just after the last batch commits
    transitions=$(metric leadflow_transitions_total)
    secs=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    rate=$(python3 -c "print(int($transitions / ($t1 - $t0)))")
    history_rows=$(sqlite3 "$db" "SELECT count(*) FROM history")
    # Versions published (none before versions existed; 2 when the run published).
    published=$(sqlite3 "$db" "SELECT count(*) FROM pragma_table_info('workflow_versions')" 2>/dev/null)
    [ "${published:-0}" = 0 ] || published=$(sqlite3 "$db" "SELECT count(*) FROM workflow_versions")
    stop_server
}
