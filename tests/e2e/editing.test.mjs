// tests/e2e/editing.test.mjs — editing with the real mouse and keyboard in headless Chromium:
// add nodes from the palette, drag from a pin to connect, undo/redo, delete, copy/paste, export,
// autosave; the exported JSON is compared with what was built.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useStaticEditor, openEditor, frames, probe, center } from './harness.mjs';

const editor = useStaticEditor();

const empty = { nodes: [], edges: [] };

async function emptyEditor() {
  const { page, errors } = await openEditor(editor.context, editor.url);
  const r = await page.evaluate((g) => window.leadflow.loadGraph(g), empty);
  assert.deepEqual(r, { ok: true });
  await frames(page, 2);
  return { page, errors };
}

async function clickPalette(page, wire) {
  const p = await probe(page);
  const rect = p.items[`palette/${wire}`];
  assert.ok(rect, `palette button ${wire} is on screen`);
  const c = center(rect);
  await page.mouse.click(c.x, c.y);
  await frames(page, 2);
}

async function graph(page) {
  return page.evaluate(() => window.leadflow.getGraph());
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

test('palette adds nodes; dragging a pin onto a node connects them with its outcome label', async () => {
  const { page, errors } = await emptyEditor();
  await clickPalette(page, 'VOICE_CALL');
  let g = await graph(page);
  assert.equal(g.nodes.length, 1);
  assert.equal(g.nodes[0].node_type, 'VOICE_CALL');
  const callId = g.nodes[0].id;

  // Move the call card left so the next card does not cover it.
  let p = await probe(page);
  const callRect = p.nodes[callId].rect;
  const before = g.nodes[0].position_x;
  await drag(page, { x: callRect[0] + 30, y: callRect[1] + 8 }, { x: callRect[0] - 170, y: callRect[1] + 8 });
  g = await graph(page);
  // 200 CSS pixels at 100% zoom are 200 world units.
  assert.equal((await probe(page)).zoom, 1);
  assert.ok(Math.abs(g.nodes[0].position_x - (before - 200)) <= 2, `moved to ${g.nodes[0].position_x}`);

  await clickPalette(page, 'CONVERTED');
  g = await graph(page);
  assert.equal(g.nodes.length, 2);
  const convertedId = g.nodes.find((n) => n.node_type === 'CONVERTED').id;

  p = await probe(page);
  const pin = p.nodes[callId].pins.COMPLETED;
  const target = p.nodes[convertedId].rect;
  await drag(page, { x: pin[0], y: pin[1] }, center(target));
  g = await graph(page);
  assert.equal(g.edges.length, 1);
  assert.equal(g.edges[0].from_node_id, callId);
  assert.equal(g.edges[0].to_node_id, convertedId);
  assert.equal(g.edges[0].label, 'COMPLETED');

  // Undo (Ctrl+Z) removes the edge, redo (Ctrl+Shift+Z) brings it back.
  await page.keyboard.press('Control+z');
  await frames(page, 2);
  assert.equal((await graph(page)).edges.length, 0);
  await page.keyboard.press('Control+Shift+z');
  await frames(page, 2);
  assert.equal((await graph(page)).edges.length, 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dragging a palette entry onto the canvas adds that node at the drop point; one undo step', async () => {
  const { page, errors } = await emptyEditor();
  let p = await probe(page);
  const from = center(p.items['palette/TIME']);
  const canvas = p.canvas;
  const drop = { x: canvas[0] + canvas[2] * 0.3, y: canvas[1] + canvas[3] * 0.4 };
  await drag(page, from, drop, 10);
  let g = await graph(page);
  assert.equal(g.nodes.length, 1, 'one node added');
  assert.equal(g.nodes[0].node_type, 'TIME');
  assert.equal(g.nodes[0].config.duration_unit !== undefined, true, 'type defaults applied');
  // The card's header is under the drop point (the mouse holds it by the middle of its header).
  p = await probe(page);
  const rect = p.nodes[g.nodes[0].id].rect;
  assert.ok(Math.abs(rect[0] + rect[2] / 2 - drop.x) <= 2, `card centre x ${rect[0] + rect[2] / 2} vs ${drop.x}`);
  assert.ok(drop.y > rect[1] && drop.y < rect[1] + 24 * p.zoom + 2, `drop y ${drop.y} in the header of ${rect}`);
  assert.deepEqual(p.selected_nodes, [g.nodes[0].id]);

  // A second drop elsewhere, at another zoom, lands there too.
  await page.evaluate(() => window.leadflow.setZoom(0.5));
  await frames(page, 2);
  p = await probe(page);
  const drop2 = { x: canvas[0] + canvas[2] * 0.7, y: canvas[1] + canvas[3] * 0.6 };
  await drag(page, center(p.items['palette/CONVERTED']), drop2, 10);
  g = await graph(page);
  assert.equal(g.nodes.length, 2);
  const converted = g.nodes.find((n) => n.node_type === 'CONVERTED');
  p = await probe(page);
  const r2 = p.nodes[converted.id].rect;
  assert.ok(r2[0] < drop2.x && drop2.x < r2[0] + r2[2] && r2[1] < drop2.y && drop2.y < r2[1] + r2[3],
            `drop point ${JSON.stringify(drop2)} inside ${r2}`);

  // Dropped outside the canvas (on the inspector): nothing is added.
  const inspector = { x: canvas[0] + canvas[2] + 60, y: canvas[1] + 200 };
  await drag(page, center(p.items['palette/TIME']), inspector, 10);
  assert.equal((await graph(page)).nodes.length, 2);

  // Each drop is one undo step.
  await page.keyboard.press('Control+z');
  await frames(page, 2);
  assert.deepEqual((await graph(page)).nodes.map((n) => n.node_type), ['TIME']);
  // Click-to-add still works next to drag-and-drop.
  await clickPalette(page, 'VOICE_CALL');
  assert.equal((await graph(page)).nodes.length, 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('fit view shows all 10,000 nodes of a large graph (zoom below the old 2% floor)', async () => {
  const { page, errors } = await emptyEditor();
  const nodes = [];
  for (let i = 0; i < 10000; i++) {
    nodes.push({ id: `node_${i}`, node_type: 'TIME', label: `wait ${i}`, position_x: (i % 10) * 300,
                 position_y: Math.floor(i / 10) * 220, config: { duration_value: 1, duration_unit: 'days' } });
  }
  assert.deepEqual(await page.evaluate((g) => window.leadflow.loadGraph(g), { nodes, edges: [] }), { ok: true });
  await page.keyboard.press('f');
  await frames(page, 3);
  const s = await page.evaluate(() => window.leadflow.frameStats());
  assert.ok(s.zoom < 0.02, `zoom ${s.zoom}`);
  assert.equal(s.nodes_drawn, 10000);
  assert.equal(s.simple_lod, true);
  // The mouse wheel zooms further out and back in smoothly from there.
  const p = await probe(page);
  const c = center(p.canvas);
  await page.mouse.move(c.x, c.y);
  await page.mouse.wheel(0, 300);
  await frames(page, 2);
  const out = (await probe(page)).zoom;
  assert.ok(out < s.zoom, `wheel out: ${out} < ${s.zoom}`);
  await page.mouse.wheel(0, -300);
  await frames(page, 2);
  assert.ok(Math.abs((await probe(page)).zoom / s.zoom - 1) < 0.01, 'wheel back in returns to the fit zoom');
  assert.deepEqual(errors, []);
  await page.close();
});

test('click selects, Delete removes a node with its edges, undo restores both', async () => {
  const { page } = await emptyEditor();
  await page.evaluate(() => window.leadflow.loadGraph({
    nodes: [
      { id: 'node_a', node_type: 'TIME', label: 'Wait', position_x: 0, position_y: 0, config: { duration_value: 1, duration_unit: 'days' } },
      { id: 'node_b', node_type: 'DROPPED', label: 'Drop', position_x: 300, position_y: 0, config: {} },
    ],
    edges: [{ id: 'edge_1', from_node_id: 'node_a', to_node_id: 'node_b', label: null, position: 0 }],
  }));
  await frames(page, 3);
  const p = await probe(page);
  const b = p.nodes.node_b.rect;
  await page.mouse.click(b[0] + b[2] / 2, b[1] + 10);
  await frames(page, 2);
  assert.deepEqual((await probe(page)).selected_nodes, ['node_b']);
  await page.keyboard.press('Delete');
  await frames(page, 2);
  let g = await graph(page);
  assert.deepEqual(g.nodes.map((n) => n.id), ['node_a']);
  assert.equal(g.edges.length, 0);
  await page.keyboard.press('Control+z');
  await frames(page, 2);
  g = await graph(page);
  assert.equal(g.nodes.length, 2);
  assert.equal(g.edges.length, 1);
  await page.close();
});

test('shift+drag box-selects; copy and paste duplicate nodes and the edge between them', async () => {
  const { page } = await emptyEditor();
  await page.evaluate(() => window.leadflow.loadGraph({
    nodes: [
      { id: 'node_a', node_type: 'TIME', label: 'Wait', position_x: 0, position_y: 0, config: { duration_value: 1, duration_unit: 'days' } },
      { id: 'node_b', node_type: 'DROPPED', label: 'Drop', position_x: 300, position_y: 0, config: {} },
    ],
    edges: [{ id: 'edge_1', from_node_id: 'node_a', to_node_id: 'node_b', label: null, position: 0 }],
  }));
  await frames(page, 3);
  const p = await probe(page);
  const a = p.nodes.node_a.rect;
  const b = p.nodes.node_b.rect;
  await page.keyboard.down('Shift');
  await drag(page, { x: a[0] - 20, y: a[1] - 20 }, { x: b[0] + b[2] + 20, y: b[1] + b[3] + 20 });
  await page.keyboard.up('Shift');
  await frames(page, 1);
  assert.deepEqual((await probe(page)).selected_nodes.sort(), ['node_a', 'node_b']);
  await page.keyboard.press('Control+c');
  await frames(page, 2);
  await page.mouse.move(a[0] + 40, a[1] + 200);
  await frames(page, 1);
  await page.keyboard.press('Control+v');
  await frames(page, 2);
  const g = await graph(page);
  assert.equal(g.nodes.length, 4);
  assert.equal(g.edges.length, 2);
  const pasted = g.edges.find((e) => e.id !== 'edge_1');
  assert.notEqual(pasted.from_node_id, 'node_a');
  assert.equal(g.nodes.find((n) => n.id === pasted.to_node_id).node_type, 'DROPPED');
  await page.close();
});

test('export downloads the same JSON as getGraph; autosave restores it after reload', async () => {
  const { page } = await emptyEditor();
  await clickPalette(page, 'TIME');
  await clickPalette(page, 'DROPPED');
  const built = await graph(page);
  assert.equal(built.nodes.length, 2);

  const downloadPromise = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  const download = await downloadPromise;
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(exported, built);

  // Autosave runs a second after the last change; then a reload (without ?fresh) restores it.
  await page.waitForTimeout(1600);
  await frames(page, 2);
  await page.goto(editor.url);
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  const restored = await graph(page);
  assert.deepEqual(restored.nodes, built.nodes);
  await page.close();
});
