// tests/e2e/workflow_list.test.mjs — the Server tab's workflow list against a real
// leadflow-server (127.0.0.1, temporary database) with 130 workflows made through the REST API:
// pages of 20 with "121–130 of 130", Next and Previous clicked with the mouse, every workflow on
// exactly one page; a title search typed with the keyboard that the server filters (any case,
// characters a URL must escape), and the found workflow opened with a click.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerEditor, openServerPage, serverAction as action, frames, clickAt, until, probeInTab,
  probe,
} from './harness.mjs';

const kWorkflows = 130;
const kPerPage = 20;

const env = useServerEditor({ timeScale: 1, tmpPrefix: 'leadflow-list-e2e-' });

const api = (method, path, body) => env.backend.api(method, path, body);
const title = (i) => `Bulk ${String(i).padStart(3, '0')}`;
const list = (page) => page.evaluate(() => window.leadflow.server.status().list);
const listUntil = async (page, predicate, what) =>
  (await until(page, (s) => s.pending === 0 && predicate(s.list), what)).list;
const click = async (page, name) => clickAt(page, await probeInTab(page, 'server', name));

// Replaces the search box's text by typing, as a person does.
async function typeSearch(page, text) {
  await click(page, 'server/search');
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await frames(page, 2);
}

test('workflow list: 130 workflows paged by 20, previous/next, search by title, open a match', async () => {
  const created = [];
  for (let i = 1; i <= kWorkflows; i++) {
    const r = await api('POST', '/v1/workflows', { title: title(i) });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    created.push(r.json.id);
  }
  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  await until(page, (s) => s.available, 'server mode detected', { timeout: 60000 });
  const s = await action(page, 'sign_in', env.backend.key);
  assert.equal(s.signed_in, true, s.error);
  await clickAt(page, (await probe(page)).items['tab/server']);

  // Page 1: the 20 most recently changed (the newest first).
  let l = await listUntil(page, (x) => x.total === kWorkflows, 'the first page');
  assert.equal(l.range, `1–20 of ${kWorkflows}`);
  assert.equal(l.total_pages, 7);
  assert.deepEqual(l.titles, Array.from({ length: kPerPage }, (_, k) => title(kWorkflows - k)));

  // Next to the last page: every workflow shows on exactly one page.
  const seen = [...l.ids];
  for (let n = 2; n <= 7; n++) {
    await click(page, 'server/list_next');
    l = await listUntil(page, (x) => x.page === n, `page ${n}`);
    seen.push(...l.ids);
  }
  assert.equal(l.range, `121–130 of ${kWorkflows}`);
  assert.deepEqual(l.titles, Array.from({ length: 10 }, (_, k) => title(10 - k)));
  assert.deepEqual([...seen].sort(), [...created].sort());
  // Next is disabled on the last page: a click sends nothing and the page stays.
  await click(page, 'server/list_next');
  await frames(page, 6);
  l = await list(page);
  assert.equal(l.page, 7);
  assert.equal((await page.evaluate(() => window.leadflow.server.status().pending)), 0);

  await click(page, 'server/list_prev');
  l = await listUntil(page, (x) => x.page === 6, 'page 6');
  assert.equal(l.range, `101–120 of ${kWorkflows}`);
  assert.equal(l.titles[0], title(30));

  // Search: typed in any case, filtered by the server (the total is the server's count).
  await typeSearch(page, 'bulk 077');
  l = await listUntil(page, (x) => x.search === 'bulk 077', 'the search result');
  assert.deepEqual(l.titles, [title(77)]);
  assert.equal(l.total, 1);
  assert.equal(l.range, '1–1 of 1');
  await click(page, `server/workflow/${created[76]}`);
  const opened = await until(page, (x) => x.pending === 0 && x.workflow_id === created[76], 'the match opened');
  assert.equal(opened.error, '');

  await typeSearch(page, 'Bulk 07');
  l = await listUntil(page, (x) => x.search === 'Bulk 07', 'ten matches');
  assert.equal(l.total, 10);
  assert.deepEqual([...l.titles].sort(), Array.from({ length: 10 }, (_, k) => title(70 + k)));

  // Characters a URL must escape reach the server as typed.
  const odd = await api('POST', '/v1/workflows', { title: 'Q3 & 50% #1 + more' });
  assert.equal(odd.status, 201);
  await typeSearch(page, '50% #1 +');
  l = await listUntil(page, (x) => x.search === '50% #1 +', 'the escaped search');
  assert.deepEqual(l.ids, [odd.json.id]);

  await typeSearch(page, 'nothing like this');
  l = await listUntil(page, (x) => x.search === 'nothing like this', 'no match');
  assert.equal(l.total, 0);
  assert.equal(l.range, 'No workflow title contains “nothing like this”');

  // Clearing the search lists everything again, from page 1.
  await typeSearch(page, '');
  l = await listUntil(page, (x) => x.search === '' && x.total === kWorkflows + 1, 'the whole list');
  assert.equal(l.page, 1);
  assert.equal(l.range, `1–20 of ${kWorkflows + 1}`);
  assert.deepEqual(errors, []);
});
