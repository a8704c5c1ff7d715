"""Deterrence by perceived risk and police presence, in the model (sim/crime/deterrence.py).

The kernels have their twins in tests/kernels; here: the switch, the lattice, the
beliefs' range, and that the presence field reaches beyond the classic 3 x 3 blocks.
"""

from __future__ import annotations

import numpy as np

from sim import CrimeModel, Scenario
from sim.config import DEAD
from sim.scenario.classic import CLASSIC_SWITCHES


def run(scenario: Scenario, days: int = 3, seed: int = 4) -> CrimeModel:
    model = CrimeModel(scenario=scenario, rng=seed, agent_views=False)
    model.run_for(days * model.ticks_per_day)
    return model


def test_switch_is_classic():
    assert CLASSIC_SWITCHES["deterrence.enabled"] is False


def test_off_nothing_is_learnt_and_the_field_is_the_classic_one(small_scenario):
    model = run(small_scenario.with_overrides({"deterrence.enabled": False}))
    assert not model.levers.deterrence.enabled
    assert model.levers.deterrence.sensitivity == 0.0
    assert model.levers.deterrence.avoidance == 0.0
    assert (model.offenders.risk == 0.0).all()
    assert model.state.presence is None
    field = model.state.fields.police_field
    d = small_scenario["police.deterrence"]
    # Classic: multiples of the per-officer deterrence only (blocks of whole officers).
    weights = model.state.fields.police_weight
    assert field.max() <= d * weights.sum() + 1e-12


def test_on_beliefs_stay_shares_and_move_from_the_prior(small_scenario):
    model = run(small_scenario, days=5)
    lv = model.levers.deterrence
    assert lv.enabled and lv.sensitivity > 0
    risk = model.offenders.risk
    live = model.offenders.state != DEAD
    assert ((risk >= 0) & (risk <= 1)).all()
    np.testing.assert_allclose(risk[~live], lv.prior, rtol=1e-6)
    assert np.unique(risk[live]).size > 1  # experience and sightings moved some beliefs


def test_presence_reaches_beyond_the_classic_blocks(small_scenario):
    on = run(small_scenario, days=1)
    off = run(small_scenario.with_overrides({"deterrence.enabled": False}), days=1)
    assert (on.state.fields.police_field > 0).sum() > (off.state.fields.police_field > 0).sum()


def test_off_on_the_lattice(root):
    sc = Scenario.load(root / "scenarios/short2008.toml")
    model = CrimeModel(scenario=sc, rng=1, agent_views=False)
    assert not model.levers.deterrence.enabled


def test_perceived_risk_metric_is_the_free_street_offenders_mean(small_scenario):
    from sim.config import FREE, STREET_OFFENDER

    model = run(small_scenario, days=2)
    off = model.offenders
    street = (off.state == FREE) & (off.kind == STREET_OFFENDER)
    # The last row was written after the tick's learning: the plain mean of the beliefs.
    assert model.results.last("perceived_risk_mean") == np.float64(off.risk[street].mean())
    column = model.results.column("perceived_risk_mean")
    assert ((column > 0) & (column <= 1)).all()
    off_model = run(small_scenario.with_overrides({"deterrence.enabled": False}), days=1)
    assert (off_model.results.column("perceived_risk_mean") == 0).all()


def test_more_police_are_believed_more_dangerous(small_scenario):
    # Sightings raise beliefs (ODD §7.10b): with four times the officers, offenders'
    # mean perceived risk after a week is higher than with none, seed for seed.
    base = small_scenario["police.count"]
    for seed in (1, 2):
        many = run(small_scenario.with_overrides({"police.count": 4 * base}), 7, seed)
        none = run(small_scenario.with_overrides({"police.count": 0}), 7, seed)
        assert (many.results.last("perceived_risk_mean")
                > none.results.last("perceived_risk_mean"))
