// tests/e2e/notes_server.test.mjs — sticky notes saved to a real leadflow-server (127.0.0.1,
// temporary database): a note added with the keyboard is saved by the Server tab's Save graph
// button as the workflow's "notes" (read back through the REST API), and a new page that opens
// the workflow shows it again. Editing and deleting notes then reach the server the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerEditor, openServerPage, serverAction as action, readFixture, clickAt, until, probeInTab,
  probe, frames, emptyCanvasSpot,
} from './harness.mjs';

const env = useServerEditor({ timeScale: 1, tmpPrefix: 'leadflow-notes-e2e-' });
const api = (method, path, body) => env.backend.api(method, path, body);
const byProbe = { read: probe, every: 1 };

async function signedInPage(workflowId) {
  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  await until(page, (s) => s.available, 'server mode detected', { timeout: 60000 });
  const s = await action(page, 'sign_in', env.backend.key);
  assert.equal(s.signed_in, true, s.error);
  await action(page, 'open', workflowId);
  await until(page, (x) => x.workflow_id === workflowId && x.pending === 0, 'the workflow opened');
  await frames(page, 3);
  return { page, errors };
}

test('a note typed on the canvas is saved to the server and opens again from it', async () => {
  const made = await api('POST', '/v1/workflows', { title: 'Noted' });
  assert.equal(made.status, 201);
  const id = made.json.id;
  const fixture = JSON.parse(readFixture('lead_nurture.json'));
  const put = await api('PUT', `/v1/workflows/${id}/graph`, { nodes: fixture.nodes, edges: fixture.edges });
  assert.equal(put.status, 200, JSON.stringify(put.json));

  const { page, errors } = await signedInPage(id);
  // N adds the note under the mouse, away from the cards.
  await page.evaluate(() => window.leadflow.setZoom(0.5));
  await frames(page, 2);
  let p = await probe(page);
  const [x, y] = emptyCanvasSpot(p, { margin: 100 });
  await page.mouse.move(x, y);
  await frames(page, 2);
  await page.keyboard.press('n');
  p = await until(page, (x) => x.note_edit.id !== '' && x.note_edit.input_active, 'the note takes the keyboard', byProbe);
  const noteId = p.note_edit.id;
  await page.keyboard.type('Saved on the server');
  await page.keyboard.press('Enter');
  await until(page, (x) => x.note_edit.id === '', 'text kept', byProbe);

  await clickAt(page, p.items['tab/server']);
  await clickAt(page, await probeInTab(page, 'server', 'server/save'));
  await until(page, (s) => s.pending === 0 && s.info === 'Saved', 'saved');
  const stored = await api('GET', `/v1/workflows/${id}/graph`);
  assert.equal(stored.status, 200);
  assert.equal(stored.json.workflow.notes.length, 1);
  assert.equal(stored.json.workflow.notes[0].id, noteId);
  assert.equal(stored.json.workflow.notes[0].text, 'Saved on the server');
  assert.equal(stored.json.nodes.length, fixture.nodes.length, 'the graph is saved as before');
  const local = (await page.evaluate(() => window.leadflow.getGraph())).workflow.notes;
  assert.deepEqual(stored.json.workflow.notes, local);
  assert.deepEqual(errors, []);
  await page.close();

  // A new page opening the workflow shows the note.
  const again = await signedInPage(id);
  assert.deepEqual((await again.page.evaluate(() => window.leadflow.getGraph())).workflow.notes, local);
  p = await until(again.page, (x) => x.notes[noteId], 'the note is drawn', byProbe);
  assert.equal(p.notes[noteId].text, 'Saved on the server');

  // Deleting it and saving removes it on the server too.
  await clickAt(again.page, p.notes[noteId].rect);
  await until(again.page, (x) => x.selected_notes.includes(noteId), 'selected', byProbe);
  await again.page.keyboard.press('Delete');
  await until(again.page, (x) => !x.notes[noteId], 'deleted', byProbe);
  await action(again.page, 'save');
  const after = await api('GET', `/v1/workflows/${id}/graph`);
  assert.equal(after.json.workflow.notes, undefined);
  assert.deepEqual(again.errors, []);
  await again.page.close();
});
