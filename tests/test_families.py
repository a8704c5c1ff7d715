"""The model families' registry: which model runs a scenario, for how long, and how."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sim import families
from sim.civil_violence import CivilViolenceModel
from sim.crime.model import CrimeModel
from sim.reference import ReferenceCrimeModel
from sim.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
EPSTEIN = ROOT / "scenarios" / "epstein2002.toml"
SMALL_CITY = {"city.width": 30, "city.height": 30, "residents.count": 300,
              "offenders.count": 10, "police.count": 2, "services.count": 1,
              "security.guards": 1, "city.districts": 4, "city.schools": 1}


def toml(path: Path) -> dict:
    return tomllib.loads(path.read_text())


@pytest.mark.parametrize(("path", "engine", "name", "model_class"), [
    (BASELINE, "fast", "crime", CrimeModel),
    (BASELINE, "reference", "reference", ReferenceCrimeModel),
    (EPSTEIN, "fast", "civil_violence", CivilViolenceModel),
])
def test_a_scenario_finds_its_family_by_model_and_engine(path, engine, name, model_class):
    family = families.family_for(Scenario.load(path), engine)
    assert family.name == name and family.model_class is model_class
    assert families.get(name) is family


def test_a_missing_engine_names_the_ones_there_are():
    with pytest.raises(LookupError, match="civil_violence model has no reference engine"
                                          r" \(it has: fast\)"):
        families.family_for(Scenario.load(EPSTEIN), "reference")
    assert families.engines("crime") == ["fast", "reference"]
    assert families.names() == ["civil_violence", "crime", "reference"]


def test_the_default_run_length_is_the_scenarios():
    baseline, epstein = Scenario.load(BASELINE), Scenario.load(EPSTEIN)
    days = toml(BASELINE).get("time", {}).get("days", 365)  # the schema default is 365
    assert families.CRIME.run_ticks(baseline, 24) == days * 24
    assert families.CRIME.run_ticks(baseline, 24, days=2.5) == 60
    assert families.CRIME.run_ticks(baseline, 24, ticks=7, days=2.5) == 7
    max_iters = toml(EPSTEIN)["civil_violence"]["max_iters"]
    assert families.CIVIL_VIOLENCE.run_ticks(epstein, 1) == max_iters
    assert families.CIVIL_VIOLENCE.run_ticks(epstein, 1, ticks=5) == 5
    with pytest.raises(ValueError, match="counts ticks"):
        families.CIVIL_VIOLENCE.run_ticks(epstein, 1, days=3)


def test_a_family_builds_its_model_with_the_options_it_takes():
    crime = families.CRIME.build(Scenario.load(BASELINE).with_overrides(SMALL_CITY), 3,
                                 agent_views=False)
    assert isinstance(crime, CrimeModel) and len(crime.agents) == 0  # no views made
    small = Scenario.load(EPSTEIN).with_overrides({"city.width": 20, "city.height": 20})
    civil = families.CIVIL_VIOLENCE.build(small, 3, agent_views=False)  # no views to drop
    assert isinstance(civil, CivilViolenceModel)


def test_a_familys_metrics_are_its_results_columns():
    small = Scenario.load(EPSTEIN).with_overrides({"city.width": 20, "city.height": 20})
    model = families.CIVIL_VIOLENCE.build(small, 1)
    model.run_for(3)
    assert list(model.results.to_frame().columns) == ["tick", *families.CIVIL_VIOLENCE.metrics]
    crime = families.CRIME.build(Scenario.load(BASELINE).with_overrides(SMALL_CITY), 1,
                                 agent_views=False)
    crime.run_for(2)
    assert list(crime.results.to_frame().columns) == ["tick", *families.CRIME.metrics]


def test_a_family_registered_twice_is_refused():
    with pytest.raises(TypeError, match="registered twice"):
        families.register(families.CRIME)
    twin = families.ModelFamily(**{**families.REFERENCE.__dict__, "name": "twin"})
    with pytest.raises(TypeError, match="registered twice"):
        families.register(twin)  # same scenario model and engine as the reference


def test_only_crime_scenarios_run_the_crime_model():
    assert families.runs_crime_model(Scenario.load(BASELINE))
    assert not families.runs_crime_model(Scenario.load(EPSTEIN))
