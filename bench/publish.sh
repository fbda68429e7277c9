#!/usr/bin/env bash
# bench/publish.sh — workflow versions on a live leadflow-server (SQLite, sandbox provider):
#   1. `move` publishes of LEADFLOW_BENCH_PUBLISH_LEADS running leads (default 100,000) waiting
#      on a 30-day TIME hold: the wall time of each publish request (five in a row), and the
#      latency of API writes (PATCH of another workflow's title, back to back on one
#      connection) that overlapped a publish, p99 and max (bench/publish_probe.py); also the
#      dry run and a page of leads before and after (the lead view resolves each moved lead).
#   2. durable transitions/s, the run of bench/live.sh (lead_nurture at time scale 1e6), same-run
#      A/B: the server from before versions (LEADFLOW_BENCH_BASE_BIN, e.g. commit db098e0 built in
#      a worktree of its own; skipped when unset), this one, and this one with a `move` publish
#      once about a third of the steps are done (every running lead then moves at its next
#      step); LEADFLOW_BENCH_PUBLISH_RUNS rounds (default 3), the order rotating; medians.
# Leads are inserted with the sqlite3 shell (bench/live_server.sh). Prints a table and rewrites
# the "versions" section of BENCHMARKS.md. Usage: bench/publish.sh [NATIVE_BUILD_DIR].
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/live_server.sh
. bench/live_server.sh
dir=${1:-${LEADFLOW_BENCH_NATIVE_DIR:-build/native}}
new_bin=$dir/server/leadflow-server
live_bench_setup publish "$new_bin"
base_bin=${LEADFLOW_BENCH_BASE_BIN:-}
[ -z "$base_bin" ] || [ -x "$base_bin" ] || { echo "bench publish: $base_bin missing" >&2; exit 1; }
leads=${LEADFLOW_BENCH_PUBLISH_LEADS:-100000}
runs=${LEADFLOW_BENCH_PUBLISH_RUNS:-3}

# 1. Publishing with `move` while the leads wait.
echo "== publish: $leads leads waiting, five move publishes with writes beside them" >&2
bin=$new_bin
start_server "$tmp/p.db" 1
wf=$(api POST /v1/workflows '{"title":"Bench publish"}' | id_of)
wait_graph "$wf" 720
other=$(api POST /v1/workflows '{"title":"Edited during the publishes"}' | id_of)
insert_leads "$tmp/p.db" "$wf" "$leads" wlead_p
api POST "/v1/workflows/$wf/activate" >/dev/null
while [ "$(metric leadflow_transitions_total)" -lt "$leads" ]; do sleep 0.2; done
python3 bench/publish_probe.py "$base" "$key" "$wf" "$other" 5 >"$tmp/probe.json"
cat "$tmp/probe.json" >&2
stop_server

# 2. Durable transitions/s, before and with versions.
variants=(new publish)
[ -n "$base_bin" ] && variants=(base new publish)
: >"$tmp/ab.txt"
for round in $(seq "$runs"); do
    for k in "${!variants[@]}"; do
        variant=${variants[$(((k + round - 1) % ${#variants[@]}))]}
        echo "== publish: round $round, $variant: $leads leads through lead_nurture" >&2
        rm -f "$tmp"/ab.db*
        case "$variant" in
        base) bin=$base_bin; nurture_run "$tmp/ab.db" "$leads" ;;
        new) bin=$new_bin; nurture_run "$tmp/ab.db" "$leads" ;;
        publish) bin=$new_bin; nurture_run "$tmp/ab.db" "$leads" $((leads * 14 / 10)) ;;
        esac
        echo "   $rate/s ($transitions steps in $secs s; API write median $write_p50 ms, max $write_max ms; $published versions)" >&2
        echo "$variant $rate $transitions $secs $write_p50 $write_max $published" >>"$tmp/ab.txt"
    done
done

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -sr)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
new_commit=$(git rev-parse --short HEAD)
base_commit=
[ -n "$base_bin" ] && base_commit=$(git -C "$(dirname "$base_bin")" rev-parse --short HEAD 2>/dev/null || echo "?")
md=$(python3 - "$tmp/probe.json" "$tmp/ab.txt" "$leads" "$machine" "$load" "$new_commit" \
    "$base_commit" "$(date -u '+%Y-%m-%d %H:%M UTC')" <<'PY'
import json, statistics, sys
probe_file, ab_file, leads, machine, load, new_commit, base_commit, when = sys.argv[1:]
p = json.load(open(probe_file))
n = f"{int(leads):,}"
secs = [x["secs"] for x in p["publishes"]]
moved = {x["move"] for x in p["publishes"]}
d, a = p["writes_during_publish"], p["writes_all"]
runs = {}
for line in open(ab_file):
    v, rate, steps, s, w50, wmax, versions = line.split()
    runs.setdefault(v, []).append((int(rate), int(steps), float(s), w50, wmax, versions))
def row(v, label):
    if v not in runs:
        return f"| {label} | not measured | |"
    rates = [r[0] for r in runs[v]]
    w = "; ".join(f"{r[3]} / {r[4]}" for r in runs[v])
    return (f"| {label} | **{statistics.median(rates):,.0f}/s** "
            f"({', '.join(f'{x:,}' for x in rates)}; {runs[v][0][1]:,} steps; versions stored: "
            f"{'/'.join(sorted({r[5] for r in runs[v]}))}) | {w} |")
base_label = f"before versions ({base_commit})" if base_commit else "before versions"
print(f"""## Versions (bench/publish.sh)

Machine: {machine}; load average at the end: {load}.
Commit {new_commit}, {when}. SQLite (WAL, synchronous=NORMAL), sandbox call provider,
`--rate-limit 0`.

**Publishing with `move`** while {n} leads wait on a 30-day TIME hold (time scale 1): five
publishes in a row, 0.5 s apart, while another client PATCHes the title of another workflow back
to back on one keep-alive connection (bench/publish_probe.py).

| Measure | Result | Goal |
|---|---|---|
| `POST …/publish {{"migrate":"move"}}`, five publishes: median / max | **{statistics.median(secs):.3f} s** / {max(secs):.3f} s (leads moved: {", ".join(str(m) for m in sorted(moved, key=str))}) | < 2 s |
| API writes overlapping a publish: p99 / max ({d.get("count", 0)} writes) | {d.get("p99", "n/a")} ms / **{d.get("max", "n/a")} ms** | never over 100 ms |
| All API writes of the probe: p50 / p99 / max ({a["count"]} writes) | {a["p50"]} / {a["p99"]} / {a["max"]} ms | |
| Dry run (the same counts, nothing written) | {p["dry_run_ms"]} ms | |
| `GET …/leads?limit=100`, median: before / after the publishes | {p["page_before_ms"]["p50"]} / {p["page_after_ms"]["p50"]} ms | |

**Durable transitions/s** (the bench/live.sh run: {n} leads through lead_nurture at time scale
1e6, an API write every 0.2 s), same-run A/B, {len(runs.get("new", []))} rounds, the order
rotating each round; medians, then each run.

| Server | Transitions/s | API write median / max, ms, per run |
|---|---|---|
{row("base", base_label)}
{row("new", "with versions")}
{row("publish", "with versions, `move` publish after " + f"{int(leads) * 14 // 10:,}" + " steps")}
""")
PY
)
echo "$md"
write_benchmarks_section versions "$md"
