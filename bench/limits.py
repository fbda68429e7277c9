#!/usr/bin/env python3
"""bench/limits.py — input-limit attacks against a leadflow-server binary, for BENCHMARKS.md
("## Hostile" / "### Input limits").

Usage: bench/limits.py [BINARY] [--timeout SECONDS] [--only TEXT]
  BINARY defaults to build/native/server/leadflow-server; --only runs the attacks whose name
  contains TEXT.

Each attack gets a fresh server (temporary SQLite file, ephemeral 127.0.0.1 port, rate limit
off), so the server's peak RSS (VmHWM) is that attack's. Prints one line per attack: HTTP code
(or "no answer"), seconds to the answer, the server's CPU seconds for it, reply bytes, server
peak RSS MB, and whether the server still answers /healthz afterwards.
"""
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import time


def start(binary, tmp):
    db = os.path.join(tmp, "bench.db")
    out = subprocess.run([binary, "keys", "create", "--db", db, "--org", "bench"],
                         capture_output=True, text=True, check=True).stdout
    key = [l for l in out.splitlines() if l.strip()][-1].strip()
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--host", "127.0.0.1",
                             "--rate-limit", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    port = int(re.search(r":(\d+)\s*$", line).group(1))
    return proc, port, key


def request(port, method, path, body, headers, timeout):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_s(pid):
    """The process's user + system CPU seconds so far."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def multipart(csv):
    boundary = "----leadflowbench"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"leads.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    body += csv.encode() + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def attack(binary, name, make_body, timeout):
    with tempfile.TemporaryDirectory() as tmp:
        proc, port, key = start(binary, tmp)
        auth = {"Authorization": f"Bearer {key}"}
        _, wf = request(port, "POST", "/v1/workflows", json.dumps({"title": "Bench"}),
                        {**auth, "Content-Type": "application/json"}, 30)
        wf = json.loads(wf)["id"]
        path, body, ctype = make_body(wf)
        cpu0 = cpu_s(proc.pid)
        t0 = time.monotonic()
        try:
            code, reply = request(port, "POST", path, body, {**auth, "Content-Type": ctype},
                                  timeout)
            result = f"HTTP {code}"
            size = len(reply)
        except (OSError, http.client.HTTPException) as e:
            result = f"no answer ({type(e).__name__})"
            size = 0
        secs = time.monotonic() - t0
        cpu = cpu_s(proc.pid) - cpu0
        rss = hwm_mb(proc.pid)
        try:
            alive = request(port, "GET", "/healthz", None, {}, 10)[0] == 200
        except (OSError, http.client.HTTPException):
            alive = False
        proc.kill()
        proc.wait()
        print(f"{name}: {result}, {secs:.2f} s ({cpu:.2f} s server CPU), reply {size} bytes, "
              f"server peak RSS {rss:.0f} MB, answers afterwards: {'yes' if alive else 'no'}",
              flush=True)


def main():
    args = sys.argv[1:]
    timeout = 120.0
    if "--timeout" in args:
        i = args.index("--timeout")
        timeout = float(args[i + 1])
        del args[i:i + 2]
    only = ""
    if "--only" in args:
        i = args.index("--only")
        only = args[i + 1]
        del args[i:i + 2]
    binary = args[0] if args else "build/native/server/leadflow-server"

    def leads_array(wf):
        body = '{"leads":[1' + ",1" * ((9_800_000 - 14) // 2) + "]}"
        return f"/v1/workflows/{wf}/leads", body, "application/json"

    def deep_json(wf):
        n = 70_000
        body = '{"node_type":"TIME","config":' + '{"a":' * n + "1" + "}" * n + "}"
        return f"/v1/workflows/{wf}/nodes", body, "application/json"

    def wide_csv(wf):
        csv = "phone_number" + "".join(f",c{i % 10}" for i in range(1_000_000))
        csv += "\n+14155552671" + "," * 1_000_000 + "\n"
        body, ctype = multipart(csv)
        return f"/v1/workflows/{wf}/leads", body, ctype

    def csv_100k(wf):
        rows = ["phone_number,first_name,city"]
        rows += ['+1415%07d,Lead %d,"Pune, MH"' % (3000000 + i, i) for i in range(100_000)]
        body, ctype = multipart("\n".join(rows) + "\n")
        return f"/v1/workflows/{wf}/leads", body, ctype

    for name, make in [("9.8 MB {\"leads\":[1,1,...]}", leads_array),
                       ("JSON config nested 70,000 deep", deep_json),
                       ("CSV with 1,000,000 columns", wide_csv),
                       ("CSV upload, 100,000 rows", csv_100k)]:
        if only in name:
            attack(binary, name, make, timeout)


if __name__ == "__main__":
    main()
