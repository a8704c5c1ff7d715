"""The illicit market in the model: wiring, switches and the anti-corruption loop.

The kernels are checked against their numpy twins in tests/kernels; here: the market
runs by default and records its metrics, is silent when off or without gangs, feeds
recruitment one gain per gang, and buys back officers an audit made honest.
"""

from __future__ import annotations

import numpy as np

from sim.crime import market
from sim.crime.model import CrimeModel


def test_market_runs_by_default_and_records(small_scenario):
    m = CrimeModel(scenario=small_scenario.with_overrides({"market.approach_rate": 0.01}),
                   rng=1, agent_views=False)
    assert m.state.market.active
    assert m.state.market.revenue.size == m.p.offenders.gangs
    assert (m.state.market.revenue > 0).any()  # starts at its expected level
    m.run_for(24 * 10)
    frame = m.results.to_frame()
    assert frame["extortion_attempts"].sum() == m.state.market.totals[0] > 0
    assert frame["extortion_payments"].sum() <= frame["extortion_attempts"].sum()
    assert frame["officers_corrupt"].iloc[-1] == m.police.corrupt.sum()
    assert market.market_summary(m)["enabled"]


def test_market_off_or_without_gangs_is_silent(small_scenario):
    for over in ({"market.enabled": False}, {"offenders.gangs": 0}):
        m = CrimeModel(scenario=small_scenario.with_overrides(over), rng=1,
                       agent_views=False)
        assert not m.state.market.active
        gain = market.recruitment_gain(m.state, m.levers, 4)
        np.testing.assert_array_equal(gain, np.full(4, m.levers.recruitment_gang))
        m.run_for(48)
        frame = m.results.to_frame()
        assert frame[["extortion_attempts", "officers_corrupt", "gang_revenue"]].sum().sum() == 0


def test_reformed_officers_can_be_bought_again(small_scenario):
    """After an audit makes everyone honest, a rich gang buys officers on its turf."""
    sc = small_scenario.with_overrides({"market.corruption_rate": 50.0,
                                        "market.exit_days": 1e6})
    m = CrimeModel(scenario=sc, rng=2, agent_views=False)
    m.state.market.revenue[:] = 1000.0
    m.police.corrupt[:] = False  # what anti_corruption does to the officers it finds
    m.refresh_police_weight()
    on_turf = m.state.city.territory[m.city.flat("district")[m.police.pos]] >= 0
    m.run_for(24 + 1)  # day 0 runs no market; day 1's first tick does
    assert m.police.corrupt.sum() > 0
    weights = m.state.fields.police_weight
    np.testing.assert_array_equal(weights[m.police.corrupt], m.levers.corrupt_deterrence)
    assert on_turf.any()


def test_recruitment_gain_follows_revenue_per_member(small_scenario):
    m = CrimeModel(scenario=small_scenario, rng=3, agent_views=False)
    s, lv = m.state, m.levers
    s.market.revenue[:] = 0.0
    base = market.gains(s, lv)
    np.testing.assert_allclose(base, lv.recruitment_gang * (1 - lv.market.recruitment_revenue))
    s.market.revenue[0] = 1e6
    richer = market.gains(s, lv)
    assert richer[0] > base[0]
    np.testing.assert_allclose(richer[1:], base[1:])
