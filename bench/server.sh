# bench/server.sh — the `server` section of scripts/bench (sourced by it; uses its helpers
# machine and replace_section, and $native_dir).
#
# Starts leadflow-server on a temporary SQLite file and an ephemeral port with rate limiting
# off, then: wrk, 64 connections for 30 s, against GET /v1/workflows/{id} and GET …/leads
# (a page of 20 out of 1,000 leads); and one 100,000-row CSV upload (multipart, curl) timed
# end to end, with the server's peak resident memory (VmHWM) after it.
# Environment: LEADFLOW_BENCH_SERVER_SECONDS (wrk duration, default 30),
#              LEADFLOW_BENCH_SERVER_ROWS (CSV rows, default 100000).

bench_server() {
    local secs=${LEADFLOW_BENCH_SERVER_SECONDS:-30} rows=${LEADFLOW_BENCH_SERVER_ROWS:-100000}
    if [ "${LEADFLOW_BENCH_NO_BUILD:-0}" != 1 ] && [ "$native_dir" = build/native ]; then
        scripts/build native >/dev/null
    fi
    local bin=$native_dir/server/leadflow-server
    [ -x "$bin" ] || { echo "bench server: $bin missing" >&2; return 1; }
    command -v wrk >/dev/null || { echo "bench server: wrk missing (scripts/setup installs it)" >&2; return 1; }
    local tmp pid port key wf
    tmp=$(mktemp -d)
    key=$("$bin" keys create --db "$tmp/bench.db" --org bench | tail -n 1)
    "$bin" serve --db "$tmp/bench.db" --port 0 --rate-limit 0 --threads 96 >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 50); do grep -q listening "$tmp/out" && break; sleep 0.1; done
    port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$tmp/out")
    local base=http://127.0.0.1:$port auth="Authorization: Bearer $key"
    wf=$(curl -sf -X POST "$base/v1/workflows" -H "$auth" -H 'Content-Type: application/json' \
        -d '{"title":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    python3 -c '
import sys
print("phone_number,first_name,city")
for i in range(int(sys.argv[1])):
    print("+1415%07d,Lead %d,\"Pune, MH\"" % (2000000 + i, i))' 1000 >"$tmp/small.csv"
    curl -sf -X POST "$base/v1/workflows/$wf/leads" -H "$auth" -F "file=@$tmp/small.csv" >/dev/null

    run_wrk() {  # name url
        echo "== server: wrk $1 (64 connections, ${secs}s)" >&2
        wrk -t2 -c64 -d"${secs}s" --latency -H "$auth" "$2" >"$tmp/wrk-$1.txt" 2>&1
        cat "$tmp/wrk-$1.txt" >&2
    }
    run_wrk workflow "$base/v1/workflows/$wf"
    run_wrk leads "$base/v1/workflows/$wf/leads?page=3&limit=20"

    echo "== server: CSV upload, $rows rows" >&2
    python3 -c '
import sys
print("phone_number,first_name,city")
for i in range(int(sys.argv[1])):
    print("+1415%07d,Lead %d,\"Pune, MH\"" % (3000000 + i, i))' "$rows" >"$tmp/big.csv"
    local wf2 up_code up_secs
    wf2=$(curl -sf -X POST "$base/v1/workflows" -H "$auth" -H 'Content-Type: application/json' \
        -d '{"title":"Bench upload"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    read -r up_code up_secs < <(curl -s -o "$tmp/upload.json" -w '%{http_code} %{time_total}\n' \
        -X POST "$base/v1/workflows/$wf2/leads" -H "$auth" -F "file=@$tmp/big.csv")
    local enrolled hwm csv_mb
    enrolled=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("count", 0))' "$tmp/upload.json")
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    csv_mb=$(du -m "$tmp/big.csv" | cut -f1)
    echo "   upload: HTTP $up_code, $enrolled leads in ${up_secs}s, server peak RSS ${hwm} kB" >&2
    kill "$pid"
    wait "$pid" 2>/dev/null || true

    local md
    md=$(mktemp)
    python3 - "$md" "$tmp" "$(machine)" "$(git rev-parse --short HEAD)" \
        "$(uptime | sed 's/.*load average: //')" "$secs" "$rows" "$up_code" "$up_secs" \
        "$enrolled" "$hwm" "$csv_mb" <<'PY'
import datetime, re, sys
md, tmp, machine, commit, load, secs, rows, code, up_s, enrolled, hwm, csv_mb = sys.argv[1:]
def parse(name):
    t = open(f"{tmp}/wrk-{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", t).group(1))
    def ms(v):
        m = re.match(r"([\d.]+)(us|ms|s)", v)
        return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
    p50 = ms(re.search(r"\s50%\s+(\S+)", t).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", t).group(1))
    total = int(re.search(r"(\d+) requests in", t).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    if m: errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    if m: errors += sum(int(x) for x in m.groups())
    return rps, p50, p99, total, errors
out = ["## Server: REST API under load (`scripts/bench server`)\n",
       "Machine: %s. Commit %s, %s UTC; load average at the end: %s. wrk (2 threads, 64 "
       "keep-alive connections, %s s) runs on the same 2 cores as the server, so the two "
       "compete for CPU. Server: Release build, SQLite file in WAL mode, rate limit off "
       "(`--rate-limit 0`), 96 worker threads.\n" % (machine, commit,
       datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), load, secs),
       "| Endpoint | requests/s | p50 ms | p99 ms | requests | errors |",
       "|---|---:|---:|---:|---:|---:|"]
for name, label in [("workflow", "GET /v1/workflows/{id} (with counts)"),
                    ("leads", "GET /v1/workflows/{id}/leads?page=3&limit=20 (1,000 leads)")]:
    rps, p50, p99, total, errors = parse(name)
    out.append("| %s | %s | %.2f | %.2f | %s | %d |" % (label, format(int(rps), ","), p50, p99,
                                                        format(total, ","), errors))
out.append("")
out.append("Targets: 10,000 requests/s, p99 < 20 ms, 0 errors.\n")
out.append("| CSV upload | rows | file MB | HTTP | seconds (end to end) | leads enrolled | server peak RSS MB |")
out.append("|---|---:|---:|---:|---:|---:|---:|")
out.append("| multipart, one request (curl) | %s | %s | %s | %.2f | %s | %.0f |" % (
    format(int(rows), ","), csv_mb, code, float(up_s), format(int(enrolled), ","), int(hwm) / 1024))
out.append("")
out.append("Target: 100,000 leads in under 5 s. The time covers receiving the upload, parsing the "
           "CSV, validating and normalizing every number with libphonenumber, and inserting all "
           "leads in one SQLite transaction.")
open(md, "w").write("\n".join(out) + "\n")
PY
    cat "$md"
    cp "$md" bench/results/server.md
    replace_section server "$md"
    rm -f "$md"
    rm -rf "$tmp"
}
