"""Short et al. (2008) as a special case of the crime model.

The lattice scenarios switch off residents, police and services and make burglars
transient; the model then *is* the paper's lattice model, so its homogeneous
equilibrium and its hotspot regime must appear:

- mean B = theta * Gamma / omega exactly in expectation (in steady state burglaries
  equal spawns, Gamma dt per site per step, and B loses omega dt of itself per step);
- burglars per site n_bar = Gamma dt / (1 - exp(-A_bar dt)), up to the small bias that
  burglars gather where A is high (a relative excess of order CV(A)^2);
- set (a) (eta = 0.2, above the critical ~0.11) stays flat; set (c) (eta = 0.03)
  forms hotspots that stay put.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim import CrimeModel, Scenario

ROOT = Path(__file__).resolve().parents[1]
THETA, GAMMA, OMEGA, A0, DT = 0.56, 0.019, 1.0 / 15.0, 1.0 / 30.0, 0.01
B_BAR = THETA * GAMMA / OMEGA
A_BAR = A0 + B_BAR
N_BAR = GAMMA * DT / (1.0 - math.exp(-A_BAR * DT))
STEPS_PER_UNIT = 100  # ticks per model time unit (dt = 0.01)


def run_lattice(path: str, seed: int, units: int, window: int = 10,
                overrides: dict | None = None) -> dict:
    """Run ``units`` time units; return per-tick metrics and window-averaged B maps."""
    sc = Scenario.load(ROOT / path)
    if overrides:
        sc = sc.with_overrides(overrides)
    model = CrimeModel(scenario=sc, rng=seed)
    maps = []
    for _ in range(units // window):
        acc = np.zeros_like(model.city.b)
        for _ in range(window):
            model.run_for(STEPS_PER_UNIT)
            acc += model.city.b
        maps.append(acc / window)
    df = model.results.to_frame()
    return {"model": model, "frame": df, "maps": maps}


def ou_mean_se(x: np.ndarray) -> tuple[float, float]:
    """Mean of a per-tick series and its standard error.

    The spatial mean of B follows d<B>/dt = -omega <B> + theta <E>: an
    Ornstein-Uhlenbeck process with correlation time tau = 1/omega (15 time units, 1500
    ticks), so a series of T time units holds about T / (2 tau) independent values and
    SE = sd * sqrt(2 tau / T). The burglar count relaxes faster (1/A ~ 5 units), so the
    same formula is conservative for it.
    """
    t_units = x.size / STEPS_PER_UNIT
    return float(x.mean()), float(x.std() * math.sqrt(2.0 / (OMEGA * t_units)))


@pytest.fixture(scope="module")
def set_a() -> dict:
    return run_lattice("scenarios/short2008.toml", seed=11, units=80)


@pytest.fixture(scope="module")
def set_c() -> dict:
    return run_lattice("scenarios/short2008_hotspots.toml", seed=11, units=80)


def test_scenarios_are_the_paper_parameters():
    a = Scenario.load(ROOT / "scenarios/short2008.toml").params
    c = Scenario.load(ROOT / "scenarios/short2008_hotspots.toml").params
    for p in (a, c):
        assert (p.city.width, p.city.height, p.city.periodic, p.city.neighbourhood) == (
            128, 128, True, 4)
        assert p.time.dt == DT
        assert p.near_repeat.omega == pytest.approx(OMEGA)
        assert p.attractiveness.residential == pytest.approx(A0)
        assert p.near_repeat.theta == THETA and p.offenders.spawn_rate == GAMMA
        assert p.residents.count == 0 and p.police.count == 0 and p.services.count == 0
        assert p.offenders.transient and p.offenders.always_active
    assert a.near_repeat.eta == 0.2 and c.near_repeat.eta == 0.03


def test_homogeneous_equilibrium_mean_b(set_a):
    # Skip 20 time units of burn-in, then compare the time average of mean B.
    mean_b = set_a["frame"]["mean_b"].to_numpy()[20 * STEPS_PER_UNIT:]
    mean, se = ou_mean_se(mean_b)
    assert abs(mean - B_BAR) < 4 * se + 1e-4, (mean, se, B_BAR)


def test_homogeneous_equilibrium_burglars_per_site(set_a):
    model = set_a["model"]
    n = set_a["frame"]["offenders_free"].to_numpy()[20 * STEPS_PER_UNIT:] / model.city.n_cells
    mean, se = ou_mean_se(n)
    a = model.city.a0 + model.city.b
    bias = float((a.std() / a.mean()) ** 2)  # burglars sit where A is high
    assert abs(mean / N_BAR - 1.0) < bias + 4 * se / N_BAR, (mean, N_BAR, bias)


def test_equilibrium_reached_from_an_empty_lattice():
    # No burglars and B = 0 at the start: B relaxes on the time scale 1/omega = 15.
    out = run_lattice("scenarios/short2008.toml", seed=5, units=100, window=100,
                      overrides={"city.width": 64, "city.height": 64, "offenders.count": 0,
                                 "near_repeat.initial_b": 0.0})
    mean_b = out["frame"]["mean_b"].to_numpy()
    assert mean_b[10 * STEPS_PER_UNIT] < 0.6 * B_BAR  # still climbing early on
    late, se = ou_mean_se(mean_b[75 * STEPS_PER_UNIT:])
    # After five relaxation times the residual gap is exp(-5) of B_BAR at most.
    assert abs(late - B_BAR) < math.exp(-5) * B_BAR + 4 * se, (late, se)


def test_set_a_stays_flat(set_a):
    last = set_a["maps"][-1]
    assert last.std() / last.mean() < 0.25
    assert last.max() / last.mean() < 2.0


def test_set_c_forms_stationary_hotspots(set_a, set_c):
    first, prev, last = set_c["maps"][0], set_c["maps"][-2], set_c["maps"][-1]
    cv_c = last.std() / last.mean()
    cv_a = set_a["maps"][-1].std() / set_a["maps"][-1].mean()
    assert cv_c > 0.5 and cv_c > 4 * cv_a, (cv_c, cv_a)
    assert last.max() / last.mean() > 4.0
    # Hotspots grow from the near-flat start ...
    assert first.std() / first.mean() < cv_c / 2
    # ... and stay where they are: consecutive 10-unit averages nearly coincide.
    assert np.corrcoef(prev.ravel(), last.ravel())[0, 1] > 0.85
