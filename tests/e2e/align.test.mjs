// tests/e2e/align.test.mjs — aligning and distributing selected steps in headless Chromium:
// cards selected with the mouse (click, Shift+click), aligned with Shift+arrow keys and the Edit
// menu, distributed with Shift+H and the Edit → Align menu; positions read through the
// automation API. Each is one undo step; too small a selection changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useStaticEditor, openEditor, frames, probe, clickAt, until, emptyCanvasSpot,
} from './harness.mjs';

const editor = useStaticEditor();
const byProbe = { read: probe, every: 1 };

// Four Wait steps (one card size) at scattered places, not overlapping.
const kGraph = {
  workflow: { title: 'Align me' },
  nodes: [
    { id: 'a', node_type: 'TIME', label: 'A', position_x: 0, position_y: 0, config: {} },
    { id: 'b', node_type: 'TIME', label: 'B', position_x: 260, position_y: 170, config: {} },
    { id: 'c', node_type: 'TIME', label: 'C', position_x: 910, position_y: 40, config: {} },
    { id: 'd', node_type: 'TIME', label: 'D', position_x: 430, position_y: 330, config: {} },
  ],
  edges: [],
};

async function positions(page) {
  const g = await page.evaluate(() => window.leadflow.getGraph());
  return Object.fromEntries(g.nodes.map((n) => [n.id, [n.position_x, n.position_y]]));
}

// Selects the cards `ids` with the mouse: a click on empty canvas clears the selection, then a
// click on the first, Shift+click on the others.
async function selectCards(page, ids) {
  let p = await probe(page);
  await clickAt(page, emptyCanvasSpot(p, { margin: 30 }).concat([0, 0]));
  await until(page, (x) => x.selected_nodes.length === 0, 'nothing selected', byProbe);
  await clickAt(page, p.nodes[ids[0]].rect, 0.3);
  await page.keyboard.down('Shift');
  for (const id of ids.slice(1)) await clickAt(page, p.nodes[id].rect, 0.3);
  await page.keyboard.up('Shift');
  p = await until(page, (x) => x.selected_nodes.length === ids.length, `${ids} selected`, byProbe);
  assert.deepEqual([...p.selected_nodes].sort(), [...ids].sort());
}

async function openGraph() {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await page.evaluate((t) => window.leadflow.loadGraph(t), JSON.stringify(kGraph));
  await frames(page, 3);
  await page.evaluate(() => window.leadflow.setZoom(0.7));
  await frames(page, 2);
  assert.equal((await probe(page)).can_undo, false);
  return { page, errors };
}

test('Shift+arrows align edges and Shift+H distributes; each is one undo step', async () => {
  const { page, errors } = await openGraph();
  const start = await positions(page);
  await selectCards(page, ['a', 'b', 'c']);

  await page.keyboard.press('Shift+ArrowUp');
  await frames(page, 2);
  let pos = await positions(page);
  assert.deepEqual([pos.a[1], pos.b[1], pos.c[1]], [0, 0, 0], 'top edges on the topmost');
  assert.deepEqual([pos.a[0], pos.b[0], pos.c[0]], [0, 260, 910], 'x unchanged');
  assert.deepEqual(pos.d, start.d, 'an unselected card stays');

  await page.keyboard.press('Shift+ArrowLeft');
  await frames(page, 2);
  pos = await positions(page);
  assert.deepEqual([pos.a[0], pos.b[0], pos.c[0]], [0, 0, 0], 'left edges on the leftmost');
  // Two undos give back the start: each align was one step.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await frames(page, 2);
  assert.deepEqual(await positions(page), start);

  // Distribute: a and c stay, b moves to the middle (equal cards, equal gaps).
  await page.keyboard.press('Shift+h');
  await frames(page, 2);
  pos = await positions(page);
  assert.equal(pos.a[0], 0);
  assert.equal(pos.c[0], 910);
  assert.equal(pos.b[0], 455);
  assert.equal(pos.b[1], 170, 'distributing horizontally keeps y');
  await page.keyboard.press('Control+z');
  await frames(page, 2);
  assert.deepEqual(await positions(page), start);

  // Two cards cannot be distributed: nothing changes, the status line says why.
  await selectCards(page, ['a', 'b']);
  await page.keyboard.press('Shift+h');
  const p = await until(page, (x) => /Select 3 or more steps/.test(x.status), 'the reason', byProbe);
  assert.equal(p.can_undo, false);
  assert.deepEqual(await positions(page), start);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Edit → Align menu: bottom edges and vertical distribution with the mouse', async () => {
  const { page, errors } = await openGraph();
  const start = await positions(page);
  await selectCards(page, ['a', 'b', 'd']);

  // Edit → Align → Distribute horizontally, all with the mouse.
  const menu = async (item) => {
    await clickAt(page, (await probe(page)).items['menu/edit']);
    let p = await until(page, (x) => x.items['menu/edit/align'], 'Edit menu open', byProbe);
    await page.mouse.move(p.items['menu/edit/align'][0] + 20, p.items['menu/edit/align'][1] + 5);
    p = await until(page, (x) => x.items[item], `${item} shown`, byProbe);
    await clickAt(page, p.items[item]);
  };
  await menu('menu/edit/distribute_h');
  let pos = await positions(page);
  // a (x 0) and d (x 430) stay; b between them with equal gaps.
  assert.equal(pos.a[0], 0);
  assert.equal(pos.d[0], 430);
  assert.equal(pos.b[0], 215);

  await menu('menu/edit/align_left');
  pos = await positions(page);
  assert.deepEqual([pos.a[0], pos.b[0], pos.d[0]], [0, 0, 0]);
  assert.deepEqual([pos.a[1], pos.b[1], pos.d[1]], [0, 170, 330]);

  // Shift+V spaces them vertically: a (y 0) and d (y 330) stay, b in the middle.
  await page.keyboard.press('Shift+v');
  await frames(page, 2);
  pos = await positions(page);
  assert.equal(pos.b[1], 165);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
  await frames(page, 2);
  assert.deepEqual(await positions(page), start, 'three steps undone give back the start');
  assert.deepEqual(errors, []);
  await page.close();
});
