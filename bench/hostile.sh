# bench/hostile.sh — the `hostile` section of scripts/bench (sourced by it; uses its helpers
# machine and replace_section, and $native_dir). Writes "### Connections" of the "## Hostile"
# part of BENCHMARKS.md.
#
# Starts leadflow-server (defaults, rate limiting off) on a temporary SQLite file, then with
# 500 slowloris connections (a head dribbled one byte per second, reopened when the server
# closes them at its header deadline) and 2,000 idle connections held open by
# bench/hostile_attack.py from 127.0.9.x source addresses: wrk (1 thread, 4 keep-alive
# connections) on GET /healthz and on an authenticated GET /v1/workflows/{id}, and 300
# sequential /healthz requests on fresh connections (curl); p50/p99 of each. Then a gzip bomb
# (1 MB inflating to 1 GB) is POSTed and the growth of the server's peak RSS (VmHWM) recorded.
# Environment: LEADFLOW_BENCH_HOSTILE_SECONDS (wrk duration per endpoint, default 15).

bench_hostile() {
    local secs=${LEADFLOW_BENCH_HOSTILE_SECONDS:-15}
    if [ "${LEADFLOW_BENCH_NO_BUILD:-0}" != 1 ] && [ "$native_dir" = build/native ]; then
        scripts/build native >/dev/null
    fi
    local bin=$native_dir/server/leadflow-server
    [ -x "$bin" ] || { echo "bench hostile: $bin missing" >&2; return 1; }
    command -v wrk >/dev/null || { echo "bench hostile: wrk missing (scripts/setup installs it)" >&2; return 1; }
    local tmp pid port key wf attack_pid
    tmp=$(mktemp -d)
    key=$("$bin" keys create --db "$tmp/bench.db" --org bench | tail -n 1)
    "$bin" serve --db "$tmp/bench.db" --port 0 --rate-limit 0 --live false >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 50); do grep -q listening "$tmp/out" && break; sleep 0.1; done
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$tmp/out")
    local base=http://127.0.0.1:$port auth="Authorization: Bearer $key"
    wf=$(curl -sf -X POST "$base/v1/workflows" -H "$auth" -H 'Content-Type: application/json' \
        -d '{"title":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

    echo "== hostile: opening 500 slowloris + 2,000 idle connections" >&2
    python3 bench/hostile_attack.py "$port" 500 2000 $((secs * 2 + 60)) >"$tmp/attack" 2>&1 &
    attack_pid=$!
    for _ in $(seq 600); do grep -q ready "$tmp/attack" && break; sleep 0.1; done
    grep -q ready "$tmp/attack" || { echo "bench hostile: attack did not start" >&2; cat "$tmp/attack" >&2; }
    local open_fds
    open_fds=$(ls "/proc/$pid/fd" | wc -l)
    echo "   server has $open_fds open descriptors" >&2

    echo "== hostile: wrk /healthz and GET /v1/workflows/{id} under attack (${secs}s each)" >&2
    wrk -t1 -c4 -d"${secs}s" --latency "$base/healthz" >"$tmp/wrk-healthz.txt" 2>&1
    wrk -t1 -c4 -d"${secs}s" --latency -H "$auth" "$base/v1/workflows/$wf" >"$tmp/wrk-workflow.txt" 2>&1
    echo "== hostile: 300 fresh-connection /healthz requests under attack" >&2
    for _ in $(seq 300); do
        curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 "$base/healthz"
    done >"$tmp/fresh.txt"
    kill "$attack_pid" 2>/dev/null || true
    wait "$attack_pid" 2>/dev/null || true

    echo "== hostile: gzip bomb (1 MB → 1 GB)" >&2
    python3 bench/hostile_attack.py bomb "$tmp/bomb.gz" 1024
    local hwm_before hwm_after bomb_code bomb_kb
    hwm_before=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    bomb_code=$(curl -s -o "$tmp/bomb.json" -w '%{http_code}' -X POST "$base/v1/workflows" \
        -H "$auth" -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \
        --data-binary "@$tmp/bomb.gz")
    hwm_after=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    bomb_kb=$(( $(stat -c %s "$tmp/bomb.gz") / 1024 ))
    echo "   HTTP $bomb_code, VmHWM $hwm_before → $hwm_after kB" >&2
    kill "$pid"
    wait "$pid" 2>/dev/null || true

    local md
    md=$(mktemp)
    python3 - "$md" "$tmp" "$(machine)" "$(git rev-parse --short HEAD)" \
        "$(uptime | sed 's/.*load average: //')" "$secs" "$open_fds" "$bomb_code" "$bomb_kb" \
        "$hwm_before" "$hwm_after" <<'PY'
import datetime, re, sys
md, tmp, machine, commit, load, secs, fds, code, bomb_kb, before, after = sys.argv[1:]
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
def wrk(name):
    t = open(f"{tmp}/wrk-{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", t).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", t).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", t).group(1))
    total = int(re.search(r"(\d+) requests in", t).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    if m: errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    if m: errors += sum(int(x) for x in m.groups())
    return rps, p50, p99, total, errors
fresh = [l.split() for l in open(f"{tmp}/fresh.txt") if l.strip()]
times = sorted(float(t) * 1000 for c, t in fresh)
fresh_err = sum(1 for c, t in fresh if c != "200")
def pct(p): return times[min(len(times) - 1, int(p / 100 * len(times)))]
out = ["### Connections (`scripts/bench hostile`)\n",
       "Machine: %s. Commit %s, %s UTC; load average at the end: %s (the machine is shared with "
       "other builds). Server: Release build, default connection limits, rate limit off, "
       "`--live false`. Attack (bench/hostile_attack.py, same machine): 500 slowloris "
       "connections dribbling a head one byte per second (closed by the server at its 10 s "
       "header deadline and reopened) and 2,000 idle connections, from 250 source addresses "
       "127.0.9.x; the server held %s open descriptors while measured.\n" % (
           machine, commit, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), load, fds),
       "| Under attack | requests/s | p50 ms | p99 ms | requests | errors |",
       "|---|---:|---:|---:|---:|---:|"]
for name, label in [("healthz", "GET /healthz (wrk, 4 keep-alive connections, %s s)" % secs),
                    ("workflow", "GET /v1/workflows/{id} with a key (wrk, 4 connections, %s s)" % secs)]:
    rps, p50, p99, total, errors = wrk(name)
    out.append("| %s | %s | %.2f | %.2f | %s | %d |" % (label, format(int(rps), ","), p50, p99,
                                                        format(total, ","), errors))
out.append("| GET /healthz on a fresh connection each (curl, sequential) | — | %.2f | %.2f | %d | %d |"
           % (pct(50), pct(99), len(times), fresh_err))
out.append("")
out.append("Target: p99 < 100 ms for both endpoints.\n")
out.append("| Gzip bomb | compressed | inflates to | HTTP | server VmHWM before → after | growth |")
out.append("|---|---:|---:|---:|---:|---:|")
out.append("| POST /v1/workflows, Content-Encoding: gzip | %s KB | 1 GB | %s | %.0f → %.0f MB | %.1f MB |" % (
    format(int(bomb_kb), ","), code, int(before) / 1024, int(after) / 1024,
    (int(after) - int(before)) / 1024))
out.append("")
out.append("Target: growth < 64 MB (the server stops inflating at 10 MB and answers 413).")
open(md, "w").write("\n".join(out) + "\n")
PY
    cat "$md"
    cp "$md" bench/results/hostile.md
    replace_section hostile-connections "$md"
    rm -f "$md"
    rm -rf "$tmp"
}
