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
    # mean 1, sd 2 (two points at 1 -+ sqrt(2)): the normal n = (2.801585 * 2 / 1)^2
    # = 31.40 -> 32; the smallest n >= 32 with ((t_0.975 + t_0.80 at n - 1 df) * 2)^2
    # <= n (t tables): n 32, df 31: (2.892883 * 2)^2 = 33.48 > 32; n 33: 33.4 > 33;
    # n 34, df 33: ((2.034515 + 0.852649) * 2)^2 = 33.34 <= 34 -> 34
    diffs = np.array([1 - math.sqrt(2), 1 + math.sqrt(2)])
    assert abs((Z * 2 / 1) ** 2 - 31.3955) < 1e-3
    assert abs(((2.039513 + 0.853370) * 2) ** 2 - 33.475) < 1e-2
    assert replications_needed(diffs) == 34
    # a mean of -3 with sd 6 has the same ratio, so the same n
    assert replications_for(-3.0, 6.0) == 34
    # a large effect is not "detected with 2": sd/mean = 0.5, normal n = 1.96 -> 2;
    # n 2, df 1: ((12.706205 + 1.376382) * 0.5)^2 = 49.6 > 2; n 3, df 2: 7.2 > 3;
    # n 4, df 3: ((3.182446 + 0.978472) * 0.5)^2 = 4.33 > 4;
    # n 5, df 4: ((2.776445 + 0.940965) * 0.5)^2 = 3.45 <= 5 -> 5
    assert replications_for(2.0, 1.0) == 5


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
    assert 0.80 <= exact < 0.83  # the t refinement reaches 80% power, not much more
    se = math.sqrt(exact * (1 - exact) / trials)
    assert abs(rejected - exact) < 4 * se
