#!/usr/bin/env bash
# bench/scale.sh — Leadflow on PostgreSQL with one and with several servers, against SQLite and
# against a peer job queue on the same PostgreSQL server (graphile-worker):
#   1. LEADFLOW_BENCH_SCALE_LEADS leads (default 10,000) through the lead-nurture fixture at time
#      scale 1e6 (sandbox provider), split over LEADFLOW_BENCH_SCALE_WORKFLOWS workflows
#      (default 4: the servers lease whole workflows, so more servers than workflows idle), on 1
#      server over SQLite, and on 1, 2 and 4 servers sharing one PostgreSQL database; persisted
#      transitions per second (engine steps committed: the sum of the leads' step counts in the
#      database) and the wall time from activation until every workflow completes.
#   2. graphile-worker (installed from npm into build/bench-node/, version
#      LEADFLOW_BENCH_GRAPHILE_VERSION, default 0.18.0) with 1, 2 and 4 worker processes of
#      LEADFLOW_BENCH_GRAPHILE_CONCURRENCY jobs each (default 10) and the worker options
#      LEADFLOW_BENCH_GRAPHILE_OPTIONS (JSON; default: its batching, below): as many jobs as
#      leads, in chains of 4 (about a lead-nurture lead's steps), each job one transaction that
#      updates its lead row, appends a history row and adds the next job
#      (bench/scale_graphile.mjs).
#   3. timer lag on PostgreSQL (configuration pglag, once, after the runs): LEADFLOW_BENCH_SCALE_WAITING
#      leads (default 1,000,000; 20,000 with --quick) inserted with psql as an upload stores them,
#      started by one server into a 30-day TIME hold (the time that takes is reported too), then
#      2,000 more leads on a 1-minute hold at time scale 1; lag = wall time between a timer's due
#      time and the commit of its step (p50/p99 of leadflow_timer_lag_seconds).
# Each configuration runs LEADFLOW_BENCH_SCALE_RUNS times (default 3), interleaved, on a fresh
# database; the table gives medians. Everything runs on one throwaway PostgreSQL server on a Unix
# socket (tests/pg/pg-temp-server), set to fsync=on, synchronous_commit=off: commits survive a
# crash of any process but the last fraction of a second may be lost with the machine, which is
# what SQLite's WAL mode with synchronous=NORMAL (Leadflow's setting) promises.
# Prints a table and rewrites the "scale" section of BENCHMARKS.md.
#
# Usage: bench/scale.sh [--quick] [NATIVE_BUILD_DIR] (default build/native). --quick: 2,000 leads,
# one run of each, about a minute; prints the table without touching BENCHMARKS.md.
# LEADFLOW_BENCH_SCALE_CONFIGS picks configurations (default "sqlite1 pg1 pg2 pg4 gw1 gw2 gw4 pglag";
# pgN: N Leadflow servers on one PostgreSQL database, gwN: N graphile-worker processes).
# LEADFLOW_BENCH_SCALE_PROFILE=1: PostgreSQL loads pg_stat_statements, and after each Leadflow run on
# PostgreSQL the statements that took most of its time are printed (to stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
args=("$@")
quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
[ "${LEADFLOW_BENCH_QUICK:-0}" = 1 ] && quick=1
dir=${1:-${LEADFLOW_BENCH_NATIVE_DIR:-build/native}}

# The whole run happens inside one throwaway PostgreSQL server, which pg-temp-server stops and
# removes when the run ends (or is interrupted).
# shellcheck source=bench/live_server.sh
. bench/live_server.sh
[ -x "$dir/server/leadflow-server" ] ||
    { echo "bench scale: $dir/server/leadflow-server missing (scripts/build native)" >&2; exit 1; }
[ "${LEADFLOW_BENCH_SCALE_PROFILE:-0}" = 1 ] &&
    pg_options="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
on_temp_pg scale "$PWD/bench/scale.sh" "${args[@]}"
pg_uri=$LEADFLOW_TEST_PG
bin=$dir/server/leadflow-server
live_bench_setup scale "$bin"
pids=()
sampler=
scale_cleanup() {
    local p
    for p in "${pids[@]}" $sampler; do kill "$p" 2>/dev/null || true; done
    live_bench_cleanup
}
trap scale_cleanup EXIT

if [ "$quick" = 1 ]; then
    leads=${LEADFLOW_BENCH_SCALE_LEADS:-2000}
    runs=${LEADFLOW_BENCH_SCALE_RUNS:-1}
else
    leads=${LEADFLOW_BENCH_SCALE_LEADS:-10000}
    runs=${LEADFLOW_BENCH_SCALE_RUNS:-3}
fi
workflows=${LEADFLOW_BENCH_SCALE_WORKFLOWS:-4}
gw_version=${LEADFLOW_BENCH_GRAPHILE_VERSION:-0.18.0}
gw_concurrency=${LEADFLOW_BENCH_GRAPHILE_CONCURRENCY:-10}
# graphile-worker's batching (its documented throughput settings): each process locks up to 20
# jobs per fetch and completes jobs in batches.
export LEADFLOW_BENCH_GRAPHILE_OPTIONS=${LEADFLOW_BENCH_GRAPHILE_OPTIONS:-'{"localQueue":{"size":20},"completeJobBatchDelay":0}'}
gw_steps=4
gw_chains=$((leads / gw_steps))
[ "$gw_chains" -ge 1 ] || { echo "bench scale: at least $gw_steps leads" >&2; exit 2; }

# graphile-worker from npm into a local folder (never part of the repository).
node_dir=build/bench-node
if [ "$(node -p "try { require('./$node_dir/node_modules/graphile-worker/package.json').version } catch { '' }")" != "$gw_version" ]; then
    echo "== scale: npm install graphile-worker@$gw_version into $node_dir" >&2
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-save --no-audit --no-fund --loglevel=error \
        "graphile-worker@$gw_version" >&2
fi

psql_run() { psql "$pg_uri" -v ON_ERROR_STOP=1 -qAt -c "SET client_min_messages = warning" -c "$1"; }
pg_version=$(psql_run "SHOW server_version")
pg_settings=$(psql_run "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name)
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size')")
# fresh_db NAME: an empty database NAME on the server; prints its URI.
fresh_db() {
    psql_run "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
    psql_run "CREATE DATABASE $1"
    echo "${pg_uri/\/\/\/postgres\?/\/\/\/$1?}"
}

# The lead-nurture graph and the leads (JSON upload bodies), made once.
python3 - "$leads" "$tmp" "$workflows" <<'PY'
import json, sys
n, tmp, w = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
g = json.load(open("tests/fixtures/lead_nurture.json"))
json.dump({"nodes": g["nodes"], "edges": g["edges"]}, open(tmp + "/graph.json", "w"))
for k in range(w):
    json.dump({"leads": [{"phone_number": "+1415%07d" % (2000000 + i)}
                         for i in range(n) if i % w == k]},
              open(tmp + "/leads%d.json" % k, "w"))
PY

# start_servers DB N [TIME_SCALE]: N servers over DB ($pids, and the metrics listener of each in
# $metrics) at TIME_SCALE (default 1e6); $base and $key for api(), on the first.
start_servers() {
    local db=$1 n=$2 scale=${3:-1000000} i out port mport
    key=$("$bin" keys create --db "$db" --org bench | tail -n 1)
    pids=() metrics=() base=
    for ((i = 0; i < n; i++)); do
        out=$tmp/out$i
        "$bin" serve --db "$db" --port 0 --rate-limit 0 --time-scale "$scale" \
            --metrics-listen 127.0.0.1:0 >"$out" 2>"$tmp/err$i" &
        pids+=($!)
        for _ in $(seq 1200); do  # two minutes: the machine may be loaded
            grep -q '^metrics on' "$out" && break
            kill -0 "${pids[-1]}" 2>/dev/null || break
            sleep 0.1
        done
        port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out")
        mport=$(sed -n 's/^metrics on .*:\([0-9]*\)$/\1/p' "$out")
        if [ -z "$port" ] || [ -z "$mport" ]; then
            echo "bench scale: server $i over $db did not start; stderr:" >&2
            cat "$tmp/err$i" >&2
            return 1
        fi
        [ -n "$base" ] || base=http://127.0.0.1:$port
        metrics+=("http://127.0.0.1:$mport")
    done
}
stop_servers() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
}

# cpu_now: CPU seconds used so far by the servers ($pids) and by the PostgreSQL server.
cpu_now() { python3 bench/proc_cpu.py "$(IFS=,; echo "${pids[*]}")" "$pg_pid"; }

# leadflow_run NAME DB N: the leads through lead nurture on N servers over DB; appends
# "NAME rate secs transitions per-server-steps server-cpu-s pg-cpu-s lock-held-% lock-waited-%"
# to $tmp/results (the write lock sampled by bench/pg_lock_sampler.mjs while the clock runs).
leadflow_run() {
    local name=$1 db=$2 n=$3 wf wfs=() k t0 t1 m p total=0 shares=() steps cpu0 cpu1 on_pg='' locks deadline
    [[ $db == postgres* ]] && on_pg=1
    start_servers "$db" "$n"
    for ((k = 0; k < workflows; k++)); do
        wf=$(api POST /v1/workflows '{"title":"Bench scale","settings":{"respect_lead_local_time":false}}' | id_of)
        api PUT "/v1/workflows/$wf/graph" "@$tmp/graph.json" >/dev/null
        api PUT "/v1/workflows/$wf/scenario" "@tests/fixtures/lead_nurture.scenario.json" >/dev/null
        api POST "/v1/workflows/$wf/leads" "@$tmp/leads$k.json" >/dev/null
        wfs+=("$wf")
    done
    if [ -n "$on_pg" ] && [ "${LEADFLOW_BENCH_SCALE_PROFILE:-0}" = 1 ]; then
        psql "$db" -qAt -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
            -c "SELECT pg_stat_statements_reset()" >/dev/null
    fi
    if [ -n "$on_pg" ]; then
        node bench/pg_lock_sampler.mjs "$node_dir" "$db" >"$tmp/locks" &
        sampler=$!
    fi
    read -ra cpu0 < <(cpu_now)
    t0=$(now)
    deadline=$((SECONDS + 900))
    for wf in "${wfs[@]}"; do api POST "/v1/workflows/$wf/activate" >/dev/null; done
    for wf in "${wfs[@]}"; do
        while [ "$(status_of "$wf")" != completed ]; do
            for p in "${pids[@]}"; do
                kill -0 "$p" 2>/dev/null && continue
                echo "bench scale: $name: a server exited during the run; stderr:" >&2
                cat "$tmp"/err* >&2
                return 1
            done
            [ "$SECONDS" -lt "$deadline" ] ||
                { echo "bench scale: $name: not completed after 15 minutes" >&2; return 1; }
            sleep 0.1
        done
    done
    t1=$(now)
    read -ra cpu1 < <(cpu_now)
    locks="- -"
    if [ -n "$on_pg" ]; then
        kill -TERM "$sampler"
        wait "$sampler"
        sampler=
        out=$(cat "$tmp/locks")
        locks="$(field held_pct) $(field waiting_pct)"
    fi
    sleep 0.5  # the counters are raised just after the last batch commits
    if [ -n "$on_pg" ] && [ "${LEADFLOW_BENCH_SCALE_PROFILE:-0}" = 1 ]; then
        echo "== $name: the statements that took most of PostgreSQL's time" >&2
        psql "$db" -q -P pager=off -c "SELECT round(total_exec_time::numeric, 1) AS total_ms,
            calls, round(mean_exec_time::numeric * 1000, 1) AS mean_us, rows,
            left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database
            WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 15" >&2
    fi
    for m in "${metrics[@]}"; do
        shares+=("$(curl -sf "$m/metrics" | awk '$1 == "leadflow_transitions_total" {print $2}')")
        total=$((total + shares[-1]))
    done
    stop_servers
    # What is committed: every step of every lead.
    if [ -n "$on_pg" ]; then
        steps=$(psql "$db" -qAtc "SELECT sum(steps) FROM leads")
    else
        steps=$(sqlite3 "$db" "SELECT sum(steps) FROM leads")
    fi
    [ "$steps" = "$total" ] ||
        echo "bench scale: $name: $steps steps in the database, $total counted by the servers" >&2
    echo "$name $(python3 -c "print(int($steps / ($t1 - $t0)), f'{$t1 - $t0:.2f}')") $steps $(IFS=/; echo "${shares[*]}")" \
        "$(python3 -c "print(f'{${cpu1[0]} - ${cpu0[0]}:.2f}')")" \
        "$([ -n "$on_pg" ] && python3 -c "print(f'{${cpu1[1]} - ${cpu0[1]}:.2f}')" || echo -)" "$locks" |
        tee -a "$tmp/results" >&2
}

# lag_run DB WAITING: the timer lag on one server over DB with WAITING leads waiting (header,
# part 3); writes "WAITING start-secs start-steps/s p50-s p99-s" to $tmp/lag.
lag_run() {
    local db=$1 n=$2 big small t0 t1 p50 p99 deadline
    start_servers "$db" 1 1
    insert_pg_leads() {  # WORKFLOW COUNT PREFIX
        psql "$db" -qAt -v ON_ERROR_STOP=1 -c "INSERT INTO leads(id, workflow_id, phone_number,
            variables, status, phase, steps, created_at, updated_at) SELECT '$3' || i, '$1',
            '+1415' || lpad((2000000 + i)::text, 7, '0'), '{}', 'pending', 'entering', 0, i, i
            FROM generate_series(0, $2 - 1) AS i" -c "ANALYZE leads"
    }
    big=$(api POST /v1/workflows '{"title":"Bench waiting"}' | id_of)
    wait_graph "$big" 720
    insert_pg_leads "$big" "$n" wlead_w
    t0=$(now)
    deadline=$((SECONDS + 3600))
    api POST "/v1/workflows/$big/activate" >/dev/null
    while [ "$(curl -sf "${metrics[0]}/metrics" | awk '$1 == "leadflow_transitions_total" {print $2}')" -lt "$n" ]; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "bench scale: pglag: not started after an hour" >&2; return 1; }
        sleep 0.5
    done
    t1=$(now)
    small=$(api POST /v1/workflows '{"title":"Bench timers"}' | id_of)
    wait_graph "$small" 0.016666666666666666
    insert_pg_leads "$small" 2000 wlead_s
    api POST "/v1/workflows/$small/activate" >/dev/null
    while [ "$(status_of "$small")" != completed ]; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "bench scale: pglag: timers not done" >&2; return 1; }
        sleep 1
    done
    p50=$(curl -sf "${metrics[0]}/metrics" | sed -n 's/^leadflow_timer_lag_seconds{quantile="0.5"} //p')
    p99=$(curl -sf "${metrics[0]}/metrics" | sed -n 's/^leadflow_timer_lag_seconds{quantile="0.99"} //p')
    stop_servers
    echo "$n $(python3 -c "print(f'{$t1 - $t0:.1f}', int($n / ($t1 - $t0)))") $p50 $p99" |
        tee "$tmp/lag" >&2
}

gw_run() {  # NAME DB WORKERS; appends "NAME jobs/s secs jobs - worker-cpu-s pg-cpu-s - -"
    out=$(LEADFLOW_BENCH_PG_PID=$pg_pid node bench/scale_graphile.mjs "$node_dir" "$2" "$gw_chains" \
        "$gw_steps" "$3" "$gw_concurrency")
    echo "$1 $(field jobs_per_s) $(field secs) $(field jobs) - $(field app_cpu) $(field pg_cpu) - -" |
        tee -a "$tmp/results" >&2
}
field() { sed -n "s/.*\b$1=\([^[:space:]]*\).*/\1/p" <<<"$out" | head -n 1; }

: >"$tmp/results"
: >"$tmp/lag"
configs=${LEADFLOW_BENCH_SCALE_CONFIGS:-sqlite1 pg1 pg2 pg4 gw1 gw2 gw4 pglag}
for ((r = 1; r <= runs; r++)); do
    echo "== scale: run $r of $runs, $leads leads / $((gw_chains * gw_steps)) jobs" >&2
    for c in $configs; do
        case $c in
        sqlite1)
            leadflow_run sqlite1 "$tmp/s$r.db" 1
            rm -f "$tmp/s$r.db"*
            ;;
        pg[1-9]) leadflow_run "$c" "$(fresh_db "scale_$c")" "${c#pg}" ;;
        gw[1-9]) gw_run "$c" "$(fresh_db "scale_$c")" "${c#gw}" ;;
        pglag) ;;
        *) echo "bench scale: unknown configuration '$c' (sqlite1, pg1…pg9, gw1…gw9, pglag)" >&2; exit 2 ;;
        esac
    done
done
if [[ " $configs " == *" pglag "* ]]; then
    if [ "$quick" = 1 ]; then waiting=${LEADFLOW_BENCH_SCALE_WAITING:-20000}; else waiting=${LEADFLOW_BENCH_SCALE_WAITING:-1000000}; fi
    echo "== scale: timer lag with $waiting leads waiting on PostgreSQL" >&2
    lag_run "$(fresh_db scale_lag)" "$waiting"
fi

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores (nproc), $(uname -sr)"
md=$(python3 - "$tmp/results" "$leads" "$runs" "$gw_chains" "$gw_steps" "$gw_concurrency" "$gw_version" \
    "$machine" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" "$pg_version" "$pg_settings" \
    "$(git rev-parse --short HEAD)" "$LEADFLOW_BENCH_GRAPHILE_OPTIONS" "$tmp/lag" "$workflows" <<'PY'
import datetime, statistics, sys
(results, leads, runs, chains, steps, conc, gw_version, machine, load0, load1, pg_version,
 pg_settings, commit, gw_options, lag, workflows) = sys.argv[1:]
leads, runs, chains, steps, workflows = int(leads), int(runs), int(chains), int(steps), int(workflows)
by = {}
for line in open(results):
    name, rate, secs, work, shares, app_cpu, pg_cpu, held, waited = line.split()
    by.setdefault(name, []).append((int(rate), float(secs), int(work), shares,
                                    float(app_cpu) / int(work) * 1e6,
                                    float(pg_cpu) / int(work) * 1e6 if pg_cpu != "-" else None,
                                    int(held) if held != "-" else None,
                                    int(waited) if waited != "-" else None))
def med(name, i):
    return statistics.median(r[i] for r in by[name])
def cpu(name):
    app = "%s µs" % f(med(name, 4))
    return app + (" + %s µs" % f(med(name, 5)) if by[name][0][5] is not None else "")
def spread(name):
    v = sorted(r[0] for r in by[name])
    return "%s–%s" % (format(v[0], ","), format(v[-1], ",")) if len(v) > 1 else "one run"
f = lambda x: format(int(round(x)), ",")
def servers(n):
    return "%d server%s" % (n, "s on one database" if n > 1 else "")
def processes(n):
    return "%d process%s" % (n, "es" if n > 1 else "")
rows = [("sqlite1", "Leadflow, SQLite, 1 server", "transitions", leads)]
rows += [("pg%d" % n, "Leadflow, PostgreSQL, %s" % servers(n), "transitions", leads)
         for n in range(1, 10)]
rows += [("gw%d" % n, "graphile-worker %s, %s × %s jobs at once" % (gw_version, processes(n), conc),
          "jobs", chains) for n in range(1, 10)]
out = ["## Scale: several servers on PostgreSQL, and a peer (bench/scale.sh)\n"]
out.append("Machine: %s; load average at the start: %s, at the end: %s (the machine is shared). "
           "Commit %s, %s UTC. PostgreSQL %s on a Unix socket, one throwaway server for every run "
           "(%s); a fresh database for each run.\n" % (
               machine, load0, load1, commit, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"),
               pg_version, pg_settings))
out.append("Leadflow: %s leads through the lead-nurture fixture at time scale 1e6, sandbox provider, "
           "split evenly over %d workflows and uploaded before the clock starts; the clock runs "
           "from activating them until every one is `completed` (polled every 0.1 s). Transitions = engine steps committed (the sum of "
           "the leads' step counts in the database, checked against the servers' counters). "
           "graphile-worker: %s jobs, %s chains of %d (a lead-nurture lead takes about 4 steps); "
           "each job is one statement that updates its lead row, appends a history row and adds "
           "the chain's next job; worker options `%s`; the clock runs from adding the %s first jobs "
           "to the commit of the last one. Median of %d interleaved run%s.\n" % (
               format(leads, ","), workflows, format(chains * steps, ","), format(chains, ","), steps,
               gw_options, format(chains, ","), runs, "s" if runs > 1 else ""))
out.append("| Run | Work | Steps or jobs per second (median) | Range | Wall time (median) | Leads or chains per second | CPU per step or job: Leadflow or workers + PostgreSQL |")
out.append("|---|---:|---:|---|---:|---:|---:|")
for key, label, unit, units in rows:
    if key not in by:
        continue
    out.append("| %s | %s %s | **%s/s** | %s | %.2f s | %s/s | %s |" % (
        label, f(med(key, 2)), unit, f(med(key, 0)), spread(key), med(key, 1), f(units / med(key, 1)),
        cpu(key)))
out.append("")
def ratio(a, b):
    return "%.2f×" % (med(a, 0) / med(b, 0)) if a in by and b in by else "n/a"
pgs = sorted(int(k[2:]) for k in by if k.startswith("pg"))
gws = sorted(int(k[2:]) for k in by if k.startswith("gw"))
parts = ["PostgreSQL to SQLite, 1 server: **%s**" % ratio("pg1", "sqlite1")]
parts += ["%d servers to 1 on PostgreSQL: **%s**" % (n, ratio("pg%d" % n, "pg1")) for n in pgs if n > 1]
parts += ["graphile-worker %s to 1: **%s**" % (processes(n), ratio("gw%d" % n, "gw1")) for n in gws if n > 1]
parts += ["Leadflow steps to graphile-worker jobs per second with %s each: **%s**" % (
    processes(n), ratio("pg%d" % n, "gw%d" % n)) for n in pgs if n in gws]
out.append("Ratios of the medians: %s." % "; ".join(parts))
for n in pgs:
    if n > 1:
        shares = sorted(by["pg%d" % n], key=lambda r: r[0])[len(by["pg%d" % n]) // 2][3]
        out.append("")
        out.append("Steps committed by each of the %d servers in the median run: %s." % (
            n, shares.replace("/", ", ")))
locks = ["%s: held %s%% of the time, a server waiting for it %s%%" % (
             "%d server%s" % (n, "s" if n > 1 else ""), f(med("pg%d" % n, 6)), f(med("pg%d" % n, 7)))
         for n in pgs]
if locks:
    out.append("")
    out.append("The write lock, sampled every 20 ms while the clock ran (medians): %s." % "; ".join(locks))
lag = open(lag).read().split()
if lag:
    waiting, start_secs, start_rate, p50, p99 = lag
    out.append("")
    out.append("Timer lag on PostgreSQL, one server: %s leads inserted as an upload stores them "
               "(then ANALYZE, as autovacuum does soon after a large insert) and started into a "
               "30-day TIME hold in %s s (**%s steps/s**); then 2,000 leads on a 1-minute hold at "
               "time scale 1: timer lag p50 **%.3f s**, p99 **%.3f s** (from each timer's due "
               "time to the commit of its step; goal: p99 < 1 s)." % (
                   f(int(waiting)), start_secs, f(int(start_rate)), float(p50), float(p99)))
out.append("")
out.append("CPU per step or job: the CPU time the Leadflow servers (or the graphile-worker "
           "processes) and the whole PostgreSQL server (every backend, the WAL writer, "
           "autovacuum) used while the clock ran, divided by the steps or jobs (medians); on a "
           "shared machine it varies less than the rates do.")
out.append("")
out.append("What this shows and what it does not:\n")
out.append("- Each server's scheduler moves the leads of the workflows it leases (a lease row per "
           "workflow, taken with `FOR UPDATE SKIP LOCKED`, a fair share each), so a workflow's "
           "steps are committed by one server at a time and different workflows' batches commit "
           "side by side: scheduler transactions take the write lock shared, API writes take it "
           "alone (the lock samples above count both). With more servers than workflows the "
           "others wait as standbys. Whether batches side by side add throughput depends on "
           "spare CPU: here the servers and PostgreSQL share two cores. A batch sends its writes "
           "as one statement per kind (lead rows, history, calls, outbox), so the statements per "
           "step are few.")
out.append("- A graphile-worker job is independent of every other job, so its processes run jobs "
           "in parallel; whether that helps depends on spare CPU. The leads of a Leadflow "
           "workflow are independent too, but a scheduler batch commits up to 2,000 steps in one "
           "transaction, while each job takes its own statements to be fetched, run and marked "
           "complete.")
out.append("- The jobs do about what a step does to the database (a row updated, a history row "
           "added, the next one scheduled), not what the engine computes for a step (conditions, "
           "calls, the call rows of lead nurture). Leadflow writes more per step; graphile-worker "
           "adds its queue's bookkeeping to each job; the CPU column shows which side of the "
           "connection the time goes to.")
out.append("- Everything shares the machine's cores with PostgreSQL and with whatever else runs on "
           "it: where PostgreSQL's CPU per step or job already fills the cores, more processes "
           "cannot add throughput. A separate database machine, or more cores, would change the "
           "absolute figures and may change the ratios between process counts.")
print("\n".join(out))
PY
)
echo "$md"
if [ "$quick" = 1 ]; then
    mkdir -p bench/results && echo "$md" >bench/results/scale-quick.md
    echo "(--quick: BENCHMARKS.md left as it was)" >&2
else
    write_benchmarks_section scale "$md"
fi
