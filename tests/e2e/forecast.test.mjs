// tests/e2e/forecast.test.mjs — the forecast in the editor against a real leadflow-server
// (docs/calibration.md#forecast, docs/editor.md). Leads wait two days between calls; with every
// lead waiting at the first wait the workflow is paused, so that nothing moves while "Forecast"
// in the Server tab and the API forecast the same leads: the editor shows the API's counts.
// Then the live view is turned on and the workflow resumed: the chart places the actual
// completed leads, in days since the forecast, until every lead has ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  useServerEditor, openServerPage, serverAction as action, readFixture,
  frames, until, clickAt,
} from './harness.mjs';

const kLeads = 200;
const env = useServerEditor({ timeScale: 10000, tmpPrefix: 'leadflow-forecast-e2e-' });

// Polls the API until `predicate(node-counts reply)` holds (two minutes at most).
async function untilCounts(page, wf, predicate, what) {
  const deadline = Date.now() + 120000;
  for (;;) {
    const c = (await env.backend.api('GET', `/v1/workflows/${wf}/node-counts`)).json;
    if (predicate(c)) return c;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}: ${JSON.stringify(c.lead_counts)}`);
    await frames(page, 5);
  }
}

const activeAt = (c, node) => (c.data.find((n) => n.node_id === node)?.by_status.active ?? 0);

test('forecast the running leads, then watch the actual completed leads against the band', async () => {
  const { backend } = env;
  const { page, errors } = await openServerPage(env.context, backend.base + '?fresh');
  await until(page, (x) => x.available, 'server mode detected');
  let s = await action(page, 'sign_in', backend.key);
  assert.equal(s.signed_in, true, s.error);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('lead_nurture.json'));
  await page.evaluate((t) => window.leadflow.setScenario(t), readFixture('lead_nurture.scenario.json'));
  s = await action(page, 'create', 'E2E forecast');
  const wf = s.workflow_id;
  assert.match(wf, /^wf_/, s.error);
  s = await action(page, 'save_scenario');
  assert.equal(s.error, '');

  const leads = [];
  for (let i = 0; i < kLeads; i++) leads.push({ phone_number: `+1415${String(4000000 + i).padStart(7, '0')}` });
  const enrolled = await backend.api('POST', `/v1/workflows/${wf}/leads`, { leads });
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.json));
  s = await action(page, 'activate');
  assert.equal(s.error, '');
  // Every lead has had its first call: each active one waits at the first wait (two days, about
  // 17 s here). Pause, and check that nobody moved on in the meantime.
  const waiting = (c) => c.not_started === 0 && c.lead_counts.active > 0 &&
    activeAt(c, 'node_wait1') === c.lead_counts.active;
  await untilCounts(page, wf, waiting, 'every active lead at the first wait');
  s = await action(page, 'pause');
  assert.equal(s.error, '');
  const paused = await untilCounts(page, wf, () => true, 'counts');
  assert.ok(waiting(paused), JSON.stringify(paused.data));

  // The Server tab's forecast and the API's, on the stored scenario and its seed.
  s = await action(page, 'forecast', 'stored');
  s = await until(page, (x) => x.forecast !== null && x.pending === 0, 'forecast shown');
  assert.equal(s.error, '');
  const api = (await backend.api('POST', `/v1/workflows/${wf}/forecast`, { scenario: 'stored' })).json;
  const f = s.forecast;
  assert.equal(f.workflow_id, wf);
  assert.equal(f.source, 'stored');
  assert.equal(f.running, paused.lead_counts.active);
  assert.equal(f.running, api.running);
  assert.equal(f.ended_before.completed, paused.lead_counts.completed);
  for (const k of ['completed', 'dropped', 'failed', 'unfinished']) {
    assert.equal(f.final[k].expected, api.final[k].expected, k);
  }
  assert.ok(f.by_day > 0);
  assert.ok(f.node_badges > 0, 'forecast badges on the canvas');

  // Live view on, resume: the chart places the actual completed leads until all have ended.
  await action(page, 'live', 'on');
  s = await action(page, 'resume');
  assert.equal(s.error, '');
  const done = await untilCounts(page, wf, (c) => c.lead_counts.active === 0 && c.lead_counts.pending === 0,
    'every lead ended');
  const since = done.lead_counts.completed - f.ended_before.completed;
  s = await until(page, (x) => x.forecast && x.forecast.actual.some((p) => p.y === since),
    'the final count on the chart');
  const points = s.forecast.actual;
  assert.ok(points.length >= 2, JSON.stringify(points));
  assert.equal(s.forecast.timed, true);
  for (let i = 1; i < points.length; i++) {
    assert.ok(points[i].x >= points[i - 1].x, 'points in time order');
    assert.ok(points[i].y >= points[i - 1].y, 'completed leads never decrease');
  }
  assert.ok(points[points.length - 1].x > 0);
  assert.ok(s.forecast.inside <= points.length);
  // The chart is in the Server tab.
  const p = await page.evaluate(() => window.leadflow.probe());
  await clickAt(page, p.items['tab/server']);
  await frames(page, 3);
  await page.screenshot({ path: join(process.cwd(), 'build', 'test-logs', 'forecast-chart.png') }).catch(() => {});
  assert.deepEqual(errors, []);
});
