"""Replications needed to detect an effect: a hand calculation and a simulation check."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.analysis.power import paired_sd_from_ci, replications_for, replications_needed
from sim.analysis.stats import paired_change

Z = 1.959964 + 0.841621  # z_0.975 + z_0.80 (normal tables)


def test_replications_needed_matches_the_hand_formula():
    # mean 1, sd 2 (two points at 1 -+ sqrt(2)): n = (2.801585 * 2 / 1)^2 = 31.40 -> 32
    diffs = np.array([1 - math.sqrt(2), 1 + math.sqrt(2)])
    assert abs((Z * 2 / 1) ** 2 - 31.3955) < 1e-3
    assert replications_needed(diffs) == 32
    # a mean of -3 with sd 6 needs the same (4 * 7.849 = 31.40)
    assert replications_for(-3.0, 6.0) == 32
    # 90% power: z_0.90 = 1.281552 -> (3.241516 * 2)^2 = 42.03 -> 43
    assert replications_for(1.0, 2.0, power=0.9) == 43


def test_no_effect_or_a_tiny_one_has_no_practical_number():
    assert replications_for(0.0, 1.0) is None
    assert replications_for(0.001, 1.0) is None  # (2.8 * 1000)^2 replications
    assert replications_for(math.nan, 1.0) is None
    assert replications_for(5.0, 0.0) == 2  # no spread: the fewest a CI needs
    with pytest.raises(ValueError):
        replications_needed(np.array([1.0]))


def test_the_sd_comes_back_from_a_rows_ci():
    rng = np.random.default_rng(4)
    base = rng.normal(100, 10, 6)
    alt = base + rng.normal(-3, 2, 6)
    pc = paired_change(base, alt)
    sd = paired_sd_from_ci(pc.diff_low, pc.diff_high, pc.n)
    assert sd == pytest.approx(float(np.std(alt - base, ddof=1)), rel=1e-9)
    assert math.isnan(paired_sd_from_ci(math.nan, 1.0, 6))


def test_that_many_replications_detect_the_effect_about_80_percent_of_the_time():
    """Seeded: paired t tests at the suggested n reject about as often as t theory says."""
    mean, sd = 1.0, 2.0
    n = replications_for(mean, sd)
    rng = np.random.default_rng(2026)
    trials = 4000
    d = rng.normal(mean, sd, (trials, n))
    t = d.mean(1) / (d.std(1, ddof=1) / math.sqrt(n))
    rejected = float(np.mean(np.abs(t) > stats.t.ppf(0.975, n - 1)))
    # exact power of the paired t test at this n (noncentral t)
    nc = mean / sd * math.sqrt(n)
    crit = stats.t.ppf(0.975, n - 1)
    exact = float(stats.nct.sf(crit, n - 1, nc) + stats.nct.cdf(-crit, n - 1, nc))
    assert 0.78 < exact < 0.83  # the normal formula is close to 80% at this n
    se = math.sqrt(exact * (1 - exact) / trials)
    assert abs(rejected - exact) < 4 * se
