#!/usr/bin/env python3
"""bench/calibration_load.py — bulk-loads a call log into a Leadflow SQLite database for
bench/calibration.sh.

Usage: calibration_load.py DB WORKFLOW_ID CALLS [--no-stats-triggers]

Inserts CALLS ended calls, and the leads that made them, through the normal `leads` and `calls`
tables, so that the schema's triggers keep `node_stats` as they do for the server. Each lead
runs the lead-nurture fixture (tests/fixtures/lead_nurture.json) on version 1: it arrives at a
uniform time in the first 26 of 30 days and is called by node_call1; a call that is not
answered (NO_ANSWER, BUSY, VOICEMAIL) leads to the next call two days later (node_call2, then
node_call3), COMPLETED converts it, FAILED drops it. Outcomes are drawn from the fixture's
scenario (tests/fixtures/lead_nurture.scenario.json); a COMPLETED call carries a post-call
analysis {"interested": bool, "sentiment": "positive" | "neutral" | "negative"}. Leads are made
until CALLS calls exist (the last lead may stop early), so there are about half as many leads
as calls. The load starts 30 days before now; the workflow's version 1 is dated one hour before
that, so that the drift report (calls since the published version went live) counts them all.

Rows are made in Python in chunks of 50,000 calls and inserted in one transaction per chunk,
as the server's scheduler commits a batch of steps. The seconds spent in SQLite (the inserts,
their triggers and indexes, the commits) are timed apart from the seconds spent making rows.

--no-stats-triggers drops the three node_stats triggers (calls_stats_end, calls_stats_insert,
leads_stats_arrival) first, to measure what they cost.

Prints one line: calls=… leads=… insert_s=… wall_s=… calls_per_s=… (insert rate)."""
import hashlib
import json
import random
import sqlite3
import sys
import time

HOUR = 3_600_000
DAY = 24 * HOUR
CHUNK = 50_000

# The fixture's scenario: outcome shares and call durations (mean, sd) per call node.
NODES = [
    ("node_call1", [("COMPLETED", 0.30), ("NO_ANSWER", 0.45), ("BUSY", 0.10),
                    ("VOICEMAIL", 0.10), ("FAILED", 0.05)], 95.0),
    ("node_call2", [("COMPLETED", 0.25), ("NO_ANSWER", 0.50), ("BUSY", 0.10),
                    ("VOICEMAIL", 0.10), ("FAILED", 0.05)], 90.0),
    ("node_call3", [("COMPLETED", 0.20), ("NO_ANSWER", 0.55), ("BUSY", 0.10),
                    ("VOICEMAIL", 0.10), ("FAILED", 0.05)], 85.0),
]
ANALYSES = [json.dumps({"interested": i, "sentiment": s}, separators=(",", ":"))
            for i in (True, False) for s in ("positive", "neutral", "negative")]


def hex_id(prefix, key):
    # The server's ids are a prefix and 24 hex characters of a hash: random in index order.
    return prefix + hashlib.sha256(key.encode()).hexdigest()[:24]


def connect(db):
    """A connection for a bulk load: the server's settings (WAL, synchronous=NORMAL), with a
    larger page cache; transactions are the caller's (BEGIN … COMMIT)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA cache_size=-1000000")
    con.execute("PRAGMA busy_timeout=60000")
    return con


def insert_chunk(con, lead_sql, leads, call_sql, calls):
    """Inserts a chunk of leads, then their calls, in one transaction, as the server's scheduler
    commits a batch of steps; returns the seconds it took in SQLite."""
    t0 = time.perf_counter()
    con.execute("BEGIN")
    con.executemany(lead_sql, leads)
    con.executemany(call_sql, calls)
    con.execute("COMMIT")
    return time.perf_counter() - t0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    no_triggers = "--no-stats-triggers" in sys.argv
    db, workflow_id, calls_wanted = args[0], args[1], int(args[2])
    rng = random.Random(1)

    con = connect(db)
    org, seq = con.execute("SELECT organization_id, seq FROM workflows WHERE id = ?",
                           (workflow_id,)).fetchone()
    start = (int(time.time() * 1000) // HOUR - 30 * 24) * HOUR
    con.execute("UPDATE workflow_versions SET created_at = ? WHERE workflow_id = ? AND number = 1",
                (start - HOUR, workflow_id))
    con.execute("UPDATE workflows SET activated_at = ? WHERE id = ?", (start - HOUR, workflow_id))
    if no_triggers:
        for t in ("calls_stats_end", "calls_stats_insert", "leads_stats_arrival"):
            con.execute("DROP TRIGGER " + t)

    lead_sql = ("INSERT INTO leads(id, workflow_id, phone_number, variables, status,"
                " current_node_id, phase, steps, created_at, updated_at, completed_at,"
                " version, version_seen, workflow_seq) VALUES (?, ?, ?, '{}', ?, ?, 'done', ?,"
                " ?, ?, ?, 1, 1, ?)")
    call_sql = ("INSERT INTO calls(id, organization_id, workflow_id, lead_id, node_id, status,"
                " outcome, end_reason, duration_s, analysis, created_at, ended_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)")
    cum = [(name, [(o, sum(p for _, p in outcomes[:i + 1])) for i, (o, _) in enumerate(outcomes)],
            mean) for name, outcomes, mean in NODES]

    made = leads_made = 0
    insert_s = 0.0
    t_wall = time.perf_counter()
    while made < calls_wanted:
        leads, calls = [], []
        while len(calls) < CHUNK and made + len(calls) < calls_wanted:
            lead_id = hex_id("lead_", f"bench-{leads_made}")
            arrived = start + int(rng.random() * 26 * DAY)
            at = arrived + rng.randrange(60_000, 3 * HOUR)
            status, last_node = "dropped", "node_unresponsive"
            steps = 0
            for k, (node, shares, mean) in enumerate(cum):
                if made + len(calls) >= calls_wanted:
                    break
                u = rng.random()
                outcome = next((o for o, c in shares if u < c), shares[-1][0])
                if outcome == "COMPLETED":
                    dur = max(5.0, rng.gauss(mean, 40.0))
                    analysis = ANALYSES[rng.randrange(len(ANALYSES))]
                elif outcome == "VOICEMAIL":
                    dur, analysis = max(3.0, rng.gauss(25.0, 8.0)), "{}"
                else:
                    dur, analysis = 0.0, "{}"
                ended = at + int(dur * 1000) + 15_000
                calls.append((hex_id("call_", f"{lead_id}-{k}"), org, workflow_id, lead_id, node,
                              outcome.lower(), outcome, dur, analysis, at, ended))
                steps += 2
                if outcome == "COMPLETED":
                    status, last_node = "completed", "node_converted"
                    break
                if outcome == "FAILED":
                    status, last_node = "dropped", "node_failed"
                    break
                at = ended + 2 * DAY
            leads.append((lead_id, workflow_id, f"+1415{2000000 + leads_made % 8000000:07d}",
                          status, last_node, steps + 1, arrived, ended, ended, seq))
            leads_made += 1
        insert_s += insert_chunk(con, lead_sql, leads, call_sql, calls)
        made += len(calls)
    # As the server does after a large write: the WAL copied back into the database.
    t0 = time.perf_counter()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    insert_s += time.perf_counter() - t0
    wall_s = time.perf_counter() - t_wall
    con.close()
    print(f"calls={made} leads={leads_made} insert_s={insert_s:.2f} wall_s={wall_s:.2f}"
          f" calls_per_s={int(made / insert_s)}")


if __name__ == "__main__":
    main()
