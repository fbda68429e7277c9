// tests/e2e/calibration.test.mjs — calibration and drift in the editor against a real
// leadflow-server (docs/calibration.md). The server's sandbox draws calls from a "reality" in
// which the second call answers 3% instead of the planned 25% (--sandbox-scenario). After the
// leads have run: "Calibrate from live data" shows what the API's calibration says, node by
// node; "Apply fitted scenario" makes that scenario the editor's; with the live view on, the
// second call (and only a node the API flags) gets a drift badge on the canvas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  useServerEditor, openServerPage, serverStatus as status, serverAction as action, readFixture,
  frames, clickAt, until, probeInTab,
} from './harness.mjs';

const kLeads = 400;

// The plan (the fixture's scenario) with the second call's answers mostly gone, the 22 points
// spread over the other outcomes so that the answer rate stays the outcome furthest out (about
// 8 interval-widths against at most 4 for the others at ~280 calls) and names the drift.
const plan = JSON.parse(readFixture('lead_nurture.scenario.json'));
const reality = JSON.parse(JSON.stringify(plan));
reality.nodes.node_call2.outcomes = { COMPLETED: 0.03, NO_ANSWER: 0.57, BUSY: 0.17, VOICEMAIL: 0.16, FAILED: 0.07 };
const realityDir = mkdtempSync(join(tmpdir(), 'leadflow-reality-'));
const realityFile = join(realityDir, 'reality.json');
writeFileSync(realityFile, JSON.stringify(reality));
process.on('exit', () => rmSync(realityDir, { recursive: true, force: true }));

const env = useServerEditor({
  timeScale: 200000, tmpPrefix: 'leadflow-calibration-e2e-', extraArgs: ['--sandbox-scenario', realityFile],
});

test('calibrate from live data, apply the fitted scenario, and see the drift on the canvas', async () => {
  const { backend } = env;
  const { page, errors } = await openServerPage(env.context, backend.base + '?fresh');
  await until(page, (x) => x.available, 'server mode detected', { timeout: 60000 });
  let s = await action(page, 'sign_in', backend.key);
  assert.equal(s.signed_in, true, s.error);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('lead_nurture.json'));
  await page.evaluate((t) => window.leadflow.setScenario(t), JSON.stringify(plan));
  s = await action(page, 'create', 'E2E calibration');
  const wf = s.workflow_id;
  assert.match(wf, /^wf_/, s.error);
  s = await action(page, 'save_scenario');
  assert.equal(s.error, '');

  // Leads through the API, then activate from the page and wait until every lead has ended.
  const leads = [];
  for (let i = 0; i < kLeads; i++) leads.push({ phone_number: `+1415${String(3000000 + i).padStart(7, '0')}` });
  const enrolled = await backend.api('POST', `/v1/workflows/${wf}/leads`, { leads });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.json));
  s = await action(page, 'activate');
  assert.equal(s.error, '');
  const deadline = Date.now() + 120000;
  for (;;) {
    const w = (await backend.api('GET', `/v1/workflows/${wf}`)).json;
    const c = w.lead_counts;
    if (c.pending === 0 && c.active === 0) break;
    assert.ok(Date.now() < deadline, `leads still running: ${JSON.stringify(c)}`);
    await frames(page, 10);
  }

  // Calibrate with the button in the Server tab; the panel shows the API's numbers.
  const p = await page.evaluate(() => window.leadflow.probe());
  await clickAt(page, p.items['tab/server']);
  await frames(page, 3);
  await clickAt(page, await probeInTab(page, 'server', 'server/calibrate'));
  s = await until(page, (x) => x.calibration !== null && x.pending === 0, 'calibration shown');
  const api = (await backend.api('GET', `/v1/workflows/${wf}/calibration`)).json;
  assert.deepEqual(s.calibration.nodes.map((n) => n.node_id), Object.keys(api.nodes));
  for (const n of s.calibration.nodes) {
    const a = api.nodes[n.node_id];
    assert.equal(n.observed, a.calls, n.node_id);
    assert.equal(n.fitted, a.fitted, n.node_id);
    for (const sh of n.shares) {
      assert.equal(sh.count, a.outcomes[sh.label].count, `${n.node_id} ${sh.label}`);
      assert.equal(sh.fitted, a.outcomes[sh.label].share, `${n.node_id} ${sh.label}`);
      assert.equal(sh.current, plan.nodes[n.node_id].outcomes[sh.label], `${n.node_id} ${sh.label}`);
    }
  }
  const first = s.calibration.nodes.find((n) => n.node_id === 'node_call1');
  assert.equal(first.observed, kLeads);
  const second = s.calibration.nodes.find((n) => n.node_id === 'node_call2');
  assert.ok(second.shares[0].fitted < 0.15, `second call answers ${second.shares[0].fitted}`);

  // Apply: the editor's scenario becomes the fitted one.
  await clickAt(page, await probeInTab(page, 'server', 'server/apply_calibration'));
  await frames(page, 3);
  const scenario = await page.evaluate(() => window.leadflow.getScenario());
  assert.deepEqual(scenario, api.scenario);

  // The live view polls the drift: the second call is flagged, with a badge on the canvas.
  const drift = (await backend.api('GET', `/v1/workflows/${wf}/drift`)).json;
  assert.ok(drift.flagged.includes('node_call2'), JSON.stringify(drift));
  await action(page, 'live', 'on');
  s = await until(page, (x) => x.drift.length > 0 && x.drift_badges > 0, 'drift badges drawn');
  assert.deepEqual(s.drift.map((d) => d.node_id), drift.flagged);
  assert.match(s.drift.find((d) => d.node_id === 'node_call2').message, /^Second call: answer rate \d+% \(plan 25% ± \d+%\)$/);
  assert.equal(s.drift_badges, drift.flagged.length);
  await page.screenshot({ path: join(process.cwd(), 'build', 'test-logs', 'calibration-drift.png') }).catch(() => {});
  assert.deepEqual(errors, []);
});
