// tests/e2e/lead_table.test.mjs — the Server tab's operations on a running workflow against a
// real leadflow-server (127.0.0.1, temporary database, the sandbox call provider at a high time
// scale), driven with the mouse and keyboard: 130 leads paged by 25 in the lead table (every lead
// on exactly one page), a lead removed after a confirmation (the table and the detail show it
// removed), the workflow activated and run to the end, the table filtered by status and searched
// by phone number (a search the server refuses shows its message word for word), one lead opened
// (its path outlined on the canvas, one history entry per visit, its calls with outcome, duration
// and analysis as the API has them), and the call log filtered by status and paged, then
// started over when another workflow is opened. Saves
// screenshots of the lead table and of the lead detail to build/test-logs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  useServerEditor, openServerPage, serverAction as action, readFixture, frames, clickAt, until,
  probeInTab, probe, repoRoot, serverStatus,
} from './harness.mjs';

const kLeads = 130;
const kPerPage = 25;
const logsDir = join(repoRoot, 'build', 'test-logs');

const env = useServerEditor({ timeScale: 200000, tmpPrefix: 'leadflow-leads-e2e-' });

const api = (method, path, body) => env.backend.api(method, path, body);
const phone = (i) => `+1415555${2600 + i}`;
const click = async (page, name) => clickAt(page, await probeInTab(page, 'server', name));
const leadsUntil = async (page, predicate, what, timeout = 60000) =>
  (await until(page, (s) => s.pending === 0 && predicate(s.leads), what, { timeout })).leads;
const callsUntil = async (page, predicate, what) =>
  (await until(page, (s) => s.pending === 0 && predicate(s.calls), what)).calls;

// Replaces the text of the field probed as `name` by typing, as a person does.
async function typeInto(page, name, text) {
  await click(page, name);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
  await frames(page, 2);
}

// Opens the status menu probed as `name` and clicks `status` in it. The panel's content may
// still be settling (a shorter table moves the menu up), so a click that did not open the menu
// is made again.
async function pickStatus(page, name, status) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await click(page, name);
    for (let i = 0; i < 5; i++) {
      const item = (await probe(page)).items[`${name}/${status}`];
      if (item) {
        await clickAt(page, item);
        return;
      }
      await frames(page, 2);
    }
  }
  assert.fail(`${name}: ${status} not in the menu`);
}

// Clicks row `index` of the lead table until lead `id` is the one open (a click selects at
// once). The panel may still be settling after the table changed (a one-row table moves what is
// below it), so a click that selected nothing is made again; opening a row twice is harmless.
async function openLead(page, index, id) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await click(page, `leads/row/${index}`);
    for (let i = 0; i < 5; i++) {
      if ((await serverStatus(page)).leads.selected.id === id) return;
      await frames(page, 2);
    }
  }
  assert.fail(`lead ${id}: row ${index} did not open it`);
}

// Uploads `csv` as a lead file of workflow `wf` through the REST API.
async function upload(wf, csv) {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'leads.csv');
  const res = await fetch(`${env.backend.base}v1/workflows/${wf}/leads`, {
    method: 'POST', headers: { Authorization: `Bearer ${env.backend.key}` }, body: form,
  });
  assert.equal(res.status, 201, await res.text());
}

// Saves a screenshot of the page (the canvas and the Server tab as scrolled).
async function shot(page, name) {
  mkdirSync(logsDir, { recursive: true });
  await frames(page, 3);
  await page.screenshot({ path: join(logsDir, name) });
}

test('server mode: lead table paged, filtered and searched; a lead\'s path, history and calls; remove; call log', async () => {
  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  await until(page, (s) => s.available, 'server mode detected', { timeout: 60000 });
  let s = await action(page, 'sign_in', env.backend.key);
  assert.equal(s.signed_in, true, s.error);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('lead_nurture.json'));
  // The first call's answered calls carry an analysis ("interested").
  const scenario = JSON.parse(readFixture('lead_nurture.scenario.json'));
  scenario.nodes.node_call1.analysis = { interested: { type: 'bool', p_true: 0.5 } };
  await page.evaluate((t) => window.leadflow.setScenario(t), scenario);
  await action(page, 'create', 'E2E lead table');
  s = await until(page, (x) => x.pending === 0 && /^wf_/.test(x.workflow_id), 'the workflow created');
  const wf = s.workflow_id;
  await upload(wf, 'phone_number,first_name\n' +
    Array.from({ length: kLeads }, (_, i) => `${phone(i)},Lead ${i}`).join('\n') + '\n');
  await clickAt(page, (await probe(page)).items['tab/server']);
  await click(page, 'leads/refresh');

  // Page 1 of 6, then Next to the last page: every lead on exactly one page, in upload order.
  let l = await leadsUntil(page, (x) => x.total === kLeads, 'the first page of leads');
  assert.equal(l.range, `1–${kPerPage} of ${kLeads}`);
  assert.equal(l.total_pages, 6);
  assert.deepEqual(l.phones, Array.from({ length: kPerPage }, (_, i) => phone(i)));
  assert.ok(l.statuses.every((x) => x === 'pending'), JSON.stringify(l.statuses));
  await probeInTab(page, 'server', 'leads/range');
  await shot(page, 'lead-table.png');
  const seen = [...l.ids];
  for (let n = 2; n <= 6; n++) {
    await click(page, 'leads/next');
    l = await leadsUntil(page, (x) => x.page === n, `page ${n}`);
    seen.push(...l.ids);
  }
  assert.equal(l.range, `126–130 of ${kLeads}`);
  assert.equal(new Set(seen).size, kLeads);
  const all = await api('GET', `/v1/workflows/${wf}/leads?limit=100`);
  const all2 = await api('GET', `/v1/workflows/${wf}/leads?limit=100&page=2`);
  assert.deepEqual([...seen].sort(), [...all.json.data, ...all2.json.data].map((x) => x.id).sort());
  await click(page, 'leads/prev');
  l = await leadsUntil(page, (x) => x.page === 5, 'page 5');
  assert.equal(l.range, `101–125 of ${kLeads}`);

  // Remove the third lead of page 5 after the confirmation: the detail and the table show it
  // removed, and the server has it removed.
  const victim = l.ids[2];
  await openLead(page, 2, victim);
  l = await leadsUntil(page, (x) => x.selected.id === victim && x.selected.loaded, 'the lead opened');
  assert.equal(l.selected.phone_number, phone(102));
  assert.equal(l.selected.status, 'pending');
  await click(page, 'lead/remove');
  l = await leadsUntil(page, (x) => x.confirm_remove !== '', 'the question');
  assert.equal(l.confirm_remove,
    `Remove ${phone(102)} from the workflow? It stops where it is; its history and calls stay.`);
  await click(page, 'lead/remove_confirm');
  l = await leadsUntil(page, (x) => x.selected.status === 'removed' && x.statuses[2] === 'removed',
    'the lead shown removed');
  assert.equal(l.confirm_remove, '');
  assert.equal(l.page, 5);
  assert.equal((await api('GET', `/v1/workflows/${wf}/leads/${victim}`)).json.status, 'removed');
  // Removing it again: the server's refusal shows as it words it.
  const again = await api('DELETE', `/v1/workflows/${wf}/leads/${victim}`);
  assert.equal(again.status, 409);
  await click(page, 'lead/remove');
  await click(page, 'lead/remove_confirm');
  l = await leadsUntil(page, (x) => x.error !== '', 'the refusal');
  assert.equal(l.error, again.json.message);

  // Run the workflow to the end with the sandbox's calls.
  s = await action(page, 'activate');
  assert.equal(s.error, '', s.error);
  const ended = (w) => ['completed', 'dropped', 'failed', 'removed']
    .reduce((n, k) => n + ((w.lead_counts || {})[k] || 0), 0);
  const deadline = Date.now() + 90000;
  for (;;) {
    const w = (await api('GET', `/v1/workflows/${wf}`)).json;
    if (ended(w) === kLeads) break;
    assert.ok(Date.now() < deadline, `leads still running: ${JSON.stringify(w.lead_counts)}`);
    await frames(page, 10);
  }

  // Filter by status with the menu: the server's count, only that status.
  await pickStatus(page, 'leads/status', 'completed');
  const completed = (await api('GET', `/v1/workflows/${wf}/leads?status=completed`)).json.meta.total;
  assert.ok(completed > 0);
  l = await leadsUntil(page, (x) => x.status === 'completed', 'the completed leads');
  assert.equal(l.total, completed);
  assert.equal(l.page, 1);
  assert.ok(l.statuses.every((x) => x === 'completed'), JSON.stringify(l.statuses));
  await pickStatus(page, 'leads/status', 'removed');
  l = await leadsUntil(page, (x) => x.status === 'removed', 'the removed lead');
  assert.deepEqual(l.ids, [victim]);
  await pickStatus(page, 'leads/status', 'any');
  l = await leadsUntil(page, (x) => x.status === '' && x.total === kLeads, 'every lead again');

  // Search by phone number, typed with separators: the server filters.
  await typeInto(page, 'leads/phone', '+1 415 555-27');
  l = await leadsUntil(page, (x) => x.phone === '+1 415 555-27', 'the numbers from +1415555 27');
  assert.equal(l.total, 30);
  assert.equal(l.total_pages, 2);
  assert.deepEqual(l.phones, Array.from({ length: kPerPage }, (_, i) => phone(100 + i)));
  await click(page, 'leads/next');
  l = await leadsUntil(page, (x) => x.page === 2, 'page 2 of the search');
  assert.equal(l.range, '26–30 of 30');
  // A search the server refuses: its message word for word; the page shown stays.
  const refused = await api('GET', `/v1/workflows/${wf}/leads?phone=41x`);
  assert.equal(refused.status, 400);
  await typeInto(page, 'leads/phone', '41x');
  l = await leadsUntil(page, (x) => x.error !== '', 'the refusal');
  assert.equal(l.error, refused.json.message);
  // A lead whose call was answered (its call has an analysis), found by its whole number.
  const answered = (await api('GET', `/v1/calls?workflow_id=${wf}&status=completed&limit=100`)).json.data
    .find((x) => Object.keys(x.analysis).length > 0);
  assert.ok(answered, 'an answered call with an analysis');
  const lead = answered.lead_id;
  const number = (await api('GET', `/v1/workflows/${wf}/leads/${lead}`)).json.phone_number;
  await typeInto(page, 'leads/phone', number);
  l = await leadsUntil(page, (x) => x.phone === number && x.error === '', 'one number');
  assert.deepEqual(l.ids, [lead]);

  // Open it: its path on the canvas, one history entry per visit, its calls as the API has them.
  await openLead(page, 0, lead);
  const history = (await api('GET', `/v1/workflows/${wf}/leads/${lead}/history`)).json.history;
  const calls = (await api('GET', `/v1/calls?lead_id=${lead}&limit=100`)).json;
  assert.ok(calls.meta.total >= 1, JSON.stringify(calls));
  s = await until(page, (x) => x.pending === 0 && x.leads.selected.id === lead &&
    x.leads.selected.history.length === history.length &&
    x.leads.selected.calls.length === calls.meta.total, 'the lead detail');
  const detail = s.leads.selected;
  assert.equal(detail.phone_number, number);
  assert.deepEqual(detail.calls.find((c) => c.id === answered.id).analysis, answered.analysis);
  assert.deepEqual(detail.history.map((h) => [h.node_id, h.status, h.outcome]),
    history.map((h) => [h.node_id, h.status, h.outcome || '']));
  assert.equal(detail.history[0].node_id, 'node_call1');
  assert.deepEqual(detail.calls.map((c) => [c.id, c.status, c.outcome, c.duration_s, c.analysis]),
    calls.data.map((c) => [c.id, c.status, c.outcome || '', c.duration_s ?? -1, c.analysis]));
  assert.ok(detail.calls.every((c) => c.duration_s >= 0), JSON.stringify(detail.calls));
  await frames(page, 3);
  s = await until(page, (x) => x.path_nodes > 0, 'the path drawn');
  const visited = new Set(history.map((h) => h.node_id).filter((id) => id));
  assert.equal(s.path_nodes, visited.size);
  assert.equal(s.path_edges, history.filter((h) => h.edge_id).length);
  await probeInTab(page, 'server', 'lead/calls');
  await shot(page, 'lead-detail.png');

  // The call log: this workflow's calls, then only the unanswered ones, paged.
  await click(page, 'calls/open');
  const logged = (await api('GET', `/v1/calls?workflow_id=${wf}`)).json.meta.total;
  let c = await callsUntil(page, (x) => x.open && x.filter.workflow_id === wf && x.total > 0, 'the call log');
  assert.equal(c.total, logged);
  assert.equal(c.range, `1–${Math.min(kPerPage, logged)} of ${logged}`);
  await pickStatus(page, 'calls/status', 'no_answer');
  const unanswered = (await api('GET', `/v1/calls?workflow_id=${wf}&status=no_answer&limit=100`)).json;
  c = await callsUntil(page, (x) => x.filter.status === 'no_answer', 'the unanswered calls');
  assert.equal(c.total, unanswered.meta.total);
  assert.ok(c.statuses.every((x) => x === 'no_answer'), JSON.stringify(c.statuses));
  assert.deepEqual(c.ids, unanswered.data.slice(0, kPerPage).map((x) => x.id));
  if (c.total_pages > 1) {
    await click(page, 'calls/next');
    c = await callsUntil(page, (x) => x.page === 2, 'page 2 of the call log');
    assert.deepEqual(c.ids, unanswered.data.slice(kPerPage, 2 * kPerPage).map((x) => x.id));
  }
  // The selected lead's calls only.
  await click(page, 'calls/selected_lead');
  c = await callsUntil(page, (x) => x.filter.lead_id === lead, 'the lead\'s calls');
  const leadUnanswered = calls.data.filter((x) => x.status === 'no_answer').map((x) => x.id);
  assert.deepEqual(c.ids, leadUnanswered);

  // Another workflow opened: the call log starts over with its calls, the status and lead id
  // chosen for the first one cleared (they would hide the other workflow's calls).
  const other = (await api('POST', '/v1/workflows', { title: 'E2E call log reset' })).json;
  assert.match(other.id, /^wf_/, JSON.stringify(other));
  await action(page, 'open', other.id);
  c = await callsUntil(page, (x) => x.filter.workflow_id === other.id, 'the call log of the other workflow');
  assert.equal(c.open, true);
  assert.deepEqual(c.filter, { workflow_id: other.id, lead_id: '', status: '' });
  assert.deepEqual(c.inputs, { this_workflow: true, lead_id: '', status: '' });
  assert.equal(c.page, 1);
  assert.deepEqual(c.ids, []);  // the new workflow has placed no calls
  // Back to the first workflow: all of its calls again, unfiltered.
  await action(page, 'open', wf);
  c = await callsUntil(page, (x) => x.filter.workflow_id === wf, 'the call log of the first workflow again');
  assert.deepEqual(c.filter, { workflow_id: wf, lead_id: '', status: '' });
  assert.equal(c.total, logged);
  assert.deepEqual(errors, []);
  await page.close();
});
