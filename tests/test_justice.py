"""Capacity-limited justice in whole runs (docs/ODD.md §7.25).

Kernel rules are tested against plain references in tests/kernels/test_investigation.py
and tests/kernels/test_court.py; here: no officers, no clearances; more officers, more
clearances (a paired, seeded comparison); the court's queue, its measures and the
summary; the switch.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CrimeModel
from sim.config import JAILED
from sim.crime.justice import justice_summary
from sim.kernels.court import COUNT, REMAND

DAYS = 160
#: Busier than the small city, so a 160-day run has enough cases to compare.
#: Deterrence off: the force then changes how cases are investigated, not how many
#: crimes there are to investigate (with it on, 24 officers leave few cases to compare).
BUSY = {"offenders.count": 200, "crime.assault.report_prob": 0.8,
        "justice.hearing_days": 10.0, "justice.court_cases_per_100k": 100.0,
        "deterrence.enabled": False}


def run(small_scenario, police: int, seed: int = 3, **extra) -> CrimeModel:
    sc = small_scenario.with_overrides({**BUSY, "police.count": police, **extra})
    m = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    m.run_days(DAYS)
    return m


@pytest.fixture(scope="module")
def runs(small_scenario):
    return {n: run(small_scenario, n) for n in (0, 6, 24)}


def test_no_officers_no_clearances_and_no_arrests(runs):
    totals = runs[0].results.totals()
    assert totals["reported_crimes"] > 50
    assert totals["arrests"] == 0 and totals["clearances"] == 0
    assert justice_summary(runs[0])["effort_ratio_mean"] == 0.0


def test_more_officers_more_clearances(runs):
    """Clearances per reported crime rise with the force (paired seed).

    With 6 officers the effort ratio is a quarter of 24's, so the capacity factor
    (1 - e^-r) falls by far more than sampling noise: compare the two clearance shares
    with 4 binomial standard errors of their difference.
    """
    def share(m):
        t = m.results.totals()
        return t["clearances"] / t["reported_crimes"], t["reported_crimes"]
    (p6, n6), (p24, n24) = share(runs[6]), share(runs[24])
    se = np.sqrt(p6 * (1 - p6) / n6 + p24 * (1 - p24) / n24)
    assert p24 - p6 > 4 * se
    r6 = justice_summary(runs[6])["effort_ratio_mean"]
    r24 = justice_summary(runs[24])["effort_ratio_mean"]
    assert r24 > 2 * r6


def test_the_court_queue_and_its_measures(runs):
    m = runs[24]
    js = m.state.justice_state
    df = m.results.to_frame()
    assert (df["court_backlog"] >= 0).all()
    assert df["court_backlog"].iloc[-1] == js.court.meta[COUNT]
    s = justice_summary(m)
    assert s["enabled"] and s["decided"] > 0
    assert s["convicted"] == int(df["convictions"].sum())
    # decided cases waited at least the preparation time (10 days) and not the whole run
    assert 10.0 <= s["mean_wait_days"] < DAYS
    # every case filed is decided, lapsed or still waiting: none is dropped
    filed = int(df["arrests"].sum())
    assert filed == s["decided"] + s["lapsed"] + s["court_backlog"]
    # the remanded wait in jail with no term; nobody else carries the mark
    off = m.offenders
    remanded = off.release == REMAND
    assert (off.state[remanded] == JAILED).all()


def test_switched_off_no_court_and_no_justice_columns(small_scenario):
    m = run(small_scenario, 24, **{"justice.enabled": False})
    df = m.results.to_frame()
    assert (df[["clearances", "court_backlog", "convictions"]] == 0).all().all()
    assert justice_summary(m) == {"enabled": False}
    assert (m.offenders.release != REMAND).all()
