#!/usr/bin/env bash
# bench/editor.sh — the browser editor: wasm + js size, navigation → first frame against a bare
# ImGui page (same run, same browser), and frame build time (NewFrame → Render) with 500, 2,000
# and 10,000 nodes at fit-to-view and at 100% zoom, in headless Chromium (SwiftShader). The
# first-frame comparison loads the editor, the bare page and (for information) the bare page with
# the editor's start-up recipe (lean WebGL context, first frame from main())
# LEADFLOW_BENCH_FIRST_FRAME_RUNS times each (default 15), interleaved, and prints medians, their
# ratio and the load average; ≈ 1.5 minutes in all.
# Run through `scripts/bench editor`. Environment:
#   LEADFLOW_WEB_BUILD        folder holding dist/ and bare/ (default: $LEADFLOW_BENCH_WASM_DIR/web)
#   LEADFLOW_BENCH_WASM_DIR   WebAssembly build tree (default build/wasm, built by scripts/build)
#   LEADFLOW_BENCH_NO_BUILD=1 use the build tree as it is
set -euo pipefail
cd "$(dirname "$0")/.."
wasm_dir=${LEADFLOW_BENCH_WASM_DIR:-build/wasm}
web_build=${LEADFLOW_WEB_BUILD:-$wasm_dir/web}
if [ -z "${LEADFLOW_WEB_BUILD:-}" ] && [ "${LEADFLOW_BENCH_NO_BUILD:-0}" != 1 ]; then
    scripts/build wasm >/dev/null
fi
[ -d tests/e2e/node_modules/playwright-core ] || (cd tests/e2e && npm install --no-audit --no-fund --silent)
node bench/editor_bench.mjs "$web_build"
