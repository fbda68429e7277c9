// tests/e2e/split.test.mjs — A/B split steps in the real page (headless Chromium): the palette's
// "A/B split" button and key 7 add a SPLIT that starts with two even branches A and B (a pin
// each); wired to an end per branch, it simulates to the bytes of the native leadflow-sim, with
// per-branch results and p_best, and the Results tab draws a row per branch (screenshot:
// build/test-logs/split-results.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  useStaticEditor, openEditor, frames, probe, center, clickAt, until, emptyCanvasSpot, repoRoot,
} from './harness.mjs';

const nativeSim = resolve(repoRoot, process.env.LEADFLOW_NATIVE_SIM || 'build/native/tools/leadflow-sim');
const editor = useStaticEditor();
let tmp;

before(() => {
  assert.ok(existsSync(nativeSim), `native leadflow-sim not found at ${nativeSim} (run scripts/build native)`);
  tmp = mkdtempSync(join(tmpdir(), 'leadflow-split-e2e-'));
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const graph = (page) => page.evaluate(() => window.leadflow.getGraph());

async function clickPalette(page, wire) {
  const p = await probe(page);
  const rect = p.items[`palette/${wire}`];
  assert.ok(rect, `palette button ${wire} is on screen`);
  const c = center(rect);
  await page.mouse.click(c.x, c.y);
  await frames(page, 2);
}

// Drags with intermediate mouse moves, one frame apart, as a person would.
async function drag(page, from, to, steps = 6) {
  await page.mouse.move(from.x, from.y);
  await frames(page, 1);
  await page.mouse.down();
  await frames(page, 1);
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
    await frames(page, 1);
  }
  await page.mouse.up();
  await frames(page, 2);
}

const kDefaultSplit = { branches: [{ label: 'A', weight: 50 }, { label: 'B', weight: 50 }] };

test('the palette and key 7 add an A/B split with two even branches, each with its pin', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  assert.deepEqual(await page.evaluate((g) => window.leadflow.loadGraph(g), { nodes: [], edges: [] }), { ok: true });
  await frames(page, 2);
  await clickPalette(page, 'SPLIT');
  let g = await graph(page);
  assert.equal(g.nodes.length, 1);
  assert.equal(g.nodes[0].node_type, 'SPLIT');
  assert.deepEqual(g.nodes[0].config, kDefaultSplit);
  const split = g.nodes[0].id;
  let p = await probe(page);
  assert.ok(p.nodes[split].pins.A && p.nodes[split].pins.B, `pins A and B: ${JSON.stringify(p.nodes[split].pins)}`);

  // Key 7 with the canvas focused adds a second one.
  const [x, y] = emptyCanvasSpot(p);
  await clickAt(page, [x, y, 4, 4]);
  await page.keyboard.press('7');
  await frames(page, 2);
  g = await graph(page);
  assert.equal(g.nodes.length, 2, 'key 7 added a step');
  assert.ok(g.nodes.every((n) => n.node_type === 'SPLIT'));
  assert.deepEqual(g.nodes[1].config, kDefaultSplit);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a split wired in the editor simulates to the CLI bytes and the Results tab compares its branches', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  assert.deepEqual(await page.evaluate((g) => window.leadflow.loadGraph(g), { nodes: [], edges: [] }), { ok: true });
  await frames(page, 2);
  await clickPalette(page, 'SPLIT');
  let g = await graph(page);
  const split = g.nodes[0].id;
  // Move the split left so the ends added next do not cover it.
  let p = await probe(page);
  const r = p.nodes[split].rect;
  await drag(page, { x: r[0] + 30, y: r[1] + 8 }, { x: r[0] - 220, y: r[1] + 8 });
  await clickPalette(page, 'CONVERTED');
  g = await graph(page);
  const conv = g.nodes.find((n) => n.node_type === 'CONVERTED').id;
  p = await probe(page);
  const cr = p.nodes[conv].rect;
  await drag(page, { x: cr[0] + 30, y: cr[1] + 8 }, { x: cr[0] + 60, y: cr[1] - 140 });
  await clickPalette(page, 'DROPPED');
  g = await graph(page);
  const drop = g.nodes.find((n) => n.node_type === 'DROPPED').id;
  p = await probe(page);
  await drag(page, { x: p.nodes[split].pins.A[0], y: p.nodes[split].pins.A[1] }, center(p.nodes[conv].rect));
  p = await probe(page);
  await drag(page, { x: p.nodes[split].pins.B[0], y: p.nodes[split].pins.B[1] }, center(p.nodes[drop].rect));
  g = await graph(page);
  assert.deepEqual(g.edges.map((e) => [e.from_node_id, e.to_node_id, e.label]).sort(),
    [[split, conv, 'A'], [split, drop, 'B']].sort());

  const scenario = { leads: 3000, seed: 5 };
  assert.deepEqual(await page.evaluate((s) => window.leadflow.setScenario(s), scenario), { ok: true });
  const text = await page.evaluate(() => window.leadflow.simulate());
  const gf = join(tmp, 'split.graph.json');
  const sf = join(tmp, 'split.scenario.json');
  writeFileSync(gf, JSON.stringify(g));
  writeFileSync(sf, JSON.stringify(scenario));
  const cli = execFileSync(nativeSim, [gf, '--scenario', sf, '--json'], { encoding: 'utf8' });
  assert.equal(text + '\n', cli, 'page vs leadflow-sim');
  const results = JSON.parse(text);
  const br = results.splits[split];
  assert.equal(br.A.leads + br.B.leads, scenario.leads);
  assert.equal(br.A.completed.share, 1);
  assert.equal(br.B.completed.count, 0);
  assert.ok(br.A.p_best > 0.999, `p_best A ${br.A.p_best}`);
  assert.ok(Math.abs(br.A.p_best + br.B.p_best - 1) < 1e-12);
  assert.equal(results.exact.splits[split].A.completed, 1);
  assert.equal(results.exact.splits[split].B.leads, 0.5);

  // The Results tab, maximized, draws one row per branch under the Monte-Carlo vs exact table.
  await page.evaluate(() => window.leadflow.runSimulation());
  await clickAt(page, (await probe(page)).items['tab/results']);
  p = await until(page, (x) => x.items['results/maximize'], 'the Results tab', { read: probe, every: 1 });
  await clickAt(page, p.items['results/maximize']);
  p = await until(page, (x) => x.items[`results/split/${split}/A`] && x.items[`results/split/${split}/B`],
    'a row per branch in the Results tab', { read: probe, every: 1, timeout: 60000 });
  const [rowA, rowB, table] = [p.items[`results/split/${split}/A`], p.items[`results/split/${split}/B`],
    p.items['results/table']];
  assert.ok(rowA[1] < rowB[1], 'A above B');
  assert.ok(rowA[1] > table[1], 'under the Monte-Carlo vs exact table');
  mkdirSync(join(repoRoot, 'build', 'test-logs'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'build', 'test-logs', 'split-results.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
