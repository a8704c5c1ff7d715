"""anti_corruption: validation, detection, fewer bribes, undo and costs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import CrimeModel, Scenario, ScenarioError

ROOT = Path(__file__).resolve().parents[2]
KEY = "interventions.anti_corruption"
START = 720
#: A small force, half of it corrupt, that sees much of the crime: bribes are common.
FORCE = {"police.count": 12, "police.corrupt_share": 0.5, "police.detect_prob": 0.9}


def _scenario(small: dict, **over: object) -> Scenario:
    """The plug-in's scenario on the small city with a corrupt-heavy force."""
    sc = Scenario.load(ROOT / "scenarios" / "anti_corruption.toml")
    return sc.with_overrides({**small, **FORCE,
                              **{f"{KEY}.{k}": v for k, v in over.items()}})


@pytest.mark.parametrize(("key", "value"), [
    ("detection_rate", -0.01), ("detection_rate", "daily"), ("reform_share", 2.0),
    ("bribe_deterrence", -1.0), ("replacement_cost", -5.0), ("audits", 3),
    ("tests_per_officer_year", -1.0)])
def test_bad_parameters_name_the_key(small_overrides: dict, key: str, value: object) -> None:
    with pytest.raises(ScenarioError, match=rf"{KEY}\.{key}"):
        _scenario(small_overrides, **{key: value})


def test_certain_detection_clears_the_audited_force_on_the_first_day(
        small_overrides: dict) -> None:
    m = CrimeModel(scenario=_scenario(small_overrides, detection_rate=50.0), rng=2,
                   agent_views=False)
    m.run_for(START)
    assert m.police.corrupt.sum() == 6
    assert (m.state.fields.police_weight < 1).sum() == 6
    m.run_for(1)
    ac = m.interventions.items[0]
    assert m.police.corrupt.sum() == 0
    assert (m.state.fields.police_weight == 1).all()  # deterrence restored with honesty
    assert ac.reformed + ac.replaced == 6


def test_detection_follows_from_the_testing_dose(small_overrides: dict) -> None:
    """With no detection_rate, a corrupt officer's daily hazard is tests / 365 x the
    bribe probability in force (a test is a bribe offer he takes as any other)."""
    m = CrimeModel(scenario=_scenario(small_overrides, tests_per_officer_year=36.5,
                                      bribe_deterrence=0.5), rng=2, agent_views=False)
    bribe0 = m.p.police.bribe_prob
    m.run_for(START + 1)
    ac = m.interventions.items[0]
    assert m.levers.bribe_prob == pytest.approx(0.5 * bribe0)
    assert ac._p_day == pytest.approx(1.0 - np.exp(-36.5 / 365.0 * 0.5 * bribe0))


def test_tests_find_corrupt_officers_at_the_predicted_rate(small_overrides: dict) -> None:
    """Officer-days to detection: the count found over 60 days against the hazard.

    With hazard p a day, each of the N corrupt officers is found within D days with
    probability 1 - (1 - p)^D; over seeds the count found is binomial, so the test asks
    it to lie within 3.1 binomial standard deviations of its mean.
    """
    over = {**small_overrides, "market.enabled": False}  # no officers bought back
    found = n = 0
    days = 60
    for seed in (1, 2, 3, 4):
        m = CrimeModel(scenario=_scenario(over, tests_per_officer_year=3.65), rng=seed,
                       agent_views=False)
        m.run_for(START)
        n += int(m.police.corrupt.sum())
        m.run_for(24 * days)
        ac = m.interventions.items[0]
        found += ac.reformed + ac.replaced
        p = ac._p_day
    q = 1.0 - (1.0 - p) ** days
    mean, sd = n * q, np.sqrt(n * q * (1.0 - q))
    assert abs(found - mean) <= 3.1 * sd, (found, mean, sd)


def test_only_audited_officers_are_found(small_overrides: dict) -> None:
    m = CrimeModel(scenario=_scenario(small_overrides, detection_rate=50.0, coverage=0.5),
                   rng=2, agent_views=False)
    m.run_for(START)
    corrupt0 = m.police.corrupt.copy()
    m.run_for(24 * 3)
    ac = m.interventions.items[0]
    unaudited = np.setdiff1d(np.arange(m.police.n), ac.audited)
    assert ac.audited.size == 6
    np.testing.assert_array_equal(m.police.corrupt[unaudited], corrupt0[unaudited])
    assert not m.police.corrupt[ac.audited].any()


def test_detection_follows_the_daily_hazard(small_overrides: dict) -> None:
    """Officers still corrupt after d days: Binomial(n, exp(-rate d)) over seeds.

    60 corrupt officers (10 seeds x 6) at rate 0.05 over 10 days: 36.4 expected
    remain, sd 3.8; the test allows 4 sd.
    """
    left = 0
    for seed in range(10):
        sc = _scenario(small_overrides, detection_rate=0.05, start_tick=24)
        m = CrimeModel(scenario=sc, rng=seed, agent_views=False)
        m.run_for(24 + 24 * 10 - 1)  # 10 daily audits: the start day and 9 more
        left += int(m.police.corrupt.sum())
    p = np.exp(-0.05 * 10)
    assert abs(left - 60 * p) <= 4 * np.sqrt(60 * p * (1 - p))


def test_fewer_bribes_than_the_baseline(small_overrides: dict) -> None:
    """Over 2 seeds and 45 days, the programme's bribes are far fewer.

    A city with many offenders and a half-corrupt force that sees most crime, so the
    baseline's bribes number dozens (checked >= 30). With a detection rate of 0.5 a
    day, the corrupt officers are gone within a week; a fall below 30% is far outside
    what equal rates would give (> 4 Poisson sd).
    """
    bribery = {**small_overrides, "offenders.count": 300, "police.count": 24,
               "police.corrupt_share": 0.5, "police.detect_prob": 0.9,
               "police.bribe_prob": 1.0, "police.deterrence_radius": 3}
    base = Scenario.load(ROOT / "scenarios" / "baseline.toml").with_overrides(bribery)
    alt = Scenario.load(ROOT / "scenarios" / "anti_corruption.toml").with_overrides(
        {**bribery, f"{KEY}.detection_rate": 0.5})
    totals = {"base": 0, "alt": 0}
    for seed in range(2):
        for name, sc in (("base", base), ("alt", alt)):
            m = CrimeModel(scenario=sc, rng=seed, agent_views=False)
            m.run_for(START)
            before = m.results.to_frame()["bribes"].sum()
            m.run_for(24 * 45)
            totals[name] += m.results.to_frame()["bribes"].sum() - before
    assert totals["base"] >= 30
    assert totals["alt"] < 0.3 * totals["base"]


def test_end_restores_the_bribe_rate_and_honest_officers_stay_honest(
        small_overrides: dict) -> None:
    sc = _scenario(small_overrides, detection_rate=50.0, bribe_deterrence=0.5,
                   end_tick=START + 24 * 5)
    m = CrimeModel(scenario=sc, rng=2, agent_views=False)
    bribe0 = m.levers.bribe_prob
    m.run_for(START + 1)
    assert m.levers.bribe_prob == pytest.approx(0.5 * bribe0)
    m.run_for(24 * 5)
    assert m.levers.bribe_prob == bribe0
    assert m.police.corrupt.sum() == 0
    assert m.interventions.items[0].finished


def test_cost_account(small_overrides: dict) -> None:
    sc = _scenario(small_overrides, detection_rate=50.0, setup_cost=100.0, running_cost=3.0,
                   reform_cost=1_000.0, replacement_cost=10_000.0)
    m = CrimeModel(scenario=sc, rng=2, agent_views=False)
    m.run_for(START + 24 * 4 + 1)
    ac = m.interventions.items[0]
    cost = ac.cost()
    assert cost["units"] == 12
    assert cost["days_active"] == 5
    assert cost["setup"] == pytest.approx(100.0 * 12 + 1_000.0 * ac.reformed
                                          + 10_000.0 * ac.replaced)
    assert cost["running"] == pytest.approx(3.0 * 12 * 5)
