// tests/e2e/results_workspace.test.mjs — the results as a workspace, with the real mouse and
// keyboard in headless Chromium: dragging the splitters resizes the panels and the sizes come
// back after a reload; hovering a chart bar shows its exact value; the results and comparison
// tables' columns are at least as wide as their texts (headers not cut); Ctrl+Shift+E downloads
// the canvas as a PNG of the canvas's size. Screenshots: build/test-logs/results-workspace*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  useStaticEditor, openEditor, decodeInPage, frames, probe, clickAt, until, readFixture, repoRoot,
} from './harness.mjs';

const editor = useStaticEditor();
const logsDir = join(repoRoot, 'build', 'test-logs');
const workspace = (page) => page.evaluate(() => window.leadflow.workspace());

async function screenshot(page, name) {
  mkdirSync(logsDir, { recursive: true });
  return page.screenshot({ path: join(logsDir, `${name}.png`) });
}

// Presses on the middle of `rect`, moves by (dx, dy) in steps and releases, frame by frame.
async function drag(page, rect, dx, dy) {
  const x = rect[0] + rect[2] / 2;
  const y = rect[1] + rect[3] / 2;
  await page.mouse.move(x, y);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  for (let i = 1; i <= 5; i++) {
    await page.mouse.move(x + (dx * i) / 5, y + (dy * i) / 5);
    await frames(page, 1);
  }
  await page.mouse.up();
  await frames(page, 2);
}

async function simulate(page, name) {
  assert.deepEqual(await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture(`${name}.json`)), { ok: true });
  assert.deepEqual(await page.evaluate((t) => window.leadflow.setScenario(t), readFixture(`${name}.scenario.json`)),
    { ok: true });
  return JSON.parse(await page.evaluate(() => window.leadflow.runSimulation()));
}

// Every recorded column of `table` is at least as wide as its widest text, header included.
function assertColumnsFit(ws, table) {
  const cols = ws.table_columns.filter((c) => c.table === table);
  assert.ok(cols.length >= 5, `${table}: columns recorded ${JSON.stringify(ws.table_columns)}`);
  for (const c of cols) {
    assert.ok(c.text_width > 0, `${table}/${c.header}: no text measured`);
    assert.ok(c.width + 0.5 >= c.text_width, `${table}/${c.header}: column ${c.width} px < text ${c.text_width} px`);
  }
}

test('dragging the splitters resizes the panels, and the sizes persist across a reload', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  let ws = await workspace(page);
  assert.deepEqual(ws.panels, { left: 190, right: 340, bottom: 180, results_maximized: false, dragging: 0 });
  let p = await probe(page);
  const results0 = p.items['panel/results'];
  const canvas0 = p.canvas;
  await drag(page, p.items['splitter/bottom'], 0, -150);
  await drag(page, p.items['splitter/left'], 60, 0);
  ws = await until(page, (w) => w.panels.dragging === 0, 'drags done', { read: workspace, every: 1 });
  assert.ok(Math.abs(ws.panels.bottom - 330) <= 2, `results panel height ${ws.panels.bottom}`);
  assert.ok(Math.abs(ws.panels.left - 250) <= 2, `palette width ${ws.panels.left}`);
  p = await probe(page);
  assert.ok(Math.abs(p.items['panel/results'][3] - (results0[3] + 150)) <= 2, 'results panel grew on screen');
  assert.ok(Math.abs(p.canvas[0] - (canvas0[0] + 60)) <= 2, 'canvas starts further right');
  const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('leadflow.editor.layout.v1')));
  assert.ok(Math.abs(stored.bottom - 330) <= 2 && Math.abs(stored.left - 250) <= 2, JSON.stringify(stored));

  // A drag past the minimum stops at it (the canvas keeps its room too).
  await drag(page, p.items['splitter/bottom'], 0, 300);
  ws = await workspace(page);
  assert.equal(ws.panels.bottom, 90);

  await page.reload();
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  await frames(page, 3);
  ws = await workspace(page);
  assert.equal(ws.panels.bottom, 90);
  assert.ok(Math.abs(ws.panels.left - 250) <= 2, `palette width after reload ${ws.panels.left}`);
  p = await probe(page);
  assert.ok(Math.abs(p.canvas[0] - (canvas0[0] + 60)) <= 2, 'canvas position after reload');
  await page.evaluate(() => localStorage.removeItem('leadflow.editor.layout.v1'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('chart tooltips give the values under the mouse; table columns fit their headers', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  const results = await simulate(page, 'lead_nurture');
  await clickAt(page, (await probe(page)).items['tab/results']);
  await frames(page, 3);
  // The default (narrow) results panel: columns still fit, the table scrolls sideways.
  assertColumnsFit(await workspace(page), 'exact_table');
  await screenshot(page, 'results-workspace');

  // R maximizes the results panel (the canvas has the keyboard).
  const p0 = await probe(page);
  await page.mouse.move(p0.canvas[0] + 20, p0.canvas[1] + 20);
  await frames(page, 2);
  await page.keyboard.press('r');
  await until(page, (w) => w.panels.results_maximized, 'results maximized', { read: workspace, every: 1 });
  await frames(page, 3);
  let p = await probe(page);
  assert.ok(p.items['panel/results'][3] > 500, `maximized height ${p.items['panel/results'][3]}`);

  // The tallest histogram bar: its tooltip holds its bin and count.
  const bins = results.time_to_terminal_hours.histogram;
  let tallest = 0;
  bins.forEach((b, i) => { if (b.count > bins[tallest].count) tallest = i; });
  const bar = p.items['results/histogram/tallest'];
  await page.mouse.move(bar[0] + bar[2] / 2, bar[1] + bar[3] * 0.75);
  let ws = await until(page, (w) => w.chart_hover && w.chart_hover.chart === 'histogram', 'histogram tooltip',
    { read: workspace, every: 1 });
  assert.equal(ws.chart_hover.index, tallest);
  assert.ok(ws.chart_hover.text.endsWith(`: ${bins[tallest].count} leads`), ws.chart_hover.text);
  assert.ok(ws.chart_hover.text.startsWith(`${bins[tallest].from}–${bins[tallest].to} h`), ws.chart_hover.text);
  await screenshot(page, 'results-workspace-tooltip');

  // A terminal bar: exact share and count.
  const done = p.items['results/terminal/completed'];
  await page.mouse.move(done[0] + Math.min(done[2], 40) / 2, done[1] + done[3] / 2);
  ws = await until(page, (w) => w.chart_hover && w.chart_hover.chart === 'terminal', 'terminal tooltip',
    { read: workspace, every: 1 });
  const t = results.terminal.completed;
  assert.ok(ws.chart_hover.text.startsWith(`completed: ${(t.share * 100).toFixed(2)}% of leads (${t.count})`),
    ws.chart_hover.text);

  // Off the charts: no tooltip.
  await page.mouse.move(p.canvas[0] + 20, p.canvas[1] + 20);
  await until(page, (w) => w.chart_hover === null, 'tooltip gone', { read: workspace, every: 1 });
  assertColumnsFit(await workspace(page), 'exact_table');

  // The comparison table too.
  assert.deepEqual(await page.evaluate(() => window.leadflow.compare.action('template', 'Conditional follow-up')),
    { ok: true });
  await until(page, (s) => !s.pending && s.result, 'comparison finished',
    { read: (pg) => pg.evaluate(() => window.leadflow.compare.status()), timeout: 60000 });
  await frames(page, 3);
  assertColumnsFit(await workspace(page), 'compare_table');
  await screenshot(page, 'results-workspace-compare');
  // The results panel's button restores it.
  await clickAt(page, (await probe(page)).items['tab/results']);
  await clickAt(page, (await probe(page)).items['results/maximize']);
  await until(page, (w) => !w.panels.results_maximized, 'results restored', { read: workspace, every: 1 });
  await page.evaluate(() => localStorage.removeItem('leadflow.editor.layout.v1'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Ctrl+Shift+E downloads the canvas with its overlay as a PNG', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await simulate(page, 'lead_nurture');
  await frames(page, 3);
  const p = await probe(page);
  await page.mouse.move(p.canvas[0] + 20, p.canvas[1] + 20);
  await frames(page, 2);
  const downloading = page.waitForEvent('download', { timeout: 60000 });
  await page.keyboard.press('Control+Shift+E');
  const d = await downloading;
  assert.equal(d.suggestedFilename(), 'leadflow-canvas.png');
  const png = readFileSync(await d.path());
  assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const ratio = p.pixel_ratio;
  assert.ok(Math.abs(width - p.canvas[2] * ratio) <= 1, `PNG width ${width}, canvas ${p.canvas[2]}`);
  assert.ok(Math.abs(height - p.canvas[3] * ratio) <= 1, `PNG height ${height}, canvas ${p.canvas[3]}`);
  assert.equal((await workspace(page)).png_exports, 1);
  // Decoded by the browser: opaque, and not blank (background, cards, edges, overlay badges).
  await decodeInPage(page, png);
  const stats = await page.evaluate(() => {
    const { data } = window.__shot;
    const colours = new Set();
    let transparent = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (data[i + 3] !== 255) transparent++;
    }
    return { colours: colours.size, transparent, width: window.__shot.width };
  });
  assert.equal(stats.width, width);
  assert.equal(stats.transparent, 0);
  assert.ok(stats.colours > 50, `only ${stats.colours} colours: blank image?`);
  assert.deepEqual(errors, []);
  await page.close();
});
