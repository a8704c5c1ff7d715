"""Paired dose-response summaries on synthetic sweep results with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.validation.dose_analysis import (
    elasticity,
    monotone_decreasing,
    paired_curve,
    relative_slope,
)
from experiments.validation.dose_text import coverage_verdict, police_verdict


def frame(doses: list[float], fn, seeds: int = 6, noise: float = 0.0) -> pd.DataFrame:
    """One row per (seed, dose): metric = seed's own level times fn(dose), plus noise."""
    rng = np.random.default_rng(1)
    rows = []
    for s in range(seeds):
        level = 1000.0 + 200.0 * s  # cities differ a lot; the pairing removes it
        for d in doses:
            rows.append({"seed": s, "dose": d,
                         "m": level * fn(d) * (1 + noise * rng.standard_normal())})
    return pd.DataFrame(rows)


def test_paired_curve_recovers_an_exact_linear_fall():
    f = frame([0.0, 0.5, 1.0], lambda d: 1.0 - 0.2 * d)
    c = paired_curve(f, "dose", "m")
    assert list(c["dose"]) == [0.0, 0.5, 1.0]
    np.testing.assert_allclose(c["change_pct"], [0.0, -10.0, -20.0])
    # Every seed falls by exactly 20%, so the ratio of the means is exactly 0.8 in
    # every replication: Fieller's interval for it has zero width (the old interval,
    # the difference's CI over the baseline mean, spanned the seeds' spread).
    assert c.iloc[-1]["ci_low"] == pytest.approx(-20.0)
    assert c.iloc[-1]["ci_high"] == pytest.approx(-20.0)
    assert relative_slope(f, "dose", "m")[0] == pytest.approx(-20.0)
    assert monotone_decreasing(c)


def test_pairing_beats_the_spread_between_seeds():
    f = frame([0.0, 1.0], lambda d: 1.0 - 0.05 * d, seeds=8, noise=0.005)
    c = paired_curve(f, "dose", "m").iloc[-1]
    assert c["ci_low"] < -5.0 < c["ci_high"]
    assert c["ci_high"] < 0  # a 5% fall is clear although cities differ by 2x


def test_elasticity_of_a_power_law():
    f = frame([0, 12, 24, 48], lambda d: (max(d, 1) / 24.0) ** -0.5)
    mean, lo, hi = elasticity(f, "dose", "m", 12, 48)
    assert mean == pytest.approx(-0.5)
    assert lo == pytest.approx(-0.5) and hi == pytest.approx(-0.5)
    assert math.isnan(elasticity(f, "dose", "m", 12, 96)[0])  # 96 was not run


def test_monotone_allows_noise_but_not_a_reversal():
    def curve(changes, half):
        return pd.DataFrame({"change_pct": changes, "ci_low": np.subtract(changes, half),
                             "ci_high": np.add(changes, half)})

    assert monotone_decreasing(curve([0, -5, -4, -10], [0, 2, 2, 2]))
    assert not monotone_decreasing(curve([0, -5, 3, -10], [0, 2, 2, 2]))


def test_verdict_rules():
    c = pd.DataFrame({"change_pct": [0.0, -8.0], "ci_low": [0.0, -11.0],
                      "ci_high": [0.0, -5.0]})
    assert coverage_verdict(c, monotone=True) == "matches"
    assert coverage_verdict(c, monotone=False) == "partly"
    c.loc[1, "ci_high"] = 1.0
    assert coverage_verdict(c, monotone=True) == "partly"
    c.loc[1, "change_pct"] = 2.0
    assert coverage_verdict(c, monotone=True) == "does not"
    assert police_verdict((-0.5, -0.7, -0.3)) == "matches"
    assert police_verdict((-0.05, -0.08, -0.02)) == "partly"
    assert police_verdict((-0.3, -0.6, 0.1)) == "does not"
    assert police_verdict((math.nan,) * 3) == "does not"
