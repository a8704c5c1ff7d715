"""Public-private partnership: guards and CCTV in commercial cells, shared costs."""

from __future__ import annotations

import numpy as np
import pytest

from sim import CrimeModel, Scenario
from sim.config import COMMERCIAL, NIGHTLIFE, ROBBERY
from sim.crime.agents import Guard
from sim.interventions.public_private_partnership import PublicPrivatePartnership
from sim.scenario import ScenarioError

LABEL = "public_private_partnership"
SETUP = PublicPrivatePartnership.defaults["setup_cost"]
RUNNING = PublicPrivatePartnership.defaults["running_cost"]


def bid(small_scenario: Scenario, **settings: object) -> Scenario:
    """The small city's centre (about (20, 20)) as a business improvement district."""
    settings = {"start_tick": 0, "target.rect": [10, 10, 30, 30], **settings}
    return small_scenario.with_overrides(
        {f"interventions.{LABEL}.{k}": v for k, v in settings.items()})


@pytest.mark.parametrize(("key", "value"), [
    ("guard_share", 1.5), ("cctv", -0.2), ("public_share", 2.0), ("public_share", "half"),
    ("running_cost", -1.0),
])
def test_bad_parameters_name_the_key(small_scenario: Scenario, key: str, value: object):
    with pytest.raises(ScenarioError, match=rf"interventions\.{LABEL}\.{key}"):
        bid(small_scenario, **{key: value})


def test_guards_and_cameras_in_the_business_cells_of_the_target(small_scenario, run_to):
    before = run_to(small_scenario, 3, 0)
    cctv0, guards0 = before.city.flat("cctv").copy(), before.guards.pos.copy()
    model = run_to(bid(small_scenario, guard_share=0.5, cctv=0.8), 3, 1)
    item = model.interventions.items[0]
    cells = np.flatnonzero(item.mask)
    assert np.isin(model.city.flat("land_use")[cells], [COMMERCIAL, NIGHTLIFE]).all()
    np.testing.assert_allclose(model.city.flat("cctv")[cells], np.maximum(cctv0[cells], 0.8))
    pos = model.guards.pos
    np.testing.assert_array_equal(pos[: guards0.size], guards0)
    posts = pos[guards0.size:]
    assert posts.size == round(0.5 * cells.size)
    assert np.unique(posts).size == posts.size and item.mask[posts].all()
    # Guardianship was refreshed: every guarded cell has at least one guard's worth.
    g = model.city.flat("guardianship")
    assert (g[posts] >= small_scenario.params.security.guard_deterrence).all()


def test_new_guards_get_agent_views(small_scenario):
    model = CrimeModel(scenario=bid(small_scenario, guard_share=0.5), rng=3)
    n0 = len(model.agents_by_type[Guard])
    model.run_for(1)
    assert len(model.agents_by_type[Guard]) == model.guards.n > n0


@pytest.mark.slow
def test_robbery_falls_in_the_business_cells(busy_scenario, effect_counts,
                                             falls_significantly):
    # Every business cell of the small city, half of them guarded, full CCTV.
    alt = busy_scenario.with_overrides({
        f"interventions.{LABEL}.start_tick": 240, f"interventions.{LABEL}.guard_share": 0.5,
        f"interventions.{LABEL}.cctv": 1.0})
    base, after = effect_counts(busy_scenario, alt, [1, 2, 3, 4], 120, [ROBBERY])
    assert falls_significantly(base, after), (base, after)


def test_undo_removes_guards_and_cameras(small_scenario, run_to):
    model = run_to(bid(small_scenario, start_tick=24, end_tick=72), 9, 24)
    cctv0, guards0 = model.city.flat("cctv").copy(), model.guards.pos.copy()
    model.run_for(1)
    assert model.guards.n > guards0.size
    model.run_for(72 - 25 + 1)
    np.testing.assert_array_equal(model.guards.pos, guards0)
    np.testing.assert_array_equal(model.city.flat("cctv"), cctv0)


def test_undo_removes_the_views_too(small_scenario):
    model = CrimeModel(scenario=bid(small_scenario, start_tick=24, end_tick=48), rng=9)
    n0 = len(model.agents_by_type[Guard])
    model.run_for(49)
    assert len(model.agents_by_type[Guard]) == n0


def test_public_pays_its_share(small_scenario, run_to):
    model = run_to(bid(small_scenario, public_share=0.25), 1, 24 * 4)
    item = model.interventions.items[0]
    cost = item.cost()
    whole = item.units * (SETUP + RUNNING * 4)
    assert cost["total"] == pytest.approx(0.25 * whole)
    assert cost["all_payers"] == pytest.approx(whole)
    assert cost["business"] == pytest.approx(0.75 * whole)
    assert model.interventions.total_cost() == pytest.approx(0.25 * whole)
    assert item.report(model)["business_cost"] == pytest.approx(0.75 * whole)


def test_budget_is_public_money(small_scenario, run_to):
    full = run_to(bid(small_scenario), 1, 1).interventions.items[0]
    n = full.units
    days = small_scenario.params.time.days
    # A public budget of a fifth of the public share of the full bill buys a fifth.
    budget = 0.2 * 0.4 * n * (SETUP + RUNNING * days)
    item = run_to(bid(small_scenario, public_share=0.4, budget=budget), 1, 1).interventions.items[0]
    assert item.coverage == pytest.approx(0.2)
    assert item.units == round(0.2 * n)
    assert item.settings["budget"] == pytest.approx(budget)
