// bench/pg_lock_sampler.mjs — how busy Leadflow's write lock is, for bench/scale.sh.
//
//   node bench/pg_lock_sampler.mjs NODE_DIR URI
//
// Every 20 ms until SIGTERM, asks PostgreSQL (at URI, with the `pg` client installed under
// NODE_DIR) whether the advisory lock that every Leadflow write transaction takes
// (server/store/pg_store.cpp) is held, and whether a server waits for it; on SIGTERM prints
//   samples=N held_pct=H waiting_pct=W
// A lock held much less than 100% of the time means the writers are not the limit.
import { createRequire } from "node:module";
import path from "node:path";

const [nodeDir, uri] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(nodeDir), "package.json"));
const pg = require("pg");

// pg_locks shows a bigint advisory key as its high (classid) and low (objid) 32 bits.
const kWriteLock = 7204319012n;
const db = new pg.Client({ connectionString: uri });
await db.connect();
let samples = 0, held = 0, waiting = 0, stopping = false;
process.on("SIGTERM", () => (stopping = true));
while (!stopping) {
    const r = await db.query(
        `SELECT count(*) FILTER (WHERE granted)::int AS held, count(*) FILTER (WHERE NOT granted)::int AS waiting
           FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 1`,
        [String(kWriteLock >> 32n), String(kWriteLock & 0xffffffffn)],
    );
    samples++;
    if (r.rows[0].held > 0) held++;
    if (r.rows[0].waiting > 0) waiting++;
    await new Promise((res) => setTimeout(res, 20));
}
await db.end();
const pct = (n) => (samples ? ((100 * n) / samples).toFixed(0) : "0");
console.log(`samples=${samples} held_pct=${pct(held)} waiting_pct=${pct(waiting)}`);
