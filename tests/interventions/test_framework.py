"""The shared intervention framework: targets, budgets, timing, scenario files, streams.

Plug-in specific behaviour is tested in ``test_<name>.py``; here street lighting stands
in for any plug-in, since the life cycle (target, budget, start, stop, cost) is the
base class's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import CrimeModel, Scenario
from sim.city.target import TargetError, resolve_target
from sim.config import COMMERCIAL, NIGHTLIFE, RESIDENTIAL
from sim.interventions import InterventionError, get
from sim.plugins.runner import label_stream
from sim.scenario import ScenarioError

# --- target resolution on a hand-made 4 x 3 city ------------------------------------
W, H = 4, 3
#: Districts: column 0-1 is "West" (0), columns 2-3 "East" (1).
DISTRICT = np.tile([0, 0, 1, 1], H)
#: Land use: the middle row is commercial, the rest residential, one nightlife cell.
LAND = np.array([RESIDENTIAL] * 4 + [COMMERCIAL] * 4 + [RESIDENTIAL] * 3 + [NIGHTLIFE])


def resolve(target: dict, heat: np.ndarray | None = None,
            attractiveness: np.ndarray | None = None) -> np.ndarray:
    return resolve_target(
        target, width=W, height=H, district=DISTRICT, district_names=["West", "East"],
        land_use=LAND, heat=np.zeros(W * H) if heat is None else heat,
        attractiveness=np.ones(W * H) if attractiveness is None else attractiveness)


def cells(mask: np.ndarray) -> list[int]:
    return np.flatnonzero(mask).tolist()


def test_no_target_is_the_whole_city():
    assert resolve({}).all()


def test_districts_by_name():
    assert cells(resolve({"districts": ["East"]})) == [2, 3, 6, 7, 10, 11]


def test_rect_is_half_open():
    # x in [1, 3), y in [0, 2): cells (1,0), (2,0), (1,1), (2,1).
    assert cells(resolve({"rect": [1, 0, 3, 2]})) == [1, 2, 5, 6]


def test_top_k_takes_the_hottest_cells():
    heat = np.zeros(W * H)
    heat[[9, 4, 7]] = [5.0, 3.0, 1.0]
    assert cells(resolve({"top_k": 2}, heat=heat)) == [4, 9]


def test_top_k_uses_attractiveness_before_any_report():
    attract = np.arange(W * H, dtype=float)
    assert cells(resolve({"top_k": 3}, attractiveness=attract)) == [9, 10, 11]


def test_parts_are_united_then_narrowed_by_land_use():
    mask = resolve({"districts": ["West"], "rect": [3, 2, 4, 3], "land_use": ["commercial"]})
    assert cells(mask) == [4, 5]  # West's commercial cells; the rect's cell is nightlife
    assert cells(resolve({"land_use": ["nightlife"]})) == [11]


def test_mask_file_npy_and_csv(tmp_path: Path):
    grid = np.zeros((H, W), int)
    grid[2, 1] = grid[0, 3] = 1
    np.save(tmp_path / "m.npy", grid)
    (tmp_path / "m.csv").write_text(
        "# a comment line\n" + "\n".join(",".join(map(str, row)) for row in grid) + "\n")
    for name in ("m.npy", "m.csv"):
        assert cells(resolve({"mask_file": str(tmp_path / name)})) == [3, 9]


@pytest.mark.parametrize(("target", "message"), [
    ({"districts": ["Nowhere"]}, r"districts: unknown district 'Nowhere'.*West, East"),
    ({"rect": [0, 0, 5, 2]}, r"rect: \[0, 0, 5, 2\] is not a non-empty rectangle"),
    ({"rect": [2, 0, 2, 2]}, r"rect: .* not a non-empty rectangle"),
    ({"rect": [0, 0, 1]}, r"rect: expected \[x0, y0, x1, y1\], got 3"),
    ({"land_use": ["harbour"]}, r"land_use: unknown land use 'harbour'"),
    ({"districts": ["West"], "land_use": ["nightlife"]}, r"the target area contains no cell"),
])
def test_target_errors_name_the_problem(target: dict, message: str):
    with pytest.raises(TargetError, match=message):
        resolve(target)


def test_mask_file_of_the_wrong_shape(tmp_path: Path):
    np.save(tmp_path / "m.npy", np.ones((W, H)))
    with pytest.raises(TargetError, match=r"mask_file: m.npy is 4 x 3 cells, the city is 3 x 4"):
        resolve({"mask_file": str(tmp_path / "m.npy")})


def test_bad_target_fails_when_the_model_is_built(small_scenario: Scenario):
    sc = small_scenario.with_overrides(
        {"interventions.street_lighting.target.districts": ["Atlantis"]})
    with pytest.raises(InterventionError,
                       match=r"^interventions\.street_lighting\.target\.districts: unknown"):
        CrimeModel(scenario=sc, rng=1, agent_views=False)


# --- validation of the tables --------------------------------------------------------
@pytest.mark.parametrize(("key", "value", "message"), [
    ("coverage", 1.5, r"interventions\.street_lighting\.coverage"),
    ("lighting", "bright", r"interventions\.street_lighting\.lighting"),
    ("colour", "amber", r"interventions\.street_lighting\.colour"),
    ("target.top_k", -1, r"interventions\.street_lighting\.target\.top_k"),
    ("end_tick", 700, r"interventions\.street_lighting\.end_tick: 700 is not after start_tick"),
])
def test_table_errors_name_the_key(key: str, value: object, message: str):
    with pytest.raises(ScenarioError, match=message):
        Scenario.load("scenarios/street_lighting.toml").with_overrides(
            {f"interventions.street_lighting.{key}": value})


def test_unknown_type_lists_the_known_ones():
    with pytest.raises(ScenarioError, match=r"interventions\.x\.type: unknown .*street_lighting"):
        Scenario.from_dict({"interventions": {"x": {"type": "moat"}}})


# --- budget, timing, cost ------------------------------------------------------------
def _lit(small_scenario: Scenario, **kw: object) -> Scenario:
    settings = {"start_tick": 0, "target.top_k": 40, "setup_cost": 100.0,
                "running_cost": 1.0, **kw}
    return small_scenario.with_overrides(
        {f"interventions.street_lighting.{k}": v for k, v in settings.items()})


def test_budget_scales_coverage_down(small_scenario: Scenario, run_to):
    # Full cost: 40 cells x (100 set-up + 1 a day x 365 planned days) = 18,600.
    days = small_scenario.params.time.days
    full = 40 * (100.0 + 1.0 * days)
    model = run_to(_lit(small_scenario, budget=full / 4), 1, 1)
    item = model.interventions.items[0]
    assert item.coverage == pytest.approx(0.25)
    assert item.units == 10
    assert (model.city.flat("lighting") >= 0.95).sum() >= 10
    # A budget above the full cost leaves coverage alone.
    roomy = run_to(_lit(small_scenario, budget=2 * full), 1, 1).interventions.items[0]
    assert roomy.coverage == 1.0 and roomy.units == 40


def test_cost_account(small_scenario: Scenario, run_to):
    model = run_to(_lit(small_scenario), 1, 24 * 10)
    cost = model.interventions.costs()[0]
    assert cost["units"] == 40 and cost["days_active"] == 10
    assert cost["setup"] == pytest.approx(40 * 100.0)
    assert cost["running"] == pytest.approx(40 * 1.0 * 10)
    assert cost["total"] == pytest.approx(cost["setup"] + cost["running"])
    assert model.interventions.total_cost() == pytest.approx(cost["total"])


def test_starts_and_ends_on_its_ticks(small_scenario: Scenario, run_to):
    sc = _lit(small_scenario, start_tick=48, end_tick=120)
    model = run_to(sc, 3, 48)
    before = model.city.flat("lighting").copy()
    item = model.interventions.items[0]
    assert not item.active and item.mask is None
    model.run_for(1)  # tick 48 runs: the scheme starts
    assert item.active
    assert (model.city.flat("lighting")[item.mask] >= 0.95).all()
    model.run_for(120 - 49)
    assert item.active  # tick 119 was the last one with lamps
    model.run_for(1)
    assert item.finished and not item.active
    np.testing.assert_array_equal(model.city.flat("lighting"), before)
    assert item.cost()["days_active"] == 3  # days 2, 3 and 4 (ticks 48-119)
    model.run_for(48)
    assert item.finished and not item.active  # it does not start again


# --- scenario files that extend another ----------------------------------------------
def test_extends_lays_the_child_over_the_parent(tmp_path: Path):
    (tmp_path / "parent.toml").write_text(
        'name = "parent"\n[offenders]\ncount = 77\ngangs = 2\n')
    (tmp_path / "child.toml").write_text(
        'extends = "parent.toml"\nname = "child"\n[offenders]\ngangs = 3\n')
    sc = Scenario.load(tmp_path / "child.toml")
    assert sc.name == "child"
    assert sc["offenders.count"] == 77 and sc["offenders.gangs"] == 3


def test_extends_cycle_is_an_error(tmp_path: Path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        Scenario.load(tmp_path / "a.toml")
    (tmp_path / "self.toml").write_text('extends = "self.toml"\n')
    with pytest.raises(ScenarioError, match="cycle"):
        Scenario.load(tmp_path / "self.toml")


def test_extends_missing_file_is_an_error(tmp_path: Path):
    (tmp_path / "orphan.toml").write_text('extends = "gone.toml"\n')
    with pytest.raises(ScenarioError, match=r"extends: file not found: .*gone\.toml"):
        Scenario.load(tmp_path / "orphan.toml")


PLACE_FOCUSED = ("street_lighting", "hotspot_policing", "public_private_partnership",
                 "urban_renewal")


@pytest.mark.parametrize("name", PLACE_FOCUSED)
def test_shipped_scenario_is_the_baseline_with_the_plug_in_defaults(name: str):
    # The calibration runs the scenario file; the docs quote the plug-in's defaults.
    # They must be the same settings, or the docs describe something never calibrated.
    sc = Scenario.load(f"scenarios/{name}.toml")
    base = Scenario.load("scenarios/baseline.toml")
    assert sc.to_dict() | {"interventions": {}, "name": "", "description": ""} == \
        base.to_dict() | {"name": "", "description": ""}
    spec = sc.params.interventions.to_dict()[name]
    assert spec["start_tick"] == 720
    fields = get(name).fields()
    for key, field in fields.items():
        if key == "target":
            for tkey, tfield in field.items():
                assert spec["target"][tkey] == tfield.default, f"target.{tkey}"
        elif key not in ("start_tick", "type"):
            assert spec[key] == field.default, key


# --- each label its own random stream --------------------------------------------------
def test_label_streams_depend_on_seed_and_label_only():
    def draws(seed: int, label: str) -> np.ndarray:
        return label_stream(np.random.default_rng(seed), label).random(5)

    np.testing.assert_array_equal(draws(7, "a"), draws(7, "a"))
    assert not np.array_equal(draws(7, "a"), draws(7, "b"))
    assert not np.array_equal(draws(7, "a"), draws(8, "a"))


def test_a_second_intervention_does_not_change_the_first_ones_draws(small_scenario: Scenario,
                                                                    run_to):
    # Fixed rectangles, so neither target depends on what the other changed (a top-k
    # target would: the second's community-pride effect lowers A0, which ranks cells).
    one = _lit(small_scenario, coverage=0.5, **{"target.top_k": 0, "target.rect": [0, 0, 20, 20]})
    two = one.with_overrides({
        "interventions.more_lamps.type": "street_lighting",
        "interventions.more_lamps.coverage": 0.3,
        "interventions.more_lamps.target.rect": [20, 20, 40, 40],
    })
    first = run_to(one, 11, 1).interventions.items[0]
    both = {i.label: i for i in run_to(two, 11, 1).interventions.items}
    assert set(both) == {"street_lighting", "more_lamps"}
    # "more_lamps" sorts first, so it starts and draws before "street_lighting" does.
    assert [i.label for i in run_to(two, 11, 0).interventions.items][0] == "more_lamps"
    np.testing.assert_array_equal(first.changed_cells, both["street_lighting"].changed_cells)
    assert first.changed_cells.size == 200  # a real draw: half of the 400 cells
