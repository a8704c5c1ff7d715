"""Paired statistics (sim/analysis/stats.py) and the run outcome (outcome.py).

The paired change is checked against hand-computed values and against its coverage
property: over many synthetic comparisons with a known effect, the 95% interval must
contain the truth about 95% of the time.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.outcome import evaluation_start, run_outcome
from sim.analysis.stats import mean_ci, paired_change, t95
from sim.config import CRIME_TYPES, N_CRIME


def test_t_quantiles_are_students():
    assert t95(1) == pytest.approx(12.706, abs=5e-4)
    assert t95(9) == pytest.approx(2.262, abs=5e-4)
    # Values from a printed t table (two-sided 95%), beyond the old table's 30 df too.
    assert t95(4) == pytest.approx(2.776, abs=5e-4)
    assert t95(40) == pytest.approx(2.021, abs=5e-4)
    assert t95(60) == pytest.approx(2.000, abs=5e-4)
    assert t95(120) == pytest.approx(1.980, abs=5e-4)
    assert t95(100000) == pytest.approx(1.960, abs=5e-4)
    assert math.isnan(t95(0))


def test_paired_change_by_hand():
    base = np.array([100.0, 110.0, 90.0, 100.0])
    alt = np.array([90.0, 97.0, 83.0, 90.0])  # differences -10, -13, -7, -10
    pc = paired_change(base, alt)
    assert pc.baseline == 100.0 and pc.value == 90.0 and pc.diff == -10.0
    sd = np.std([-10, -13, -7, -10], ddof=1)  # sqrt(6)
    half = 3.182446 * sd / 2  # t(0.975, 3) to six figures (the table gives 3.182)
    assert pc.diff_low == pytest.approx(-10 - half) and pc.diff_high == pytest.approx(-10 + half)
    assert pc.change_pct == pytest.approx(-10.0)
    # The % CI is Fieller's: the ratios q = 1 + pct/100 at which the paired t statistic
    # of alt - q * base reaches the table's t(0.975, 3) = 3.182446 in absolute value.
    for pct in (pc.ci_low, pc.ci_high):
        e = alt - (1 + pct / 100) * base
        assert abs(e.mean() / (e.std(ddof=1) / 2)) == pytest.approx(3.182446, rel=1e-5)
    assert pc.ci_low < -10 < pc.ci_high and pc.note == ""
    assert pc.n == 4


def test_percentage_ci_cannot_go_below_minus_100():
    # A large, noisy drop: the old interval (diff CI over the baseline mean) went to
    # about -135%; no policy prevents more crimes than there are. Fieller's set itself
    # reaches a ratio below 0 here (the alternative's mean 2.375 is not clearly above
    # 0), so the bound is clipped to the non-negative ratios: exactly -100%.
    base = np.array([20.0, 24.0, 18.0, 22.0])
    alt = np.array([1.0, 0.0, 8.0, 0.5])
    pc = paired_change(base, alt)
    old_low = pc.diff_low / pc.baseline * 100
    assert old_low < -100
    assert pc.ci_low == -100 < pc.change_pct < pc.ci_high < 0


def test_percentage_ci_unbounded_when_baseline_not_clearly_nonzero():
    base = np.array([2.0, -1.0, 1.5, -2.0])  # mean 0.125, far within its noise
    alt = np.array([3.0, 0.0, 2.0, -1.0])
    pc = paired_change(base, alt)
    assert math.isfinite(pc.change_pct)
    assert math.isnan(pc.ci_low) and math.isnan(pc.ci_high)
    assert "unbounded" in pc.note


def test_identical_runs_give_zero_with_zero_width():
    base = np.array([3.0, 5.0, 4.0])
    pc = paired_change(base, base.copy())
    assert pc.diff == 0 and pc.ci_low == 0 and pc.ci_high == 0 and pc.change_pct == 0


def test_zero_baseline_has_no_relative_change():
    pc = paired_change(np.zeros(3), np.array([1.0, 0.0, 2.0]))
    assert math.isnan(pc.change_pct) and pc.diff == 1.0


def test_shapes_must_match():
    with pytest.raises(ValueError):
        paired_change(np.ones(3), np.ones(4))
    with pytest.raises(ValueError):
        paired_change(np.ones(0), np.ones(0))


def test_interval_covers_the_true_difference_about_95_percent():
    # 2000 synthetic comparisons of 8 paired replications with a known effect of -5.
    # Coverage is binomial: sd = sqrt(0.95 * 0.05 / 2000) = 0.0049, so 0.93-0.97 is
    # about four standard deviations either side.
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(2000):
        common = rng.normal(100, 20, 8)  # the shared part: the city, the plans
        base = common + rng.normal(0, 3, 8)
        alt = common - 5 + rng.normal(0, 3, 8)
        pc = paired_change(base, alt)
        hits += pc.diff_low <= -5 <= pc.diff_high
    assert 0.93 <= hits / 2000 <= 0.97


def test_mean_ci():
    m, lo, hi = mean_ci(np.array([1.0, 2.0, 3.0]))
    assert m == 2.0 and lo == pytest.approx(2 - 4.302653 / math.sqrt(3)) and hi > m


def test_outcome_window_counts_only_crimes_after_the_start(small_scenario):
    ticks, start = 24 * 16, 24 * 6
    full = run_outcome(small_scenario, 5, ticks, 0)
    late = run_outcome(small_scenario, 5, ticks, start)
    # same seed, same run: the window only drops the first days' crimes
    assert full.crime_map.shape == (N_CRIME, 40 * 40)
    assert late.crime_map.sum() < full.crime_map.sum()
    assert (late.crime_map <= full.crime_map).all()
    assert late.totals["crimes_total"] == late.crime_map.sum()
    for k, name in enumerate(CRIME_TYPES):
        assert late.totals[f"crimes_{name}"] == late.crime_map[k].sum()
    assert late.reported_map.sum() == late.totals["reported_crimes"]
    assert (late.reported_map <= late.crime_map).all()
    assert late.treated is None and late.costs == [] and late.seed == 5


def test_evaluation_start_is_the_first_intervention(small_scenario):
    a = small_scenario.with_overrides({"interventions.street_lighting.start_tick": 300})
    b = small_scenario.with_overrides({"interventions.street_lighting.start_tick": 100})
    assert evaluation_start([small_scenario]) == 0
    assert evaluation_start([small_scenario, a, b]) == 100
