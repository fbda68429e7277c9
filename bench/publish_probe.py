"""bench/publish_probe.py — times `move` publishes of a workflow while another client writes.

Usage: publish_probe.py BASE KEY WORKFLOW OTHER REPEATS

A writer thread PATCHes OTHER's title back to back on one keep-alive connection and records
each write's start and latency. The main thread, on its own connection, times a page of
WORKFLOW's leads (limit 100) and a dry run, then REPEATS times: waits 0.5 s, publishes with
{"migrate": "move"}, and times the leads page again. Prints one JSON object: the publishes
(seconds, status, leads moved), the writes that overlapped a publish and all writes
(count, p50, p99, max in ms), and the page and dry-run times in ms.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def connect(base):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def request(conn, method, path, key, body=None):
    headers = {"Authorization": "Bearer " + key}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    t0 = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    payload = r.read()
    return t0, time.perf_counter(), r.status, payload


def stats(latencies_ms):
    v = sorted(latencies_ms)
    if not v:
        return {"count": 0}
    pick = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    return {"count": len(v), "p50": round(pick(0.5), 2), "p99": round(pick(0.99), 2),
            "max": round(v[-1], 2)}


def main():
    base, key, wf, other, repeats = sys.argv[1:6]
    writes = []  # (start, end)
    stop = threading.Event()

    def writer():
        conn = connect(base)
        i = 0
        while not stop.is_set():
            i += 1
            t0, t1, status, _ = request(conn, "PATCH", f"/v1/workflows/{other}", key,
                                        {"title": f"Edit {i}"})
            if status != 200:
                raise SystemExit(f"write answered {status}")
            writes.append((t0, t1))

    conn = connect(base)
    page = f"/v1/workflows/{wf}/leads?limit=100"
    page_before = [1000 * (e - s) for s, e, _, _ in (request(conn, "GET", page, key)
                                                    for _ in range(10))]
    s, e, status, _ = request(conn, "POST", f"/v1/workflows/{wf}/publish", key,
                              {"migrate": "move", "dry_run": True})
    dry_run_ms = 1000 * (e - s)
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    publishes, windows, page_after = [], [], []
    for _ in range(int(repeats)):
        time.sleep(0.5)
        s, e, status, body = request(conn, "POST", f"/v1/workflows/{wf}/publish", key,
                                     {"migrate": "move"})
        moved = json.loads(body).get("leads", {}).get("move") if status == 201 else None
        publishes.append({"secs": round(e - s, 4), "status": status, "move": moved})
        windows.append((s, e))
        page_after += [1000 * (e2 - s2) for s2, e2, _, _ in (request(conn, "GET", page, key)
                                                            for _ in range(3))]
    time.sleep(0.5)
    stop.set()
    thread.join()
    during = [1000 * (we - ws) for ws, we in writes
              if any(ws < pe and we > ps for ps, pe in windows)]
    print(json.dumps({
        "publishes": publishes,
        "writes_during_publish": stats(during),
        "writes_all": stats([1000 * (we - ws) for ws, we in writes]),
        "dry_run_ms": round(dry_run_ms, 1),
        "page_before_ms": stats(page_before),
        "page_after_ms": stats(page_after),
    }))


if __name__ == "__main__":
    main()
