// tests/e2e/server_mode.test.mjs — the web app served by a real leadflow-server process (started
// here on 127.0.0.1 with a temporary database, the sandbox call provider and a high time scale):
// server mode is detected; sign in with an API key; create, save, reload and open a workflow;
// validate; enrol leads from the Server tab (typed numbers, a rejected number, pasted CSV text);
// activate and watch the live counts (more than 500 leads) reach terminal and equal the
// node-counts endpoint; one lead's history; pause, resume, cancel; store the scenario; a short
// link (/s/<id>) that opens in a new page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, startServer, openServerPage, serverStatus as status, serverAction as action, readFixture,
  frames, clickAt, until as untilStatus, probeInTab,
} from './harness.mjs';

const kTyped = 12;        // numbers typed into the Server tab
const kFileLeads = 600;   // rows of the CSV text pasted into it
const kLeads = kTyped + kFileLeads;

let browser;
let backend;
let base;
let key;

before(async () => {
  backend = await startServer({ timeScale: 200000, tmpPrefix: 'leadflow-server-e2e-' });
  ({ base, key } = backend);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (backend) backend.stop();
});

// The REST API directly (checks what the page did).
const api = (method, path, body) => backend.api(method, path, body);

const until = (page, predicate, what, timeout = 60000) =>
  untilStatus(page, predicate, what, { timeout, every: 5 });

// Types into an ImGui text field: click it, select everything, replace it.
async function typeInto(page, rect, text) {
  await clickAt(page, rect);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await frames(page, 2);
  for (const line of text.split('\n')) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await frames(page, 1);
  }
  await frames(page, 2);
}
const probeItem = (page, name) => probeInTab(page, 'server', name);

const openPage = (url) => openServerPage(browser.context, url);

test('server mode: sign in, create, save, reload, open, validate, activate and watch leads finish', async () => {
  const { page, errors } = await openPage(base + '?fresh');
  let s = await until(page, (x) => x.available, 'server mode detected', 20000);
  assert.equal(s.provider, 'sandbox');
  assert.equal(s.signed_in, false);

  // A wrong key is refused with a clear message; the right one signs in.
  s = await action(page, 'sign_in', 'key_nope:wrong');
  assert.equal(s.signed_in, false);
  assert.match(s.error, /did not accept/);
  s = await action(page, 'sign_in', key);
  assert.equal(s.signed_in, true, s.error);

  // Create on the server from the editor's graph and scenario.
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('lead_nurture.json'));
  await page.evaluate((t) => window.leadflow.setScenario(t), readFixture('lead_nurture.scenario.json'));
  s = await action(page, 'create', 'E2E nurture');
  await page.waitForFunction(() => window.leadflow.server.status().pending === 0, null, { timeout: 60000 });
  s = await status(page);
  assert.match(s.workflow_id, /^wf_/, s.error);
  const wf = s.workflow_id;
  const fixture = JSON.parse(readFixture('lead_nurture.json'));
  let graph = await api('GET', `/v1/workflows/${wf}/graph`);
  assert.equal(graph.status, 200);
  assert.equal(graph.json.workflow.title, 'E2E nurture');
  assert.deepEqual(graph.json.nodes.map((n) => n.id).sort(), fixture.nodes.map((n) => n.id).sort());
  assert.equal(graph.json.edges.length, fixture.edges.length);
  const scenario = await api('GET', `/v1/workflows/${wf}/scenario`);
  assert.equal(scenario.status, 200);
  assert.equal(JSON.stringify(scenario.json).includes('"seed":42'), true, JSON.stringify(scenario.json));

  // Edit and save: the server has the change.
  const edited = await page.evaluate(() => window.leadflow.getGraph());
  edited.nodes.find((n) => n.id === 'node_call1').label = 'First call (edited)';
  await page.evaluate((g) => window.leadflow.loadGraph(g), edited);
  s = await action(page, 'save');
  assert.equal(s.error, '');
  graph = await api('GET', `/v1/workflows/${wf}/graph`);
  assert.equal(graph.json.nodes.find((n) => n.id === 'node_call1').label, 'First call (edited)');

  // Reload: the key stays for this tab (sessionStorage); open the workflow from the server.
  await page.reload();
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  s = await until(page, (x) => x.signed_in, 'signed in again after reload', 20000);
  await page.evaluate(() => window.leadflow.loadGraph({ nodes: [], edges: [] }));
  s = await action(page, 'open', wf);
  await page.waitForFunction(() => window.leadflow.server.status().pending === 0, null, { timeout: 60000 });
  const opened = await page.evaluate(() => window.leadflow.getGraph());
  assert.equal(opened.nodes.length, fixture.nodes.length);
  assert.equal(opened.nodes.find((n) => n.id === 'node_call1').label, 'First call (edited)');
  assert.equal((await page.evaluate(() => window.leadflow.getScenario())).seed, 42);

  s = await action(page, 'validate');
  assert.equal(s.validation.valid, true, JSON.stringify(s.validation));

  // Enrol from the Server tab. A bad number: the server's grouped error shows, nothing enrolled.
  let p = await page.evaluate(() => window.leadflow.probe());
  await clickAt(page, p.items['tab/server']);
  await typeInto(page, await probeItem(page, 'server/enrol_text'), '+14155550100\nnot a phone');
  await clickAt(page, await probeItem(page, 'server/enrol'));
  s = await until(page, (x) => !x.enrol.busy && x.enrol.summary !== '', 'the enrolment answer', 20000);
  assert.equal(s.enrol.ok, false, JSON.stringify(s.enrol));
  assert.match(s.enrol.summary, /Nothing was enrolled: 1 row was rejected/);
  assert.deepEqual(s.enrol.lines, ['Invalid phone number: 1 row (row 2: not a phone)']);
  assert.equal((await api('GET', `/v1/workflows/${wf}`)).json.enrolled_leads, 0);

  // Typed numbers, one per line.
  const typed = Array.from({ length: kTyped }, (_, i) => `+1415555${2671 + i}`);
  await typeInto(page, await probeItem(page, 'server/enrol_text'), typed.join('\n'));
  await clickAt(page, await probeItem(page, 'server/enrol'));
  s = await until(page, (x) => !x.enrol.busy && x.enrol.ok, 'typed leads enrolled', 20000);
  assert.equal(s.enrol.summary, `Enrolled ${kTyped} leads`);
  assert.equal((await api('GET', `/v1/workflows/${wf}`)).json.enrolled_leads, kTyped);

  // CSV text with a variable column, pasted (the browser's paste event, then Ctrl+V).
  const csv = 'phone_number,first_name\n' +
    Array.from({ length: kFileLeads }, (_, i) => `+1646555${String(1000 + i).padStart(4, '0')},Lead ${i}`).join('\n') + '\n';
  await clickAt(page, await probeItem(page, 'server/enrol_text'));
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  // Headless Chromium's clipboard is empty: on Ctrl+V the browser's own (empty) paste event is
  // held back and one carrying the CSV is dispatched in the same task, as a real clipboard
  // would deliver it.
  await page.evaluate((text) => {
    const hold = (e) => {
      if (!e.isTrusted) return;
      e.stopImmediatePropagation();
      document.removeEventListener('paste', hold, true);
    };
    document.addEventListener('paste', hold, true);
    const onKey = (e) => {
      if (e.key !== 'v' || !e.ctrlKey) return;
      document.removeEventListener('keydown', onKey, true);
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }));
    };
    document.addEventListener('keydown', onKey, true);
  }, csv);
  await page.keyboard.press('Control+v');
  await frames(page, 3);
  await clickAt(page, await probeItem(page, 'server/enrol'));
  s = await until(page, (x) => !x.enrol.busy && x.enrol.ok && x.enrol.enrolled === kFileLeads, 'pasted CSV leads enrolled', 30000);
  assert.equal(s.enrol.summary, `Enrolled ${kFileLeads} leads`);
  assert.equal((await api('GET', `/v1/workflows/${wf}`)).json.enrolled_leads, kLeads);
  const keys = await api('GET', `/v1/workflows/${wf}/leads/variable-keys`);
  assert.deepEqual(keys.json.keys, ['first_name']);

  // Activate with the sandbox provider and watch the counts in the live view.
  s = await action(page, 'activate');
  assert.equal(s.error, '', s.error);
  await action(page, 'live', 'on');
  s = await until(page, (x) => x.polls >= 1, 'a live refresh');
  const terminalOf = (x) => (x.workflow && x.workflow.lead_counts
    ? (x.workflow.lead_counts.completed || 0) + (x.workflow.lead_counts.dropped || 0) + (x.workflow.lead_counts.failed || 0)
    : 0);
  s = await until(page, (x) => terminalOf(x) === kLeads, 'every lead terminal', 90000);
  // Per-node counts cover every lead (more than one page of the lead list) and every lead sits
  // on a terminal node; they equal the node-counts endpoint and are drawn on the canvas.
  const isTerminalNode = (id) => fixture.nodes.find((n) => n.id === id && ['CONVERTED', 'DROPPED'].includes(n.node_type));
  s = await until(page, (x) => x.counted_leads === kLeads &&
    Object.values(x.node_counts).reduce((a, b) => a + b, 0) === kLeads &&
    Object.entries(x.node_counts).every(([id, n]) => n === 0 || isTerminalNode(id)),
  'node counts on terminal nodes', 30000);
  const served = (await api('GET', `/v1/workflows/${wf}/node-counts`)).json;
  assert.equal(served.enrolled_leads, kLeads);
  assert.equal(served.not_started, 0);
  assert.deepEqual(s.node_counts, Object.fromEntries(served.data.map((n) => [n.node_id, n.total])));
  assert.equal(s.not_started, served.not_started);
  await frames(page, 3);
  s = await status(page);
  assert.equal(s.live_badges, served.data.filter((n) => n.total > 0).length);
  assert.ok(s.live_badges >= 2, JSON.stringify(served.data));

  // One lead's history as a path: it starts at the entry call.
  assert.ok(s.lead_ids.length >= 1);
  s = await action(page, 'history', s.lead_ids[0]);
  assert.ok(s.history.length >= 2, JSON.stringify(s.history));
  assert.equal(s.history[0].node_id, 'node_call1');
  await frames(page, 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('server mode: pause, resume, cancel, scenario and a short link that opens in a new page', async () => {
  const { page } = await openPage(base + '?fresh');
  await until(page, (x) => x.available, 'server mode detected', 20000);
  let s = await action(page, 'sign_in', key);
  assert.equal(s.signed_in, true);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('conditional_followup.json'));
  await page.evaluate((t) => window.leadflow.setScenario(t), readFixture('conditional_followup.scenario.json'));
  await action(page, 'create', 'E2E lifecycle');
  await page.waitForFunction(() => window.leadflow.server.status().pending === 0, null, { timeout: 60000 });
  s = await status(page);
  const wf = s.workflow_id;
  assert.match(wf, /^wf_/);

  // A changed scenario is stored on request.
  await page.evaluate(() => {
    const sc = window.leadflow.getScenario();
    sc.leads = 777;
    return window.leadflow.setScenario(sc);
  });
  await action(page, 'save_scenario');
  assert.equal(JSON.stringify((await api('GET', `/v1/workflows/${wf}/scenario`)).json).includes('777'), true);

  for (const [verb, want] of [['activate', 'active'], ['pause', 'paused'], ['resume', 'active'], ['cancel', 'cancelled']]) {
    s = await action(page, verb);
    assert.equal(s.error, '', `${verb}: ${s.error}`);
    s = await until(page, (x) => x.workflow && x.workflow.status === want, `status ${want}`, 20000);
    assert.equal((await api('GET', `/v1/workflows/${wf}`)).json.status, want);
  }
  // An impossible transition shows the server's message.
  s = await action(page, 'resume');
  assert.match(s.error, /Cannot resume/);

  // Short link: stored on the server, redirects to the app, which opens it.
  s = await action(page, 'short_link');
  assert.match(s.short_link, /\/s\/[0-9a-f]+$/);
  const path = new URL(s.short_link).pathname;
  const redirect = await api('GET', path);
  assert.equal(redirect.status, 302);
  assert.match(redirect.headers.get('location'), /^\/#s=1\./);
  const graph = await page.evaluate(() => window.leadflow.getGraph());
  const { page: other } = await openPage(s.short_link);
  await other.waitForFunction(() => window.leadflow.simulationStatus().finished_runs >= 1, null, { timeout: 60000 });
  assert.deepEqual(await other.evaluate(() => window.leadflow.getGraph()), graph);
  assert.equal((await other.evaluate(() => window.leadflow.getScenario())).leads, 777);
  await other.close();

  // "Copy link" on a graph whose link is long gives a short link when signed in to a server.
  const nodes = Array.from({ length: 60 }, (_, i) => ({
    id: `node_${i}`, node_type: i === 59 ? 'CONVERTED' : 'TIME', label: `Step number ${i} of a long drip`,
    position_x: (i % 10) * 260, position_y: Math.floor(i / 10) * 200,
    config: i === 59 ? {} : { duration_value: 1 + (i % 7), duration_unit: 'hours' },
  }));
  const edges = nodes.slice(0, -1).map((n, i) => ({ id: `edge_${i}`, from_node_id: n.id, to_node_id: `node_${i + 1}`, position: i }));
  await page.evaluate((g) => window.leadflow.loadGraph(g), { workflow: { title: 'Long drip' }, nodes, edges });
  await frames(page, 3);
  assert.ok((await page.evaluate(() => window.leadflow.shareUrl())).length > 2000, 'the plain link is long');
  const before = (await status(page)).short_link;
  let p = await page.evaluate(() => window.leadflow.probe());
  await clickAt(page, p.items['tab/simulation']);
  p = await page.evaluate(() => window.leadflow.probe());
  assert.ok(p.items['sim/copy_link'], 'Copy link button on screen');
  await clickAt(page, p.items['sim/copy_link']);
  s = await until(page, (x) => x.short_link && x.short_link !== before, 'a short link for the long graph', 20000);
  const long = await api('GET', new URL(s.short_link).pathname);
  assert.equal(long.status, 302);
  assert.ok(long.headers.get('location').length > 2000);
  await page.close();
});
