// bench/editor_bench.mjs — measurements for bench/editor.sh (see there). Prints a readable
// table and one JSON line ("editor-bench-json: {…}") for tools.
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { serveStatic, launchBrowser, repoRoot } from '../tests/e2e/harness.mjs';

const webBuild = resolve(repoRoot, process.argv[2] || 'build/wasm/web');
const size = (f) => statSync(join(webBuild, f)).size;
const kib = (b) => `${(b / 1024).toFixed(0)} KiB`;

// A synthetic workflow of `n` nodes: chains of calls and waits ending in converted/dropped.
// With `crossLinks`, every call also has a FAILED edge to the last node of its row, which the
// cards in between make the edge router detour around.
function syntheticGraph(n, { crossLinks = false } = {}) {
  const nodes = [];
  const edges = [];
  const chain = 10;
  const rows = Math.ceil(n / chain);
  for (let i = 0; i < n; i++) {
    const row = Math.floor(i / chain);
    const col = i % chain;
    const last = col === chain - 1 || i === n - 1;
    const type = last ? (row % 2 ? 'DROPPED' : 'CONVERTED') : col % 2 ? 'TIME' : 'VOICE_CALL';
    const config = type === 'VOICE_CALL'
      ? { agent_id: `agent_${row}`, from_phone_number: '+14155550100' }
      : type === 'TIME' ? { duration_value: 2, duration_unit: 'days' } : {};
    nodes.push({ id: `node_${i}`, node_type: type, label: `${type.toLowerCase()} ${i}`,
                 position_x: col * 300, position_y: row * 220, config });
    if (!last) {
      edges.push({ id: `edge_${i}`, from_node_id: `node_${i}`, to_node_id: `node_${i + 1}`,
                   label: type === 'VOICE_CALL' ? 'COMPLETED' : null, position: i });
    }
    const rowEnd = Math.min(n - 1, row * chain + chain - 1);
    if (crossLinks && type === 'VOICE_CALL' && rowEnd > i + 1) {
      edges.push({ id: `edge_x${i}`, from_node_id: `node_${i}`, to_node_id: `node_${rowEnd}`,
                   label: 'FAILED', position: n + i });
    }
  }
  void rows;
  return { workflow: { title: `Synthetic ${n}` }, nodes, edges };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const server = await serveStatic(webBuild);
const browser = await launchBrowser();
const ctx = browser.context;
const result = { sizes: {}, first_frame_ms: {}, build_ms: {} };
try {
  // [1] Sizes.
  result.sizes = {
    wasm: size('dist/leadflow-web.wasm'),
    js: size('dist/leadflow-web.js') + size('dist/leadflow.js'),
  };
  result.sizes.total = result.sizes.wasm + result.sizes.js;
  result.sizes.bare_total = size('bare/imgui-bare.wasm') + size('bare/imgui-bare.js');

  // [2] Navigation → first frame: `runs` page loads of each kind, interleaved (each round loads
  // every kind once, in an order that rotates so no page always follows the same one), after one
  // unrecorded load of each; medians reported, and the median of the per-round ratios. Kinds: the
  // editor, the bare ImGui page as Emscripten sets it up by default (the goal's baseline), and for
  // information the bare page with the editor's start-up recipe (bare-lean/: no depth/stencil
  // buffer, no extensions enabled, first frame drawn from main()). The performance marks (lf:*, web/main.cpp and index.html) and
  // the module's resource timing give the start-up timeline.
  const runs = Number(process.env.LEADFLOW_BENCH_FIRST_FRAME_RUNS || 15);
  if (!(runs >= 1)) throw new Error(`LEADFLOW_BENCH_FIRST_FRAME_RUNS must be a positive number, not '${process.env.LEADFLOW_BENCH_FIRST_FRAME_RUNS}'`);
  result.load_average = { before: loadavg() };
  const kinds = { editor: 'dist/?fresh', bare: 'bare/', bare_lean: 'bare-lean/' };
  const order = Object.keys(kinds);
  const ready = { editor: [], bare: [], bare_lean: [] };
  const timeline = { editor: [], bare: [], bare_lean: [] };
  for (let run = -1; run < runs; run++) {
    const shift = (run + order.length) % order.length;
    for (const kind of [...order.slice(shift), ...order.slice(0, shift)]) {
      const page = await ctx.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(server.url + kinds[kind]);
      await page.waitForFunction(() => (window.leadflow && window.leadflow.ready) || window.bareReady, null,
                                 { timeout: 60000 });
      if (run < 0) {  // warm-up: the browser's first loads
        await page.close();
        continue;
      }
      timeline[kind].push(await page.evaluate(() => {
        const t = {};
        for (const e of performance.getEntriesByType('resource')) {
          if (e.name.endsWith('.wasm')) t['wasm fetched'] = e.responseEnd;
        }
        for (const m of performance.getEntriesByType('mark')) t[m.name.replace(/^lf:/, '')] = m.startTime;
        t.ready = window.leadflow ? window.leadflow.readyAt : window.bareReadyAt;
        return t;
      }));
      ready[kind].push(timeline[kind].at(-1).ready);
      await page.close();
    }
  }
  const { editor, bare, bare_lean: bareLean } = ready;
  result.first_frame_ms = { editor: median(editor), bare: median(bare), bare_lean: median(bareLean),
                            editor_runs: editor, bare_runs: bare, bare_lean_runs: bareLean };
  result.first_frame_ms.ratio = result.first_frame_ms.editor / result.first_frame_ms.bare;
  result.first_frame_ms.pair_ratio_median = median(editor.map((e, i) => e / bare[i]));
  result.first_frame_ms.ratio_to_lean = result.first_frame_ms.editor / result.first_frame_ms.bare_lean;
  result.load_average.after = loadavg();
  // Median time of each step (since the previous one), steps in the order of the first run.
  result.startup_steps_ms = {};
  for (const kind of order) {
    const steps = Object.keys(timeline[kind][0]).sort((a, b) => timeline[kind][0][a] - timeline[kind][0][b]);
    result.startup_steps_ms[kind] = steps.map((name, i) => [name, median(timeline[kind].map((t) => t[name] - (i ? t[steps[i - 1]] : 0)))]);
  }

  // [3] Frame build time with big graphs.
  const page = await ctx.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(server.url + 'dist/?fresh');
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready, null, { timeout: 60000 });
  const cases = [[500, false], [2000, false], [2000, true], [10000, false]];
  for (const [n, crossLinks] of cases) {
    const name = crossLinks ? `${n}+detours` : `${n}`;
    const load = await page.evaluate((g) => window.leadflow.loadGraph(g), syntheticGraph(n, { crossLinks }));
    if (!load.ok) throw new Error(load.error);
    for (const view of ['fit', '100%']) {
      await page.evaluate((v) => (v === 'fit' ? window.leadflow.fitView() : window.leadflow.setZoom(1)), view);
      // 125 frames fill the 120-frame averaging window with this view only.
      await page.evaluate(() => window.leadflow.frames(125));
      const s = await page.evaluate(() => window.leadflow.frameStats());
      result.build_ms[`${name}/${view}`] = { avg: s.avg_ms, nodes_drawn: s.nodes_drawn, edges_drawn: s.edges_drawn,
                                          simple_lod: s.simple_lod, zoom: s.zoom };
    }
  }
  await page.close();
} finally {
  await browser.close();
  await server.close();
}

const f = (x) => x.toFixed(2);
console.log(`size: wasm ${kib(result.sizes.wasm)} + js ${kib(result.sizes.js)} = ${kib(result.sizes.total)} ` +
            `(${(result.sizes.total / 1e6).toFixed(2)} MB; goal < 1.5 MB); bare ImGui page ${kib(result.sizes.bare_total)}`);
console.log(`navigation → first frame (median of ${result.first_frame_ms.editor_runs.length}, interleaved): ` +
            `editor ${f(result.first_frame_ms.editor)} ms, bare ImGui ${f(result.first_frame_ms.bare)} ms, ` +
            `ratio ${f(result.first_frame_ms.ratio)} (goal ≤ 1.2); median of per-pair ratios ` +
            `${f(result.first_frame_ms.pair_ratio_median)}; load average ` +
            `${result.load_average.before.map((x) => x.toFixed(2)).join(' ')} before, ` +
            `${result.load_average.after.map((x) => x.toFixed(2)).join(' ')} after`);
console.log(`  like for like: bare ImGui page with the editor's start-up recipe (lean context, ` +
            `first frame from main()) ` +
            `${f(result.first_frame_ms.bare_lean)} ms, editor / that ${f(result.first_frame_ms.ratio_to_lean)}`);
for (const kind of Object.keys(result.startup_steps_ms)) {
  console.log(`  ${kind} start-up, median ms per step: ` +
              result.startup_steps_ms[kind].map(([n, ms]) => `${n} +${ms.toFixed(0)}`).join(', '));
}
console.log('frame build time (NewFrame → Render, mean of 120 frames):');
for (const [k, v] of Object.entries(result.build_ms)) {
  console.log(`  ${k.padEnd(16)} ${f(v.avg).padStart(7)} ms  drawn: ${v.nodes_drawn} nodes, ${v.edges_drawn} edges` +
              `${v.simple_lod ? ', simple LOD' : ''}, zoom ${v.zoom >= 0.1 ? (v.zoom * 100).toFixed(0) : (v.zoom * 100).toPrecision(2)}%`);
}
console.log('editor-bench-json: ' + JSON.stringify(result));
