// tests/e2e/results_export.test.mjs — exporting results with the real mouse in headless
// Chromium: Results → "Export results as JSON" downloads exactly the bytes the native
// `leadflow-sim --json` prints for the same workflow and scenario, and Compare → "Export
// comparison as CSV" downloads the comparison table with the numbers compare.status() holds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  useStaticEditor, openEditor, probe, clickAt, until, readFixture, repoRoot, fixturesDir,
} from './harness.mjs';

const nativeSim = resolve(repoRoot, process.env.LEADFLOW_NATIVE_SIM || 'build/native/tools/leadflow-sim');
const editor = useStaticEditor();

before(() => {
  assert.ok(existsSync(nativeSim), `native leadflow-sim not found at ${nativeSim} (run scripts/build native)`);
});

// Clicks the probed widget `name` and resolves to the bytes of the download it starts.
async function downloadBy(page, name) {
  const p = await until(page, (x) => x.items[name], `${name} on screen`, { read: probe, every: 1 });
  const downloading = page.waitForEvent('download', { timeout: 60000 });
  await clickAt(page, p.items[name]);
  const d = await downloading;
  return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
}

async function loadWorkflow(page, name) {
  assert.deepEqual(await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture(`${name}.json`)), { ok: true });
  assert.deepEqual(await page.evaluate((t) => window.leadflow.setScenario(t), readFixture(`${name}.scenario.json`)),
    { ok: true });
}

test('Export results as JSON downloads the bytes leadflow-sim --json prints', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  for (const name of ['lead_nurture', 'conditional_followup']) {
    await loadWorkflow(page, name);
    await page.evaluate(() => window.leadflow.runSimulation());
    await clickAt(page, (await probe(page)).items['tab/results']);
    const file = await downloadBy(page, 'results/export_json');
    assert.equal(file.name, 'leadflow-results.json');
    const cli = execFileSync(nativeSim, [
      join(fixturesDir, `${name}.json`), '--scenario', join(fixturesDir, `${name}.scenario.json`), '--json',
    ]);
    assert.ok(file.bytes.equals(cli), `${name}: ${file.bytes.length} bytes downloaded, leadflow-sim printed ${cli.length}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Export comparison as CSV downloads the comparison table', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await loadWorkflow(page, 'conditional_followup');
  assert.deepEqual(await page.evaluate(() => window.leadflow.compare.action('template', 'Lead nurture')), { ok: true });
  const st = await until(page, (s) => !s.pending && s.result, 'comparison finished',
    { read: (pg) => pg.evaluate(() => window.leadflow.compare.status()), timeout: 60000 });
  await clickAt(page, (await probe(page)).items['tab/compare']);
  const file = await downloadBy(page, 'compare/export_csv');
  assert.equal(file.name, 'leadflow-comparison.csv');
  const text = file.bytes.toString('utf8');
  assert.ok(text.endsWith('\r\n'));
  const rows = text.slice(0, -2).split('\r\n').map((l) => l.split(','));
  assert.deepEqual(rows[0], ['metric', 'unit', 'before', 'after', 'difference', 'ci95_low', 'ci95_high']);
  assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 2)),
    [['conversion', 'share'], ['calls_per_lead', 'calls'], ['time_to_terminal', 'hours']]);
  const metrics = [st.result.conversion, st.result.calls_per_lead, st.result.time_to_terminal_hours];
  metrics.forEach((m, i) => {
    const r = rows[i + 1];
    assert.deepEqual(r.slice(2, 5).map(Number), [m.before, m.after, m.delta], r[0]);
    assert.deepEqual(m.ci95 ? r.slice(5).map(Number) : r.slice(5), m.ci95 || ['', ''], r[0]);
  });
  assert.deepEqual(errors, []);
  await page.close();
});
