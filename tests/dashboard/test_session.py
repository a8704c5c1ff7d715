"""ExploreSession: per-session model, field validation that never loses settings."""

from __future__ import annotations

import pytest

from sim.dashboard.state.explore_session import ExploreSession, parse_text, scenario_files
from sim.fields import Field


@pytest.fixture
def session(root, small_overrides) -> ExploreSession:
    return ExploreSession(root / "scenarios" / "baseline.toml", small_overrides, seed=3)


def test_builds_the_scenario_with_overrides(session, small_overrides):
    assert session.model.city.width == small_overrides["city.width"]
    assert session.value("offenders.count") == small_overrides["offenders.count"]
    assert session.model.tick == 0


def test_step_day_and_reset(session):
    session.step_day()
    assert session.model.tick == session.model.ticks_per_day
    crimes = session.model.results.totals()["crimes_total"]
    session.reset()
    assert session.model.tick == 0
    session.step_day()
    assert session.model.results.totals()["crimes_total"] == crimes  # same seed, same run


@pytest.mark.parametrize(("text", "fragment"), [
    ("abc", "offenders.count: expected an integer, got a string"),
    ("-5", "offenders.count: -5 is below the minimum 0"),
    ("", "offenders.count: expected an integer"),
    ("2.5", "offenders.count: expected an integer, got 2.5"),
])
def test_bad_field_gives_a_message_and_keeps_every_setting(session, text, fragment):
    assert session.set_field("police.count", "7") is None
    model = session.model
    message = session.set_field("offenders.count", text)
    assert message is not None and fragment in message
    assert session.errors["offenders.count"] == message
    assert session.text("offenders.count") == text  # the user sees what they typed
    assert session.value("offenders.count") == 60 and session.value("police.count") == 7
    assert session.model is model  # the running model is untouched
    assert session.set_field("offenders.count", "70") is None
    assert "offenders.count" not in session.errors
    assert session.value("offenders.count") == 70 and session.value("police.count") == 7


def test_out_of_range_intervention_field(session):
    message = session.set_field("interventions.street_lighting.coverage", "2")
    assert message == "interventions.street_lighting.coverage: 2.0 is above the maximum 1"
    assert session.value("interventions.street_lighting.coverage") == 1.0
    assert session.set_enabled("street_lighting", True) is None  # the bad value was refused


def test_intervention_on_off_and_target_error(session):
    assert session.set_field("interventions.street_lighting.lighting", "0.9") is None
    assert session.set_enabled("street_lighting", True) is None
    assert session.model.interventions is not None
    assert session.scenario["interventions.street_lighting.lighting"] == 0.9
    message = session.set_field("interventions.street_lighting.target.districts", "Nowhere")
    assert message is not None
    assert "interventions.street_lighting.target.districts: unknown district 'Nowhere'" in message
    assert session.scenario["interventions.street_lighting.target.districts"] == []
    assert session.set_enabled("street_lighting", False) is None
    assert "street_lighting" not in session.scenario["interventions"]


def test_scenario_file_interventions_are_on(root, small_overrides):
    session = ExploreSession(root / "scenarios" / "street_lighting.toml", small_overrides)
    assert session.enabled["street_lighting"]
    assert session.value("interventions.street_lighting.target.top_k") == 150
    assert session.value("offenders.count") == small_overrides["offenders.count"]


def test_choose_scenario_keeps_key_edits(session, root):
    session.set_field("police.count", "9")
    assert session.choose_scenario(root / "scenarios" / "youth_programme.toml") is None
    assert session.enabled["youth_programme"] and session.value("police.count") == 9


def test_bad_seed(session):
    assert "seed: expected a non-negative integer" in session.set_seed("-1")
    assert session.seed == 3
    assert session.set_seed("5") is None and session.seed == 5


def test_sessions_are_independent(root, small_overrides):
    a = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    b = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    a.step(5)
    a.set_field("police.count", "8")
    assert b.model.tick == 0 and b.value("police.count") == small_overrides["police.count"]
    assert a.model is not b.model and a.model.city is not b.model.city


def test_parse_text():
    assert parse_text("12", Field("int", 0, "")) == 12
    assert parse_text("a, b", Field("str_list", [], "")) == ["a", "b"]
    assert parse_text("1,2,3,4", Field("int_list", [], "")) == [1, 2, 3, 4]
    assert parse_text("abc", Field("float", 0.0, "")) == "abc"


def test_scenario_files_lists_the_toml_files(root):
    names = {path.name for path in scenario_files()}
    assert "baseline.toml" in names
    assert names == {path.name for path in (root / "scenarios").glob("*.toml")}
