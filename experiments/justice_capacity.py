"""Arrests, clearances and the court at several police strengths (paired seeds).

    .venv/bin/python experiments/justice_capacity.py [--seeds 1 2 3] [--days 180]
        [--police 0 12 24 48 96] [--workers 2] [--set KEY=VALUE ...]

For each police.count and seed, runs the baseline city and prints crimes, reported
crimes, arrests, clearances by investigation, convictions, the investigators' effort
ratio, the court's mean backlog and wait; then, per strength, the mean over seeds of
the crime change against the baseline strength (24) with the same seed, and the
clearance rate by crime type at the baseline next to the FBI's 2019 clearance rates
(docs/evidence.md; capacity-limited justice, docs/ODD.md §7.25).
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from sim import CrimeModel, Scenario
from sim.config import CRIME_TYPES, EV_ARRESTED, EV_REPORTED, EV_TYPE
from sim.crime.justice import justice_summary
from sim.scenario import parse_override

#: FBI 2019 clearance rates (%), the targets of justice.clearance (docs/evidence.md).
TARGETS = {"burglary": 14.1, "robbery": 30.5, "assault": 52.3, "sexual_violence": 32.9,
           "gang_violence": 52.3}
BASE = 24


def one(job: tuple[int, int, int, dict[str, Any]]) -> dict[str, Any]:
    """One run: police strength, seed, days, overrides -> its figures."""
    police, seed, days, over = job
    sc = Scenario.load("scenarios/baseline.toml").with_overrides(
        {**over, "police.count": police})
    m = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    m.run_days(days)
    t = m.results.totals()
    j = justice_summary(m)
    events = m.events.array if m.events.enabled else None
    rep = None
    if events is not None:
        r = events[:, EV_REPORTED] != 0
        rep = {k: (int((events[r, EV_TYPE] == i).sum()),
                   int(((events[r, EV_TYPE] == i) & (events[r, EV_ARRESTED] != 0)).sum()))
               for i, k in enumerate(CRIME_TYPES)}
    return {"police": police, "seed": seed, "crimes": t["crimes_total"],
            "reported": t["reported_crimes"], "arrests": t["arrests"],
            "clearances": t["clearances"], "convictions": t["convictions"],
            "ratio": j.get("effort_ratio_mean"), "backlog": j.get("court_backlog_mean"),
            "wait": j.get("mean_wait_days"), "by_type": rep}


def main() -> None:
    """Run every strength and seed, then print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--police", type=int, nargs="+", default=[0, 12, 24, 48, 96])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    a = ap.parse_args()
    over = dict(parse_override(s) for s in a.set)
    strengths = sorted(set(a.police) | {BASE})
    jobs = [(n, s, a.days, over) for n in strengths for s in a.seeds]
    with ProcessPoolExecutor(a.workers) as pool:
        rows = list(pool.map(one, jobs))
    by = {(r["police"], r["seed"]): r for r in rows}
    print("police seed  crimes reported arrests clearances convictions ratio backlog wait")
    for r in rows:
        print(f"{r['police']:6d} {r['seed']:4d} {r['crimes']:7d} {r['reported']:8d} "
              f"{r['arrests']:7d} {r['clearances']:10d} {r['convictions']:11d} "
              f"{r['ratio'] or 0:5.2f} {r['backlog'] or 0:7.1f} {r['wait'] or 0:5.1f}")
    print("\npolice  crime vs 24 (mean over paired seeds)  arrests (mean)")
    for n in strengths:
        rel = [by[n, s]["crimes"] / by[BASE, s]["crimes"] - 1 for s in a.seeds]
        arr = np.mean([by[n, s]["arrests"] for s in a.seeds])
        print(f"{n:6d}  {100 * np.mean(rel):+6.1f}%  {arr:8.1f}")
    if by[BASE, a.seeds[0]]["by_type"] is not None:
        print("\nclearance rate at the baseline (pooled seeds) vs FBI 2019")
        for k in CRIME_TYPES:
            n = sum(by[BASE, s]["by_type"][k][0] for s in a.seeds)
            c = sum(by[BASE, s]["by_type"][k][1] for s in a.seeds)
            p = c / n if n else float("nan")
            se = np.sqrt(p * (1 - p) / n) if n else float("nan")
            print(f"  {k:16s} {100 * p:5.1f}% (SE {100 * se:.1f}, n={n})  target "
                  f"{TARGETS[k]:.1f}%")


if __name__ == "__main__":
    main()
