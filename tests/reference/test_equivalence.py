"""The reference and the fast engine agree in distribution on a small city.

Design (docs/reference.md, "Equivalence tests"):

- A small, high-crime city (30 x 30, 1,500 residents, 120 offenders, every crime rate
  raised so a two-day run has tens to hundreds of crimes of each type); the
  self-exciting feedbacks (near-repeat theta, gang retaliation) are damped to keep the
  run-to-run variance low. Every rule stays switched on.
- ``N_REPS`` replications, seed ``i`` for both engines: the same seed builds the same
  city and people in both (shared builders), and the engines' runs draw from unrelated
  streams. The pairs therefore cancel the city-to-city variance, and the difference of
  a pair has mean 0 if and only if the rules agree.
- For each of the 14 metrics (crimes by type, victimisations by group, reported
  crimes, arrests; totals over the run) the paired t interval of the mean difference,
  at family-wise level ``FAMILY_ALPHA`` (Bonferroni over the metrics), must contain 0:
  the tolerance is the replications' own spread, not a number fitted to a run.
- Power: the same test run against a fast engine with one rule deliberately changed
  must fail on the metric the change touches, and the minimum detectable difference
  (90% power) of every crime type must stay below the bounds in ``MAX_MDE``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim import CrimeModel, Scenario
from sim.config import CRIME_TYPES, GROUPS
from sim.reference import ReferenceCrimeModel

#: The test city: the baseline shrunk to 30 x 30 with high crime and damped feedbacks.
CITY = {
    "city.width": 30, "city.height": 30, "city.districts": 3, "city.schools": 2,
    "residents.count": 1500, "offenders.count": 120, "offenders.gang_share": 0.5,
    "police.count": 6, "services.count": 2, "security.guards": 4, "agents.views": False,
    "crime.burglary.rate": 0.4, "crime.robbery.rate": 0.4, "crime.assault.rate": 0.6,
    "crime.sexual_violence.rate": 0.5, "crime.gang_violence.rate": 1.0,
    "offenders.active_day": 0.3, "offenders.active_evening": 0.5,
    "offenders.active_night": 0.4, "near_repeat.theta": 0.3, "flows.retaliation": 1.0,
}
DAYS = 2
N_REPS = 32
#: Family-wise false-alarm rate. A seeded test re-draws whenever any draw order
#: changes, so at 0.01 one such change in a hundred would fail it for no reason (with
#: 24 pairs at 0.01, seeds 0-23 flagged elderly victimisations, t = -4.07 against 3.90,
#: which 84 other seeds did not reproduce: docs/reference.md); at 0.001 the power
#: checks below still hold.
FAMILY_ALPHA = 0.001
METRICS = (*(f"crimes_{t}" for t in CRIME_TYPES), *(f"victimisations_{g}" for g in GROUPS),
           "reported_crimes", "arrests")
#: Largest minimum detectable relative difference (two-sided, 90% power) we accept:
#: the test must be able to see a 30% change in any crime type's count (gang
#: violence, bursty by nature, 60%).
MAX_MDE = {**{f"crimes_{t}": 0.30 for t in CRIME_TYPES}, "crimes_gang_violence": 0.60}


def critical_t(n: int, alpha: float = FAMILY_ALPHA, tests: int = len(METRICS)) -> float:
    """Two-sided Bonferroni critical value of a paired t test with ``n`` pairs."""
    return float(stats.t.ppf(1.0 - alpha / (2 * tests), n - 1))


def run_totals(engine: type, scenario: Scenario, seed: int) -> np.ndarray:
    """Totals of ``METRICS`` over a ``DAYS``-day run."""
    model = engine(scenario=scenario, rng=seed)
    model.run_for(DAYS * model.ticks_per_day)
    frame = model.results.to_frame()
    return frame[list(METRICS)].sum().to_numpy(float)


def replicate(engine: type, scenario: Scenario) -> np.ndarray:
    """``(N_REPS, metrics)`` totals, seeds 0 .. N_REPS - 1."""
    return np.array([run_totals(engine, scenario, seed) for seed in range(N_REPS)])


def paired_intervals(a: np.ndarray, b: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """Per metric: mean of ``b - a``, and its family-wise confidence interval."""
    d = b - a
    n = d.shape[0]
    mean = d.mean(axis=0)
    half = critical_t(n) * d.std(axis=0, ddof=1) / np.sqrt(n)
    return {m: (float(mean[k]), float(mean[k] - half[k]), float(mean[k] + half[k]))
            for k, m in enumerate(METRICS)}


def disagreements(a: np.ndarray, b: np.ndarray) -> dict[str, tuple[float, float, float]]:
    """The metrics whose interval excludes 0: where the engines differ."""
    return {m: ci for m, ci in paired_intervals(a, b).items() if not ci[1] <= 0.0 <= ci[2]}


@pytest.fixture(scope="module")
def city(baseline: Scenario) -> Scenario:
    return baseline.with_overrides(CITY)


@pytest.fixture(scope="module")
def fast_runs(city: Scenario) -> np.ndarray:
    return replicate(CrimeModel, city)


@pytest.fixture(scope="module")
def reference_runs(city: Scenario) -> np.ndarray:
    return replicate(ReferenceCrimeModel, city)


@pytest.mark.slow
def test_engines_agree_on_crimes_and_victimisation(fast_runs, reference_runs):
    """Crimes by type, victimisation by group, reports and arrests: no difference."""
    assert fast_runs[:, :len(CRIME_TYPES)].min() > 0, "every crime type must occur"
    differ = disagreements(fast_runs, reference_runs)
    assert not differ, f"reference - fast (mean, CI low, CI high) excludes 0: {differ}"


@pytest.mark.slow
def test_the_test_can_see_a_thirty_percent_difference(fast_runs, reference_runs):
    """Minimum detectable difference at 90% power, from the replication variance."""
    d = reference_runs - fast_runs
    n = d.shape[0]
    mde = ((critical_t(n) + stats.norm.ppf(0.9)) * d.std(axis=0, ddof=1) / np.sqrt(n)
           / fast_runs.mean(axis=0))
    for k, m in enumerate(METRICS):
        if m in MAX_MDE:
            assert mde[k] <= MAX_MDE[m], f"{m}: detects only {mde[k]:.0%} differences"


@pytest.mark.slow
@pytest.mark.parametrize(("change", "metric"), [
    ({"crime.assault.rate": 0.6 * 1.5}, "crimes_assault"),
    ({"crime.sexual_violence.vulnerability.male": 1.0}, "crimes_sexual_violence"),
    ({"offenders.moves_per_tick": 3}, "crimes_assault"),
    ({"crime.burglary.report_prob": 0.25}, "reported_crimes"),
    ({"crime.burglary.clearance_prob": 0.5}, "arrests"),
], ids=["assault-rate-x1.5", "sexual-violence-ignores-sex", "three-moves-an-hour",
        "burglary-reported-less", "burglary-solved-more"])
def test_a_changed_rule_in_one_engine_is_caught(city, reference_runs, change, metric):
    """The same test fails when the fast engine runs one rule differently."""
    changed = replicate(CrimeModel, city.with_overrides(change))
    assert metric in disagreements(changed, reference_runs)
