#!/usr/bin/env bash
# bench/websim.sh — simulation in the browser: 100,000 and 1,000,000 leads of the lead nurture
# workflow in headless Chromium, in one go and split across frames (the Run button's way), next
# to the native leadflow-sim. Rewrites the "websim" part of BENCHMARKS.md.
# Environment:
#   LEADFLOW_BENCH_WASM_DIR    WebAssembly build tree (default build/wasm, built by scripts/build)
#   LEADFLOW_BENCH_NATIVE_DIR  native build tree (default build/native)
#   LEADFLOW_BENCH_NO_BUILD=1  use the build trees as they are
#   LEADFLOW_WEBSIM_LEADS      comma-separated lead counts (default 100000,1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
wasm_dir=${LEADFLOW_BENCH_WASM_DIR:-build/wasm}
native_dir=${LEADFLOW_BENCH_NATIVE_DIR:-build/native}
if [ "${LEADFLOW_BENCH_NO_BUILD:-0}" != 1 ]; then
    [ "$wasm_dir" = build/wasm ] && scripts/build wasm >/dev/null
    [ "$native_dir" = build/native ] && scripts/build native >/dev/null
fi
[ -d tests/e2e/node_modules/playwright-core ] || (cd tests/e2e && npm install --no-audit --no-fund --silent)
mkdir -p bench/results
table=$(node bench/websim_bench.mjs "$wasm_dir/web/dist" "$native_dir/tools/leadflow-sim")
echo "$table" | tee bench/results/websim.txt

md=$(mktemp)
{
    echo "## Simulation in the browser (\`bench/websim.sh\`)"
    echo
    echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores; commit" \
         "$(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M') UTC; load average at the end:" \
         "$(uptime | sed 's/.*load average: //'). Headless Chromium (SwiftShader WebGL2, 1280×800)," \
         "Release WebAssembly build (-O2, -fwasm-exceptions). Lead nurture, default scenario" \
         "outcomes, seed 1, 90-day horizon, all leads at the start, exact analysis included."
    echo
    echo "$table" | grep -v '^websim-bench-json'
    echo
    echo "Share links are deflate + base64url of the graph, scenario and view (goal: under 1,500" \
         "characters per link)."
    echo
    echo "*One go* is \`window.leadflow.simulate()\`: the page is blocked for the run. *Across frames*" \
         "is the Run button (\`runSimulation()\`): the run takes about half of each frame's time" \
         "(8–50 ms of simulation per frame) and the page keeps drawing with a progress bar;" \
         "SwiftShader draws each frame on the CPU here, so frames are slow and the sliced run is" \
         "mostly frame time. The frame gap is measured with requestAnimationFrame during the run." \
         "The native column is the whole leadflow-sim process (start-up, JSON output) for the" \
         "same input. *Same bytes*: the sliced run's results JSON equals the one-go result."
} >"$md"
python3 - "$md" <<'PY'
import sys
content = open(sys.argv[1]).read()
doc = "BENCHMARKS.md"
text = open(doc).read()
start, end = "<!-- bench:websim:start -->", "<!-- bench:websim:end -->"
if start not in text:
    text = text.rstrip("\n") + "\n\n" + start + "\n" + end + "\n"
i, j = text.index(start) + len(start), text.index(end)
open(doc, "w").write(text[:i] + "\n" + content.rstrip() + "\n" + text[j:])
PY
rm -f "$md"
