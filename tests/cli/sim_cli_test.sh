#!/usr/bin/env bash
# Shell checks of leadflow-sim (docs/simulation.md#leadflow-sim: options, exit codes, the results
# key order, the same bytes natively and in WebAssembly). Prints "check passed: …" /
# "check FAILED: …" per check; exits non-zero when any check failed.
#
#   sim_cli_test.sh native FIXTURES_DIR BUILD/tools/leadflow-sim
#   sim_cli_test.sh wasm   FIXTURES_DIR BUILD/tools/leadflow-sim.js NATIVE_leadflow-sim
#
# In wasm mode the WebAssembly program runs under node and every reference workflow's results
# JSON must be byte-identical to the native program's.
set -uo pipefail
mode=$1 fixtures=$2 program=$3 native=${4:-}
if [ "$mode" = wasm ]; then
    export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
    sim() { node --no-experimental-fetch "$program" "$@"; }
else
    sim() { "$program" "$@"; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
pass() { echo "check passed: [$mode] $1"; }
fail() { echo "check FAILED: [$mode] $1"; failures=$((failures + 1)); }

# expect_exit CODE NAME PATTERN ARGS… : exit code and a stderr/stdout pattern.
expect_exit() {
    local want=$1 name=$2 pattern=$3; shift 3
    sim "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" != "$want" ]; then
        fail "$name (exit $rc, want $want; stderr: $(head -c 300 "$tmp/err"))"
    elif [ -n "$pattern" ] && ! grep -qiE -e "$pattern" "$tmp/out" "$tmp/err"; then
        fail "$name (output lacks /$pattern/: $(head -c 300 "$tmp/err"))"
    else
        pass "$name"
    fi
}

expect_exit 0 "--help prints usage" "usage: leadflow-sim" --help
expect_exit 2 "no graph file is exit 2" "usage"
expect_exit 2 "missing graph file is exit 2" "cannot read graph file" "$tmp/nope.json"
echo '{"nodes": [' >"$tmp/broken.json"
expect_exit 2 "malformed graph JSON is exit 2" "broken.json" "$tmp/broken.json"
expect_exit 2 "graph without entry node is exit 2" "entry" "$fixtures/invalid/ambiguous_entry_node.json"
echo '{"nodes": {"node_call1": {"outcomes": {"COMPLETED": 0.5, "NO_ANSWER": 0.4}}}}' >"$tmp/bad_scenario.json"
expect_exit 2 "probabilities not summing to 1 is exit 2" "scenario.nodes.node_call1.outcomes.*sum" \
    "$fixtures/lead_nurture.json" --scenario "$tmp/bad_scenario.json"
expect_exit 2 "missing scenario file is exit 2" "cannot read scenario" \
    "$fixtures/lead_nurture.json" --scenario "$tmp/none.json"
expect_exit 2 "--leads 0 is exit 2" "--leads" "$fixtures/lead_nurture.json" --leads 0
expect_exit 2 "--seed abc is exit 2" "--seed" "$fixtures/lead_nurture.json" --seed abc
expect_exit 2 "unknown option is exit 2" "unknown option" "$fixtures/lead_nurture.json" --fast

for wf in lead_nurture reengagement_drip conditional_followup; do
    expect_exit 0 "$wf: readable summary" "Calls placed" "$fixtures/$wf.json" \
        --scenario "$fixtures/$wf.scenario.json" --leads 2000
    if sim "$fixtures/$wf.json" --scenario "$fixtures/$wf.scenario.json" --json \
        >"$tmp/$wf.json" 2>"$tmp/err" &&
        node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
                 const k = Object.keys(r).slice(0, 9).join(",");
                 if (k !== "leads,seed,terminal,nodes,edges,calls,time_to_terminal_hours,in_progress,exact") process.exit(1);' \
            "$tmp/$wf.json"; then
        pass "$wf: --json results with the documented key order"
    else
        fail "$wf: --json results ($(head -c 300 "$tmp/err"))"
    fi
done

if sim "$fixtures/lead_nurture.json" --leads 321 --seed 9 --json >"$tmp/override.json" 2>/dev/null &&
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             if (r.leads !== 321 || r.seed !== 9) process.exit(1);' "$tmp/override.json"; then
    pass "--leads and --seed override the scenario"
else
    fail "--leads and --seed override the scenario"
fi

# A SPLIT in front of the lead-nurture workflow (branch A runs it, B drops at once): the summary
# compares the branches, and the JSON has their results with p_best summing to 1.
node -e 'const fs = require("fs");
         const g = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
         const first = g.nodes[0].id;
         g.workflow.entry_node_id = "node_split";
         g.nodes.push({id: "node_split", node_type: "SPLIT", label: "A/B", config:
                       {branches: [{label: "A", weight: 30}, {label: "B", weight: 70}]}});
         g.nodes.push({id: "node_skip", node_type: "DROPPED", label: "Not called", config: {}});
         g.edges.push({id: "edge_split_a", from_node_id: "node_split", to_node_id: first, label: "A"});
         g.edges.push({id: "edge_split_b", from_node_id: "node_split", to_node_id: "node_skip", label: "B"});
         fs.writeFileSync(process.argv[2], JSON.stringify(g));' \
    "$fixtures/lead_nurture.json" "$tmp/split.json"
expect_exit 0 "SPLIT graph: the summary compares the branches" "A/B split node_split" "$tmp/split.json" \
    --leads 2000
if sim "$tmp/split.json" --leads 2000 --json >"$tmp/split_results.json" 2>/dev/null &&
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             const b = r.splits.node_split, e = r.exact.splits.node_split;
             if (Math.abs(b.A.p_best + b.B.p_best - 1) > 1e-12 || !(b.A.p_best > 0.999)) process.exit(1);
             if (b.B.completed.count !== 0 || e.B.completed !== 0 || Math.abs(e.A.leads - 0.3) > 1e-9) process.exit(1);' \
        "$tmp/split_results.json"; then
    pass "SPLIT graph: --json has per-branch results, exact ones and p_best"
else
    fail "SPLIT graph: --json per-branch results"
fi

if [ "$mode" = wasm ]; then
    if [ ! -x "$native" ]; then
        fail "native leadflow-sim not found at '$native' (build the native tree first)"
    else
        for wf in lead_nurture reengagement_drip conditional_followup; do
            for variant in scenario default; do
                args=("$fixtures/$wf.json" --json)
                [ "$variant" = scenario ] && args+=(--scenario "$fixtures/$wf.scenario.json")
                [ "$variant" = default ] && args+=(--leads 3000 --seed 77)
                "$native" "${args[@]}" >"$tmp/native.json" 2>/dev/null
                sim "${args[@]}" >"$tmp/wasm.json" 2>/dev/null
                if [ -s "$tmp/native.json" ] && cmp -s "$tmp/native.json" "$tmp/wasm.json"; then
                    pass "$wf ($variant scenario): WebAssembly results JSON byte-identical to native"
                else
                    fail "$wf ($variant scenario): WebAssembly and native results differ"
                fi
            done
        done
        "$native" "$tmp/split.json" --leads 5000 --seed 3 --json >"$tmp/native.json" 2>/dev/null
        sim "$tmp/split.json" --leads 5000 --seed 3 --json >"$tmp/wasm.json" 2>/dev/null
        if [ -s "$tmp/native.json" ] && cmp -s "$tmp/native.json" "$tmp/wasm.json"; then
            pass "SPLIT graph: WebAssembly results JSON (p_best included) byte-identical to native"
        else
            fail "SPLIT graph: WebAssembly and native results differ"
        fi
    fi
fi

[ "$failures" = 0 ]
