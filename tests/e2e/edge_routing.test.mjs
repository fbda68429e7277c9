// tests/e2e/edge_routing.test.mjs — edges routed around cards and legible canvas text, in
// headless Chromium at 1440×900 with the real mouse and keyboard: the lead-nurture template (the
// editor's start graph) at fit view (F) has every edge's routed polyline (read through the UI
// probe) clear of every card but its own two, attached to its pins, and readable titles; a card
// dragged across edges sends them around it; a click on a routed segment selects that edge; the
// mouse wheel zoomed far out hides the text instead of shrinking it. Saves screenshots to
// build/test-logs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useStaticEditor, openEditor, frames, probe, until, center, repoRoot } from './harness.mjs';

const editor = useStaticEditor();
const byProbe = { read: probe, every: 1 };
const logsDir = join(repoRoot, 'build', 'test-logs');

// Whether the segment a–b passes through the interior of the rectangle [x, y, w, h] shrunk by
// `inset` CSS pixels (probe coordinates are rounded screen positions).
function segmentEntersRect(a, b, [x, y, w, h], inset = 1) {
  const x0 = x + inset, x1 = x + w - inset, y0 = y + inset, y1 = y + h - inset;
  if (x0 >= x1 || y0 >= y1) return false;
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const p = [-dx, dx, -dy, dy];
  const q = [a[0] - x0, x1 - a[0], a[1] - y0, y1 - a[1]];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i] < 0) return false;
      continue;
    }
    const t = q[i] / p[i];
    if (p[i] < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

// "edge/node" for every routed edge segment on screen that passes through a card other than
// the edge's own two.
function crossings(p, graph) {
  const out = [];
  for (const e of graph.edges) {
    const route = p.edges[e.id];
    if (!route) continue;
    for (const [id, n] of Object.entries(p.nodes)) {
      if (id === e.from_node_id || id === e.to_node_id) continue;
      for (let k = 1; k < route.points.length; k++) {
        if (segmentEntersRect(route.points[k - 1], route.points[k], n.rect)) {
          out.push(`${e.id}/${id}`);
          break;
        }
      }
    }
  }
  return out;
}

const near = (a, b, tol = 1.5) => Math.abs(a[0] - b[0]) <= tol && Math.abs(a[1] - b[1]) <= tol;

// Every edge starts at its source pin (or the card's bottom for a label without a pin), ends at
// its target's input pin, and runs in horizontal and vertical segments.
function checkAttached(p, graph) {
  for (const e of graph.edges) {
    const pts = p.edges[e.id].points;
    const from = p.nodes[e.from_node_id];
    const pin = from.pins[e.label ?? 'next'] ?? from.pins.default;
    assert.ok(near(pts[0], pin), `${e.id} starts at its pin: ${pts[0]} vs ${pin}`);
    assert.ok(near(pts.at(-1), p.nodes[e.to_node_id].input), `${e.id} ends at the input pin`);
    for (let k = 1; k < pts.length; k++) {
      const [a, b] = [pts[k - 1], pts[k]];
      assert.ok(Math.abs(a[0] - b[0]) < 0.01 || Math.abs(a[1] - b[1]) < 0.01, `${e.id} segment ${k} is orthogonal`);
    }
  }
}

// A point on a segment of the edge's route, halfway along its longest segment.
function pointOnRoute(route) {
  let best = [route.points[0], route.points[1]];
  let len = 0;
  for (let k = 1; k < route.points.length; k++) {
    const [a, b] = [route.points[k - 1], route.points[k]];
    const l = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (l > len) { len = l; best = [a, b]; }
  }
  return [(best[0][0] + best[1][0]) / 2, (best[0][1] + best[1][1]) / 2];
}

test('lead nurture at fit view: edges go around cards, titles readable; far out, no text', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await page.setViewportSize({ width: 1440, height: 900 });
  await frames(page, 3);
  const graph = await page.evaluate(() => window.leadflow.getGraph());
  assert.equal(graph.workflow.title, 'Lead nurture');
  assert.equal(graph.nodes.length, 8);

  // Fit view with the keyboard, the mouse over the canvas.
  let p = await probe(page);
  const c = center(p.canvas);
  await page.mouse.move(c.x, c.y);
  await page.keyboard.press('f');
  p = await until(page, (x) => Object.keys(x.nodes).length === 8 && Object.keys(x.edges).length === 11,
    'every card and edge on the canvas', byProbe);
  assert.equal(p.canvas_text, true, `titles drawn at the fit zoom ${p.zoom}`);
  const stats = await page.evaluate(() => window.leadflow.frameStats());
  assert.equal(stats.canvas_text, true);
  assert.deepEqual(crossings(p, graph), []);
  checkAttached(p, graph);
  // The FAILED edge of the first call goes around the cards between it and "Call failed"
  // (the straight way crosses the first Wait card).
  const failed = p.edges.edge_3.points;
  assert.ok(failed.length >= 4, `edge_3 bends: ${JSON.stringify(failed)}`);
  mkdirSync(logsDir, { recursive: true });
  const [cx, cy, cw, ch] = p.canvas;
  await page.screenshot({ path: join(logsDir, 'edge-routing-fit.png'), clip: { x: cx, y: cy, width: cw, height: ch } });

  // A click on the FAILED edge's longest segment, away from every card, selects it.
  const [ex, ey] = pointOnRoute(p.edges.edge_3);
  await page.mouse.move(ex, ey);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  await page.mouse.up();
  p = await until(page, (x) => x.selected_edges.length === 1, 'an edge selected', byProbe);
  assert.deepEqual(p.selected_edges, ['edge_3']);

  // Drag "Converted" with the mouse to sit right on the FAILED edges' way under the calls: the
  // edges reroute around it.
  const target = p.nodes.node_converted.rect;
  const wait1 = p.nodes.node_wait1.rect;
  const from = [target[0] + target[2] / 2, target[1] + 4];
  const to = [wait1[0] + wait1[2] / 2, wait1[1] + wait1[3] + target[3] / 2 + 6];
  await page.mouse.move(from[0], from[1]);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 1);
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(from[0] + ((to[0] - from[0]) * i) / 10, from[1] + ((to[1] - from[1]) * i) / 10);
    await frames(page, 1);
  }
  await page.mouse.up();
  await frames(page, 2);
  const moved = await page.evaluate(() => window.leadflow.getGraph());
  const before = graph.nodes.find((n) => n.id === 'node_converted');
  const after = moved.nodes.find((n) => n.id === 'node_converted');
  assert.ok(after.position_y > before.position_y + 100, `Converted moved down: ${before.position_y} → ${after.position_y}`);
  p = await probe(page);
  assert.deepEqual(crossings(p, moved), []);
  checkAttached(p, moved);
  await page.screenshot({ path: join(logsDir, 'edge-routing-moved.png'), clip: { x: cx, y: cy, width: cw, height: ch } });
  await page.keyboard.press('Control+z');
  await until(page, (g) => g.nodes.find((n) => n.id === 'node_converted').position_y === before.position_y,
    'move undone', { read: (pg) => pg.evaluate(() => window.leadflow.getGraph()) });

  // Far out with the mouse wheel: the cards stay, the text goes.
  await page.mouse.move(c.x, c.y);
  for (let i = 0; i < 6 && (await probe(page)).canvas_text; i++) {
    await page.mouse.wheel(0, 200);
    await frames(page, 2);
  }
  p = await probe(page);
  assert.equal(p.canvas_text, false, `no text at zoom ${p.zoom}`);
  assert.ok(p.zoom < 0.4, `zoomed out: ${p.zoom}`);
  assert.equal(Object.keys(p.nodes).length, 8, 'every card still drawn');
  assert.deepEqual(crossings(p, graph), []);
  await page.screenshot({ path: join(logsDir, 'edge-routing-far.png'), clip: { x: cx, y: cy, width: cw, height: ch } });
  // And back in, the text returns.
  await page.keyboard.press('f');
  p = await until(page, (x) => x.canvas_text === true, 'text back at fit view', byProbe);
  assert.deepEqual(errors, []);
  await page.close();
});
