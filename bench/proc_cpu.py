#!/usr/bin/env python3
"""bench/proc_cpu.py PIDS... — CPU seconds (user + system) used so far by process trees.

Each argument is a PID or a comma-separated group of PIDs; prints one number per argument: the
CPU time of those processes, of their live descendants, and of the descendants already waited
for (the kernel adds those to their parent). A PostgreSQL postmaster's
tree therefore covers every backend, including those whose connections have closed. Linux /proc
only; a PID that is gone counts 0.
"""
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def processes():
    """pid -> (ppid, ticks of user + system + waited-for children)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # ended meanwhile
        # The command name (field 2) may hold spaces and parentheses: fields follow the last ")".
        fields = stat[stat.rindex(")") + 2:].split()
        ppid = int(fields[1])
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        table[int(name)] = (ppid, utime + stime + cutime + cstime)
    return table


def main():
    table = processes()
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out = []
    for group in sys.argv[1:]:
        ticks, todo = 0, [int(p) for p in group.split(",") if p and int(p) in table]
        while todo:
            pid = todo.pop()
            ticks += table[pid][1]
            todo.extend(children.get(pid, []))
        out.append(f"{ticks / TICK:.2f}")
    print(" ".join(out))


if __name__ == "__main__":
    main()
