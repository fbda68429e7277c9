// bench/websim_bench.mjs — measurements for bench/websim.sh (see there): simulating 100,000 and
// 1,000,000 leads of the lead nurture workflow in the browser app, once in one go
// (window.leadflow.simulate()) and once split across frames as the Run button does it
// (window.leadflow.runSimulation()), with the frames drawn and the longest gap between them.
// Prints a table and one JSON line ("websim-bench-json: {…}").
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveStatic, launchBrowser, repoRoot, fixturesDir } from '../tests/e2e/harness.mjs';

const dist = resolve(repoRoot, process.argv[2] || 'build/wasm/web/dist');
const nativeSim = resolve(repoRoot, process.argv[3] || 'build/native/tools/leadflow-sim');
const leadCounts = (process.env.LEADFLOW_WEBSIM_LEADS || '100000,1000000').split(',').map(Number);
const graph = readFileSync(join(fixturesDir, 'lead_nurture.json'), 'utf8');
// The origin a share link's length is reported with: the address scripts/run serves on.
const linkOrigin = 'http://127.0.0.1:8080/';

const server = await serveStatic(dist);
const browser = await launchBrowser();
const rows = [];
const links = [];
try {
  for (const leads of leadCounts) {
    const scenario = { seed: 1, leads, horizon_days: 90 };
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(server.url + '?fresh');
    await page.waitForFunction(() => window.leadflow && window.leadflow.ready, null, { timeout: 60000 });
    await page.evaluate(([g, s]) => { window.leadflow.loadGraph(g); window.leadflow.setScenario(s); }, [graph, scenario]);
    await page.evaluate(() => window.leadflow.frames(5));
    const r = await page.evaluate(async () => {
      const lf = window.leadflow;
      // One go: the page is blocked for the whole run.
      const t0 = performance.now();
      const text = lf.simulate();
      const oneShot = performance.now() - t0;
      await lf.frames(3);
      // Across frames: the page keeps drawing.
      const gaps = [];
      const f0 = lf.frameStats().frames;
      const t1 = performance.now();
      let last = t1;
      let finished = false;
      const done = lf.runSimulation().then((t) => { finished = true; return t; });
      while (!finished) {
        await new Promise((res) => requestAnimationFrame(res));
        const now = performance.now();
        gaps.push(now - last);
        last = now;
      }
      const sliced = await done;
      const slicedMs = performance.now() - t1;
      const frames = lf.frameStats().frames - f0;
      gaps.sort((a, b) => a - b);
      return {
        one_shot_ms: oneShot, sliced_ms: slicedMs, frames, events: JSON.parse(text).events,
        max_gap_ms: gaps[gaps.length - 1], median_gap_ms: gaps[Math.floor(gaps.length / 2)],
        same: sliced === text,
      };
    });
    await page.close();
    // The native CLI on the same input, for reference (exact analysis included, as in the page).
    const t = process.hrtime.bigint();
    execFileSync(nativeSim, [join(fixturesDir, 'lead_nurture.json'), '--leads', String(leads), '--seed', '1', '--json'],
      { stdio: ['ignore', 'ignore', 'ignore'] });
    r.native_ms = Number(process.hrtime.bigint() - t) / 1e6;
    r.leads = leads;
    rows.push(r);
    console.error(`websim: ${leads} leads: ${JSON.stringify(r)}`);
  }
  // Share-link lengths of the reference workflows with their scenarios (goal < 1,500 characters).
  const page = await browser.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready, null, { timeout: 60000 });
  for (const name of ['lead_nurture', 'reengagement_drip', 'conditional_followup']) {
    const g = readFileSync(join(fixturesDir, `${name}.json`), 'utf8');
    const sc = readFileSync(join(fixturesDir, `${name}.scenario.json`), 'utf8');
    const url = await page.evaluate(([a, b]) => {
      window.leadflow.loadGraph(a);
      window.leadflow.setScenario(b);
      return window.leadflow.shareUrl();
    }, [g, sc]);
    const fragment = url.slice(url.indexOf('#') + 1);
    links.push({ name, fragment: fragment.length, json: g.length + sc.length,
      url_with: linkOrigin.length + 1 + fragment.length });
  }
  await page.close();
} finally {
  await browser.close();
  await server.close();
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log('| Leads | events | one go (simulate()) | leads/s | across frames (Run) | frames drawn | median / longest frame gap | native leadflow-sim (process) | same bytes |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|:---:|');
for (const r of rows) {
  console.log(`| ${fmt(r.leads)} | ${fmt(r.events)} | ${(r.one_shot_ms / 1000).toFixed(2)} s | ${fmt(r.leads / (r.one_shot_ms / 1000))} | ` +
    `${(r.sliced_ms / 1000).toFixed(2)} s | ${r.frames} | ${r.median_gap_ms.toFixed(0)} / ${r.max_gap_ms.toFixed(0)} ms | ` +
    `${(r.native_ms / 1000).toFixed(2)} s | ${r.same ? 'yes' : 'NO'} |`);
}
console.log('');
console.log(`| Share link (graph + scenario + view) | graph + scenario JSON | fragment \`s=1.…\` | URL on ${linkOrigin} |`);
console.log('|---|---:|---:|---:|');
for (const l of links) {
  console.log(`| ${l.name} | ${fmt(l.json)} chars | ${fmt(l.fragment)} chars | ${fmt(l.url_with)} chars |`);
}
console.log(`websim-bench-json: ${JSON.stringify({ rows, links })}`);
