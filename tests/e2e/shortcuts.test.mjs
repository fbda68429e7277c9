// tests/e2e/shortcuts.test.mjs — Help → Keyboard shortcuts, opened with the real mouse, lists the
// shortcut table the key handling reads (web/app/shortcuts.hpp), Ctrl+F among them, each chord
// once; and a listed key does what its row says. Saves a screenshot to build/test-logs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  useStaticEditor, openEditor, frames, probe, clickAt, until, repoRoot,
} from './harness.mjs';

const editor = useStaticEditor();

const inside = (r, outer) =>
  r[0] >= outer[0] && r[1] >= outer[1] && r[0] + r[2] <= outer[0] + outer[2] + 1 && r[1] + r[3] <= outer[1] + outer[3] + 1;

test('Help → Keyboard shortcuts lists Ctrl+F and the other shortcuts, each once', async () => {
  const { page, errors } = await openEditor(editor.context, editor.url);
  let p = await probe(page);
  assert.equal(p.items['shortcuts/window'], undefined, 'closed at first');
  await clickAt(page, p.items['menu/help']);
  p = await until(page, (x) => x.items['menu/help/shortcuts'], 'Help menu open', { read: probe, every: 1 });
  await clickAt(page, p.items['menu/help/shortcuts']);
  p = await until(page, (x) => x.items['shortcuts/window'] && x.items['shortcuts/Ctrl+F'],
    'Keyboard shortcuts window listing Ctrl+F', { read: probe, every: 1 });

  const rows = Object.keys(p.items).filter((k) => k.startsWith('shortcuts/') && k !== 'shortcuts/window')
    .map((k) => k.slice('shortcuts/'.length));
  for (const keys of ['Ctrl+F', 'Ctrl+Z', 'Ctrl+Shift+Z', 'Ctrl+C', 'Ctrl+V', 'Del', 'F', 'L', 'M', '0', '1', '6',
    'N', 'Enter', 'Shift+Left', 'Shift+X', 'Shift+H', 'Shift+V']) {
    assert.ok(rows.includes(keys), `${keys} listed (rows: ${rows.join(', ')})`);
  }
  // Rows are drawn top to bottom, one per chord.
  const tops = rows.map((k) => p.items[`shortcuts/${k}`][1]);
  assert.equal(new Set(tops).size, rows.length, 'one row per chord');
  assert.ok(inside(p.items['shortcuts/Ctrl+F'], p.items['shortcuts/window']), 'Ctrl+F shows inside the window');
  mkdirSync(join(repoRoot, 'build', 'test-logs'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'build', 'test-logs', 'keyboard-shortcuts.png') });

  // The row's key does what the row says: Ctrl+F opens Find node (the canvas has the keyboard
  // once it is clicked).
  const c = p.canvas;
  await clickAt(page, [c[0] + 4, c[1] + c[3] - 12, 8, 8]);
  await page.keyboard.press('Control+f');
  await until(page, (x) => x.find.open, 'Ctrl+F opened Find node', { read: probe, every: 1 });
  assert.deepEqual(errors, []);
  await page.close();
});
