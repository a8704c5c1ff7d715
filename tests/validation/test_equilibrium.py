"""Short et al.'s equilibrium formulas and the regime measures, on hand-made inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.validation.equilibrium import (
    FIGURE3,
    ShortParams,
    burglary_rate,
    classify,
    map_correlation,
    ou_mean_se,
    spatial_cv,
)


def test_figure3_sets_carry_the_papers_values():
    assert [(p.label, p.eta, p.theta, p.gamma) for p in FIGURE3] == [
        ("a", 0.2, 0.56, 0.019), ("b", 0.2, 5.6, 0.002), ("c", 0.03, 0.56, 0.019),
        ("d", 0.03, 5.6, 0.002)]
    for p in FIGURE3:
        assert (p.omega, p.a0, p.dt) == (pytest.approx(1 / 15), pytest.approx(1 / 30), 0.01)


def test_formulas_give_the_scenario_files_numbers():
    # scenarios/short2008.toml: B = theta Gamma / omega = 0.1596, n_bar = 0.0986, and
    # 1615 burglars on 128 x 128 sites.
    a = FIGURE3[0]
    assert a.b_bar == pytest.approx(0.1596)
    assert a.a_bar == pytest.approx(1 / 30 + 0.1596)
    assert a.n_bar == pytest.approx(0.0986, abs=5e-5)
    assert round(a.n_bar * 128 * 128) == 1615
    # The continuum limit: n_bar -> Gamma / A_bar as dt -> 0.
    fine = ShortParams("x", eta=0.2, theta=0.56, gamma=0.019, dt=1e-7)
    assert fine.n_bar == pytest.approx(0.019 / fine.a_bar, rel=1e-6)


def test_ou_standard_error_covers_the_mean_of_a_known_process():
    # An AR(1) with correlation time 1/omega steps-per-unit scaled, mean 0.16.
    rng = np.random.default_rng(4)
    spu, omega, units = 100, 1 / 15, 300
    phi = math.exp(-omega / spu)
    x = np.empty(spu * units)
    x[0] = 0.0
    noise = rng.normal(0, 0.01, x.size)
    for k in range(1, x.size):
        x[k] = phi * x[k - 1] + noise[k]
    mean, se = ou_mean_se(x + 0.16, spu, omega)
    assert abs(mean - 0.16) < 4 * se
    # The SE is that of about T omega / 2 = 10 independent values.
    assert se == pytest.approx(x.std() * math.sqrt(2 / (omega * units)))


def test_burglary_rate_of_poisson_spawns():
    # Burglaries are spawns minus the change in burglars: with a steady burglar count,
    # they are Poisson with mean Gamma dt per site per step.
    rng = np.random.default_rng(8)
    n_sites, spu, gamma = 1000, 100, 0.02
    steps = 50 * spu
    burglaries = rng.poisson(gamma / spu * n_sites, steps).astype(float)
    burglars = np.full(steps, 100.0)
    rate, se = burglary_rate(burglaries, burglars, n_sites, spu, gamma)
    assert se == pytest.approx(math.sqrt(gamma / (n_sites * 50)))
    assert abs(rate - gamma) < 4 * se
    # A spawn probability of Gamma instead of Gamma dt: a hundred times the rate.
    wrong = rng.poisson(gamma * n_sites, steps).astype(float)
    rate_w, _ = burglary_rate(wrong, burglars, n_sites, spu, gamma)
    assert rate_w > 50 * gamma


def test_map_measures_and_regimes():
    flat = np.full((20, 20), 0.16)
    assert spatial_cv(flat) == pytest.approx(0.0, abs=1e-12)
    assert math.isnan(map_correlation(flat, flat))
    rng = np.random.default_rng(0)
    spots = rng.gamma(0.3, 1.0, (20, 20))
    assert spatial_cv(spots) > 1.0
    assert map_correlation(spots, spots) == pytest.approx(1.0)
    assert classify(0.1, 0.9) == "homogeneous"
    assert classify(1.3, 0.9) == "stationary hotspots"
    assert classify(1.3, 0.3) == "dynamic hotspots"
