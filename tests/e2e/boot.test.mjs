// tests/e2e/boot.test.mjs — the editor boots in headless Chromium, and the automation API
// loads, reads back and validates graphs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useStaticEditor, decodeInPage, serveStatic, openEditor, readFixture, frames, distDir } from './harness.mjs';

const editor = useStaticEditor();

// Takes a screenshot of the whole page or of `clip` ({x, y, width, height}, CSS pixels) and
// decodes it in the page as window.__shot (decodeInPage).
async function decodeScreenshot(page, clip) {
  await decodeInPage(page, await page.screenshot(clip ? { clip, scale: 'css' } : {}));
}

// Distinct colours on a grid of pixels of a screenshot, of the whole page or of `clip`.
async function distinctColours(page, clip) {
  await decodeScreenshot(page, clip);
  return page.evaluate(() => {
    const { width, height, data } = window.__shot;
    const colours = new Set();
    for (let y = 0; y < height; y += 7) {
      for (let x = 0; x < width; x += 7) {
        const i = (y * width + x) * 4;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
    }
    return colours.size;
  });
}

test('boots, draws a non-blank frame and logs no console errors', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await frames(page, 3);
  const distinct = await distinctColours(page);
  assert.ok(distinct > 20, `screenshot looks blank (${distinct} distinct colours)`);
  const stats = await page.evaluate(() => window.leadflow.frameStats());
  assert.ok(stats.frames >= 3, 'frames are being drawn');
  assert.deepEqual(errors, []);
  await page.close();
});

test('loadGraph / getGraph round-trips every reference workflow', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  for (const name of ['lead_nurture.json', 'reengagement_drip.json', 'conditional_followup.json']) {
    const fixture = JSON.parse(readFixture(name));
    const result = await page.evaluate((text) => window.leadflow.loadGraph(text), JSON.stringify(fixture));
    assert.deepEqual(result, { ok: true }, name);
    const back = await page.evaluate(() => window.leadflow.getGraph());
    assert.deepEqual(back.nodes, fixture.nodes, name);
    assert.deepEqual(back.edges, fixture.edges, name);
    assert.equal(back.workflow.title, fixture.workflow.title, name);
    const report = await page.evaluate(() => window.leadflow.validate());
    assert.equal(report.valid, true, `${name}: ${JSON.stringify(report.errors)}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('loadGraph rejects bad input with a clear error and keeps the current graph', async () => {
  const { page } = await openEditor(editor.context, editor.url);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('conditional_followup.json'));
  const bad = await page.evaluate(() => window.leadflow.loadGraph('{"nodes": [{"id": 5}]'));
  assert.equal(bad.ok, false);
  assert.match(bad.error, /\S/);
  const typed = await page.evaluate(() =>
    window.leadflow.loadGraph({ nodes: [{ id: 'n', node_type: 'TIME', position_x: 'left' }], edges: [] }));
  assert.equal(typed.ok, false);
  assert.match(typed.error, /position_x/);
  const graph = await page.evaluate(() => window.leadflow.getGraph());
  assert.equal(graph.nodes.length, JSON.parse(readFixture('conditional_followup.json')).nodes.length);
  await page.close();
});

test('validate reports diagnostics of an invalid graph', async () => {
  const { page } = await openEditor(editor.context, editor.url);
  await page.evaluate(() => window.leadflow.loadGraph({
    nodes: [{ id: 'node_a', node_type: 'VOICE_CALL', label: 'Call', position_x: 0, position_y: 0, config: {} }],
    edges: [],
  }));
  const report = await page.evaluate(() => window.leadflow.validate());
  assert.equal(report.valid, false);
  const codes = report.errors.map((d) => d.code);
  assert.ok(codes.includes('VOICE_CALL_MISSING_AGENT'), codes.join(','));
  assert.ok(codes.includes('MISSING_OUTGOING_EDGE'), codes.join(','));
  assert.ok(report.errors.every((d) => d.node_id === 'node_a' || d.node_id === undefined));
  await page.close();
});

test('HiDPI: the drawing buffer follows devicePixelRatio and the window size', async () => {
  const page = await editor.context.newPage();
  await page.setViewportSize({ width: 900, height: 600 });
  const cdp = await editor.context.newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', {
    width: 900, height: 600, deviceScaleFactor: 2, mobile: false,
  });
  await page.goto(editor.url + '?fresh');
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  await frames(page, 2);
  let size = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
  assert.deepEqual(size, [1800, 1200]);
  await cdp.send('Emulation.setDeviceMetricsOverride', {
    width: 700, height: 500, deviceScaleFactor: 2, mobile: false,
  });
  await frames(page, 3);
  size = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
  assert.deepEqual(size, [1400, 1000]);
  const p = await page.evaluate(() => window.leadflow.probe());
  assert.equal(p.pixel_ratio, 2);
  await page.close();
});

test('start-up creates one lean WebGL context at the final canvas size', async () => {
  const page = await editor.context.newPage();
  await page.setViewportSize({ width: 1000, height: 640 });
  // Records every context the page creates (its canvas size then, its attributes) and every
  // extension it enables.
  await page.addInitScript(() => {
    window.glLog = { contexts: [], extensions: [] };
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, attrs) {
      const ctx = getContext.call(this, type, attrs);
      if (ctx && /webgl/.test(type)) {
        window.glLog.contexts.push({ type, width: this.width, height: this.height, attrs: ctx.getContextAttributes() });
        const getExtension = ctx.getExtension.bind(ctx);
        ctx.getExtension = (name) => { window.glLog.extensions.push(name); return getExtension(name); };
      }
      return ctx;
    };
  });
  await page.goto(editor.url + '?fresh');
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  const log = await page.evaluate(() => window.glLog);
  assert.equal(log.contexts.length, 1);
  const [ctx] = log.contexts;
  assert.equal(ctx.type, 'webgl2');
  // Created at the canvas's CSS size (no resize of the drawing buffer before the first frame) …
  assert.deepEqual([ctx.width, ctx.height], [1000, 640]);
  // … without depth and stencil buffers nothing draws with, nor the browser's extensions (each
  // costs synchronous round trips to the GPU process).
  assert.equal(ctx.attrs.depth, false);
  assert.equal(ctx.attrs.stencil, false);
  assert.equal(ctx.attrs.antialias, false);
  assert.deepEqual(log.extensions, []);
  await page.close();
});

test('the first frame is drawn during start-up, before any animation frame', async () => {
  const page = await editor.context.newPage();
  // Counts the animation-frame callbacks that ran before the editor reported ready.
  await page.addInitScript(() => {
    window.rafCallbacksRun = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => raf((t) => { window.rafCallbacksRun++; cb(t); });
    window.addEventListener('leadflow-ready', () => { window.rafRunsAtReady = window.rafCallbacksRun; });
  });
  await page.goto(editor.url + '?fresh');
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.rafRunsAtReady), 0);
  // That frame already shows the template (the graph is loaded before it) …
  const marks = await page.evaluate(() => Object.fromEntries(
    performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
  assert.ok(marks['lf:graph'] < marks['lf:presented']);
  const shown = Object.keys((await page.evaluate(() => window.leadflow.probe())).nodes);
  assert.equal(shown.length, JSON.parse(readFixture('lead_nurture.json')).nodes.length);
  // … and the frame loop runs on from there.
  await frames(page, 2);
  assert.ok((await page.evaluate(() => window.leadflow.frameStats())).frames >= 3);
  await page.close();
});

test('the grid shader paints the canvas background (inside ImGui\'s GL pass)', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await page.evaluate(() => window.leadflow.loadGraph({ nodes: [], edges: [] }));
  await page.evaluate(() => window.leadflow.setZoom(1));
  await frames(page, 3);
  const [x, y, w, h] = (await page.evaluate(() => window.leadflow.probe())).canvas;
  await decodeScreenshot(page, { x: x + 10, y: y + 10, width: w - 20, height: h - 20 });
  const counts = await page.evaluate(() => {
    const d = window.__shot.data;
    const near = (i, rgb) => rgb.every((v, k) => Math.abs(d[i + k] - v) <= 2);
    const n = { total: 0, grid_background: 0, clear_colour: 0, lines: 0 };
    for (let i = 0; i < d.length; i += 4) {
      n.total++;
      if (near(i, [27, 28, 32])) n.grid_background++;            // u_background of the grid
      else if (near(i, [20, 22, 24])) n.clear_colour++;           // glClearColor: no grid
      else if (d[i] > 32 && d[i + 2] > 36) n.lines++;            // grid lines
    }
    return n;
  });
  assert.ok(counts.grid_background > counts.total * 0.6, JSON.stringify(counts));
  assert.equal(counts.clear_colour, 0, JSON.stringify(counts));
  assert.ok(counts.lines > counts.total * 0.01, JSON.stringify(counts));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the canvas font sizes are baked right after the first frame', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  // The first frame is drawn with the UI font alone (a quicker start) …
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
  for (const m of ['lf:html', 'lf:main', 'lf:fonts', 'lf:presented']) assert.ok(marks.includes(m), m);
  // … and the next frame bakes the five canvas sizes (sharp text from 40% to 300% zoom).
  await frames(page, 2);
  const stats = await page.evaluate(() => window.leadflow.frameStats());
  assert.equal(stats.canvas_font_sizes, 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a devicePixelRatio change rebuilds the font texture and text still renders', async () => {
  const page = await editor.context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  const cdp = await editor.context.newCDPSession(page);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1000, height: 700, deviceScaleFactor: 1, mobile: false });
  await page.goto(editor.url + '?fresh');
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  // The palette (coloured buttons with text) is drawn from the font texture; without one it
  // comes out as the plain background.
  const palette = { x: 4, y: 40, width: 150, height: 250 };
  await frames(page, 3);
  const before = await distinctColours(page, palette);
  assert.ok(before > 20, `palette before the change: ${before} colours`);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1000, height: 700, deviceScaleFactor: 2, mobile: false });
  await frames(page, 4);
  assert.equal((await page.evaluate(() => window.leadflow.probe())).pixel_ratio, 2);
  const after = await distinctColours(page, palette);
  assert.ok(after > 20, `palette after the change: ${after} colours (before ${before})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('boots when the server sends the module as application/octet-stream (no streaming compile)', async () => {
  const plain = await serveStatic(distDir, { types: { '.wasm': 'application/octet-stream' } });
  try {
    const { page, errors } = await openEditor(editor.context, plain.url);
    const graph = await page.evaluate(() => window.leadflow.getGraph());
    assert.ok(graph.nodes.length > 0);
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await plain.close();
  }
});

test('a missing WebAssembly module is reported on the page', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadflow-nowasm-'));
  for (const f of ['index.html', 'leadflow.js', 'leadflow-web.js']) copyFileSync(join(distDir, f), join(dir, f));
  const broken = await serveStatic(dir);
  try {
    const page = await editor.context.newPage();
    await page.goto(broken.url);
    await page.waitForFunction(() => /stopped/.test(document.getElementById('status').textContent), null,
                               { timeout: 60000 });
    const text = await page.evaluate(() => document.getElementById('status').textContent);
    assert.match(text, /could not load the WebAssembly module \(leadflow-web\.wasm: HTTP 404\)/);
    assert.equal(await page.evaluate(() => window.leadflow.ready), false);
    await page.close();
  } finally {
    await broken.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
