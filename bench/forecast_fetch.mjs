// bench/forecast_fetch.mjs — what a browser pays for a forecast on top of the server, for
// bench/forecast.sh: node's fetch of POST /v1/workflows/{id}/forecast and the reply's text, then
// JSON.parse of that text, timed apart.
//
// Usage: node bench/forecast_fetch.mjs URL API_KEY BODY RUNS
// One unrecorded warm-up, then RUNS requests; prints one JSON line: {"bytes", "runs",
// "fetch_ms", "parse_ms"} (medians; fetch_ms includes the server's time).
const [url, key, body, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const median = (v) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
async function once() {
    const t0 = performance.now();
    const res = await fetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
    const t1 = performance.now();
    const reply = JSON.parse(text);
    const t2 = performance.now();
    if (typeof reply.running !== "number") throw new Error("the reply has no running count");
    return { bytes: Buffer.byteLength(text), fetch: t1 - t0, parse: t2 - t1 };
}
await once();
const r = [];
for (let i = 0; i < runs; ++i) r.push(await once());
console.log(JSON.stringify({
    bytes: r[0].bytes,
    runs,
    fetch_ms: median(r.map((x) => x.fetch)),
    parse_ms: median(r.map((x) => x.parse)),
}));
