#!/usr/bin/env python3
"""bench/forecast_profile.py PERF_REPORT — sums a `perf report --no-children --sort dso,symbol
--stdio` listing of one forecast request (bench/forecast.sh) by the part of the work each
function belongs to, and prints one Markdown line: the parts by share of the samples, then the
three functions with the most samples.

Self time only (the Release build keeps no frame pointers): a memcmp under the sort of the lead
ids counts under "memory and strings", not under "sorting the leads" (whose comparators, the
lambdas of post_forecast, count there)."""
import re
import sys

PARTS = [  # (part, pattern on "dso symbol"), first match wins
    ("store: SQLite", r"libsqlite3|\bsqlite3"),
    ("store: PostgreSQL client", r"libpq|\bPQ|\bpq[A-Z]"),
    ("state parsing", r"lead_state|read_string_map|parse_(reason|phase|lead_end|call_outcome)|from_chars"),
    ("sorting the leads", r"__introsort|__insertion_sort|__unguarded|__adjust_heap|__move_median|"
                          r"__merge|stable_sort|__inplace_stable|post_forecast.*lambda"),
    ("JSON", r"nlohmann|serializer|json"),
    ("simulation", r"leadflow::(?!server)"),
    ("memory and strings", r"malloc|free|operator new|operator delete|memcpy|memmove|memcmp|"
                           r"memset|strlen|basic_string|_int_|cfree"),
    ("kernel", r"\[kernel|\[k\]"),
]


def main():
    parts, top = {}, []
    total = 0.0
    for line in open(sys.argv[1]):
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+(\[.\])\s+(.*)", line)
        if not m:
            continue
        share, dso, kind, symbol = float(m.group(1)), m.group(2), m.group(3), m.group(4)
        symbol = re.split(r"\s{2,}", symbol.strip())[0]  # perf pads it, then adds columns
        total += share
        key = f"{dso} {kind} {symbol}"
        part = next((p for p, rx in PARTS if re.search(rx, key)), "other")
        parts[part] = parts.get(part, 0.0) + share
        top.append((share, symbol))
    if not total:
        return
    ranked = sorted(parts.items(), key=lambda kv: -kv[1])
    text = ", ".join(f"{p} {s:.0f}%" for p, s in ranked if s >= 0.5)
    names = []
    for share, symbol in sorted(top, reverse=True)[:3]:
        short = re.sub(r"\(anonymous namespace\)::", "", symbol)
        short = re.sub(r"\(.*", "", short).strip()[:70]
        names.append(f"`{short}` {share:.0f}%")
    print(f"{text}; top functions: {', '.join(names)}")


if __name__ == "__main__":
    main()
