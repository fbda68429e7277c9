// tests/e2e/harness.mjs — shared set-up for the browser tests: a tiny static server on
// 127.0.0.1 (ephemeral port) over the built web app, a real leadflow-server process, and
// headless Chromium via playwright-core.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const distDir = resolve(repoRoot, process.env.LEADFLOW_WEB_DIST || 'build/wasm/web/dist');
export const fixturesDir = join(repoRoot, 'tests', 'fixtures');
export const serverBin = resolve(repoRoot, process.env.LEADFLOW_SERVER_BIN || 'build/native/server/leadflow-server');

const kTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

// Serves `root` on 127.0.0.1:<ephemeral>. Resolves to {url, close()}. `types` overrides the
// Content-Type per extension (e.g. {'.wasm': 'application/octet-stream'}).
export function serveStatic(root, { types = {} } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': types[extname(file)] || kTypes[extname(file)] || 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      done({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// Launches headless Chromium with software WebGL2 (SwiftShader) and a fresh profile.
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'leadflow-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.LEADFLOW_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  // A loaded CI machine renders SwiftShader frames slowly: waits give up only after a minute
  // (a passing test never waits that long).
  context.setDefaultTimeout(60000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Opens the editor and waits for its first frame. Collects console errors and page errors.
export async function openEditor(context, url, { fresh = true } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(url + (fresh ? '?fresh' : ''));
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, {
    timeout: 60000,
  });
  return { page, errors };
}

export function readFixture(name) {
  return readFileSync(join(fixturesDir, name), 'utf8');
}

// Waits for `n` rendered frames of the editor.
export async function frames(page, n = 2) {
  await page.evaluate((k) => window.leadflow.frames(k), n);
}

// Screen positions (CSS pixels) from the editor's probe.
export async function probe(page) {
  return page.evaluate(() => window.leadflow.probe());
}

// A click as a person makes it: hover first, then press and release on later frames (ImGui
// acts on what the mouse hovered in an earlier frame). `fx` = where across the rect.
export async function clickAt(page, rect, fx = 0.5) {
  const x = rect[0] + rect[2] * fx;
  const y = rect[1] + rect[3] / 2;
  await page.mouse.move(x, y);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  await page.mouse.up();
  await frames(page, 2);
}

export function center(rect) {
  return { x: rect[0] + rect[2] / 2, y: rect[1] + rect[3] / 2 };
}

// The editor's server-mode state (window.leadflow.server.status()).
export function serverStatus(page) {
  return page.evaluate(() => window.leadflow.server.status());
}

// Runs the server-mode action `name` with `arg` through the page's automation, waits (20 s at
// most) until no request is pending and resolves to serverStatus(page).
export async function serverAction(page, name, arg = '') {
  const r = await page.evaluate(([n, a]) => window.leadflow.server.action(n, a), [name, arg]);
  assert.deepEqual(r, { ok: true }, name);
  await page.waitForFunction(() => window.leadflow.server.status().pending === 0, null, { timeout: 60000 });
  return serverStatus(page);
}

// Polls `read(page)` (by default serverStatus) every `every` frames until `predicate` holds on
// what it read, and resolves to that; fails after `timeout` ms naming `what` and the last read.
export async function until(page, predicate, what, { timeout = 60000, read = serverStatus, every = 3 } = {}) {
  const start = Date.now();
  for (;;) {
    const s = await read(page);
    if (predicate(s)) return s;
    if (Date.now() - start > timeout) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(s).slice(0, 800)}`);
    await frames(page, every);
  }
}

// A point of the canvas (CSS pixels, from probe(page)) at least `margin` away from every card
// and from the rectangles in `avoid`, clear of the canvas border and the minimap corner.
export function emptyCanvasSpot(p, { margin = 150, avoid = [] } = {}) {
  const [cx, cy, cw, ch] = p.canvas;
  const rects = [...Object.values(p.nodes).map((n) => n.rect), ...avoid];
  for (let y = cy + 60; y < cy + ch - 170; y += 20) {
    for (let x = cx + 40; x < cx + cw - 240; x += 20) {
      const clear = rects.every(([rx, ry, rw, rh]) =>
        x < rx - margin || x > rx + rw + margin || y < ry - margin || y > ry + rh + margin);
      if (clear) return [x, y];
    }
  }
  assert.fail('no empty spot on the canvas');
}

// The probe rectangle of widget `name` in the right panel's tab `tab` ("server", "simulation"),
// scrolling the tab with the mouse wheel until the widget shows whole below the tab bar.
export async function probeInTab(page, tab, name) {
  for (let i = 0; i < 30; i++) {
    const p = await probe(page);
    const r = p.items[name];
    const bar = p.items[`tab/${tab}`];
    if (r && r[1] >= bar[1] + bar[3] && r[1] + r[3] <= 800) return r;
    await page.mouse.move(bar[0] + 40, bar[1] + 200);
    await page.mouse.wheel(0, r && r[1] < bar[1] + bar[3] ? -150 : 150);
    await frames(page, 3);
  }
  assert.fail(`${name} not on screen`);
}

// Opens `url` in a new page of `context` and waits for the editor's first frame. Collects page
// errors only (a request the server refuses logs a console error, which is expected).
export async function openServerPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => window.leadflow && window.leadflow.ready === true, null, { timeout: 60000 });
  return { page, errors };
}

// Decodes the PNG `png` (a Buffer from page.screenshot) with a canvas in the page, as
// window.__shot = {width, height, data (RGBA)}, for a page.evaluate that reads it.
export async function decodeInPage(page, png) {
  await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    window.__shot = { width: c.width, height: c.height, data: ctx.getImageData(0, 0, c.width, c.height).data };
  }, png.toString('base64'));
}

export function distExists() {
  return existsSync(join(distDir, 'index.html')) && existsSync(join(distDir, 'leadflow-web.wasm'));
}

// For a test file on the static editor: its `before` hook serves the built web app (serveStatic)
// and launches the browser, its `after` hook closes both. Returns {url, context}, filled in
// before the file's tests run.
export function useStaticEditor() {
  const env = { url: '', context: null };
  let server;
  let browser;
  before(async () => {
    assert.ok(distExists(), `built web app not found in ${distDir} (run scripts/build wasm)`);
    server = await serveStatic(distDir);
    browser = await launchBrowser();
    env.url = server.url;
    env.context = browser.context;
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
  });
  return env;
}

// For a test file on a real server: its `before` hook starts one (startServer(options)) and
// launches the browser, its `after` hook closes both. Returns {backend (startServer's value),
// context}, filled in before the file's tests run.
export function useServerEditor(options) {
  const env = { backend: null, context: null };
  let browser;
  before(async () => {
    env.backend = await startServer(options);
    browser = await launchBrowser();
    env.context = browser.context;
  });
  after(async () => {
    if (browser) await browser.close();
    if (env.backend) env.backend.stop();
  });
  return env;
}

// Starts `leadflow-server serve` for a test file: a new temporary folder (name starting with
// `tmpPrefix`) holding a database with an API key of the organization "e2e", served on
// 127.0.0.1 at an ephemeral port with the built web app as its web root, the sandbox call
// provider at `timeScale`, no rate limit, and `extraArgs` after those flags. Fails when the web
// app or the server is not built, or when the server has not said where it listens within 20 s
// (then nothing is left behind).
// Resolves to {base (the URL, ending in '/'), key, tmp (the folder, for the test's own files),
// api(method, path, body) (the REST API with the key, redirects not followed; resolves to
// {status, json (null when not JSON), headers}), stop() (ends the server, removes the folder)}.
export async function startServer({ timeScale, tmpPrefix, extraArgs = [] }) {
  assert.ok(distExists(), `built web app not found in ${distDir} (run scripts/build wasm)`);
  assert.ok(existsSync(serverBin), `leadflow-server not found at ${serverBin} (run scripts/build native)`);
  const tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  let proc;
  const stop = () => {
    if (proc) {
      proc.removeAllListeners('exit');
      proc.kill('SIGTERM');
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const db = join(tmp, 'e2e.db');
    const out = execFileSync(serverBin, ['keys', 'create', '--db', db, '--org', 'e2e'], { encoding: 'utf8' });
    const key = out.trim().split('\n').pop().trim();
    assert.match(key, /^key_.+:.+/);
    const base = await new Promise((done, fail) => {
      proc = spawn(serverBin, ['serve', '--db', db, '--port', '0', '--host', '127.0.0.1',
        '--web-root', distDir, '--provider', 'sandbox', '--time-scale', String(timeScale), '--rate-limit', '0',
        ...extraArgs],
      { stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      const timer = setTimeout(() => fail(new Error(`server did not start: ${log}`)), 20000);
      const onData = (d) => {
        log += d;
        const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) {
          clearTimeout(timer);
          done(m[1] + '/');
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      proc.on('exit', (code) => fail(new Error(`server exited (${code}): ${log}`)));
    });
    const api = async (method, path, body) => {
      const res = await fetch(base + path.replace(/^\//, ''), {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        redirect: 'manual',
      });
      const text = await res.text();
      let json = null;
      try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
      return { status: res.status, json, headers: res.headers };
    };
    return { base, key, tmp, api, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
