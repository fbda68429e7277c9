// tests/e2e/workflow_ops.test.mjs — Duplicate and Delete on the Server tab's workflow list,
// clicked with the mouse, against a real leadflow-server (127.0.0.1, temporary database, sandbox
// calls at the wall clock's speed); what the server holds afterwards is read through the REST
// API. Duplicate makes a draft "<title> (copy)" with the same graph (new ids), settings and
// scenario and opens it (saving the open workflow's unsaved edit first); Delete asks first naming the workflow (Cancel keeps it), deletes on
// confirmation, shows the server's refusal word for word for an active workflow, and deleting
// the open workflow leaves the editor's graph no longer tied to the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerEditor, openServerPage, serverAction as action, readFixture, clickAt, until, probeInTab,
  probe, decodeInPage,
} from './harness.mjs';

const env = useServerEditor({ timeScale: 1, tmpPrefix: 'leadflow-ops-e2e-' });

const api = (method, path, body) => env.backend.api(method, path, body);
const click = async (page, name) => clickAt(page, await probeInTab(page, 'server', name));
const idle = (page, predicate, what) => until(page, (s) => s.pending === 0 && predicate(s), what);

// A workflow made through the API with the lead_nurture graph, settings and a scenario.
async function makeWorkflow(title, settings) {
  const made = await api('POST', '/v1/workflows', { title, settings });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  const id = made.json.id;
  const fixture = JSON.parse(readFixture('lead_nurture.json'));
  const put = await api('PUT', `/v1/workflows/${id}/graph`, { nodes: fixture.nodes, edges: fixture.edges });
  assert.equal(put.status, 200, JSON.stringify(put.json));
  const sc = await api('PUT', `/v1/workflows/${id}/scenario`, JSON.parse(readFixture('lead_nurture.scenario.json')));
  assert.equal(sc.status, 200, JSON.stringify(sc.json));
  return id;
}

// A graph without its ids: nodes by label, edges as "from label -> to label (label)".
function shape(graph) {
  const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
  return {
    nodes: graph.nodes.map((n) => JSON.stringify([n.label, n.node_type, n.config, n.position_x, n.position_y])).sort(),
    edges: graph.edges.map((e) => `${label.get(e.from_node_id)} -> ${label.get(e.to_node_id)} (${e.label})`).sort(),
  };
}

test('workflow list: duplicate opens a copy with the same graph and settings; delete asks, deletes, and shows refusals', async () => {
  const settings = { timezone: 'America/New_York', max_concurrent_calls: 7, max_steps_per_lead: 321 };
  const source = await makeWorkflow('Nurture source', settings);
  const running = await makeWorkflow('Running one', {});
  const activated = await api('POST', `/v1/workflows/${running}/activate`);
  assert.equal(activated.status, 200, JSON.stringify(activated.json));
  const scratch = (await api('POST', '/v1/workflows', { title: 'Scratch' })).json.id;

  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  await until(page, (s) => s.available, 'server mode detected', { timeout: 60000 });
  let s = await action(page, 'sign_in', env.backend.key);
  assert.equal(s.signed_in, true, s.error);
  await clickAt(page, (await probe(page)).items['tab/server']);
  await idle(page, (x) => x.list.total === 3, 'the list');

  // Duplicate: a new draft with the same graph, settings and scenario, opened in the editor.
  await click(page, `server/duplicate/${source}`);
  s = await idle(page, (x) => x.workflow_id !== '' && x.list.total === 4, 'the copy opened');
  const copy = s.workflow_id;
  assert.notEqual(copy, source);
  assert.equal(s.error, '');
  assert.equal(s.list.titles[0], 'Nurture source (copy)');
  const [orig, dup] = [await api('GET', `/v1/workflows/${source}`), await api('GET', `/v1/workflows/${copy}`)];
  assert.equal(dup.status, 200);
  assert.equal(dup.json.title, 'Nurture source (copy)');
  assert.equal(dup.json.status, 'draft');
  assert.deepEqual(dup.json.settings, orig.json.settings);
  assert.equal(dup.json.settings.max_steps_per_lead, 321);
  const [g0, g1] = [await api('GET', `/v1/workflows/${source}/graph`), await api('GET', `/v1/workflows/${copy}/graph`)];
  assert.deepEqual(shape(g1.json), shape(g0.json));
  const oldIds = new Set(g0.json.nodes.map((n) => n.id));
  assert.ok(g1.json.nodes.every((n) => !oldIds.has(n.id)), 'the copy has new node ids');
  const [sc0, sc1] = [await api('GET', `/v1/workflows/${source}/scenario`), await api('GET', `/v1/workflows/${copy}/scenario`)];
  // The copy's scenario names the copy's nodes: the same per-node behaviour under new ids.
  const byLabel = (sc, graph) => {
    const label = new Map(graph.nodes.map((n) => [n.id, n.label]));
    const nodes = Object.fromEntries(Object.entries(sc.nodes).map(([id, v]) => [label.get(id), v]));
    return { ...sc, nodes };
  };
  assert.ok(Object.keys(sc0.json.nodes).length > 0);
  assert.deepEqual(byLabel(sc1.json, g1.json), byLabel(sc0.json, g0.json));
  const editorGraph = await page.evaluate(() => window.leadflow.getGraph());
  assert.deepEqual(shape(editorGraph).edges, shape(g1.json).edges);

  // Duplicating the open workflow with an unsaved edit: the copy's draft gets the edit, the
  // original's draft stays as it was stored.
  await click(page, `server/workflow/${source}`);
  await idle(page, (x) => x.workflow_id === source, 'the source opened');
  const edited = await page.evaluate(() => window.leadflow.getGraph());
  edited.nodes.find((n) => n.node_type === 'VOICE_CALL').label = 'Edited before the copy';
  await page.evaluate((g) => window.leadflow.loadGraph(JSON.stringify(g)), edited);
  assert.equal((await page.evaluate(() => window.leadflow.server.status())).versions.unsaved, true);
  await click(page, `server/duplicate/${source}`);
  s = await idle(page, (x) => x.workflow_id !== source && x.list.total === 5, 'the second copy opened');
  const copy2 = s.workflow_id;
  const copied = await api('GET', `/v1/workflows/${copy2}/graph`);
  assert.ok(copied.json.nodes.some((n) => n.label === 'Edited before the copy'), 'the copy has the edit');
  const original = await api('GET', `/v1/workflows/${source}/graph`);
  assert.ok(!original.json.nodes.some((n) => n.label === 'Edited before the copy'), 'the original is unchanged');
  assert.match((await api('GET', `/v1/workflows/${copy2}`)).json.title, / \(copy\)$/);
  assert.ok((await page.evaluate(() => window.leadflow.getGraph())).nodes.some((n) => n.label === 'Edited before the copy'),
    'the editor shows the copy with the edit');

  // Delete asks first, naming the workflow; Cancel keeps it.
  await click(page, `server/delete/${scratch}`);
  s = await idle(page, (x) => x.list.confirm_delete !== '', 'the question');
  assert.equal(s.list.confirm_delete, 'Delete “Scratch”? Its graph, versions, leads and history are deleted too.');
  // On the light theme the question is drawn in a dark amber, readable on the pale panel (the
  // dark theme's light amber was not: its darkest pixels were as bright as 157 of 255).
  await page.evaluate(() => window.leadflow.setUiSettings({ theme: 'light', ui_scale: 100 }));
  await until(page, (u) => u.theme === 'light', 'the light theme', { read: (pg) => pg.evaluate(() => window.leadflow.uiSettings()) });
  const question = await probeInTab(page, 'server', 'server/delete_question');
  await decodeInPage(page, await page.screenshot());
  const darkest = await page.evaluate(([x, y, w, h]) => {
    const { width, data } = window.__shot;
    let best = [255, 255, 255];
    for (let py = Math.ceil(y); py < y + h; py++) {
      for (let px = Math.ceil(x); px < x + w; px++) {
        const at = (py * width + px) * 4;
        if (data[at] + data[at + 1] + data[at + 2] < best[0] + best[1] + best[2]) best = [data[at], data[at + 1], data[at + 2]];
      }
    }
    return best;
  }, question);
  assert.ok((darkest[0] + darkest[1] + darkest[2]) / 3 < 120, `question text on the light theme: ${darkest}`);
  assert.ok(darkest[0] > darkest[2] + 60, `the question is amber, not black: ${darkest}`);
  await page.evaluate(() => window.leadflow.setUiSettings({ theme: 'dark', ui_scale: 100 }));
  await click(page, 'server/delete_cancel');
  await idle(page, (x) => x.list.confirm_delete === '', 'the question withdrawn');
  assert.equal((await api('GET', `/v1/workflows/${scratch}`)).status, 200);

  // Confirmed: deleted on the server and gone from the list.
  await click(page, `server/delete/${scratch}`);
  await click(page, 'server/delete_confirm');
  s = await idle(page, (x) => !x.list.ids.includes(scratch) && x.list.total === 4, 'the list without it');
  assert.equal(s.info, 'Deleted “Scratch”');
  assert.equal((await api('GET', `/v1/workflows/${scratch}`)).status, 404);

  // An active workflow: the server refuses, and says why in its words.
  await click(page, `server/delete/${running}`);
  await click(page, 'server/delete_confirm');
  s = await idle(page, (x) => x.error !== '', 'the refusal');
  const refusal = await api('DELETE', `/v1/workflows/${running}`);
  assert.equal(refusal.status, 409);
  assert.equal(s.error, `Cannot delete “Running one”: ${refusal.json.message}`);
  assert.match(s.error, /active workflow cannot be deleted; pause or cancel it first/);
  const still = await api('GET', `/v1/workflows/${running}`);
  assert.equal(still.status, 200);
  assert.equal(still.json.status, 'active');
  assert.ok(s.list.ids.includes(running));

  // Deleting the open workflow (the second copy): the editor keeps its graph, no longer on the server.
  await click(page, `server/delete/${copy2}`);
  await click(page, 'server/delete_confirm');
  s = await idle(page, (x) => x.workflow_id === '' && !x.list.ids.includes(copy2), 'the second copy deleted');
  assert.equal(s.error, '');
  assert.equal((await api('GET', `/v1/workflows/${copy2}`)).status, 404);
  const kept = await page.evaluate(() => window.leadflow.getGraph());
  assert.equal(kept.nodes.length, g1.json.nodes.length);
  assert.ok(kept.nodes.some((n) => n.label === 'Edited before the copy'));
  const left = await api('GET', '/v1/workflows?limit=100');
  assert.deepEqual(left.json.data.map((w) => w.id).sort(), [source, running, copy].sort());
  assert.deepEqual(errors, []);
});
