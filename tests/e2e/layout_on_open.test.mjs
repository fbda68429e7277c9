// tests/e2e/layout_on_open.test.mjs — auto-layout on load: a workflow built through a real
// leadflow-server's API without positions (as a DialNexa client builds it) is opened in the
// editor's server mode with the real mouse and comes up laid out, no two cards overlapping, as
// one undo step: Ctrl+Z gives back the positions it came with. loadGraph and share links do the
// same; a graph whose cards do not overlap keeps its positions exactly. Saves a screenshot of the
// laid-out canvas to build/test-logs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  useServerEditor, openServerPage, serverStatus as status, readFixture, frames, probe, clickAt,
  until, probeInTab, repoRoot,
} from './harness.mjs';

const env = useServerEditor({ timeScale: 1000, tmpPrefix: 'leadflow-layout-e2e-' });

const logsDir = join(repoRoot, 'build', 'test-logs');

// Pairs of cards (probe rectangles, CSS pixels) whose interiors meet.
function overlappingCards(p) {
  const ids = Object.keys(p.nodes);
  const pairs = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const [ax, ay, aw, ah] = p.nodes[ids[i]].rect;
      const [bx, by, bw, bh] = p.nodes[ids[j]].rect;
      if (ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah) pairs.push(`${ids[i]}/${ids[j]}`);
    }
  }
  return pairs;
}

const positions = (g) => g.nodes.map((n) => [n.id, n.position_x, n.position_y]);

// Waits until the probe shows every one of `count` cards on the canvas.
const allCardsShown = (page, count, what) =>
  until(page, (p) => Object.keys(p.nodes).length === count, what, { read: probe });

// The lead-nurture template built step by step through the REST API without any position.
async function createPositionless() {
  const fixture = JSON.parse(readFixture('lead_nurture.json'));
  const created = await env.backend.api('POST', '/v1/workflows', { title: 'Built by an API client' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const wf = created.json.id;
  for (const n of fixture.nodes) {
    const r = await env.backend.api('POST', `/v1/workflows/${wf}/nodes`,
      { id: n.id, node_type: n.node_type, label: n.label, config: n.config });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  for (const e of fixture.edges) {
    const r = await env.backend.api('POST', `/v1/workflows/${wf}/edges`,
      { id: e.id, from_node_id: e.from_node_id, to_node_id: e.to_node_id, label: e.label, position: e.position });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  }
  const graph = await env.backend.api('GET', `/v1/workflows/${wf}/graph`);
  assert.equal(graph.status, 200);
  assert.equal(graph.json.nodes.length, fixture.nodes.length);
  assert.ok(graph.json.nodes.every((n) => n.position_x === 0 && n.position_y === 0), 'no positions on the server');
  return { wf, graph: graph.json };
}

test('a position-less workflow from the server opens laid out; Ctrl+Z restores its positions', async () => {
  const { wf, graph } = await createPositionless();
  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  await until(page, (s) => s.available, 'server mode detected', { timeout: 60000 });

  // Sign in and open the workflow with the real mouse and keyboard.
  let p = await probe(page);
  await clickAt(page, p.items['tab/server']);
  await clickAt(page, await probeInTab(page, 'server', 'server/key'));
  await page.keyboard.type(env.backend.key);
  await frames(page, 2);
  await clickAt(page, await probeInTab(page, 'server', 'server/sign_in'));
  await until(page, (s) => s.signed_in && s.pending === 0, 'signed in', { timeout: 60000 });
  await clickAt(page, await probeInTab(page, 'server', `server/workflow/${wf}`));
  let s = await until(page, (x) => x.workflow_id === wf && x.pending === 0, 'workflow opened', { timeout: 60000 });
  assert.equal(s.error, '');

  // Laid out: same graph, every card on the canvas, none overlapping, one undo step.
  const opened = await page.evaluate(() => window.leadflow.getGraph());
  assert.deepEqual(opened.nodes.map((n) => n.id), graph.nodes.map((n) => n.id));
  assert.deepEqual(opened.edges.map((e) => e.id), graph.edges.map((e) => e.id));
  assert.ok(opened.nodes.some((n) => n.position_x !== 0 || n.position_y !== 0), 'positions assigned');
  p = await probe(page);
  assert.match(p.status, /Laid out/);
  assert.equal(p.can_undo, true);
  p = await allCardsShown(page, graph.nodes.length, 'every card on the canvas');
  assert.deepEqual(overlappingCards(p), []);
  // The layout is an edit the server's draft does not have yet (Save graph keeps it).
  s = await status(page);
  assert.equal(s.versions.unsaved, true);

  mkdirSync(logsDir, { recursive: true });
  const [cx, cy, cw, ch] = p.canvas;
  await page.screenshot({ path: join(logsDir, 'layout-on-open.png'), clip: { x: cx, y: cy, width: cw, height: ch } });

  // Ctrl+Z on the canvas gives back the positions the workflow came with (all 0, 0).
  await clickAt(page, [cx + 4, cy + 4, 8, 8]);  // empty canvas: the key field lets go of the keyboard
  await page.keyboard.press('Control+z');
  await until(page, (g) => JSON.stringify(positions(g)) === JSON.stringify(positions(graph)),
    'positions restored by Ctrl+Z', { read: (pg) => pg.evaluate(() => window.leadflow.getGraph()) });
  // Redo lays it out again.
  await page.keyboard.press('Control+Shift+z');
  await until(page, (g) => JSON.stringify(positions(g)) === JSON.stringify(positions(opened)), 'layout redone',
    { read: (pg) => pg.evaluate(() => window.leadflow.getGraph()) });
  assert.deepEqual(errors, []);
  await page.close();
});

test('loadGraph and share links lay out stacked cards; a laid-out graph keeps its positions', async () => {
  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  const fixture = JSON.parse(readFixture('conditional_followup.json'));
  const stacked = { ...fixture, nodes: fixture.nodes.map((n) => ({ ...n, position_x: 0, position_y: 0 })) };
  // Two cards overlapping by a corner are enough.
  const partly = JSON.parse(JSON.stringify(fixture));
  partly.nodes[1].position_x = partly.nodes[0].position_x + 120;
  partly.nodes[1].position_y = partly.nodes[0].position_y + 20;

  for (const [what, g] of [['stacked', stacked], ['partly overlapping', partly]]) {
    assert.deepEqual(await page.evaluate((x) => window.leadflow.loadGraph(x), g), { ok: true }, what);
    const p = await allCardsShown(page, g.nodes.length, `${what}: every card on the canvas`);
    assert.deepEqual(overlappingCards(p), [], what);
    assert.equal(p.can_undo, true, `${what}: the layout is an undo step`);
  }

  // Undone, the stacked graph makes a share link; opened elsewhere, it comes up laid out too.
  assert.deepEqual(await page.evaluate((x) => window.leadflow.loadGraph(x), stacked), { ok: true });
  const c = (await probe(page)).canvas;
  await clickAt(page, [c[0] + 4, c[1] + 4, 8, 8]);
  await page.keyboard.press('Control+z');
  await until(page, (g) => g.nodes.every((n) => n.position_x === 0 && n.position_y === 0), 'stacked again',
    { read: (pg) => pg.evaluate(() => window.leadflow.getGraph()) });
  const link = await page.evaluate(() => window.leadflow.shareUrl());
  const { page: other, errors: otherErrors } = await openServerPage(env.context, link);
  const p = await allCardsShown(other, fixture.nodes.length, 'shared graph: every card on the canvas');
  assert.deepEqual(overlappingCards(p), []);

  // Not overlapping: loaded exactly as given, nothing to undo.
  assert.deepEqual(await page.evaluate((x) => window.leadflow.loadGraph(x), fixture), { ok: true });
  const kept = await page.evaluate(() => window.leadflow.getGraph());
  assert.deepEqual(kept.nodes, fixture.nodes);
  assert.equal((await probe(page)).can_undo, false);

  assert.deepEqual(errors, []);
  assert.deepEqual(otherErrors, []);
  await other.close();
  await page.close();
});
