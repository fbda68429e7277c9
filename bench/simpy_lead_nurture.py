#!/usr/bin/python3
"""SimPy peer model of the lead-nurture workflow (tests/fixtures/lead_nurture.json), for
scripts/bench: the same workflow and the same default scenario model as leadflow-sim
(the scenario defaults of docs/simulation.md#node-models: COMPLETED .25, NO_ANSWER .45,
BUSY .10, VOICEMAIL .15, FAILED .05; call durations ~ N(60, 30) truncated at 5 s for
COMPLETED/VOICEMAIL, 30 s ring for NO_ANSWER, 5 s for BUSY/FAILED; 2-day waits; up to three
calls; all leads at the start).

Debian's python3-simpy is SimPy 2.3 (the classic `SimPy.Simulation` API).

usage: simpy_lead_nurture.py LEADS [SEED]
Prints one line on stderr (like leadflow-sim --bench): "simpy: leads=N events=E seconds=S leads_per_s=… events_per_s=… completed=… dropped=…"
"""
import random
import sys
import time

from SimPy.Simulation import Process, Simulation, hold

DAY = 86400.0
OUTCOMES = ["COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"]
CUMULATIVE = [0.25, 0.70, 0.80, 0.95, 1.00]


class Counters:
    completed = 0
    dropped = 0
    events = 0


def draw_outcome(rng):
    u = rng.random()
    for name, c in zip(OUTCOMES, CUMULATIVE):
        if u < c:
            return name
    return OUTCOMES[-1]


def call_duration(rng, outcome):
    if outcome in ("COMPLETED", "VOICEMAIL"):
        while True:
            d = rng.gauss(60.0, 30.0)
            if d >= 5.0:
                return d
    if outcome == "NO_ANSWER":
        return 30.0
    return 5.0


class Lead(Process):
    def run(self, rng, counters):
        counters.events += 1  # arrival
        for attempt in range(3):
            outcome = draw_outcome(rng)
            yield hold, self, call_duration(rng, outcome)
            counters.events += 1  # call ended
            if outcome == "COMPLETED":
                counters.completed += 1
                return
            if outcome == "FAILED":
                counters.dropped += 1
                return
            if attempt == 2:
                counters.dropped += 1  # unresponsive
                return
            yield hold, self, 2 * DAY
            counters.events += 1  # wait over


def main():
    leads = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    counters = Counters()
    start = time.perf_counter()
    sim = Simulation()
    sim.initialize()
    for i in range(leads):
        lead = Lead(name="lead", sim=sim)
        sim.activate(lead, lead.run(rng, counters), at=0.0)
    sim.simulate(until=90 * DAY)
    seconds = time.perf_counter() - start
    print(
        "simpy: leads=%d events=%d seconds=%.4f leads_per_s=%.0f events_per_s=%.0f "
        "completed=%d dropped=%d"
        % (leads, counters.events, seconds, leads / seconds, counters.events / seconds,
           counters.completed, counters.dropped),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
