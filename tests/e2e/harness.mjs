// tests/e2e/harness.mjs — shared set-up for the browser tests: a tiny static server on
// 127.0.0.1 (ephemeral port) over the built web app, and headless Chromium via playwright-core.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, extname, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const distDir = resolve(repoRoot, process.env.LEADFLOW_WEB_DIST || 'build/wasm/web/dist');
export const fixturesDir = join(repoRoot, 'tests', 'fixtures');

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

export function distExists() {
  return existsSync(join(distDir, 'index.html')) && existsSync(join(distDir, 'leadflow-web.wasm'));
}
