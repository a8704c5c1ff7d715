"""Run the baseline city for N years in debug mode; print one JSON line per year.

Used by test_long_run.py in a fresh process, so the resident set size measured is
the model's alone.
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np

from sim import CrimeModel, Scenario


def rss_mb() -> float:
    """Current resident set size in MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(years: int, scenario: str) -> None:
    """Run year by year, printing memory, data held and health figures."""
    model = CrimeModel(scenario=Scenario.load(scenario), rng=1, agent_views=False,
                       check_invariants=True)
    t0 = time.perf_counter()
    for year in range(1, years + 1):
        model.run_for(365 * model.ticks_per_day)
        # Only this year's rows: a frame of the whole history would itself be memory.
        last = model.results.tail(365 * model.ticks_per_day)
        print(json.dumps({
            "year": year, "seconds": time.perf_counter() - t0, "rss_mb": rss_mb(),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "history_mb": (model.results.nbytes() + model.events.array.nbytes) / 2**20,
            "nan": int(np.isnan(last.drop(columns=["tick"]).to_numpy(float)).sum()),
            "crimes": float(last["crimes_total"].sum()),
            "offenders_free": float(last["offenders_free"].iloc[-1]),
            "checks": model.invariants.checks, "ticks": model.tick,
        }), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
