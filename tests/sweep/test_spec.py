"""Experiment files: every mistake is one message naming the key; good files load."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sweep_support import ROOT, write_experiment

from sim.analysis.search.experiment import load_search_experiment
from sim.analysis.sweep.spec import SweepError, load_experiment


def test_tiny_experiment_loads(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    assert exp.name == "tiny"
    assert [p.key for p in exp.parameters] == ["offenders.count", "police.count"]
    assert exp.parameters[0].kind == "int" and exp.parameters[0].values == (20, 60)
    assert exp.seeds == (1, 2)
    assert exp.ticks == 3 * 24
    assert exp.scenario["city.width"] == 24  # [set] applies to the base scenario
    assert exp.time_column == "day"


@pytest.mark.parametrize("path", sorted((ROOT / "experiments").glob("**/*.toml")),
                         ids=lambda p: p.name)
def test_every_experiment_file_in_the_repo_validates(path: Path):
    """Each shipped file loads with the loader of its kind: a policy search (it has a
    budget or levers) or a sweep (everything else); no file is skipped."""
    raw = tomllib.loads(path.read_text())
    if "budget" in raw or "levers" in raw:
        exp = load_search_experiment(path)
        assert exp.split or exp.levers, path
    else:
        exp = load_experiment(path)
        assert exp.parameters, path


@pytest.mark.parametrize("kw, fragment", [
    ({"top": {"dayz": 3}}, "dayz: unknown key"),
    ({"top": {"days": -1}}, "days: must be positive"),
    ({"top": {"days": "ten"}}, "days: expected a number"),
    ({"top": {"warmup_days": 5}}, "warmup_days: 5 must be less than days"),
    ({"top": {"record": "hourly"}}, "record: 'hourly' is not one of tick, day, final"),
    ({"top": {"metrics": ["crimes_totl"]}}, "metrics: 'crimes_totl' is not a metric"),
    ({"top": {"record": "day", "metrics": ["prevalence_youth"]}},
     "prevalence_youth is measured once per run"),
    ({"top": {"replications": 0}}, "replications: must be at least 1"),
    ({"top": {"seeds": [1, 1], "replications": None}}, "seeds: a seed is listed twice"),
    ({"top": {"scenario": "nowhere.toml"}}, "nowhere.toml: scenario file not found"),
    ({"design": {"kind": "factorial"}}, "design.kind: 'factorial' is not one of"),
    ({"design": {"kind": "sobol", "samples": 6}},
     "design.samples: Sobol sampling needs a power of 2"),
    ({"design": {"kind": "lhs"}}, "design.samples: a lhs design needs samples"),
    ({"design": {"kind": "morris", "samples": 4, "levels": 3}}, "design.levels: must be an even"),
    ({"parameters": {"offenders.cnt": [1, 2]}}, "parameters.offenders.cnt: not a key of the base"),
    ({"parameters": {"offenders.count": [10, 10.5]}}, "expected a whole number, got 10.5"),
    ({"parameters": {"offenders.count": [10, "many"]}}, "expected a number, got 'many'"),
    ({"parameters": {"offenders.count": [10, 10]}}, "a value is listed twice"),
    ({"parameters": {"offenders.count": {"low": 10, "high": 50}}}, "needs steps"),
    ({"parameters": {"offenders.count": {"low": 50, "high": 10, "steps": 2}}},
     "low (50) must be below high (10)"),
    ({"parameters": {"city.layout": {"low": 1, "high": 2, "steps": 2}}},
     "a str setting takes a list of values"),
    ({"parameters": {"offenders.count": {"low": 1, "high": 9}}, "design": {"kind": "lhs",
                                                                            "samples": 4}},
     None),
    ({"parameters": {"offenders.count": {"values": [1], "low": 1}}},
     "give either values or low/high"),
])
def test_bad_experiment_names_the_problem(tmp_path, kw, fragment):
    path = write_experiment(tmp_path, **kw)
    if fragment is None:  # the control: a valid variant of the same edit
        load_experiment(path)
        return
    with pytest.raises(SweepError) as err:
        load_experiment(path)
    message = str(err.value)
    assert fragment in message, message
    assert message.startswith(str(path))
    assert "\n" not in message


def test_not_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n")
    with pytest.raises(SweepError, match="not valid TOML"):
        load_experiment(bad)
    with pytest.raises(SweepError, match="experiment file not found"):
        load_experiment(tmp_path / "missing.toml")


def test_intervention_parameters_can_be_swept(tmp_path):
    path = write_experiment(tmp_path, top={"scenario": str(ROOT / "scenarios" /
                                                           "street_lighting.toml")},
                            parameters={"interventions.street_lighting.coverage":
                                        {"low": 0.0, "high": 1.0, "steps": 3}})
    exp = load_experiment(path)
    assert exp.parameters[0].kind == "float"


def test_setup_key_changes_with_run_settings_not_with_parameters(tmp_path):
    a = load_experiment(write_experiment(tmp_path, name="a"))
    b = load_experiment(write_experiment(tmp_path, name="b",
                                         parameters={"offenders.count": [20, 60, 90]}))
    c = load_experiment(write_experiment(tmp_path, name="c", top={"days": 4}))
    assert a.setup_key() == b.setup_key()
    assert a.setup_key() != c.setup_key()
