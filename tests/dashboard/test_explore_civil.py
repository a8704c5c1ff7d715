"""Explore with a civil-violence scenario (Epstein 2002): its fields, steps, map and series.

Rendered without a browser (``solara.render``), as a user would drive the page: choose
the scenario file, read the fields, step, pick a layer, type a bad value, switch back.
"""

from __future__ import annotations

import ipyvuetify as v
import numpy as np
import pytest
import solara
from ui_support import button, chart_options, live_frame, step, text_field, type_into

from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_JAILED, CV_QUIET
from sim.dashboard.figures.civil import (
    CIVIL_LAYERS,
    STATE_STYLES,
    civil_map_option,
    civil_series_option,
)
from sim.dashboard.labels import label_of
from sim.dashboard.model_family import CIVIL_KEYS, CIVIL_VIOLENCE, CRIME, family_of
from sim.dashboard.pages import browser_state, navigation
from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.pages.more_settings import sections
from sim.dashboard.state.compare_settings import EXPLORE_CHOICE, CompareJob
from sim.dashboard.state.explore_session import SCENARIO_DIR, ExploreSession
from sim.scenario import Scenario

EPSTEIN = SCENARIO_DIR / "epstein2002.toml"
LESSON = SCENARIO_DIR / "lessons" / "legitimacy_rebellion.toml"


def status(rc) -> str:
    """The status line under the run controls (scenario name, then where the run is)."""
    return live_frame(rc)["status"]


def images(rc) -> list[str]:
    """What the map and the series charts are told to draw (their options as JSON)."""
    return chart_options(rc)


def select(rc, label: str) -> v.Select:
    found = rc.find(v.Select, label=label)
    found.assert_single()
    return found.widget


def labels(rc) -> set[str]:
    return {w.label for w in rc.find(v.TextField).widgets}


def button_labels(rc) -> set[str]:
    return {str(c) for w in rc.find(v.Btn).widgets for c in w.children if isinstance(c, str)}


@pytest.fixture
def civil_page(small_overrides):
    """Explore opened on the small crime city, then epstein2002 chosen as a user does."""
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    assert "(tick 0)" in status(rc)
    select(rc, "scenario file").v_model = "epstein2002"
    yield rc
    rc.close()


def test_choosing_epstein_shows_its_fields_and_controls(civil_page):
    rc = civil_page
    assert "epstein2002: tick 0 - 1120 citizens, 64 cops; legitimacy 0.82" in status(rc)
    shown = labels(rc)
    assert {label_of(key) for key in CIVIL_KEYS} <= shown
    assert label_of("offenders.count") not in shown
    assert label_of("residents.count") not in shown
    assert text_field(rc, "civil_violence.legitimacy").v_model == "0.82"
    assert text_field(rc, "civil_violence.cop_density").v_model == "0.04"
    assert text_field(rc, "city.width").v_model == "40"  # the grid size carried over
    buttons = button_labels(rc)
    assert {"Step 1 tick", "Step 10 ticks", "Reset", "Play"} <= buttons
    assert not {"Step 1 hour", "Step 1 day"} & buttons
    assert select(rc, "speed (ticks per frame)").v_model == 1
    assert select(rc, "map layer").items == list(CIVIL_LAYERS)
    assert not rc.find(v.Checkbox, label="street lighting on").widgets  # no interventions
    assert browser_state.current().explore.family is CIVIL_VIOLENCE


def test_stepping_ten_ticks_changes_the_tick_the_map_and_the_series(civil_page):
    rc = civil_page
    before = images(rc)
    assert len(before) == 2
    step(rc, "Step 10 ticks")
    line = status(rc)
    assert "tick 10 - " in line and " active, " in line and " jailed; legitimacy 0.82" in line
    after = images(rc)
    assert after[0] != before[0] and after[1] != before[1]
    step(rc, "Step 1 tick")
    assert "tick 11 - " in status(rc)
    assert browser_state.current().explore.model.tick == 11
    button(rc, "Reset").click()
    assert "tick 0 - " in status(rc)


def test_choosing_a_continuous_layer_redraws_the_map(civil_page):
    rc = civil_page
    step(rc, "Step 10 ticks")
    state_png = images(rc)[0]
    select(rc, "map layer").v_model = "grievance"
    assert images(rc)[0] != state_png
    assert select(rc, "map layer").v_model == "grievance"


def test_a_bad_civil_field_shows_its_message_and_keeps_the_others(civil_page):
    rc = civil_page
    type_into(rc, "civil_violence.cop_density", "0.05")
    assert text_field(rc, "civil_violence.cop_density").error is False
    type_into(rc, "civil_violence.legitimacy", "high")
    field = text_field(rc, "civil_violence.legitimacy")
    assert field.error is True
    assert field.messages == ["civil_violence.legitimacy: expected a number, got a string"]
    assert field.v_model == "high"
    type_into(rc, "civil_violence.cop_vision", "30")
    assert text_field(rc, "civil_violence.cop_vision").messages == [
        "civil_violence.cop_vision: 30 needs a grid at least 61 cells across "
        "(2 x vision + 1), got 40"]
    session = browser_state.current().explore
    assert session.scenario["civil_violence.cop_density"] == 0.05  # kept
    assert session.scenario["civil_violence.legitimacy"] == 0.82  # unchanged
    assert text_field(rc, "civil_violence.cop_density").v_model == "0.05"
    type_into(rc, "civil_violence.legitimacy", "0.7")
    assert text_field(rc, "civil_violence.legitimacy").error is False
    assert session.model.legitimacy_at(0) == pytest.approx(0.7)


def test_switching_back_to_a_crime_scenario_works(civil_page):
    rc = civil_page
    type_into(rc, "civil_violence.legitimacy", "0.7")
    step(rc, "Step 10 ticks")
    select(rc, "scenario file").v_model = "baseline"
    assert "epstein2002: tick 10" in status(rc)  # the lattice has run: asked first
    button(rc, "Continue").click()
    assert "baseline: day 0, 00:00 (tick 0)" in status(rc)
    shown = labels(rc)
    assert label_of("offenders.count") in shown
    assert label_of("civil_violence.legitimacy") not in shown
    assert text_field(rc, "city.width").v_model == "40"  # the grid size carried back
    assert {"Step 1 hour", "Step 1 day"} <= button_labels(rc)
    assert select(rc, "map layer").v_model == "crime density"
    session = browser_state.current().explore
    assert session.family is CRIME
    assert not any(k.startswith("civil_violence.") for k in session.overrides)
    step(rc, "Step 1 hour")
    assert "(tick 1)" in status(rc)


def test_the_lesson_opens_in_explore_as_a_civil_violence_run(small_overrides):
    navigation.request_scenario(LESSON)
    try:
        _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
        assert "lesson_legitimacy_rebellion: tick 0 - " in status(rc)
        assert label_of("civil_violence.corruption") in labels(rc)
        step(rc, "Step 10 ticks")
        assert "tick 10 - " in status(rc)
        rc.close()
    finally:
        navigation.requested_scenario.set(None)


def test_compare_refuses_a_civil_violence_scenario_in_one_line():
    job = CompareJob()
    assert job.set_base("epstein2002") is None
    assert job.prepare() is None
    message = job.errors["base"]
    assert "\n" not in message
    assert message == ("base: epstein2002: model = 'civil_violence': Compare runs the crime "
                       "model only (run it in Explore or with crimesim run)")
    session = ExploreSession(EPSTEIN)
    job = CompareJob(explore=lambda: session.scenario)
    job.set_alternatives([EXPLORE_CHOICE])
    assert job.prepare() is None
    assert job.errors["alternatives"].startswith(
        "alternatives: Explore settings: model = 'civil_violence'")


# --- the session and the families, without a page ------------------------------------------
def test_session_builds_the_model_of_the_files_family(small_overrides):
    from sim.civil_violence import CivilViolenceModel

    session = ExploreSession(EPSTEIN, small_overrides)  # crime keys left out, not refused
    assert isinstance(session.model, CivilViolenceModel)
    assert session.overrides == {"city.width": 40, "city.height": 40}
    assert session.describe() == ("epstein2002.toml with city.width=40, city.height=40; "
                                  "Epstein's civil violence model")
    session.step(10)
    assert session.model.tick == 10 and len(session.model.results) == 10
    assert family_of(Scenario.load(EPSTEIN)) is CIVIL_VIOLENCE
    assert family_of(Scenario.load(SCENARIO_DIR / "baseline.toml")) is CRIME


def test_more_settings_of_the_civil_family_are_its_other_keys():
    groups = sections(CIVIL_VIOLENCE.key_fields, CIVIL_VIOLENCE)
    assert list(groups) == ["civil_violence"]
    offered = set(groups["civil_violence"])
    assert {"civil_violence.arrest_prob_constant", "civil_violence.grid_type",
            "civil_violence.jail_on_grid", "civil_violence.reversion_ticks"} <= offered
    assert not offered & set(CIVIL_KEYS)
    assert "police" in sections()  # the crime family's are unchanged


# --- the figures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def civil_model():
    session = ExploreSession(EPSTEIN, seed=2)
    session.step(40)
    return session.model


def cells_of(option: dict, shape: tuple[int, int], floor: float) -> np.ndarray:
    """The heatmap's cells back as an array (the background's value where none is sent)."""
    grid = np.full(shape, floor)
    for column, row, value in option["series"][0]["data"]:
        grid[row, column] = value
    return grid


def test_state_map_has_a_categorical_legend_in_distinct_colours(civil_model):
    option = civil_map_option(civil_model, "state")
    scale = option["visualMap"]
    assert scale["type"] == "piecewise"  # a legend of states, no colour bar
    assert [p["label"] for p in scale["pieces"]] == ["quiet", "active", "cop", "jailed"]
    assert option["title"]["text"].startswith("State of each cell - tick 40 (")
    colours = {code: colour for code, _label, colour in STATE_STYLES}
    assert len(set(colours.values())) == len(colours)
    assert {p["value"]: p["color"] for p in scale["pieces"]} == {
        code: colours[code] for code in (CV_QUIET, CV_ACTIVE, CV_COP, CV_JAILED)}
    # every cell holds its state; empty cells are the background, in the empty colour
    kinds = civil_model.layers()["state"]
    assert np.array_equal(cells_of(option, kinds.shape, CV_EMPTY), kinds)
    assert option["grid"]["backgroundColor"] == colours[CV_EMPTY]


@pytest.mark.parametrize("layer", [name for name in CIVIL_LAYERS if name != "state"])
def test_continuous_layers_have_a_sequential_scale(civil_model, layer):
    option = civil_map_option(civil_model, layer)
    scale = option["visualMap"]
    assert scale["type"] == "continuous" and scale["min"] == 0.0
    assert CIVIL_LAYERS[layer].unit in option["title"]["subtext"]
    assert CIVIL_LAYERS[layer].title in option["title"]["text"]
    data = np.asarray(civil_model.layers()[CIVIL_LAYERS[layer].key], dtype=float)
    drawn = cells_of(option, data.shape, 0.0)
    drawn[drawn == -1e9] = np.nan  # no citizen: painted grey by the scale
    assert np.array_equal(np.isnan(drawn), np.isnan(data))
    both = ~np.isnan(data)
    # two significant digits of a value at most 1: within 0.005
    assert np.abs(drawn[both] - data[both]).max() <= 0.005 + 1e-12


def test_series_show_citizens_by_state_and_legitimacy(civil_model):
    option = civil_series_option(civil_model)
    assert [t["text"] for t in option["title"]] == ["Citizens by state", "Legitimacy (0 - 1)"]
    assert [legend["data"] for legend in option["legend"]] == [
        ["active", "jailed", "quiet"], ["regime's L", "citizens' mean L_i"]]
    jailed = next(s for s in option["series"] if s["name"] == "jailed")
    assert option["xAxis"][0]["data"] == list(range(40))
    assert jailed["data"] == [int(v) for v in civil_model.results.column("jailed")]


def test_the_family_draws_its_own_charts():
    session = ExploreSession(EPSTEIN, seed=3)
    session.step(10)
    family = session.family
    assert family is CIVIL_VIOLENCE
    option = family.map_option(session.model, "grievance", family.geometry(session.model))
    assert option["title"]["text"].startswith("Grievance")
    assert family.series_option(session.model)["series"][0]["name"] == "active"
