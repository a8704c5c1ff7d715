"""The calibrator's measures against hand calculations and known curves."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.count_likelihood import dispersion, poisson_deviance, profile_interval
from sim.analysis.hotspot_accuracy import gini, lorenz_curve, pai, spearman, top_cells
from sim.analysis.rate_emulator import estimate_rate, fit_emulator
from sim.analysis.spatial_profile import surface_intervals


def test_poisson_deviance_by_hand():
    # y = 4, mu = 2: 2 (4 ln 2 - 2); y = 0, mu = 3: 2 * 3
    assert poisson_deviance(np.array([4.0, 0.0]), np.array([2.0, 3.0])) == pytest.approx(
        [2 * (4 * math.log(2) - 2), 6.0])


def test_dispersion_is_pearson_over_df_at_least_one():
    y, mu = np.array([0.0, 10.0, 5.0]), np.array([5.0, 5.0, 5.0])
    assert dispersion(y, mu, 1) == pytest.approx((5 + 5 + 0) / 2)
    assert dispersion(mu, mu, 1) == 1.0
    assert dispersion(y, mu, 1, variance_factor=2.0) == pytest.approx(2.5)


def test_profile_interval_on_a_parabola():
    # d = (x - 1)^2 on a grid of step 0.5; threshold 1: inside x in {0, 0.5, .., 2},
    # bounds halfway to the next trial out (-0.5 and 2.5): -0.25 and 2.25
    x = np.arange(-2.0, 4.01, 0.5)
    iv = profile_interval(x, (x - 1.0) ** 2, 1.0, (-2.0, 4.0))
    assert (iv.low, iv.high, iv.open_low, iv.open_high) == (-0.25, 2.25, False, False)
    flat = profile_interval(x, np.zeros_like(x), 1.0, (-2.0, 4.0))
    assert (flat.low, flat.high, flat.open_low, flat.open_high) == (-2.0, 4.0, True, True)


def test_lorenz_gini_pai_spearman_by_hand():
    x, y = lorenz_curve(np.array([3.0, 1.0, 0.0, 0.0]))
    assert x.tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert y.tolist() == [0, 0, 0, 0.25, 1.0]
    # area under the curve: trapezoids 0, 0, 0.25 * 0.25 / 2, 0.25 * 1.25 / 2 = 0.1875
    assert gini(np.array([3.0, 1.0, 0.0, 0.0])) == pytest.approx(1 - 2 * 0.1875)
    assert gini(np.ones(5)) == pytest.approx(0.0)
    predicted = np.array([0.0, 5.0, 1.0, 9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    observed = np.array([1.0, 2.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0])
    assert top_cells(predicted, 0.2).tolist() == [3, 1]
    # top 20% of cells hold 5 of 8 crimes: PAI = (5 / 8) / 0.2
    assert pai(predicted, observed, 0.2) == pytest.approx(3.125)
    assert math.isnan(pai(predicted, np.zeros(10), 0.2))
    assert spearman(np.array([1, 2, 3, 4]), np.array([10, 20, 30, 40])) == pytest.approx(1)
    assert spearman(np.array([1, 2, 3, 4]), np.array([4, 3, 2, 1])) == pytest.approx(-1)


def test_the_emulator_recovers_a_power_law_and_its_interval():
    # mu = 100 (rate / 0.01)^0.8 per run, 2 runs per trial, exact totals: a = ln 100 -
    # 0.8 ln 0.01, b = 0.8; observed 100 -> rate 0.01; phi = 1, so the interval is the
    # Poisson one: deviance of 100 within 3.84 for mu in about [81.4, 120.6]
    x = np.log(np.geomspace(0.002, 0.05, 9))
    totals = 2 * 100 * np.exp(0.8 * (x - math.log(0.01)))
    coef = fit_emulator(x[:, None], totals, 2)
    assert coef[1] == pytest.approx(0.8, abs=1e-6)
    # a second key z that doubles crime per unit: held at z = 1, the same rate needs
    # crime halved, so the estimate is 0.01 * 2^(-1/0.8) when observed is 100
    z = np.tile([0.0, 1.0, 2.0], 3)
    with_z = totals * 2.0 ** z
    design = np.column_stack([x, z])
    bounds = (math.log(0.002), math.log(0.05))
    shifted = estimate_rate(design, with_z, 2, 100.0, 1.0, bounds, 0, np.array([0.0, 1.0]))
    assert math.exp(shifted.log_rate) == pytest.approx(0.01 * 2 ** (-1 / 0.8), rel=1e-6)
    est = estimate_rate(x[:, None], totals, 2, 100.0, 1.0, bounds, 0, np.array([0.0]))
    assert math.exp(est.log_rate) == pytest.approx(0.01, rel=1e-6)
    low = 0.01 * (81.4 / 100) ** (1 / 0.8)
    high = 0.01 * (120.6 / 100) ** (1 / 0.8)
    assert math.exp(est.low) == pytest.approx(low, rel=0.01)
    assert math.exp(est.high) == pytest.approx(high, rel=0.01)
    assert not (est.open_low or est.open_high) and est.phi == 1.0


def test_the_surface_profile_of_a_known_quadratic():
    # D = 8 (u1 - 0.5)^2 + 8 (u1 - 0.5)(u2 - 0.25) + 8 (u2 - 0.25)^2 on a 5 x 5 grid of
    # [0, 1]^2: H = [[16, 8], [8, 16]], minimum (0.5, 0.25); profile curvature of u1 is
    # 16 - 8 * 8 / 16 = 12, so with cut 1.5 its half-width is sqrt(2 * 1.5 / 12) = 0.5
    g = np.linspace(0, 1, 5)
    u = np.array([(a, b) for a in g for b in g])
    d = 8 * (u[:, 0] - 0.5) ** 2 + 8 * (u[:, 0] - 0.5) * (u[:, 1] - 0.25) + 8 * (
        u[:, 1] - 0.25) ** 2
    first, second = surface_intervals(u * 2.0, d, [(0.0, 2.0), (0.0, 2.0)], 1.5)
    assert first.value == pytest.approx(1.0)  # 0.5 of a range of 2
    assert (first.low, first.high) == (pytest.approx(0.0), pytest.approx(2.0))
    assert second.value == pytest.approx(0.5)
    assert second.low == 0.0 and second.open_low and not second.open_high
    assert surface_intervals(u, -d, [(0.0, 1.0), (0.0, 1.0)], 1.5) is None  # no minimum
