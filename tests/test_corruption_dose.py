"""Corrupt police: more crime, less trust, fewer crimes reported (issue 14, "done means").

The baseline city runs with ``police.corrupt_share`` 0.12 (the default) and 0.8 on
seeds 101-116 (common random numbers: the same city, people and plans), 180 days.
Corruption acts only through the mechanisms: corrupt officers deter less and sell
cases (docs/ODD.md §7.10a, §7.11), solicit bribes in their stops, which residents
and their neighbours hear of (§7.13a), leave victims whose case was sold distrustful,
and protect the gangs' market (§7.24); lower legitimacy lowers reporting and
compliance (§7.13). No key was tuned to these three directions; the legitimacy drop of
at least 0.05 is the issue's requirement.

Power. First measured on seeds 101-104 with the sequential stream: legitimacy -0.064
(standard error of the paired difference 0.005), reported share -0.030 (SE 0.007),
crimes +400 of 1,928 (SE 57). With the counter-based plans (issue 17) four seeds no
longer sufficed for the reported share: on seeds 101-116 (the seeds used here) the
measured differences are legitimacy -0.061 (sd of the paired differences 0.0095, SE
0.0024), reported share -0.016 (sd 0.018, SE 0.0046), crimes +408 of 1,907 (sd 93,
SE 23). The reported share moves little against a binomial noise of ~0.011 per run;
for its effect size (0.89 sd) a one-sided paired t at alpha 0.05 needs about 13 seeds
for power 0.9: sixteen give power ~0.96 (measured t 3.6 against the 1.75 bar), and
the other two directions t of 26 and 18. The 0.05 floor on the legitimacy drop is
4.7 standard errors below the measured mean drop. The three are the model's
predictions, not a fit: no key was tuned on them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import t as student_t

from sim import Scenario
from sim.analysis.compare import RunJob, run_job
from sim.analysis.executor import make_executor

SEEDS = tuple(range(101, 117))
DAYS = 180
SHARES = (0.12, 0.8)
ALPHA = 0.05

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runs(baseline: Scenario) -> dict[float, list[dict[str, float]]]:
    """Per corrupt share, per seed: legitimacy at the last midnight, reported share, crimes.

    Legitimacy is the residents' mean measured at the run's last midnight (the metric
    ``legitimacy_everyone``, a stock).
    """
    ticks = DAYS * baseline.params.time.ticks_per_day
    jobs = [RunJob.of(baseline.with_overrides({"police.corrupt_share": share}), s, ticks, 0)
            for share in SHARES for s in SEEDS]
    out = make_executor(2).map(run_job, jobs)
    rows = [{"legitimacy": o.totals["legitimacy_everyone"],
             "reported": o.totals["reported_crimes"] / max(o.totals["crimes_total"], 1),
             "crimes": o.totals["crimes_total"]} for o in out]
    return {share: rows[i * len(SEEDS):(i + 1) * len(SEEDS)] for i, share in enumerate(SHARES)}


def rises(before: np.ndarray, after: np.ndarray) -> bool:
    """One-sided paired t-test at ALPHA: is ``after`` above ``before``?"""
    d = after - before
    t_stat = d.mean() / (d.std(ddof=1) / math.sqrt(d.size))
    return bool(t_stat > student_t.ppf(1 - ALPHA, d.size - 1))


def measure(runs: dict[float, list[dict[str, float]]], key: str) -> tuple[np.ndarray, ...]:
    return tuple(np.array([r[key] for r in runs[s]]) for s in SHARES)


def test_rises_by_hand() -> None:
    # differences 10, 12, 8: t = 10 / (2 / sqrt 3) = 8.66 > t(0.95, 2) = 2.92
    assert rises(np.array([100.0, 100, 100]), np.array([110.0, 112, 108]))
    assert not rises(np.array([100.0, 100, 100]), np.array([110.0, 90, 110]))


def test_corruption_raises_crime(runs) -> None:
    usual, corrupt = measure(runs, "crimes")
    assert rises(usual, corrupt)


def test_corruption_lowers_legitimacy_by_at_least_five_points(runs) -> None:
    usual, corrupt = measure(runs, "legitimacy")
    assert rises(corrupt, usual)
    assert usual.mean() - corrupt.mean() >= 0.05, (usual.mean(), corrupt.mean())


def test_corruption_lowers_the_reported_share(runs) -> None:
    usual, corrupt = measure(runs, "reported")
    assert rises(corrupt, usual)
