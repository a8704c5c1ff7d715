"""Urban renewal: less disorder and lower A0 in the most blighted cells, less crime."""

from __future__ import annotations

import numpy as np
import pytest

from sim import Scenario
from sim.city.layers import a0_of
from sim.config import COMMERCIAL, PARK, RESIDENTIAL
from sim.interventions.urban_renewal import UrbanRenewal
from sim.scenario import ScenarioError

LABEL = "urban_renewal"


def green(small_scenario: Scenario, **settings: object) -> Scenario:
    settings = {"start_tick": 0, **settings}
    return small_scenario.with_overrides(
        {f"interventions.{LABEL}.{k}": v for k, v in settings.items()})


@pytest.mark.parametrize(("key", "value"), [
    ("disorder_reduction", 1.5), ("disorder_reduction", "most"), ("lots", -1), ("lots", 2.5),
    ("coverage", -0.5),
])
def test_bad_parameters_name_the_key(small_scenario: Scenario, key: str, value: object):
    with pytest.raises(ScenarioError, match=rf"interventions\.{LABEL}\.{key}"):
        green(small_scenario, **{key: value})


def test_default_target_is_the_poorest_districts_public_and_residential_cells(
        small_scenario, run_to):
    model = run_to(green(small_scenario), 2, 1)
    city = model.city
    treated = model.interventions.items[0].mask
    poorest = np.argsort(-city.district_deprivation())[:2]
    expected = np.isin(city.flat("district"), poorest) & np.isin(
        city.flat("land_use"), [RESIDENTIAL, COMMERCIAL, PARK])
    np.testing.assert_array_equal(treated, expected)


def test_lots_are_the_most_disordered_cells(small_scenario, run_to):
    model = run_to(small_scenario, 2, 0)
    disorder = model.city.flat("disorder").copy()
    sc = green(small_scenario, lots=100, **{"target.most_deprived": 0,
                                            "target.land_use": ["residential"]})
    treated = run_to(sc, 2, 1).interventions.items[0].mask
    assert treated.sum() == 100
    resid = model.city.flat("land_use") == RESIDENTIAL
    assert resid[treated].all()
    assert disorder[treated].min() >= disorder[resid & ~treated].max()


def test_disorder_and_a0_fall_by_the_formula(small_scenario, run_to):
    before = run_to(small_scenario, 2, 0)
    dis0, a00 = before.city.flat("disorder").copy(), before.city.flat("a0").copy()
    model = run_to(green(small_scenario, disorder_reduction=0.5), 2, 1)
    cells = model.interventions.items[0].changed_cells
    gain = small_scenario.params.attractiveness.disorder_gain
    np.testing.assert_allclose(model.city.flat("disorder")[cells], 0.5 * dis0[cells])
    np.testing.assert_allclose(
        model.city.flat("a0")[cells],
        a00[cells] * (1 + gain * 0.5 * dis0[cells]) / (1 + gain * dis0[cells]))
    # With no other change A0 is what the city's own formula gives for the new disorder.
    city = model.city
    np.testing.assert_allclose(
        city.a0, a0_of(city.land_use, city.deprivation, city.disorder,
                       small_scenario.params.attractiveness))


@pytest.mark.slow
def test_crime_falls_in_the_greened_cells(busy_scenario, effect_counts, falls_significantly):
    # Disorder weighted four times the default in A0, all of it removed: a large dose,
    # so that a short test sees the direction (at the defaults A0 falls by about 13%).
    city = busy_scenario.with_overrides({"attractiveness.disorder_gain": 2.0})
    alt = green(city, start_tick=240, disorder_reduction=1.0)
    base, after = effect_counts(city, alt, [1, 2, 3, 4], 120)
    assert falls_significantly(base, after), (base, after)


def test_undo_restores_disorder_and_a0(small_scenario, run_to):
    model = run_to(green(small_scenario, start_tick=24, end_tick=72), 4, 24)
    dis0, a00 = model.city.flat("disorder").copy(), model.city.flat("a0").copy()
    model.run_for(1)
    assert (model.city.flat("disorder") < dis0).any()
    model.run_for(72 - 25 + 1)
    np.testing.assert_array_equal(model.city.flat("disorder"), dis0)
    np.testing.assert_array_equal(model.city.flat("a0"), a00)


def test_cost_and_budget(small_scenario, run_to):
    setup = UrbanRenewal.defaults["setup_cost"]
    running = UrbanRenewal.defaults["running_cost"]
    model = run_to(green(small_scenario, lots=100), 1, 24 * 3)
    cost = model.interventions.costs()[0]
    assert cost["units"] == 100
    assert cost["total"] == pytest.approx(100 * setup + 100 * running * 3)
    days = small_scenario.params.time.days
    budget = 30 * (setup + running * days)
    item = run_to(green(small_scenario, lots=100, budget=budget), 1, 1).interventions.items[0]
    assert item.coverage == pytest.approx(0.3) and item.units == 30
