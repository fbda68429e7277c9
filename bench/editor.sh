#!/usr/bin/env bash
# bench/editor.sh — the browser editor: wasm + js size, navigation → first frame against a bare
# ImGui page (same run, same browser), and frame build time (NewFrame → Render) with 500, 2,000
# and 10,000 nodes at fit-to-view and at 100% zoom, in headless Chromium (SwiftShader).
# Environment: LEADFLOW_WEB_BUILD (default build/wasm/web): the folder holding dist/ and bare/.
set -euo pipefail
cd "$(dirname "$0")/.."
web_build=${LEADFLOW_WEB_BUILD:-build/wasm/web}
if [ -z "${LEADFLOW_WEB_BUILD:-}" ]; then
    scripts/build wasm >/dev/null
fi
[ -d tests/e2e/node_modules/playwright-core ] || (cd tests/e2e && npm install --no-audit --no-fund --silent)
node bench/editor_bench.mjs "$web_build"
