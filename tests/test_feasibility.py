"""Impossible combinations of settings are refused with one line, by the CLI too."""

from __future__ import annotations

import pytest
from cli_support import crimesim
from repo_paths import BASELINE, SCENARIOS

from sim import Scenario
from sim.scenario import ScenarioError
from sim.scenario.feasibility import MAX_RESIDENTS_PER_KM2


@pytest.mark.parametrize(("overrides", "words"), [
    ({"residents.count": 100, "offenders.count": 101},
     "offenders.count: 101 offenders but only 100 residents"),
    ({"residents.count": 0}, "residents.count: a generated city needs residents"),
    # 30,000 people on 4 x 4 cells of 50 m (0.04 km²): 750,000 per km²; they need
    # 0.2 km², a square of 447 m: 9 x 9 cells of 50 m (0.2025 km²; 8 x 8 is 0.16)
    ({"city.width": 4, "city.height": 4},
     "city: 30,000 residents on 4 x 4 cells of 50 m (0.04 km²) is more than 150,000 "
     "per km²; make the city at least 9 x 9 cells or have fewer residents"),
])
def test_impossible_city_is_refused_naming_the_problem(overrides, words):
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(BASELINE).with_overrides(overrides)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_density_bound_by_hand():
    # 10 x 10 cells of 50 m = 0.25 km² hold at most 150,000 x 0.25 = 37,500 residents
    assert MAX_RESIDENTS_PER_KM2 * 0.25 == 37_500
    small = {"city.width": 10, "city.height": 10, "offenders.count": 10}
    assert Scenario.load(BASELINE).with_overrides({**small, "residents.count": 37_500})
    with pytest.raises(ScenarioError, match="more than 150,000 per km²"):
        Scenario.load(BASELINE).with_overrides({**small, "residents.count": 37_501})


def test_police_intervention_without_police_is_refused():
    with pytest.raises(ScenarioError) as caught:
        Scenario.load(SCENARIOS / "hotspot_policing.toml").with_overrides({"police.count": 0})
    assert str(caught.value).endswith(
        "interventions.hotspot_policing: redeploys patrol officers, but police.count is 0")
    # an intervention that needs no officers runs without them
    assert Scenario.load(SCENARIOS / "street_lighting.toml").with_overrides(
        {"police.count": 0})


def test_classic_lattice_runs_without_residents():
    assert Scenario.load(SCENARIOS / "short2008.toml").params.residents.count == 0


def test_cli_refuses_the_same_file_with_exit_2(capsys, tmp_path):
    out = tmp_path / "out"
    code, _, err = crimesim(capsys, "run", BASELINE, "--days", "1", "--out", out,
                            "--set", "residents.count=50", "--set", "offenders.count=60")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert "offenders.count: 60 offenders but only 50 residents" in lines[0]
    assert not out.exists()  # nothing half-written
