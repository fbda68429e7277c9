#!/usr/bin/env bash
# bench/live.sh — live lead progression in a real leadflow-server process (SQLite, sandbox
# provider):
#   1. durable lead transitions per second: LEADFLOW_BENCH_LIVE_LEADS leads (default 100,000)
#      through the lead-nurture fixture at time scale 1e6 (every wait is shorter than the time
#      it takes to process a batch, i.e. "instant"); transitions = engine steps persisted, each
#      with its state, history rows and call rows in the same committed transaction.
#   2. timer lag with LEADFLOW_BENCH_LIVE_WAITING leads (default 1,000,000) waiting on a 30-day
#      TIME hold: 2,000 more leads on a 1-minute hold at time scale 1; lag = wall time between
#      a timer's due time and the commit of its step (p50/p99 from /metrics).
# Leads are inserted with the sqlite3 shell (as an upload would store them) so that the run
# measures the scheduler, not the upload. Prints a table and rewrites the "live" section of
# BENCHMARKS.md. Usage: bench/live.sh [NATIVE_BUILD_DIR] (default build/native).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/live_server.sh
. bench/live_server.sh
dir=${1:-${LEADFLOW_BENCH_NATIVE_DIR:-build/native}}
bin=$dir/server/leadflow-server
live_bench_setup live "$bin"
leads=${LEADFLOW_BENCH_LIVE_LEADS:-100000}
waiting=${LEADFLOW_BENCH_LIVE_WAITING:-1000000}

# 1. Transitions per second.
echo "== live: $leads leads through lead_nurture at time scale 1e6" >&2
nurture_run "$tmp/t.db" "$leads"

# 2. Timer lag with many leads waiting.
echo "== live: timer lag with $waiting leads waiting" >&2
start_server "$tmp/l.db" 1
big=$(api POST /v1/workflows '{"title":"Bench waiting"}' | id_of)
wait_graph "$big" 720
insert_leads "$tmp/l.db" "$big" "$waiting" wlead_w
t0=$(now)
api POST "/v1/workflows/$big/activate" >/dev/null
while [ "$(metric leadflow_transitions_total)" -lt "$waiting" ]; do sleep 0.5; done
t1=$(now)
start_secs=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
start_rate=$(python3 -c "print(int($waiting / ($t1 - $t0)))")
small=$(api POST /v1/workflows '{"title":"Bench timers"}' | id_of)
wait_graph "$small" 0.016666666666666666
insert_leads "$tmp/l.db" "$small" 2000 wlead_s
api POST "/v1/workflows/$small/activate" >/dev/null
while [ "$(status_of "$small")" != completed ]; do sleep 1; done
p50=$(curl -sf "$metrics_base/metrics" | sed -n 's/^leadflow_timer_lag_seconds{quantile="0.5"} //p')
p99=$(curl -sf "$metrics_base/metrics" | sed -n 's/^leadflow_timer_lag_seconds{quantile="0.99"} //p')
rss=$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status")
stop_server

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -sr)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
md=$(cat <<MD
## Live progression (bench/live.sh)

Machine: $machine; load average at the end: $load. SQLite (WAL, synchronous=NORMAL), sandbox
call provider; the scheduler writes on its own connection, up to 2,000 engine steps per
transaction (at most 200 ms), and commits at its next step when an API write is waiting. The
steps' SQL runs on a second thread while the scheduler thread computes the next steps. History
rows are appended to per-lead chains (schema 4: no per-lead index); the scheduler copies the WAL
back into the database after its commit every 20,000 pages (~80 MB); API commits never
checkpoint (a background thread does, when only the API writes).

| Measure | Result | Target |
|---|---|---|
| Durable transitions/s, $leads leads through lead_nurture, time scale 1e6 | **$rate/s** ($transitions steps, $history_rows history rows in $secs s) | 20,000/s |
| API write (PATCH workflow) during that run, median / max of $writes | $write_p50 ms / $write_max ms | tens of ms |
| Starting $waiting leads into a 30-day TIME hold (one step each) | $start_secs s (**$start_rate steps/s**) | |
| Timer lag p50 / p99, 2,000 one-minute timers with $waiting leads waiting | $p50 s / **$p99 s** | p99 < 1 s |
| Server peak memory (lag run) | $rss | |

A lead-nurture step is heavier than a start: a call step inserts the call row, and the step
that ends it updates that row and writes two or three history rows (the call's completion,
the TIME hold or the terminal record). The lag is measured from each timer's due time to the
commit of the batch that applied it; the 1,000,000 waiting leads are never read by a tick
(\`due_at\` index).
MD
)
echo "$md"
write_benchmarks_section live "$md"
