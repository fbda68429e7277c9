// tests/e2e/theme_scale.test.mjs — View → Theme and View → UI scale with the real mouse: the
// light theme and 125% apply at once, are kept per browser (localStorage) and come back after a
// reload, seen through the automation API (uiSettings()) and in the pixels of screenshots
// (build/test-logs/theme-*.png), the minimap's box included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  useStaticEditor, decodeInPage, openEditor, frames, probe, clickAt, until, repoRoot,
} from './harness.mjs';

const editor = useStaticEditor();

const logsDir = join(repoRoot, 'build', 'test-logs');
const settings = (page) => page.evaluate(() => window.leadflow.uiSettings());

// Takes a screenshot (saved as build/test-logs/<name>.png) and reads the colour of the pixels at
// `points` ([x, y] in CSS pixels) from it, decoded by the browser.
async function screenshotPixels(page, name, points) {
  mkdirSync(logsDir, { recursive: true });
  await decodeInPage(page, await page.screenshot({ path: join(logsDir, `${name}.png`) }));
  return page.evaluate((pts) => {
    const { width, data } = window.__shot;
    const at = ([x, y]) => (Math.floor(y) * width + Math.floor(x)) * 4;
    return pts.map((pt) => Array.from(data.slice(at(pt), at(pt) + 3)));
  }, points);
}

// Where the background shows: the bottom of the palette (left panel, below its content) and
// the canvas's top-left corner.
function backgroundPoints(p) {
  const [cx, cy] = p.canvas;
  return [[6, 790], [cx + 3, cy + 3]];
}

const brightness = ([r, g, b]) => (r + g + b) / 3;

// Nine points inside the minimap's box (the minimap draws the theme's fill with node dots and
// the view outline on it, so most of them show the fill).
function minimapPoints(p) {
  const [x, y, w, h] = p.items['canvas/minimap'];
  const out = [];
  for (const fx of [0.2, 0.5, 0.8]) for (const fy of [0.2, 0.5, 0.8]) out.push([x + w * fx, y + h * fy]);
  return out;
}
const mostly = (pixels, test) => pixels.filter(test).length >= 6;

// Opens the View menu's submenu `sub` by hovering it, then clicks its item `item`.
async function chooseFromView(page, sub, item) {
  let p = await probe(page);
  await clickAt(page, p.items['menu/view']);
  p = await until(page, (x) => x.items[`menu/view/${sub}`], `View menu open`, { read: probe, every: 1 });
  const r = p.items[`menu/view/${sub}`];
  await page.mouse.move(r[0] + r[2] / 2, r[1] + r[3] / 2);
  p = await until(page, (x) => x.items[`menu/view/${sub}/${item}`], `${sub} submenu open`, { read: probe, every: 1 });
  await clickAt(page, p.items[`menu/view/${sub}/${item}`]);
}

test('light theme and 125% UI scale apply, and persist across a reload', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  assert.deepEqual(await settings(page), { theme: 'dark', ui_scale: 100, applied_scale: 100 });
  let p = await probe(page);
  const paletteWidth = p.items['palette/VOICE_CALL'][2];
  const dark = await screenshotPixels(page, 'theme-dark-100', [...backgroundPoints(p), ...minimapPoints(p)]);
  for (const px of dark.slice(0, 2)) assert.ok(brightness(px) < 60, `dark background ${px}`);
  assert.ok(mostly(dark.slice(2), (px) => brightness(px) < 60), `dark minimap ${JSON.stringify(dark.slice(2))}`);

  await chooseFromView(page, 'theme', 'light');
  await until(page, (s) => s.theme === 'light', 'light theme chosen', { read: settings, every: 1 });
  await chooseFromView(page, 'scale', '125');
  await until(page, (s) => s.ui_scale === 125 && s.applied_scale === 125, '125% applied', { read: settings, every: 1 });
  await frames(page, 3);
  p = await probe(page);
  // Panels and their widgets grow with the scale (the palette is 190 CSS px wide at 100%).
  assert.ok(Math.abs(p.items['palette/VOICE_CALL'][2] - paletteWidth * 1.25) < 3,
    `palette button ${p.items['palette/VOICE_CALL'][2]} ≈ 1.25 × ${paletteWidth}`);
  const light = await screenshotPixels(page, 'theme-light-125', [...backgroundPoints(p), ...minimapPoints(p)]);
  for (const px of light.slice(0, 2)) assert.ok(brightness(px) > 200, `light background ${px}`);
  // The minimap's box follows the theme too.
  assert.ok(mostly(light.slice(2), (px) => brightness(px) > 200), `light minimap ${JSON.stringify(light.slice(2))}`);
  const stored = await page.evaluate(() => localStorage.getItem('leadflow.editor.settings.v1'));
  assert.deepEqual(JSON.parse(stored), { theme: 'light', ui_scale: 125 });

  // Next load: the same settings from the first frame on.
  await page.reload();
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  assert.deepEqual(await settings(page), { theme: 'light', ui_scale: 125, applied_scale: 125 });
  await frames(page, 3);
  p = await probe(page);
  assert.ok(Math.abs(p.items['palette/VOICE_CALL'][2] - paletteWidth * 1.25) < 3, 'scale after reload');
  const reloaded = await screenshotPixels(page, 'theme-light-125-reloaded', backgroundPoints(p));
  for (const px of reloaded) assert.ok(brightness(px) > 200, `light background after reload ${px}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('stored settings that are not valid fall back field by field; setUiSettings clamps', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  await page.evaluate(() => localStorage.setItem('leadflow.editor.settings.v1', '{"theme":"light","ui_scale":"huge"}'));
  await page.reload();
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  assert.deepEqual(await settings(page), { theme: 'light', ui_scale: 100, applied_scale: 100 });
  assert.deepEqual(await page.evaluate(() => window.leadflow.setUiSettings({ theme: 'dark', ui_scale: 900 })), { ok: true });
  await until(page, (s) => s.applied_scale === 200, '200% applied', { read: settings, every: 1 });
  assert.deepEqual(await settings(page), { theme: 'dark', ui_scale: 200, applied_scale: 200 });
  await page.evaluate(() => window.leadflow.setUiSettings({ theme: 'dark', ui_scale: 100 }));
  assert.deepEqual(errors, []);
  await page.close();
});
