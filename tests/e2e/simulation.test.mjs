// tests/e2e/simulation.test.mjs — simulation and share links in the real page (headless
// Chromium): the page's simulate() equals the native leadflow-sim output byte for byte; a
// share link opened in a new page restores graph, scenario and view and reproduces the same
// results; a garbage link is reported and the current work kept; a large run proceeds across
// frames with a progress bar; the Run button works with the real mouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  serveStatic, launchBrowser, openEditor, readFixture, frames, probe, clickAt, distDir, distExists,
  repoRoot, fixturesDir,
} from './harness.mjs';

const nativeSim = resolve(repoRoot, process.env.LEADFLOW_NATIVE_SIM || 'build/native/tools/leadflow-sim');
const workflows = ['lead_nurture', 'reengagement_drip', 'conditional_followup'];

let server;
let browser;
let tmp;

before(async () => {
  assert.ok(distExists(), `built web app not found in ${distDir} (run scripts/build wasm)`);
  assert.ok(existsSync(nativeSim), `native leadflow-sim not found at ${nativeSim} (run scripts/build native)`);
  server = await serveStatic(distDir);
  browser = await launchBrowser();
  tmp = mkdtempSync(join(tmpdir(), 'leadflow-sim-e2e-'));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// leadflow-sim's stdout for a graph and scenario (objects are written to files first).
function cli(graph, scenario, name) {
  const g = join(tmp, `${name}.graph.json`);
  const s = join(tmp, `${name}.scenario.json`);
  writeFileSync(g, typeof graph === 'string' ? graph : JSON.stringify(graph));
  writeFileSync(s, typeof scenario === 'string' ? scenario : JSON.stringify(scenario));
  return execFileSync(nativeSim, [g, '--scenario', s, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

async function loadWorkflow(page, name) {
  const r = await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture(`${name}.json`));
  assert.deepEqual(r, { ok: true }, name);
  const s = await page.evaluate((t) => window.leadflow.setScenario(t), readFixture(`${name}.scenario.json`));
  assert.deepEqual(s, { ok: true }, name);
}

test('simulate() in the page prints exactly the bytes of the native leadflow-sim', async () => {
  const { page, errors } = await openEditor(browser.context, server.url);
  for (const name of workflows) {
    await loadWorkflow(page, name);
    const text = await page.evaluate(() => window.leadflow.simulate());
    // Against the CLI on the fixture files themselves…
    const fromFiles = execFileSync(nativeSim, [
      join(fixturesDir, `${name}.json`), '--scenario', join(fixturesDir, `${name}.scenario.json`), '--json',
    ], { encoding: 'utf8' });
    assert.equal(text + '\n', fromFiles, `${name}: page vs leadflow-sim on the fixture files`);
    // …and on what the page holds (graph and scenario read back through the API).
    const graph = await page.evaluate(() => window.leadflow.getGraph());
    const scenario = await page.evaluate(() => window.leadflow.getScenario());
    assert.equal(text + '\n', cli(graph, scenario, name), `${name}: page vs CLI on the page's state`);
    const results = JSON.parse(text);
    assert.equal(results.leads, JSON.parse(readFixture(`${name}.scenario.json`)).leads);
  }
  // A changed scenario changes the bytes the same way on both sides.
  await page.evaluate(() => window.leadflow.setScenario({ leads: 2500, seed: 99, horizon_days: 20, cost_per_minute: 0.2 }));
  const changed = await page.evaluate(() => window.leadflow.simulate());
  const graph = await page.evaluate(() => window.leadflow.getGraph());
  assert.equal(changed + '\n', cli(graph, { leads: 2500, seed: 99, horizon_days: 20, cost_per_minute: 0.2 }, 'changed'));
  assert.equal(JSON.parse(changed).leads, 2500);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a SPLIT step (a Leadflow extension) simulates to the same bytes in the page and in leadflow-sim', async () => {
  const { page, errors } = await openEditor(browser.context, server.url);
  // The lead-nurture fixture behind a 30/70 split: branch A runs it, branch B drops at once.
  const graph = JSON.parse(readFixture('lead_nurture.json'));
  const first = graph.nodes[0].id;
  graph.workflow.entry_node_id = 'node_split';
  graph.nodes.push({ id: 'node_split', node_type: 'SPLIT', label: 'A/B', position_x: -300, position_y: 0,
                     config: { branches: [{ label: 'A', weight: 30 }, { label: 'B', weight: 70 }] } });
  graph.nodes.push({ id: 'node_skip', node_type: 'DROPPED', label: 'Not called', position_x: 0,
                     position_y: 600, config: {} });
  graph.edges.push({ id: 'edge_split_a', from_node_id: 'node_split', to_node_id: first, label: 'A', position: 100 });
  graph.edges.push({ id: 'edge_split_b', from_node_id: 'node_split', to_node_id: 'node_skip', label: 'B', position: 101 });
  const scenario = readFixture('lead_nurture.scenario.json');
  assert.deepEqual(await page.evaluate((t) => window.leadflow.loadGraph(t), JSON.stringify(graph)), { ok: true });
  assert.deepEqual(await page.evaluate((t) => window.leadflow.setScenario(t), scenario), { ok: true });
  const text = await page.evaluate(() => window.leadflow.simulate());
  assert.equal(text + '\n', cli(graph, scenario, 'split'), 'page vs leadflow-sim');
  const results = JSON.parse(text);
  const branches = results.splits.node_split;
  const leads = JSON.parse(scenario).leads;
  assert.equal(branches.A.leads + branches.B.leads, leads);
  // Each share within 4σ of its weight (seeded: the same numbers on every run).
  for (const [label, p] of [['A', 0.3], ['B', 0.7]]) {
    const sigma = Math.sqrt((p * (1 - p)) / leads);
    assert.ok(Math.abs(branches[label].share - p) < 4 * sigma, `${label}: ${branches[label].share}`);
  }
  assert.equal(branches.B.completed.count, 0, 'branch B only drops');
  assert.deepEqual(errors, []);
  await page.close();
});

test('setScenario refuses an invalid scenario with the parser message and keeps the current one', async () => {
  const { page } = await openEditor(browser.context, server.url);
  await loadWorkflow(page, 'lead_nurture');
  const before = await page.evaluate(() => window.leadflow.getScenario());
  const bad = await page.evaluate(() => window.leadflow.setScenario({
    nodes: { node_call1: { outcomes: { COMPLETED: 0.5, NO_ANSWER: 0.2 } } },
  }));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /node_call1\.outcomes.*sum/);
  const notJson = await page.evaluate(() => window.leadflow.setScenario('{"leads": '));
  assert.equal(notJson.ok, false);
  assert.deepEqual(await page.evaluate(() => window.leadflow.getScenario()), before);
  // A graph that cannot be simulated: simulate() throws with the reason.
  await page.evaluate(() => window.leadflow.loadGraph({ nodes: [], edges: [] }));
  const err = await page.evaluate(() => {
    try { window.leadflow.simulate(); return null; } catch (e) { return String(e.message); }
  });
  assert.match(err, /entry|node/i);
  await page.close();
});

test('the scenario is kept across a reload, and ?fresh starts from the defaults', async () => {
  const { page } = await openEditor(browser.context, server.url);
  const scenario = { leads: 4321, seed: 77, cost_per_minute: 0.25 };
  assert.deepEqual(await page.evaluate((s) => window.leadflow.setScenario(s), scenario), { ok: true });
  await page.waitForTimeout(1600);
  await frames(page, 2);
  await page.goto(server.url);
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  await frames(page, 2);
  assert.deepEqual(await page.evaluate(() => window.leadflow.getScenario()), scenario);
  await page.goto(server.url + '?fresh');
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  await frames(page, 2);
  assert.deepEqual(await page.evaluate(() => window.leadflow.getScenario()), {});
  await page.close();
});

test('a share link opened in a new page restores graph, scenario and view and reproduces the results', async () => {
  const { page } = await openEditor(browser.context, server.url);
  const lengths = {};
  for (const name of workflows) {
    await loadWorkflow(page, name);
    const text = await page.evaluate(() => window.leadflow.simulate());
    await frames(page, 2);  // loadGraph fits the view on the next frame
    await page.evaluate(() => window.leadflow.setZoom(0.8));
    await frames(page, 2);
    const url = await page.evaluate(() => window.leadflow.shareUrl());
    assert.match(url, /#s=1\.[A-Za-z0-9_-]+$/);
    lengths[name] = url.length;
    assert.ok(url.length < 1500, `${name}: link is ${url.length} characters (goal < 1,500)`);
    const graph = await page.evaluate(() => window.leadflow.getGraph());
    const scenario = await page.evaluate(() => window.leadflow.getScenario());

    const other = await browser.context.newPage();
    await other.goto(url);
    await other.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
    await other.waitForFunction(() => window.leadflow.simulationStatus().finished_runs >= 1, null, { timeout: 60000 });
    assert.equal(await other.evaluate(() => window.leadflow.results()), text, `${name}: same results bytes`);
    assert.deepEqual(await other.evaluate(() => window.leadflow.getGraph()), graph);
    assert.deepEqual(await other.evaluate(() => window.leadflow.getScenario()), scenario);
    const view = await other.evaluate(() => window.leadflow.probe());
    assert.ok(Math.abs(view.zoom - 0.8) < 1e-3, `${name}: zoom restored (${view.zoom})`);
    assert.equal(await other.evaluate(() => location.hash), '', 'the link leaves the address bar');
    await other.close();
  }
  console.log(`# share link lengths (characters, with http://127.0.0.1:<port>/?fresh): ${JSON.stringify(lengths)}`);
  await page.close();
});

test('a garbage link shows a clear message and keeps the current work', async () => {
  // The current work: a graph autosaved in this browser profile.
  const { page } = await openEditor(browser.context, server.url);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('conditional_followup.json'));
  await page.evaluate(() => window.leadflow.setZoom(0.9));  // a change, so autosave runs
  await page.waitForTimeout(1600);
  await frames(page, 2);
  const work = await page.evaluate(() => window.leadflow.getGraph());
  assert.equal(work.workflow.title, JSON.parse(readFixture('conditional_followup.json')).workflow.title);
  await page.close();

  const other = await browser.context.newPage();
  await other.goto(server.url + '#s=1.this-is-definitely-not-a-leadflow-link');
  await other.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  await other.waitForFunction(() => window.leadflow.lastLinkResult !== undefined, null, { timeout: 60000 });
  const result = await other.evaluate(() => window.leadflow.lastLinkResult);
  assert.equal(result.ok, false);
  assert.match(result.error, /incomplete or damaged/);
  await frames(other, 3);
  const p = await probe(other);
  assert.ok(p.items.link_error, 'the message is on screen');
  assert.deepEqual(await other.evaluate(() => window.leadflow.getGraph()), work, 'the work is unchanged');

  // Dismiss the message with the mouse; other bad links through the API change nothing either.
  await clickAt(other, p.items['link_error/ok']);
  assert.equal((await probe(other)).items.link_error, undefined, 'the message closes');
  for (const bad of ['#s=7.abc', '#s=1.', 's=1.!!!!', 'https://example.test/#s=1.AAAA']) {
    const r = await other.evaluate((l) => window.leadflow.openLink(l), bad);
    assert.equal(r.ok, false, bad);
    assert.match(r.error, /link/i, bad);
  }
  assert.deepEqual(await other.evaluate(() => window.leadflow.getGraph()), work);
  await other.close();
});

test('a large run proceeds across frames with progress, then equals the one-shot result', async () => {
  const { page, errors } = await openEditor(browser.context, server.url);
  await loadWorkflow(page, 'lead_nurture');
  await page.evaluate(() => window.leadflow.setScenario({ leads: 1000000, seed: 5, horizon_days: 30 }));
  const samples = await page.evaluate(async () => {
    const lf = window.leadflow;
    const out = [];
    const done = lf.runSimulation();
    let finished = false;
    done.then(() => { finished = true; });
    while (!finished) {
      const st = lf.simulationStatus();
      out.push({ frames: lf.frameStats().frames, progress: st.progress, running: st.running, t: performance.now() });
      await lf.frames(1);
    }
    await done;
    return out;
  });
  const running = samples.filter((s) => s.running);
  assert.ok(running.length >= 5, `the run spanned ${running.length} frames`);
  const progresses = running.map((s) => s.progress);
  for (let i = 1; i < progresses.length; i++) assert.ok(progresses[i] >= progresses[i - 1], 'progress never goes back');
  assert.ok(new Set(progresses).size >= 3, `progress moved: ${progresses.slice(0, 10).join(', ')}`);
  assert.ok(running[running.length - 1].frames > running[0].frames, 'frames kept being drawn');
  // Longest gap between two sampled frames while running: the page stayed responsive.
  let gap = 0;
  for (let i = 1; i < running.length; i++) gap = Math.max(gap, running[i].t - running[i - 1].t);
  console.log(`# 1,000,000 leads across ${running.length} frames, longest frame gap ${gap.toFixed(0)} ms`);
  const sliced = await page.evaluate(() => window.leadflow.results());
  const oneShot = await page.evaluate(() => window.leadflow.simulate());
  assert.equal(sliced, oneShot);
  assert.equal(JSON.parse(sliced).leads, 1000000);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Run button in the Simulation tab runs the scenario and shows the results', async () => {
  const { page } = await openEditor(browser.context, server.url);
  await loadWorkflow(page, 'reengagement_drip');
  await frames(page, 2);
  let p = await probe(page);
  assert.ok(p.items['tab/simulation'], 'Simulation tab on screen');
  await clickAt(page, p.items['tab/simulation']);
  p = await probe(page);
  assert.ok(p.items['sim/run'], 'Run button on screen');
  assert.ok(p.items['sim/outcome/node_try1/COMPLETED'], 'outcome sliders on screen');
  await clickAt(page, p.items['sim/run']);
  await page.waitForFunction(() => window.leadflow.simulationStatus().finished_runs >= 1, null, { timeout: 60000 });
  await frames(page, 3);
  p = await probe(page);
  assert.ok(p.items['results/table'], 'the results table is shown');
  const expected = await page.evaluate(() => window.leadflow.results());
  assert.equal(expected, await page.evaluate(() => window.leadflow.simulate()));
  // The results are drawn on the canvas: a badge per node, every traversed edge thickened.
  const results = JSON.parse(expected);
  const traversed = Object.values(results.edges).filter((e) => e.traversals > 0).length;
  let overlay = (await page.evaluate(() => window.leadflow.simulationStatus())).overlay;
  assert.equal(overlay.badges, Object.keys(results.nodes).length);
  assert.equal(overlay.edges, traversed);
  assert.equal(overlay.stuck, 0);

  // A graph where leads get stuck: the call has no edge for its other outcomes.
  await page.evaluate(() => window.leadflow.loadGraph({
    nodes: [
      { id: 'node_call', node_type: 'VOICE_CALL', label: 'Call', position_x: 0, position_y: 0, config: {} },
      { id: 'node_won', node_type: 'CONVERTED', label: 'Won', position_x: 300, position_y: 0, config: {} },
    ],
    edges: [{ id: 'edge_1', from_node_id: 'node_call', to_node_id: 'node_won', label: 'COMPLETED', position: 0 }],
  }));
  await page.evaluate(() => window.leadflow.setScenario({ leads: 500 }));
  await page.evaluate(() => window.leadflow.runSimulation());
  await frames(page, 3);
  overlay = (await page.evaluate(() => window.leadflow.simulationStatus())).overlay;
  assert.equal(overlay.stuck, 1, 'the call node is flagged');
  assert.equal(overlay.badges, 2);
  await page.close();
});

test('dragging an outcome slider keeps the outcome probabilities summing to 1', async () => {
  const { page } = await openEditor(browser.context, server.url);
  await loadWorkflow(page, 'lead_nurture');
  await frames(page, 2);
  let p = await probe(page);
  await clickAt(page, p.items['tab/simulation']);
  p = await probe(page);
  const slider = p.items['sim/outcome/node_call1/COMPLETED'];
  assert.ok(slider, 'slider on screen');
  // The item spans the slider and its label (on the right): 40% of it is ~60% of the slider.
  await clickAt(page, slider, 0.4);
  const sc = await page.evaluate(() => window.leadflow.getScenario());
  const o = sc.nodes.node_call1.outcomes;
  const sum = Object.values(o).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-6, `sum ${sum}`);
  assert.ok(o.COMPLETED > 0.45, `COMPLETED moved to ${o.COMPLETED}`);
  // The other models of the node are untouched, and the scenario still simulates.
  assert.equal(sc.nodes.node_call1.call_duration_s.mean, 95);
  assert.equal(typeof (await page.evaluate(() => window.leadflow.simulate())), 'string');
  await page.close();
});
