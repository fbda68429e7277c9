// tests/e2e/phone_mix.test.mjs — the scenario's phone-number mix in the real page (headless
// Chromium): rows added, typed, removed and normalized with the mouse and keyboard in the
// Simulation tab; the core's messages shown inline; the simulation uses the mix (numbers in
// India held by the calling hours take longer than leads without a number, and the page's bytes
// equal the native leadflow-sim's); a share link carries the mix to a new page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  serveStatic, launchBrowser, openEditor, readFixture, frames, probe, clickAt, distDir, distExists, repoRoot,
  probeInTab,
} from './harness.mjs';

const nativeSim = resolve(repoRoot, process.env.LEADFLOW_NATIVE_SIM || 'build/native/tools/leadflow-sim');

let server;
let browser;
let tmp;

before(async () => {
  assert.ok(distExists(), `built web app not found in ${distDir} (run scripts/build wasm)`);
  assert.ok(existsSync(nativeSim), `native leadflow-sim not found at ${nativeSim} (run scripts/build native)`);
  server = await serveStatic(distDir);
  browser = await launchBrowser();
  tmp = mkdtempSync(join(tmpdir(), 'leadflow-phone-mix-e2e-'));
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// leadflow-sim's stdout for a graph and scenario.
function cli(graph, scenario) {
  const g = join(tmp, 'graph.json');
  const s = join(tmp, 'scenario.json');
  writeFileSync(g, JSON.stringify(graph));
  writeFileSync(s, JSON.stringify(scenario));
  return execFileSync(nativeSim, [g, '--scenario', s, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

// The lead-nurture workflow in New York with the calling hours on (08:00–21:00 local), and a
// scenario starting at 16:00 UTC: 11:00 in New York, 21:30 in India (calls there wait until
// 08:00 local, 10.5 hours later).
function nurtureWithCallingHours() {
  const graph = JSON.parse(readFixture('lead_nurture.json'));
  graph.workflow.settings.timezone = 'America/New_York';
  graph.workflow.settings.respect_lead_local_time = true;
  return graph;
}
const baseScenario = { seed: 11, leads: 2000, start_time: '2026-03-02T16:00:00.000Z', horizon_days: 30 };

const scenarioOf = (page) => page.evaluate(() => window.leadflow.getScenario());
const statusOf = (page) => page.evaluate(() => window.leadflow.simulationStatus());

const probeItem = (page, name) => probeInTab(page, 'simulation', name);

async function click(page, name) {
  await clickAt(page, await probeItem(page, name));
}

// Types into an ImGui field: click it, select everything, replace it a key per frame (as a
// person types; keys pressed twice within one frame can merge), press Enter.
async function typeInto(page, name, text) {
  await click(page, name);
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  for (const key of text) {
    await page.keyboard.type(key);
    await frames(page, 1);
  }
  await page.keyboard.press('Enter');
  await frames(page, 3);
}

// The scenario's error as the page shows it (the core's parser message), which must be the one
// the core gives setScenario for the same JSON; and whether it shows under the table.
async function shownError(page) {
  await frames(page, 2);
  const st = await statusOf(page);
  const viaApi = await page.evaluate(() => window.leadflow.setScenario(window.leadflow.getScenario()));
  assert.equal(viaApi.ok, st.scenario_error === '', JSON.stringify(viaApi));
  if (!viaApi.ok) assert.equal(st.scenario_error, viaApi.error);
  return { error: st.scenario_error, inline: (await probe(page)).items['sim/phone/error'] !== undefined };
}

const hours = (text) => JSON.parse(text).time_to_terminal_hours;

test('phone-number mix: edited in the Simulation tab, checked by the core, simulated, kept by a share link', async () => {
  const { page, errors } = await openEditor(browser.context, server.url);
  const graph = nurtureWithCallingHours();
  assert.deepEqual(await page.evaluate((g) => window.leadflow.loadGraph(g), graph), { ok: true });
  assert.deepEqual(await page.evaluate((s) => window.leadflow.setScenario(s), baseScenario), { ok: true });
  const noMix = await page.evaluate(() => window.leadflow.simulate());

  await clickAt(page, (await probe(page)).items['tab/simulation']);
  await click(page, 'sim/phone_numbers');
  assert.ok((await probe(page)).items['sim/phone/add'], 'the section opens');

  // Two rows: empty numbers are the core's first complaint, shown under the table.
  await click(page, 'sim/phone/add');
  await click(page, 'sim/phone/add');
  assert.deepEqual((await scenarioOf(page)).phone_numbers, [{ number: '', share: 0 }, { number: '', share: 0 }]);
  let shown = await shownError(page);
  assert.equal(shown.error, "scenario.phone_numbers[0].number: expected an E.164 number such as +14155550100, got ''");
  assert.ok(shown.inline);

  // A number without its '+': the core names the row and the value.
  await typeInto(page, 'sim/phone/0/number', '12125550100');
  shown = await shownError(page);
  assert.equal(shown.error, "scenario.phone_numbers[0].number: expected an E.164 number such as +14155550100, got '12125550100'");
  await typeInto(page, 'sim/phone/0/number', '+12125550100');
  await typeInto(page, 'sim/phone/1/number', '+919876543210');
  shown = await shownError(page);
  assert.equal(shown.error, 'scenario.phone_numbers: the shares sum to 0.0, not 1 (they are not normalized for you)');
  assert.ok(shown.inline);

  // Shares typed as weights (1 : 3) are out of range until normalized.
  await typeInto(page, 'sim/phone/0/share', '1');
  await typeInto(page, 'sim/phone/1/share', '3');
  shown = await shownError(page);
  assert.match(shown.error, /^scenario\.phone_numbers\[1\]\.share: /);
  await click(page, 'sim/phone/normalize');
  shown = await shownError(page);
  assert.equal(shown.error, '');
  assert.equal(shown.inline, false);
  const mix = [{ number: '+12125550100', share: 0.25 }, { number: '+919876543210', share: 0.75 }];
  assert.deepEqual((await scenarioOf(page)).phone_numbers, mix);

  // A third row, removed again with its x.
  await click(page, 'sim/phone/add');
  assert.equal((await scenarioOf(page)).phone_numbers.length, 3);
  await click(page, 'sim/phone/2/remove');
  assert.deepEqual((await scenarioOf(page)).phone_numbers, mix);

  // Run with the mouse: the mix is simulated, as leadflow-sim simulates it.
  const before = (await statusOf(page)).finished_runs;
  await click(page, 'sim/run');
  const withMix = await page.evaluate((n) => window.leadflow.waitForResults(n), before);
  const scenario = await scenarioOf(page);
  assert.deepEqual(scenario, { ...baseScenario, arrivals: { mode: 'all_at_start' }, phone_numbers: mix });
  assert.equal(withMix + '\n', cli(await page.evaluate(() => window.leadflow.getGraph()), scenario));
  assert.notEqual(withMix, noMix);
  // Three leads in four wait 10.5 hours for each call: the median lead takes longer.
  assert.ok(hours(withMix).p50 > hours(noMix).p50, `p50 ${hours(withMix).p50} h vs ${hours(noMix).p50} h`);

  // Every lead in India: later still than without numbers.
  const india = { ...baseScenario, phone_numbers: [{ number: '+919876543210', share: 1 }] };
  assert.deepEqual(await page.evaluate((s) => window.leadflow.setScenario(s), india), { ok: true });
  const allIndia = await page.evaluate(() => window.leadflow.simulate());
  assert.ok(hours(allIndia).p50 > hours(noMix).p50 + 10, `p50 ${hours(allIndia).p50} h vs ${hours(noMix).p50} h`);
  console.log(`# time to terminal p50 (hours): no numbers ${hours(noMix).p50}, 25% New York / 75% India ` +
    `${hours(withMix).p50}, all India ${hours(allIndia).p50}`);
  assert.deepEqual(await page.evaluate((s) => window.leadflow.setScenario(s), scenario), { ok: true });

  // A share link carries the mix: a new page shows it in the table and gets the same bytes.
  const url = await page.evaluate(() => window.leadflow.shareUrl());
  const other = await browser.context.newPage();
  await other.goto(url);
  await other.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  await other.waitForFunction(() => window.leadflow.simulationStatus().finished_runs >= 1, null, { timeout: 60000 });
  assert.deepEqual((await scenarioOf(other)).phone_numbers, mix);
  assert.equal(await other.evaluate(() => window.leadflow.results()), withMix);
  await clickAt(other, (await probe(other)).items['tab/simulation']);
  assert.ok(await probeItem(other, 'sim/phone/1/number'), 'the opened link shows the mix');
  await other.close();
  assert.deepEqual(errors, []);
  await page.close();
});
