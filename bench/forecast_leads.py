#!/usr/bin/env python3
"""bench/forecast_leads.py — bulk-loads running leads into a Leadflow database for
bench/forecast.sh.

Usage: forecast_leads.py sqlite DB WORKFLOW_ID LEADS
       forecast_leads.py tsv FOLDER WORKFLOW_ID ORGANIZATION_ID LEADS

Makes LEADS active leads of the lead-nurture fixture (tests/fixtures/lead_nurture.json) on its
version 1, each with the engine state the scheduler would have stored for it (leads.state, the
text of server/runtime/lead_state_text.hpp) and the columns it keeps beside it (phase,
current_node_id, entered_at, release_at, call_id, steps, due_at):
  - 2% not started yet (no state: the scheduler starts them when it runs);
  - 58% waiting at node_wait1 (called once, not answered), 34% at node_wait2 (twice); the
    last call's outcome drawn from the fixture's scenario among NO_ANSWER, BUSY and VOICEMAIL;
    the timer (release_at, due_at) uniform over the next 2 days, entered 2 days before it;
  - 2% in a call at node_call1, 2% at node_call2, 2% at node_call3, placed in the last 60 s,
    each with its call row in flight (status in_progress, no outcome yet, so the call-stats
    triggers count nothing) and due when the call times out (max_call_seconds + 60 s grace),
    as with the webhook call provider.
The draws are seeded (the same leads every run); "now" is the wall clock at the start.

sqlite: inserts into DB in transactions of 100,000 leads, so that the schema's triggers keep
lead_counts (and the arrivals in node_stats) as for the server's own inserts; then copies the
WAL back into the database.
tsv: writes FOLDER/leads.tsv and FOLDER/calls.tsv for psql's \\copy (columns as printed by
--columns), so that PostgreSQL's statement triggers do the same.

Prints one line: leads=… running=… pending=… in_call=… insert_s=… (sqlite) or leads=… (tsv)."""
import os
import random
import sys
import time

from calibration_load import connect, hex_id, insert_chunk

SECOND = 1000
DAY = 86_400 * SECOND
CHUNK = 100_000
LEAD_COLUMNS = ("id, workflow_id, phone_number, variables, status, current_node_id, phase,"
                " entered_at, release_at, call_id, steps, created_at, updated_at, state,"
                " version, version_seen, due_at")
CALL_COLUMNS = "id, organization_id, workflow_id, lead_id, node_id, status, created_at"
# The fixture's scenario, for the unanswered call a waiting lead had: outcome shares among the
# outcomes that lead to the wait, and the call's duration (ms) for each.
UNANSWERED = {
    "node_call1": [("NO_ANSWER", 0.45), ("BUSY", 0.10), ("VOICEMAIL", 0.10)],
    "node_call2": [("NO_ANSWER", 0.50), ("BUSY", 0.10), ("VOICEMAIL", 0.10)],
}
MAX_CALL_MS = 300 * SECOND + 60 * SECOND  # max_call_seconds of the fixture + the call grace


def last_call(rng, node):
    shares = UNANSWERED[node]
    u = rng.random() * sum(p for _, p in shares)
    for outcome, p in shares:
        if u < p:
            break
        u -= p
    ms = int(max(3.0, rng.gauss(25.0, 8.0)) * SECOND) if outcome == "VOICEMAIL" else 0
    return outcome, ms


def leads(workflow_id, org, n, now):
    """Yields (lead row, call row or None) for n leads."""
    rng = random.Random(1)
    for i in range(n):
        lead_id = hex_id("lead_", f"forecast-{i}")
        phone = f"+1415{2000000 + i % 8000000:07d}"
        u = rng.random()
        call = None
        if u < 0.02:  # not started
            created = now - rng.randrange(1, 600) * SECOND
            yield ((lead_id, workflow_id, phone, "{}", "active", None, "entering", None, None,
                    None, 0, created, created, None, 1, 1, None), None)
            continue
        if u < 0.94:  # waiting at node_wait1 or node_wait2
            second = u >= 0.60
            node = "node_wait2" if second else "node_wait1"
            release = now + rng.randrange(SECOND, 2 * DAY)
            entered = release - 2 * DAY
            outcome, ms = last_call(rng, "node_call2" if second else "node_call1")
            steps = 4 if second else 2
            state = f"s1|waiting|{steps}|||{outcome}|{ms}||{entered}|{release}|{node}"
            call_id, due, phase = None, release, "waiting"
            # Arrived before the first call; the second wait comes two days after the first.
            created = entered - rng.randrange(60 * SECOND, 3 * 3600 * SECOND)
            if second:
                created -= 2 * DAY
        else:  # in a call at node_call1, node_call2 or node_call3
            k = 1 if u < 0.96 else 2 if u < 0.98 else 3
            node = f"node_call{k}"
            entered = now - rng.randrange(0, 60 * SECOND)
            steps = 2 * k - 1
            if k == 1:
                state = f"s1|in_call|1|||||||{entered}||{node}"
            else:
                outcome, ms = last_call(rng, f"node_call{k - 1}")
                state = f"s1|in_call|{steps}|||{outcome}|{ms}||{entered}||{node}"
            call_id = hex_id("call_", f"{lead_id}-{k}")
            due, phase = entered + MAX_CALL_MS, "in_call"
            created = entered - (k - 1) * 2 * DAY - rng.randrange(60 * SECOND, 3 * 3600 * SECOND)
            call = (call_id, org, workflow_id, lead_id, node, "in_progress", entered)
        yield ((lead_id, workflow_id, phone, "{}", "active", node, phase, entered,
                release if phase == "waiting" else None, call_id, steps, created, entered,
                state, 1, 1, due), call)


def summary(counts):
    return " ".join(f"{k}={v}" for k, v in counts.items())


def load_sqlite(db, workflow_id, n):
    con = connect(db)
    org, seq = con.execute("SELECT organization_id, seq FROM workflows WHERE id = ?",
                           (workflow_id,)).fetchone()
    # workflow_seq set here, as the server's own lead inserts do (else a trigger updates each).
    lead_sql = (f"INSERT INTO leads({LEAD_COLUMNS}, workflow_seq) VALUES"
                f" ({', '.join('?' * 18)})")
    call_sql = f"INSERT INTO calls({CALL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    counts = dict(leads=0, running=0, pending=0, in_call=0)
    insert_s = 0.0
    rows, calls = [], []

    def flush():
        nonlocal insert_s
        insert_s += insert_chunk(con, lead_sql, rows, call_sql, calls)
        rows.clear()
        calls.clear()

    for lead, call in leads(workflow_id, org, n, int(time.time() * 1000)):
        rows.append(lead + (seq,))
        count(counts, lead, call)
        if call:
            calls.append(call)
        if len(rows) == CHUNK:
            flush()
    if rows:
        flush()
    t0 = time.perf_counter()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    insert_s += time.perf_counter() - t0
    con.close()
    print(f"{summary(counts)} insert_s={insert_s:.2f}")


def count(counts, lead, call):
    counts["leads"] += 1
    if lead[13] is None:
        counts["pending"] += 1
    else:
        counts["running"] += 1
    if call:
        counts["in_call"] += 1


def write_tsv(folder, workflow_id, org, n):
    def cell(v):
        return "\\N" if v is None else str(v)

    counts = dict(leads=0, running=0, pending=0, in_call=0)
    with open(os.path.join(folder, "leads.tsv"), "w") as lf, \
            open(os.path.join(folder, "calls.tsv"), "w") as cf:
        for lead, call in leads(workflow_id, org, n, int(time.time() * 1000)):
            lf.write("\t".join(map(cell, lead)) + "\n")
            count(counts, lead, call)
            if call:
                cf.write("\t".join(map(cell, call)) + "\n")
    print(summary(counts))


def main():
    a = sys.argv[1:]
    if a[:1] == ["--columns"]:
        print(f"leads({LEAD_COLUMNS})\ncalls({CALL_COLUMNS})")
    elif a[:1] == ["sqlite"] and len(a) == 4:
        load_sqlite(a[1], a[2], int(a[3]))
    elif a[:1] == ["tsv"] and len(a) == 5:
        write_tsv(a[1], a[2], a[3], int(a[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
