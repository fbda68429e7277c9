#!/usr/bin/env python3
"""bench/query_ms.py DB SQL [PARAM…] — the time of a store's query alone, every row fetched:
the best of 3 runs, in ms (one decimal), for comparison with the same read over HTTP
(bench/calibration.sh, bench/forecast.sh).

DB is a SQLite file, read through python3's sqlite3 with PARAMs bound to ?1, ?2, … (a PARAM
"NULL" is bound as NULL, one of digits as an integer); or a PostgreSQL URI (postgresql://…),
read through psql with every row written to /dev/null, so that the time includes psql's start
(PARAMs are not taken: write the values into SQL)."""
import sqlite3
import subprocess
import sys
import time


def main():
    db, sql, params = sys.argv[1], sys.argv[2], sys.argv[3:]
    if db.startswith("postgres"):
        def run():
            subprocess.run(["psql", db, "-qAt", "-c", sql], stdout=subprocess.DEVNULL, check=True)
    else:
        con = sqlite3.connect(db)
        bound = [None if p == "NULL" else int(p) if p.isdigit() else p for p in params]

        def run():
            con.execute(sql, bound).fetchall()
    best = None
    for _ in range(3):
        t = time.perf_counter()
        run()
        d = (time.perf_counter() - t) * 1000
        best = d if best is None else min(best, d)
    print(f"{best:.1f}")


if __name__ == "__main__":
    main()
