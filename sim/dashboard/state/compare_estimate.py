"""How long a comparison will take, from a short timed run of its base scenario.

The Compare page shows "about N min on W workers" beside its replications, days and
workers, so a user sees what a ten-year, fifty-replication comparison costs before
starting it. The cost of a simulated day is measured, not guessed: the base scenario
(with the page's overrides) is built and run for a warm-up day, then timed over
:data:`TIMED_DAYS` days. Measurements are kept per scenario for the server's life.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass

from sim.scenario import Scenario

#: Days timed after the warm-up day (the first day also pays for caches and lazily
#: built tables, so it is left out).
TIMED_DAYS = 2

_measured: dict[str, Calibration] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Calibration:
    """What one run of a scenario costs on this server.

    Attributes:
        build_s: Seconds to build the model (city, population, plans).
        day_s: Seconds per simulated day.
    """

    build_s: float
    day_s: float

    def run_seconds(self, days: float) -> float:
        """Seconds one run of ``days`` days takes."""
        return self.build_s + days * self.day_s

    def comparison_seconds(self, runs: int, days: float, workers: int) -> float:
        """Wall seconds of ``runs`` runs of ``days`` days on ``workers`` processes.

        The runs go in waves of ``workers`` (each run on one core), so the wall time
        is the number of waves times one run.
        """
        return math.ceil(runs / max(1, workers)) * self.run_seconds(days)


def calibrate(scenario: Scenario) -> Calibration:
    """Time ``scenario``'s model: its build, a warm-up day, then :data:`TIMED_DAYS` days.

    The measurement is cached by the scenario's keys (a second call is free).
    """
    key = json.dumps(scenario.raw(), sort_keys=True, default=str)
    with _lock:
        if key in _measured:
            return _measured[key]
    from sim.crime.model import CrimeModel

    t0 = time.perf_counter()
    model = CrimeModel(scenario=scenario, rng=0, agent_views=False)
    build = time.perf_counter() - t0
    tpd = int(model.ticks_per_day)
    model.run_for(tpd)
    t0 = time.perf_counter()
    model.run_for(TIMED_DAYS * tpd)
    found = Calibration(build, (time.perf_counter() - t0) / TIMED_DAYS)
    with _lock:
        _measured[key] = found
    return found


def describe_duration(seconds: float, workers: int) -> str:
    """"about 40 s on 2 workers", "about 12 min ...", "about 3.5 h ..." (rounded up)."""
    where = f"on {workers} worker{'s' if workers != 1 else ''}"
    if seconds < 90:
        return f"about {max(1, math.ceil(seconds))} s {where}"
    if seconds < 90 * 60:
        return f"about {math.ceil(seconds / 60)} min {where}"
    return f"about {math.ceil(seconds / 360) / 10:g} h {where}"
