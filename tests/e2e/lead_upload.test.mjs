// tests/e2e/lead_upload.test.mjs — the Server tab's lead file upload against a real
// leadflow-server on 127.0.0.1: the picker offers CSV and Excel files; a workbook chosen in it
// (tests/fixtures/xlsx/leads.xlsx, a zip archive) goes out byte for byte with its name and
// content type, and its leads arrive on the server with their variables; a workbook the server cannot read
// shows the server's message word for word and enrols nothing; a CSV file still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  useServerEditor, openServerPage, serverStatus as status, serverAction as action, readFixture,
  clickAt, fixturesDir, until, probeInTab,
} from './harness.mjs';

const kXlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const xlsxFixture = (name) => readFileSync(join(fixturesDir, 'xlsx', name));

const env = useServerEditor({ timeScale: 1, tmpPrefix: 'leadflow-upload-e2e-' });

const probeItem = (page, name) => probeInTab(page, 'server', name);

// Records, in the page, the "file" of every multipart form the page hands to fetch: its name,
// content type and bytes (base64), as window.uploads (the request itself is sent unchanged).
async function recordUploads(page) {
  await page.evaluate(() => {
    const send = window.fetch;
    window.uploads = [];
    window.fetch = function (input, init) {
      const file = init && init.body instanceof FormData ? init.body.get('file') : null;
      if (file instanceof Blob) {
        const entry = { done: false };
        window.uploads.push(entry);
        file.arrayBuffer().then((buffer) => {
          const bytes = new Uint8Array(buffer);
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000) {
            binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          }
          Object.assign(entry, { name: file.name, type: file.type, base64: btoa(binary), done: true });
        });
      }
      return send.apply(this, arguments);
    };
  });
}

// Clicks "Upload CSV or Excel file..." with the mouse, answers the browser's file picker with
// `file` ({name, mimeType, buffer}) and resolves to {accept, sent}: the picker's accept list
// and the file the page uploaded ({name, type, bytes}) once the server has answered.
async function uploadThroughPicker(page, file) {
  const count = await page.evaluate(() => window.uploads.length);
  const chooser = page.waitForEvent('filechooser', { timeout: 60000 });
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' &&
    /\/leads$/.test(new URL(r.url()).pathname), { timeout: 60000 });
  await clickAt(page, await probeItem(page, 'server/enrol_file'));
  const picker = await chooser;
  const accept = await picker.element().getAttribute('accept');
  await picker.setFiles(file);
  await (await answered).finished();
  await page.waitForFunction((n) => window.uploads.length > n && window.uploads[n].done, count, { timeout: 60000 });
  const sent = await page.evaluate((n) => window.uploads[n], count);
  return { accept, sent: { name: sent.name, type: sent.type, bytes: Buffer.from(sent.base64, 'base64') } };
}

// What the server answers to `bytes` named `name` sent straight to the API (the page must show
// the same message).
async function apiRefusal(wf, bytes, name) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(`${env.backend.base}v1/workflows/${wf}/leads`, {
    method: 'POST', headers: { Authorization: `Bearer ${env.backend.key}` }, body: form,
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(typeof body.message, 'string', JSON.stringify(body));
  return body.message;
}

test('server mode: an .xlsx lead file uploads byte for byte; an unreadable one shows the server\'s message', async () => {
  const { page, errors } = await openServerPage(env.context, env.backend.base + '?fresh');
  await until(page, (x) => x.available, 'server mode detected', { timeout: 60000 });
  let s = await action(page, 'sign_in', env.backend.key);
  assert.equal(s.signed_in, true, s.error);
  await page.evaluate((t) => window.leadflow.loadGraph(t), readFixture('lead_nurture.json'));
  s = await action(page, 'create', 'E2E xlsx upload');
  s = await until(page, (x) => /^wf_/.test(x.workflow_id), 'the workflow created');
  const wf = s.workflow_id;
  await clickAt(page, (await page.evaluate(() => window.leadflow.probe())).items['tab/server']);

  // A workbook: the picker offers .csv, .xlsx and .xlsm; the form the page sends holds the
  // file's bytes unchanged, its name and the workbook content type (the browser's own type is
  // left empty here).
  await recordUploads(page);
  const workbook = xlsxFixture('leads.xlsx');
  const { accept, sent } = await uploadThroughPicker(page, { name: 'leads.xlsx', mimeType: '', buffer: workbook });
  assert.equal(accept, '.csv,.xlsx,.xlsm');
  assert.equal(sent.name, 'leads.xlsx');
  assert.equal(sent.type, kXlsxType);
  assert.ok(sent.bytes.equals(workbook), `the workbook goes out byte for byte (${sent.bytes.length} of ${workbook.length} bytes)`);
  s = await until(page, (x) => !x.enrol.busy && x.enrol.summary !== '', 'the workbook enrolled');
  assert.equal(s.enrol.ok, true, JSON.stringify(s.enrol));
  assert.equal(s.enrol.summary, 'Enrolled 3 leads');

  // The leads are on the server with the workbook's columns as variables (UTF-8 text and a cell
  // with a line break included: a workbook decoded as text on the way would not open at all).
  const leads = await env.backend.api('GET', `/v1/workflows/${wf}/leads`);
  assert.equal(leads.status, 200);
  const byPhone = Object.fromEntries(leads.json.data.map((l) => [l.phone_number, l]));
  assert.deepEqual(Object.keys(byPhone).sort(), ['+14155552671', '+14155552672', '+919876543210']);
  const zoe = await env.backend.api('GET', `/v1/workflows/${wf}/leads/${byPhone['+919876543210'].id}`);
  assert.equal(zoe.json.variables.name, 'Zoë');
  assert.equal(zoe.json.variables.city, 'two\r\nlines');
  assert.deepEqual((await env.backend.api('GET', `/v1/workflows/${wf}/leads/variable-keys`)).json.keys,
    ['city', 'name', 'signed_up', 'vip']);

  // Workbooks the server cannot read: its message shows as it words it; nothing is enrolled.
  const broken = [
    ['malformed.xlsx', xlsxFixture('malformed.xlsx')],
    ['cut.xlsx', workbook.subarray(0, 700)],  // a zip archive cut short
    ['notes.xlsm', Buffer.from('phone_number\n+14155550123\n')],  // text named as a workbook
  ];
  for (const [name, bytes] of broken) {
    const expected = await apiRefusal(wf, bytes, name);
    assert.match(expected, /^file is not a valid \.xlsx workbook: /, name);
    const { sent } = await uploadThroughPicker(page, { name, mimeType: '', buffer: bytes });
    assert.equal(sent.name, name);
    assert.ok(sent.bytes.equals(bytes), `${name}: the bytes as chosen`);
    s = await until(page, (x) => !x.enrol.busy && x.enrol.summary === `Nothing was enrolled: ${expected}`,
      `${name}: the server's message`);
    assert.equal(s.enrol.ok, false, name);
    assert.equal(s.enrol.summary, `Nothing was enrolled: ${expected}`, name);
    assert.deepEqual(s.enrol.lines, [], name);
    if (name === 'malformed.xlsx') {
      assert.equal(expected, 'file is not a valid .xlsx workbook: xl/worksheets/sheet1.xml line 2: mismatched tag');
    }
  }
  assert.equal((await env.backend.api('GET', `/v1/workflows/${wf}`)).json.enrolled_leads, 3);

  // A CSV file through the same picker still enrols as CSV.
  const csv = Buffer.from('phone_number,name\n+14155550188,Ada\n');
  const { sent: sentCsv } = await uploadThroughPicker(page, { name: 'more.csv', mimeType: '', buffer: csv });
  assert.equal(sentCsv.type, 'text/csv');
  s = await until(page, (x) => !x.enrol.busy && x.enrol.ok, 'the CSV file enrolled');
  assert.equal(s.enrol.summary, 'Enrolled 1 lead');
  assert.equal((await env.backend.api('GET', `/v1/workflows/${wf}`)).json.enrolled_leads, 4);
  assert.deepEqual(errors, []);
  await page.close();
});
