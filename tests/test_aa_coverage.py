"""A/A test: the model against a sham copy of itself must show no effect ~95% of the time.

The alternative is the base scenario itself, run with seeds independent of the
base's (``run_comparison(..., independent_seeds=True)``), so any difference is
noise. Each of R repetitions is a 5-replication comparison; both the paired
difference CI and the percentage CI (Fieller's ratio interval) of all crimes should
cover 0 in about 95% of them. Coverage is binomial with sd sqrt(0.95 * 0.05 / R),
so we accept anything above 0.95 minus three of those (0.866 for R = 60).

Run time, measured on 2 shared cores: 45-60 s (R = 60, 10 runs each on a 20 x 20
city, about 5 crimes per run). Measured coverage with these seeds: 55/60 (0.917) for
both intervals, one repetition with an unbounded percentage CI.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from repo_paths import BASELINE

from sim import Scenario
from sim.analysis.compare import run_comparison
from sim.analysis.stats import paired_change

#: A city far smaller than tests/conftest.py's small one: 800 residents, 20 offenders.
TINY = {"city.width": 20, "city.height": 20, "city.districts": 4, "residents.count": 800,
        "offenders.count": 20, "police.count": 2, "services.count": 1,
        "security.guards": 2, "city.schools": 1}
REPETITIONS = 60
REPS = 5
DAYS = 20


def test_independent_seeds_give_the_alternative_its_own_seeds():
    sc = Scenario.load(BASELINE).with_overrides(TINY)
    tpd = sc.params.time.ticks_per_day
    cmp = run_comparison(sc, [sc], reps=2, ticks=2 * tpd, seed=10, independent_seeds=True)
    base, alt = cmp.outcomes[cmp.base], cmp.outcomes[cmp.alternatives[0]]
    assert [o.seed for o in base] == [10, 11] and [o.seed for o in alt] == [12, 13]


@pytest.mark.slow
def test_sham_alternative_covers_zero_about_95_percent():
    sc = Scenario.load(BASELINE).with_overrides(TINY)
    tpd = sc.params.time.ticks_per_day
    diff_hits = pct_hits = unbounded = 0
    for r in range(REPETITIONS):
        # Repetition r uses seeds 1000 + 10 r .. + 9: no seed is shared between
        # repetitions or between base and sham.
        cmp = run_comparison(sc, [sc], reps=REPS, ticks=DAYS * tpd, seed=1000 + 10 * r,
                             independent_seeds=True)
        base = np.array([o.totals["crimes_total"] for o in cmp.outcomes[cmp.base]])
        alt = np.array([o.totals["crimes_total"]
                        for o in cmp.outcomes[cmp.alternatives[0]]])
        pc = paired_change(base, alt)
        diff_hits += pc.diff_low <= 0 <= pc.diff_high
        if math.isnan(pc.ci_low):
            unbounded += 1  # an unbounded interval contains 0: it excludes nothing
            pct_hits += 1
        else:
            pct_hits += pc.ci_low <= 0 <= pc.ci_high
    floor = 0.95 - 3 * math.sqrt(0.95 * 0.05 / REPETITIONS)
    assert diff_hits / REPETITIONS >= floor, (diff_hits, floor)
    assert pct_hits / REPETITIONS >= floor, (pct_hits, floor)
    # A city this size has enough crime that the baseline mean is clearly above 0.
    assert unbounded <= REPETITIONS // 10
