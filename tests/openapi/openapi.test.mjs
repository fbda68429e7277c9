// The OpenAPI document against a maintained validator, and every exchange the API test suites
// recorded (LEADFLOW_OPENAPI_RECORD, see tests/server/server_test_util.cpp) against the document:
// each status must be documented for its route, each JSON reply must match the schema of its
// status (the plain or the DialNexa envelope variant, as the request asked), and each JSON body of
// a request that succeeded must match the route's request schema.
//
// Environment: LEADFLOW_SERVER_BINARY (the leadflow-server to ask for its document) and
// LEADFLOW_OPENAPI_RECORD (the folder of recorded exchanges, *.jsonl).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const binary = process.env.LEADFLOW_SERVER_BINARY;
const recordDir = process.env.LEADFLOW_OPENAPI_RECORD;
assert.ok(binary, "LEADFLOW_SERVER_BINARY must name the leadflow-server binary");
assert.ok(recordDir, "LEADFLOW_OPENAPI_RECORD must name the folder of recorded exchanges");

const doc = JSON.parse(execFileSync(binary, ["openapi"], { maxBuffer: 64 << 20 }).toString());

function loadExchanges() {
  const out = [];
  for (const name of readdirSync(recordDir).sort()) {
    if (!name.endsWith(".jsonl")) continue;
    const lines = readFileSync(join(recordDir, name), "utf8").split("\n");
    for (const line of lines) if (line.trim()) out.push(JSON.parse(line));
  }
  return out;
}

// One Ajv instance holding the document, so "#/components/schemas/X" refs resolve inside it.
function makeAjv() {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
  return ajv;
}

// The schema of a reply or request body, with "anyOf" variants titled plain/envelope resolved.
function pickVariant(schema, envelope) {
  if (schema && Array.isArray(schema.anyOf) && schema.anyOf.every((s) => s.title)) {
    const want = envelope ? "envelope" : "plain";
    const found = schema.anyOf.find((s) => s.title === want);
    assert.ok(found, `no ${want} variant`);
    const { title, ...rest } = found;
    return rest;
  }
  return schema;
}

const validators = new Map();
function validatorFor(ajv, schema) {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    // Relative refs resolve against the document registered as "openapi.json".
    const rebased = JSON.parse(key.replaceAll('"#/components/', '"openapi.json#/components/'));
    v = ajv.compile(rebased);
    validators.set(key, v);
  }
  return v;
}

function describe(x) {
  return `${x.method} ${x.route ?? x.path} → ${x.status}${x.envelope ? " (envelope)" : ""}`;
}

function errorsText(v) {
  return (v.errors || [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`)
    .join("; ");
}

test("the document is valid OpenAPI 3", async () => {
  const validator = new Validator();
  const res = await validator.validate(doc);
  assert.equal(res.valid, true, JSON.stringify(res.errors, null, 1)?.slice(0, 4000));
  assert.equal(validator.version, "3.0");
});

test("every component schema compiles", () => {
  const ajv = makeAjv();
  for (const name of Object.keys(doc.components.schemas)) {
    assert.doesNotThrow(() => validatorFor(ajv, { $ref: `#/components/schemas/${name}` }), name);
  }
});

test("every recorded exchange matches the document", (t) => {
  const ajv = makeAjv();
  const exchanges = loadExchanges();
  // The API suites send hundreds of requests; a handful means recording is broken.
  assert.ok(exchanges.length >= 500, `only ${exchanges.length} exchanges recorded`);
  const problems = [];
  const seen = new Set();
  let replies = 0;
  let requests = 0;
  for (const x of exchanges) {
    const method = x.method.toLowerCase();
    if (x.route === null) {
      // No route: 404 (or 405 for a known path under another method) with the error body.
      if (x.status !== 404 && x.status !== 405) problems.push(`${describe(x)}: unrouted`);
      continue;
    }
    const op = doc.paths[x.route]?.[method];
    if (!op) {
      problems.push(`${describe(x)}: ${method} ${x.route} is not in the document`);
      continue;
    }
    seen.add(`${method} ${x.route} ${x.status}`);
    const response = op.responses[String(x.status)];
    if (!response) {
      problems.push(`${describe(x)}: status ${x.status} is not documented for ${x.route}`);
      continue;
    }
    const contentType = (x.content_type || "").split(";")[0].trim();
    const media = response.content?.[contentType] ?? response.content?.["*/*"];
    if (response.content && !media) {
      problems.push(`${describe(x)}: content type ${contentType} is not documented`);
      continue;
    }
    if (media && contentType === "application/json") {
      let body;
      try {
        body = JSON.parse(x.body);
      } catch (e) {
        problems.push(`${describe(x)}: reply is not JSON`);
        continue;
      }
      const v = validatorFor(ajv, pickVariant(media.schema, x.envelope));
      if (!v(body)) problems.push(`${describe(x)}: reply ${errorsText(v)}`);
      replies++;
    }
    const ok = x.status >= 200 && x.status < 300;
    const requestMedia = op.requestBody?.content?.["application/json"];
    if (ok && requestMedia && x.request_content_type === "application/json" && x.request) {
      const v = validatorFor(ajv, requestMedia.schema);
      if (!v(JSON.parse(x.request))) problems.push(`${describe(x)}: request ${errorsText(v)}`);
      requests++;
    }
  }
  // The same problem on many exchanges is listed once, with its count and one request path.
  const distinct = new Map();
  for (const p of problems) distinct.set(p, (distinct.get(p) ?? 0) + 1);
  const listed = [...distinct].slice(0, 40).map(([p, n]) => (n > 1 ? `${p} (×${n})` : p));
  assert.deepEqual(listed, [], `${problems.length} problems`);
  t.diagnostic(`${exchanges.length} exchanges: ${replies} JSON replies and ${requests} request bodies checked`);
  assert.ok(replies >= 400, `only ${replies} replies checked`);
  assert.ok(requests >= 100, `only ${requests} request bodies checked`);
  // Every operation's success reply was seen and checked at least once.
  const unseen = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const success = Object.keys(op.responses).find((s) => s.startsWith("2") || s === "302");
      if (!seen.has(`${method} ${path} ${success}`)) unseen.push(`${method} ${path} ${success}`);
    }
  }
  assert.deepEqual(unseen, [], "operations whose success reply no API suite received");
});
