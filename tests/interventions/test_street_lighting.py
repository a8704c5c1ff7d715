"""Street lighting: validated parameters, brighter lit cells, less crime there, undo, cost."""

from __future__ import annotations

import numpy as np
import pytest

from sim import Scenario
from sim.config import ROBBERY, SEXUAL_VIOLENCE
from sim.interventions.street_lighting import StreetLighting
from sim.scenario import ScenarioError

LABEL = "street_lighting"


def lit(small_scenario: Scenario, **settings: object) -> Scenario:
    settings = {"start_tick": 0, "target.top_k": 40, **settings}
    return small_scenario.with_overrides(
        {f"interventions.{LABEL}.{k}": v for k, v in settings.items()})


@pytest.mark.parametrize(("key", "value"), [
    ("lighting", 1.2), ("lighting", -0.1), ("pride_effect", 2.0), ("pride_effect", "some"),
    ("setup_cost", -5.0),
])
def test_bad_parameters_name_the_key(small_scenario: Scenario, key: str, value: object):
    with pytest.raises(ScenarioError, match=rf"interventions\.{LABEL}\.{key}"):
        lit(small_scenario, **{key: value})


def test_defaults_are_the_calibrated_ones():
    sc = Scenario.load("scenarios/street_lighting.toml")
    spec = sc.params.interventions.to_dict()[LABEL]
    fields = StreetLighting.fields()
    assert spec["lighting"] == fields["lighting"].default
    assert spec["pride_effect"] == fields["pride_effect"].default
    assert spec["target"]["top_k"] == fields["target"]["top_k"].default


def test_apply_raises_lighting_and_lowers_a0_in_the_lit_cells(small_scenario, run_to):
    before = run_to(small_scenario, 5, 0)
    light0, a00 = before.city.flat("lighting").copy(), before.city.flat("a0").copy()
    model = run_to(lit(small_scenario, lighting=0.9, pride_effect=0.1), 5, 1)
    item = model.interventions.items[0]
    cells = item.changed_cells
    assert cells.size == 40
    light, a0 = model.city.flat("lighting"), model.city.flat("a0")
    np.testing.assert_allclose(light[cells], np.maximum(light0[cells], 0.9))
    np.testing.assert_allclose(a0[cells], 0.9 * a00[cells])
    others = np.setdiff1d(np.arange(light.size), cells)
    np.testing.assert_array_equal(light[others], light0[others])
    np.testing.assert_array_equal(a0[others], a00[others])


@pytest.mark.slow
def test_night_street_crime_falls_in_the_lit_cells(busy_scenario, effect_counts,
                                                    falls_significantly):
    # Full lighting and no pride effect: whatever falls, falls through the darkness
    # factor, which acts on robbery and sexual violence most (darkness 1.5).
    # Power: the busy city with 400 offenders holds ~60 robberies and sexual assaults a
    # seed in the 60 lit cells over the 110 treated days. The counter-based plans (issue
    # 17) measured -21% on seeds 1-16 (977 -> 772), not the -30% this test was sized
    # for, and eight seeds then sat at z ~ 3.06 against the 3.1 bar (power ~0.5).
    # Twenty seeds give ~1,200 crimes: a -19% fall is then ~4.9 sd, power ~0.96, while
    # the one-sided z-test's false-alarm rate stays ~0.1%.
    busier = busy_scenario.with_overrides({"offenders.count": 400})
    alt = lit(busier, start_tick=240, lighting=1.0, pride_effect=0.0,
              **{"target.top_k": 60})
    base, after = effect_counts(busier, alt, list(range(1, 21)), 120,
                                [ROBBERY, SEXUAL_VIOLENCE])
    assert falls_significantly(base, after), (base, after)


def test_undo_at_end_tick_restores_the_layers(small_scenario, run_to):
    model = run_to(lit(small_scenario, start_tick=24, end_tick=72), 2, 24)
    light0, a00 = model.city.flat("lighting").copy(), model.city.flat("a0").copy()
    model.run_for(1)
    assert not np.array_equal(model.city.flat("lighting"), light0)
    model.run_for(72 - 25 + 1)
    np.testing.assert_array_equal(model.city.flat("lighting"), light0)
    np.testing.assert_array_equal(model.city.flat("a0"), a00)


def test_cost_and_budget(small_scenario, run_to):
    days = small_scenario.params.time.days
    model = run_to(lit(small_scenario), 1, 24 * 5)
    cost = model.interventions.costs()[0]
    setup, running = StreetLighting.defaults["setup_cost"], StreetLighting.defaults["running_cost"]
    assert cost["setup"] == pytest.approx(40 * setup)
    assert cost["running"] == pytest.approx(40 * running * 5)
    budget = 0.5 * 40 * (setup + running * days)
    half = run_to(lit(small_scenario, budget=budget), 1, 1).interventions.items[0]
    assert half.coverage == pytest.approx(0.5) and half.units == 20


def test_classic_model_restores_the_first_release_strength():
    # The classic model (sim/scenario/classic.py) runs the plug-in as the first release
    # did: pride 0.08 where today's default (0, off) is used; a value the scenario sets
    # itself is kept.
    from sim.scenario.classic import classic

    sc = Scenario.load("scenarios/street_lighting.toml")
    assert classic(sc)[f"interventions.{LABEL}.pride_effect"] == pytest.approx(0.08)
    own = sc.with_overrides({f"interventions.{LABEL}.pride_effect": 0.2})
    assert classic(own)[f"interventions.{LABEL}.pride_effect"] == pytest.approx(0.2)
