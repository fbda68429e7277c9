// bench/scale_graphile.mjs — the peer of `scripts/bench scale`: graphile-worker running chains of
// small jobs on PostgreSQL, in 1 or more worker processes.
//
//   node bench/scale_graphile.mjs NODE_DIR URI CHAINS STEPS WORKERS CONCURRENCY
//
// NODE_DIR is the folder graphile-worker was installed into (npm --prefix); URI a PostgreSQL
// database of its own (the run creates its tables there and expects no others). CHAINS "leads"
// each go through STEPS jobs: a job is one transaction that adds one to its lead's step count,
// appends one history row and, unless it was the last step, adds the lead's next job, the way a
// Leadflow step commits the lead's state, its history and its next due time together. The job
// itself is fetched and marked complete by graphile-worker in its own statements, as it always is.
// WORKERS processes each run graphile-worker with CONCURRENCY jobs at once; they start (and
// connect) before the clock starts. The clock runs from the statement that adds the CHAINS first
// jobs to the commit of the last step (both read from PostgreSQL's clock). Prints one line:
//   jobs=N secs=S jobs_per_s=R chains_per_s=C
// With the arguments `worker NODE_DIR URI STEPS CONCURRENCY` it is one worker process (internal).
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const isWorker = args[0] === "worker";
const [nodeDir, uri] = isWorker ? args.slice(1, 3) : args.slice(0, 2);
const require = createRequire(path.join(path.resolve(nodeDir), "package.json"));
const { run, runMigrations, Logger } = require("graphile-worker");
const pg = require("pg");

// Warnings and errors only: a line per job would cost more than the jobs.
const quiet = new Logger(() => (level, message) => {
    if (level === "error" || level === "warning") console.error(`graphile-worker ${level}: ${message}`);
});

if (isWorker) {
    const steps = Number(args[3]);
    const concurrency = Number(args[4]);
    const pool = new pg.Pool({ connectionString: uri, max: concurrency + 2 });
    pool.on("error", (e) => console.error(`graphile-worker pool: ${e.message}`));
    pool.on("connect", (client) => client.on("error", (e) => console.error(`graphile-worker client: ${e.message}`)));
    // One statement, so one transaction: the step count, the history row and the next job.
    const step = async (payload, helpers) => {
        await helpers.withPgClient((c) =>
            c.query({
                name: "bench_step",
                text: `WITH l AS (UPDATE bench_leads SET steps = steps + 1,
                                    done_at = CASE WHEN $2::int + 1 = $3::int THEN clock_timestamp() END
                                  WHERE id = $1::int RETURNING id),
                       h AS (INSERT INTO bench_history(lead_id, step) SELECT id, $2::int FROM l)
                  SELECT graphile_worker.add_job('step', json_build_object('lead', $1::int, 'step', $2::int + 1))
                   WHERE $2::int + 1 < $3::int`,
                values: [payload.lead, payload.step, steps],
            }),
        );
    };
    // LEADFLOW_BENCH_GRAPHILE_OPTIONS: more worker options as JSON, e.g. its batching
    // ({"localQueue": {"size": 20}, "completeJobBatchDelay": 0}).
    const extra = JSON.parse(process.env.LEADFLOW_BENCH_GRAPHILE_OPTIONS || "{}");
    const runner = await run({ pgPool: pool, concurrency, logger: quiet, noHandleSignals: true, taskList: { step },
                               preset: { worker: extra } });
    console.log("ready");
    const stop = async () => {
        await runner.stop();
        await pool.end();
        process.exit(0);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    await runner.promise;
} else {
    const [chains, steps, workers, concurrency] = args.slice(2, 6).map(Number);
    if (![chains, steps, workers, concurrency].every((n) => Number.isInteger(n) && n > 0)) {
        console.error("usage: scale_graphile.mjs NODE_DIR URI CHAINS STEPS WORKERS CONCURRENCY");
        process.exit(2);
    }
    await runMigrations({ connectionString: uri, logger: quiet });
    const db = new pg.Client({ connectionString: uri });
    await db.connect();
    await db.query(`DROP TABLE IF EXISTS bench_history, bench_leads;
        CREATE TABLE bench_leads (id int PRIMARY KEY, steps int NOT NULL DEFAULT 0, done_at timestamptz);
        CREATE TABLE bench_history (id bigserial PRIMARY KEY, lead_id int NOT NULL REFERENCES bench_leads(id),
                                    step int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
        INSERT INTO bench_leads(id) SELECT generate_series(1, ${chains});`);
    await db.query("VACUUM ANALYZE bench_leads");

    const children = [];
    const ready = [];
    let stopping = false;
    let failure = null;
    for (let i = 0; i < workers; i++) {
        const child = spawn(process.execPath, [self, "worker", nodeDir, uri, String(steps), String(concurrency)], {
            stdio: ["ignore", "pipe", "inherit"],
        });
        children.push(child);
        ready.push(
            new Promise((resolve, reject) => {
                child.stdout.on("data", (d) => String(d).includes("ready") && resolve());
                child.on("exit", (code) => {
                    failure = failure || (stopping ? null : new Error(`worker ${i} exited with status ${code}`));
                    reject(failure);
                });
            }),
        );
    }
    const stopAll = () => (stopping = true) && children.forEach((c) => c.exitCode === null && c.kill("SIGTERM"));
    process.on("exit", stopAll);
    // CPU seconds of the workers and of the PostgreSQL server (bench/proc_cpu.py).
    const pgPid = process.env.LEADFLOW_BENCH_PG_PID;
    const cpu = () =>
        execFileSync("python3", [path.join(path.dirname(self), "proc_cpu.py"), children.map((c) => c.pid).join(","),
                                 String(pgPid || "")])
            .toString().trim().split(/\s+/).map(Number);
    try {
        await Promise.all(ready);
        const cpu0 = cpu();
        const t0 = (await db.query("SELECT extract(epoch FROM clock_timestamp())::float8 AS t")).rows[0].t;
        await db.query(`SELECT count(*) FROM graphile_worker.add_jobs(
            (SELECT array_agg(('step', json_build_object('lead', i, 'step', 0), NULL, NULL, NULL, NULL, NULL,
                               NULL)::graphile_worker.job_spec) FROM generate_series(1, ${chains}) i))`);
        // Done when every lead has taken its last step; the exact end is that step's commit time.
        const deadline = Date.now() + 1800 * 1000;
        for (;;) {
            const r = await db.query(`SELECT count(*)::int AS n, extract(epoch FROM max(done_at))::float8 AS t
                                        FROM bench_leads WHERE steps = $1`, [steps]);
            if (r.rows[0].n === chains) {
                const cpu1 = cpu();
                const secs = r.rows[0].t - t0;
                const jobs = chains * steps;
                const h = (await db.query("SELECT count(*)::int AS n FROM bench_history")).rows[0].n;
                if (h !== jobs) throw new Error(`${h} history rows, expected ${jobs}`);
                console.log(`jobs=${jobs} secs=${secs.toFixed(2)} jobs_per_s=${Math.round(jobs / secs)} ` +
                            `chains_per_s=${Math.round(chains / secs)} app_cpu=${(cpu1[0] - cpu0[0]).toFixed(2)} ` +
                            `pg_cpu=${(cpu1[1] - cpu0[1]).toFixed(2)}`);
                break;
            }
            if (failure) throw failure;
            if (Date.now() > deadline) throw new Error("graphile-worker run did not finish in 30 minutes");
            await new Promise((res) => setTimeout(res, 100));
        }
    } finally {
        stopAll();
        await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((res) => c.on("exit", res)) : null)));
        await db.end();
    }
}
