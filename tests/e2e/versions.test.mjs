// tests/e2e/versions.test.mjs — workflow versions in the editor, against a real leadflow-server
// (127.0.0.1, temporary database, sandbox calls at the wall clock's speed so that leads stay in
// their first call): Publish shows the dry run's summary and publishes on Confirm; saving an
// active workflow's graph saves the draft only ("draft differs from version 1"); the diff of
// version 1 and the draft on the canvas (marks, ghosts) and as a list; Simulate the change
// equals leadflow-sim --json on the version's graph and on the draft; a move dry run; Restore.
// Without a server: Compare with the opened graph after an edit made with the mouse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  launchBrowser, openEditor, serveStatic, startServer, openServerPage,
  serverAction as action, readFixture, frames, clickAt, distDir, repoRoot, until, probeInTab,
} from './harness.mjs';

const nativeSim = resolve(repoRoot, process.env.LEADFLOW_NATIVE_SIM || 'build/native/tools/leadflow-sim');
const kLeads = 3;

let browser;
let backend;
let tmp;
let base;
let key;

before(async () => {
  assert.ok(existsSync(nativeSim), `native leadflow-sim not found at ${nativeSim} (run scripts/build native)`);
  backend = await startServer({ timeScale: 1, tmpPrefix: 'leadflow-versions-e2e-' });
  ({ base, key, tmp } = backend);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (backend) backend.stop();
});

const api = (method, path, body) => backend.api(method, path, body);

// leadflow-sim's stdout for a graph and scenario (objects are written to files first).
let cliRuns = 0;
function cli(graph, scenario) {
  const g = join(tmp, `cli${cliRuns}.graph.json`);
  const s = join(tmp, `cli${cliRuns++}.scenario.json`);
  writeFileSync(g, JSON.stringify(graph));
  writeFileSync(s, JSON.stringify(scenario));
  return execFileSync(nativeSim, [g, '--scenario', s, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

const compareStatus = (page) => page.evaluate(() => window.leadflow.compare.status());

const versionsUntil = (page, predicate, what, timeout) =>
  until(page, (s) => predicate(s.versions), what, { timeout });

const probeItem = (page, name) => probeInTab(page, 'server', name);
async function click(page, name) {
  await clickAt(page, await probeItem(page, name));
}

async function typeInto(page, rect, text) {
  await clickAt(page, rect);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await frames(page, 2);
}

const openPage = (url) => openServerPage(browser.context, url);

// lead_nurture with a shorter tail: the third call and its wait removed, the second call's
// no-answer edge sent to a new one-day wait that drops the lead, the first call relabelled and
// given a shorter call limit, the unresponsive node moved.
function editedNurture(g) {
  const gone = new Set(['node_call3', 'node_wait2']);
  g.nodes = g.nodes.filter((n) => !gone.has(n.id));
  g.edges = g.edges.filter((e) => e.id === 'edge_5' || (!gone.has(e.from_node_id) && !gone.has(e.to_node_id)));
  const call1 = g.nodes.find((n) => n.id === 'node_call1');
  call1.label = 'First call (v2)';
  call1.config.max_call_seconds = 240;
  g.nodes.find((n) => n.id === 'node_unresponsive').position_y = 400;
  g.nodes.push({
    id: 'node_wait_short', node_type: 'TIME', label: 'Wait 1 day', position_x: 840, position_y: 240,
    config: { duration_value: 1, duration_unit: 'days' },
  });
  g.edges.find((e) => e.id === 'edge_5').to_node_id = 'node_wait_short';
  g.edges.push({ id: 'edge_12', from_node_id: 'node_wait_short', to_node_id: 'node_unresponsive', label: null, position: 11 });
  return g;
}

const ids = (list) => list.map((x) => x.id).sort();

test('versions: publish after a dry run, save the draft of an active workflow, diff, simulate the change, restore', async () => {
  const { page, errors } = await openPage(base + '?fresh');
  await until(page, (x) => x.available, 'server mode detected', { timeout: 60000 });
  let s = await action(page, 'sign_in', key);
  assert.equal(s.signed_in, true, s.error);

  // A workflow from the editor's graph and scenario, with leads waiting to start.
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('lead_nurture.json'));
  const scenario = JSON.parse(readFixture('lead_nurture.scenario.json'));
  scenario.leads = 4000;
  // The sandbox draws the live calls from this scenario too: an hour-long first call keeps the
  // enrolled leads running on version 1 for the whole test.
  scenario.nodes.node_call1 = {
    outcomes: { COMPLETED: 0.3, NO_ANSWER: 0.7, BUSY: 0, VOICEMAIL: 0, FAILED: 0 },
    call_duration_s: { mean: 3600, sd: 1 }, ring_s: 3600,
  };
  assert.deepEqual(await page.evaluate((sc) => window.leadflow.setScenario(sc), scenario), { ok: true });
  await action(page, 'create', 'E2E versions');
  s = await until(page, (x) => x.pending === 0 && x.workflow_id && !x.versions.unsaved && x.versions.loaded, 'created and saved');
  const wf = s.workflow_id;
  assert.match(wf, /^wf_/);
  // The leads run at any hour here (tests/server tests the local calling hours).
  const anyHour = await api('PATCH', `/v1/workflows/${wf}`, { settings: { respect_lead_local_time: false } });
  assert.equal(anyHour.status, 200, JSON.stringify(anyHour.json));
  const enrolled = await api('POST', `/v1/workflows/${wf}/leads`,
    { leads: Array.from({ length: kLeads }, (_, i) => ({ phone_number: `+1415555${2671 + i}` })) });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.json));

  let p = await page.evaluate(() => window.leadflow.probe());
  await clickAt(page, p.items['tab/server']);
  s = await versionsUntil(page, (v) => v.draft_line === 'Not published yet', 'the unpublished state');
  assert.equal(s.versions.total, 0);

  // Publish: the note, "keep", then the dry run's summary, which the API's dry run confirms.
  await typeInto(page, await probeItem(page, 'versions/note'), 'first version');
  await click(page, 'versions/keep');
  await click(page, 'versions/publish');
  s = await versionsUntil(page, (v) => v.step === 'review', 'the dry run summary');
  const preview = s.versions.preview;
  assert.equal(preview.valid, true, JSON.stringify(preview));
  assert.equal(preview.version, 1);
  assert.equal(preview.migrate, 'keep');
  const dry = await api('POST', `/v1/workflows/${wf}/publish`, { dry_run: true, migrate: 'keep', note: 'first version' });
  assert.equal(dry.status, 200);
  assert.deepEqual({ move: preview.move, stay: preview.stay, not_started: preview.not_started },
    { move: dry.json.leads.move, stay: dry.json.leads.stay, not_started: dry.json.leads.not_started });
  assert.equal((await api('GET', `/v1/workflows/${wf}/versions`)).json.meta.total, 0, 'a dry run publishes nothing');
  assert.ok((await page.evaluate(() => window.leadflow.probe())).items['versions/preview'], 'the summary is drawn');

  await click(page, 'versions/confirm');
  s = await versionsUntil(page, (v) => v.published_result && v.rows.length === 1 && v.draft_line === 'Draft matches version 1', 'version 1 listed');
  assert.deepEqual(s.versions.rows.map((r) => [r.number, r.note, r.migrate, r.current]), [[1, 'first version', 'keep', true]]);
  assert.equal(s.versions.published_result.version, 1);
  let listed = await api('GET', `/v1/workflows/${wf}/versions`);
  assert.equal(listed.json.meta.total, 1);
  assert.equal(listed.json.data[0].note, 'first version');

  // Activate: the leads start on version 1 (and stay in their first call at this time scale).
  s = await action(page, 'activate');
  assert.equal(s.error, '', s.error);
  s = await until(page, (x) => x.workflow && x.workflow.status === 'active', 'active');
  assert.equal((await api('GET', `/v1/workflows/${wf}/versions`)).json.meta.total, 1, 'an unchanged draft is not published again');

  // Edit and save from the editor: the draft only, no 409, no new version.
  const edited = editedNurture(await page.evaluate(() => window.leadflow.getGraph()));
  assert.deepEqual(await page.evaluate((g) => window.leadflow.loadGraph(g), edited), { ok: true });
  s = await versionsUntil(page, (v) => v.unsaved, 'unsaved changes noticed');
  await click(page, 'server/save');
  s = await versionsUntil(page, (v) => !v.unsaved && v.draft_line === 'Draft differs from version 1', 'draft differs from version 1');
  assert.equal(s.error, '');
  assert.equal(s.versions.draft_runs_differently, true);
  const wfNow = (await api('GET', `/v1/workflows/${wf}`)).json;
  assert.equal(wfNow.status, 'active');
  assert.equal(wfNow.published_version, 1);
  assert.equal((await api('GET', `/v1/workflows/${wf}/versions`)).json.meta.total, 1);
  const draft = (await api('GET', `/v1/workflows/${wf}/graph`)).json;
  assert.deepEqual(ids(draft.nodes), ids(edited.nodes));
  assert.equal(draft.nodes.find((n) => n.id === 'node_call1').label, 'First call (v2)');

  // Diff version 1 with the draft: the same lists as the API, drawn on the canvas.
  await click(page, 'versions/row/1');
  s = await versionsUntil(page, (v) => v.selected === 1, 'version 1 selected');
  await click(page, 'versions/diff');
  s = await versionsUntil(page, (v) => v.diff && v.diff.ready, 'the diff');
  const served = (await api('GET', `/v1/workflows/${wf}/versions/1/diff/draft`)).json;
  const d = s.versions.diff;
  assert.deepEqual(d.nodes_added, ids(served.nodes.added));
  assert.deepEqual(d.nodes_removed, ids(served.nodes.removed));
  assert.deepEqual(d.nodes_added, ['node_wait_short']);
  assert.deepEqual(d.nodes_removed, ['node_call3', 'node_wait2']);
  assert.deepEqual(d.nodes_changed, Object.fromEntries(served.nodes.changed.map((c) => [c.id, c.changes.map((x) => x.field)])));
  assert.deepEqual(d.nodes_changed.node_call1, ['label', 'config.max_call_seconds']);
  assert.deepEqual(d.nodes_changed.node_unresponsive, ['position_y']);
  assert.deepEqual(d.edges_added, ids(served.edges.added));
  assert.deepEqual(d.edges_removed, ids(served.edges.removed));
  assert.deepEqual(Object.keys(d.edges_changed), ['edge_5']);
  assert.equal(d.ghost_nodes, 2);
  assert.equal(d.ghost_edges, served.edges.removed.length);
  await page.evaluate(() => window.leadflow.fitView());
  // Marks: 3 nodes (added, changed, moved) and 2 edges (added, changed); ghosts: 2 nodes and
  // the removed edges, where version 1 had them.
  s = await versionsUntil(page, (v) => v.marks_drawn === 5 && v.ghost_nodes_drawn === 2 &&
    v.ghost_edges_drawn === served.edges.removed.length, 'the diff drawn on the canvas');
  // The ghost edges are routed around the cards once and cached: frames in which nothing moved
  // route none of them again.
  await frames(page, 3);
  assert.equal((await page.evaluate(() => window.leadflow.server.status())).versions.ghost_reroutes, 0);
  p = await page.evaluate(() => window.leadflow.probe());
  assert.ok(p.items['diff/list'], 'the list of changed fields is shown');

  // Simulate the change: the stored scenario on version 1 and on the draft, each equal to the
  // native CLI on that graph.
  await click(page, 'versions/simulate_change');
  const c = await until(page, (x) => x.runs >= 1 && !x.pending, 'the comparison', { read: compareStatus, timeout: 60000 });
  assert.equal(c.error, '', c.error);
  assert.equal(c.before_label, 'version 1');
  assert.equal(c.after_label, 'draft (editor)');
  const stored = (await api('GET', `/v1/workflows/${wf}/scenario`)).json;
  const storedScenario = stored.scenario || stored;
  assert.equal(storedScenario.leads, 4000);
  const v1 = (await api('GET', `/v1/workflows/${wf}/versions/1`)).json;
  const cliBefore = cli(v1, storedScenario);
  const cliAfter = cli(await page.evaluate(() => window.leadflow.getGraph()), storedScenario);
  assert.equal(c.result.before_results + '\n', cliBefore, 'version 1: page vs leadflow-sim');
  assert.equal(c.result.after_results + '\n', cliAfter, 'draft: page vs leadflow-sim');
  const rb = JSON.parse(cliBefore);
  const ra = JSON.parse(cliAfter);
  const r = c.result;
  assert.equal(r.leads, 4000);
  assert.equal(r.conversion.before, rb.terminal.completed.count / rb.leads);
  assert.equal(r.conversion.after, ra.terminal.completed.count / ra.leads);
  assert.equal(r.conversion.delta, r.conversion.after - r.conversion.before);
  assert.equal(r.calls_per_lead.before, rb.calls.per_lead);
  assert.equal(r.calls_per_lead.after, ra.calls.per_lead);
  assert.ok(r.calls_per_lead.after < r.calls_per_lead.before, 'one call fewer for the unresponsive');
  const terminal = (x) => x.terminal.completed.count + x.terminal.dropped.count + x.terminal.failed.count;
  assert.deepEqual(r.terminal_leads, [terminal(rb), terminal(ra)]);
  for (const m of [r.conversion, r.calls_per_lead, r.time_to_terminal_hours]) {
    assert.ok(m.ci95[0] <= m.delta && m.delta <= m.ci95[1], JSON.stringify(m));
  }
  p = await page.evaluate(() => window.leadflow.probe());
  assert.ok(p.items['compare/table'], 'the comparison table is shown');

  // A "move" dry run counts the running leads as the API does; Cancel publishes nothing.
  await click(page, 'versions/move');
  await click(page, 'versions/publish');
  s = await versionsUntil(page, (v) => v.step === 'review', 'the move dry run');
  const movePreview = s.versions.preview;
  const moveDry = await api('POST', `/v1/workflows/${wf}/publish`, { dry_run: true, migrate: 'move' });
  assert.equal(movePreview.version, 2);
  assert.equal(movePreview.migrate, 'move');
  assert.deepEqual([movePreview.move, movePreview.stay, movePreview.not_started],
    [moveDry.json.leads.move, moveDry.json.leads.stay, moveDry.json.leads.not_started]);
  assert.equal(movePreview.move + movePreview.stay + movePreview.not_started, kLeads);
  assert.equal(movePreview.stay, 0, 'every lead is on node_call1, which the draft keeps');
  await click(page, 'versions/cancel');
  s = await versionsUntil(page, (v) => v.step === 'idle' && v.preview === null, 'cancelled');
  assert.equal((await api('GET', `/v1/workflows/${wf}/versions`)).json.meta.total, 1);

  // Restore version 1: the draft and the editor hold version 1 again; nothing is published.
  await click(page, 'versions/restore');
  s = await versionsUntil(page, (v) => v.restores === 1 && v.draft_line === 'Draft matches version 1', 'version 1 restored');
  const restored = await page.evaluate(() => window.leadflow.getGraph());
  assert.deepEqual(ids(restored.nodes), ids(v1.nodes));
  assert.equal(restored.nodes.find((n) => n.id === 'node_call1').label, 'First call');
  const draftNow = (await api('GET', `/v1/workflows/${wf}/graph`)).json;
  assert.deepEqual(ids(draftNow.nodes), ids(v1.nodes));
  assert.equal((await api('GET', `/v1/workflows/${wf}/versions`)).json.meta.total, 1);
  // The diff shown follows: nothing changed, no ghosts.
  s = await versionsUntil(page, (v) => v.diff && v.diff.ready && v.diff.nodes_removed.length === 0 &&
    v.ghost_nodes_drawn === 0 && v.marks_drawn === 0, 'an empty diff after the restore');
  assert.deepEqual(s.versions.diff.nodes_added, []);
  assert.equal(s.versions.error, '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('compare with the opened graph after a mouse edit, without a server', async () => {
  const server = await serveStatic(distDir);
  try {
    const { page, errors } = await openEditor(browser.context, server.url);
    // Opened: the fixture (loadGraph is the automation's "open").
    await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('conditional_followup.json'));
    const scenario = JSON.parse(readFixture('conditional_followup.scenario.json'));
    assert.deepEqual(await page.evaluate((sc) => window.leadflow.setScenario(sc), scenario), { ok: true });
    let c = await compareStatus(page);
    assert.equal(c.has_opened, true);
    assert.equal(c.opened_label, 'loaded graph');
    const opened = await page.evaluate(() => window.leadflow.getGraph());

    // Edit with the mouse: drag a node's output pin onto another node (a new edge).
    await frames(page, 3);
    const g0 = await page.evaluate(() => window.leadflow.getGraph());
    let p = await page.evaluate(() => window.leadflow.probe());
    const edgesBefore = g0.edges.length;
    // The first node with a free pin whose target is some terminal node.
    const terminalId = g0.nodes.find((n) => n.node_type === 'DROPPED').id;
    let from = null;
    for (const n of g0.nodes) {
      const probeNode = p.nodes[n.id];
      if (!probeNode || n.id === terminalId || ['CONVERTED', 'DROPPED'].includes(n.node_type)) continue;
      const used = new Set(g0.edges.filter((e) => e.from_node_id === n.id).map((e) => e.label || ''));
      const pin = Object.keys(probeNode.pins).find((l) => !used.has(l));
      if (pin) { from = { id: n.id, at: probeNode.pins[pin] }; break; }
    }
    assert.ok(from, 'a node with a free output pin');
    const target = p.nodes[terminalId].rect;
    await page.mouse.move(from.at[0], from.at[1]);
    await frames(page, 1);
    await page.mouse.down();
    await frames(page, 1);
    for (let i = 1; i <= 6; i++) {
      await page.mouse.move(from.at[0] + ((target[0] + 20 - from.at[0]) * i) / 6, from.at[1] + ((target[1] + 10 - from.at[1]) * i) / 6);
      await frames(page, 1);
    }
    await page.mouse.up();
    await frames(page, 3);
    const edited = await page.evaluate(() => window.leadflow.getGraph());
    assert.equal(edited.edges.length, edgesBefore + 1, 'the drag added an edge');

    // Compare tab → "Compare with loaded graph".
    p = await page.evaluate(() => window.leadflow.probe());
    await clickAt(page, p.items['tab/compare']);
    p = await page.evaluate(() => window.leadflow.probe());
    assert.ok(p.items['compare/opened'], 'the Compare with button');
    await clickAt(page, p.items['compare/opened']);
    c = await until(page, (x) => x.runs >= 1 && !x.pending, 'the comparison', { read: compareStatus, timeout: 60000 });
    assert.equal(c.error, '', c.error);
    assert.equal(c.before_label, 'loaded graph');
    assert.equal(c.after_label, 'editor');
    assert.equal(c.result.before_results + '\n', cli(opened, scenario), 'opened graph: page vs leadflow-sim');
    assert.equal(c.result.after_results + '\n', cli(edited, scenario), 'edited graph: page vs leadflow-sim');
    const rb = JSON.parse(c.result.before_results);
    assert.equal(c.result.conversion.before, rb.terminal.completed.count / rb.leads);
    assert.equal(c.result.calls_per_lead.before, rb.calls.per_lead);

    // A template as "before", through the automation API.
    const t = await page.evaluate(() => window.leadflow.compare.action('template', 'Lead nurture'));
    assert.deepEqual(t, { ok: true });
    c = await until(page, (x) => x.runs >= 2 && !x.pending, 'the template comparison', { read: compareStatus, timeout: 60000 });
    assert.equal(c.before_label, 'template Lead nurture');
    assert.equal(c.result.before_results + '\n', cli(JSON.parse(readFixture('lead_nurture.json')), scenario));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await server.close();
  }
});
