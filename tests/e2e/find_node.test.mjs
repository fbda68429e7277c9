// tests/e2e/find_node.test.mjs — Find node with the real keyboard and mouse in headless
// Chromium: Ctrl+F opens the search box with the keyboard in it, typing lists the nodes whose
// label or id matches (any case), Enter or a click selects the match and centres the view on
// it, Escape closes the box. Saves a screenshot of the open box to build/test-logs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  useStaticEditor, openEditor, frames, probe, clickAt, until, repoRoot,
} from './harness.mjs';

const editor = useStaticEditor();

const logsDir = join(repoRoot, 'build', 'test-logs');

// Distance (CSS pixels) between the centre of node `id`'s card and the centre of the canvas;
// Infinity when the card is not on screen.
function offCentre(p, id) {
  const n = p.nodes[id];
  if (!n) return Infinity;
  const [x, y, w, h] = n.rect;
  const [cx, cy, cw, ch] = p.canvas;
  return Math.hypot(x + w / 2 - (cx + cw / 2), y + h / 2 - (cy + ch / 2));
}

// The editor on the lead-nurture template (what a fresh page opens), the view moved away from
// the node to find so that centring it is visible.
async function templateEditor() {
  const { page, errors } = await openEditor(editor.context, editor.url);
  const g = await page.evaluate(() => window.leadflow.getGraph());
  assert.ok(g.nodes.some((n) => n.id === 'node_call3'), 'the lead-nurture template is open');
  await page.evaluate(() => window.leadflow.setZoom(1.5));
  await frames(page, 2);
  return { page, errors };
}

test('Ctrl+F, a query and Enter select the node and centre the view on it', async () => {
  const { page, errors } = await templateEditor();
  let p = await probe(page);
  assert.equal(p.find.open, false);
  assert.ok(offCentre(p, 'node_call3') > 50, 'the node starts away from the centre');

  await page.keyboard.press('Control+f');
  p = await until(page, (x) => x.find.open && x.find.input_active, 'find box open with the keyboard',
    { read: probe, every: 1 });
  // Typed with the real keyboard, in another case than the label ("Third call").
  await page.keyboard.type('tHIRD');
  p = await until(page, (x) => x.find.query === 'tHIRD' && x.items['find/match/node_call3'],
    'the query typed into the box lists the match', { read: probe, every: 1 });
  assert.deepEqual(Object.keys(p.items).filter((k) => k.startsWith('find/match/')), ['find/match/node_call3']);
  mkdirSync(logsDir, { recursive: true });
  await page.screenshot({ path: join(logsDir, 'find-node.png') });

  await page.keyboard.press('Enter');
  p = await until(page, (x) => !x.find.open && x.selected_nodes.length === 1 && offCentre(x, 'node_call3') < 2,
    'node_call3 selected and centred', { read: probe, every: 1 });
  assert.deepEqual(p.selected_nodes, ['node_call3']);
  // The graph is unchanged: finding is not an edit.
  assert.equal(p.can_undo, false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('matches by id, Down moves the highlight, a click jumps, Escape closes', async () => {
  const { page, errors } = await templateEditor();
  await page.keyboard.press('Control+f');
  await until(page, (x) => x.find.input_active, 'find box has the keyboard', { read: probe, every: 1 });
  // "NODE_WAIT" is in the ids of both waits (their labels are the same "Wait 2 days").
  await page.keyboard.type('NODE_WAIT');
  let p = await until(page, (x) => x.find.query === 'NODE_WAIT' && x.items['find/match/node_wait2'],
    'both waits listed', { read: probe, every: 1 });
  assert.ok(p.items['find/match/node_wait1']);
  assert.ok(p.items['find/match/node_wait1'][1] < p.items['find/match/node_wait2'][1], 'in node order');
  await page.keyboard.press('ArrowDown');
  await until(page, (x) => x.find.highlighted === 1, 'second match highlighted', { read: probe, every: 1 });
  await page.keyboard.press('Enter');
  p = await until(page, (x) => !x.find.open && offCentre(x, 'node_wait2') < 2, 'node_wait2 centred',
    { read: probe, every: 1 });
  assert.deepEqual(p.selected_nodes, ['node_wait2']);

  // A click on a listed match jumps to it as Enter does.
  await page.keyboard.press('Control+f');
  await until(page, (x) => x.find.input_active, 'find box open again', { read: probe, every: 1 });
  // The box keeps the last query: select it all and type over it.
  await page.keyboard.press('Control+a');
  await page.keyboard.type('failed');
  // Wait for the whole query: while it is still being typed ("f", "fa") other nodes match too and
  // the row of node_failed is lower down; a click at that stale row would miss.
  p = await until(page, (x) => x.find.query === 'failed' && x.items['find/match/node_failed'],
    'node_failed listed', { read: probe, every: 1 });
  assert.deepEqual(Object.keys(p.items).filter((k) => k.startsWith('find/match/')), ['find/match/node_failed']);
  await clickAt(page, p.items['find/match/node_failed']);
  p = await until(page, (x) => !x.find.open && offCentre(x, 'node_failed') < 2, 'node_failed centred',
    { read: probe, every: 1 });
  assert.deepEqual(p.selected_nodes, ['node_failed']);

  // Escape closes the box without moving the view or the selection.
  await page.keyboard.press('Control+f');
  await until(page, (x) => x.find.input_active, 'find box open a third time', { read: probe, every: 1 });
  await page.keyboard.press('Control+a');
  await page.keyboard.type('second');
  await until(page, (x) => x.find.query === 'second' && x.items['find/match/node_call2'], 'node_call2 listed',
    { read: probe, every: 1 });
  await page.keyboard.press('Escape');
  p = await until(page, (x) => !x.find.open, 'find box closed', { read: probe, every: 1 });
  assert.deepEqual(p.selected_nodes, ['node_failed']);
  assert.ok(offCentre(p, 'node_failed') < 2);
  assert.equal(p.items['find/input'], undefined);
  assert.deepEqual(errors, []);
  await page.close();
});
