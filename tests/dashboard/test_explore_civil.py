"""Explore with a civil-violence scenario (Epstein 2002): its fields, steps, map and series.

Rendered without a browser (``solara.render``), as a user would drive the page: choose
the scenario file, read the fields, step, pick a layer, type a bad value, switch back.
"""

from __future__ import annotations

import io

import ipyvuetify as v
import ipywidgets as widgets
import numpy as np
import pytest
import solara
from PIL import Image
from ui_support import button, step, text_field, type_into

from sim.config import CV_ACTIVE, CV_COP, CV_QUIET
from sim.dashboard.figures.civil import (
    CIVIL_LAYERS,
    STATE_STYLES,
    CivilMapView,
    CivilSeriesView,
)
from sim.dashboard.figures.live import png_bytes
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
    texts = [str(w.children[0]) for w in rc.find(v.Html, tag="span").widgets
             if w.children and "tick " in str(w.children[0]) and ": " in str(w.children[0])]
    assert len(texts) == 1, texts
    return texts[0]


def images(rc) -> list[bytes]:
    return [w.value for w in rc.find(widgets.Image).widgets]


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


def rgb(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_state_map_has_a_categorical_legend_in_distinct_colours(civil_model):
    view = CivilMapView(civil_model, "state")
    view.draw()
    ax = view.figure.axes[0]
    assert len(view.figure.axes) == 1  # a legend, no colour bar
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["quiet", "active", "cop", "jailed"]
    assert ax.get_title().startswith("State of each cell - tick 40 (")
    colours = {code: colour for code, _label, colour in STATE_STYLES}
    assert len(set(colours.values())) == len(colours)
    # the cell of a cop is drawn in the cop's colour, a quiet citizen's in blue, ...
    shown = view.image.to_rgba(civil_model.layers()["state"], bytes=True)[..., :3]
    kinds = civil_model.layers()["state"]
    for code in (CV_QUIET, CV_ACTIVE, CV_COP):
        where = np.argwhere(kinds == code)
        if len(where):
            y, x = where[0]
            hexcode = "#" + "".join(f"{c:02x}" for c in shown[y, x])
            assert hexcode == colours[code]


@pytest.mark.parametrize("layer", [name for name in CIVIL_LAYERS if name != "state"])
def test_continuous_layers_have_a_sequential_map_and_a_colour_bar(civil_model, layer):
    view = CivilMapView(civil_model, layer)
    view.draw()
    fig = view.figure
    assert len(fig.axes) == 2
    assert fig.axes[1].get_ylabel() == CIVIL_LAYERS[layer].unit
    assert view.image.get_cmap().name.startswith(CIVIL_LAYERS[layer].cmap)
    assert CIVIL_LAYERS[layer].title in fig.axes[0].get_title()


def test_series_show_citizens_by_state_and_legitimacy(civil_model):
    view = CivilSeriesView(civil_model)
    view.draw()
    titles = [ax.get_title() for ax in view.figure.axes]
    assert titles == ["Citizens by state", "Legitimacy"]
    legends = [[t.get_text() for t in ax.get_legend().get_texts()] for ax in view.figure.axes]
    assert legends == [["active", "jailed", "quiet"], ["regime's L", "citizens' mean L_i"]]
    x, y = view.lines["jailed"].get_data()
    assert len(x) == 40 and list(y) == list(civil_model.results.column("jailed"))


def test_blitted_civil_frames_match_a_full_draw_and_skip_full_redraws():
    session = ExploreSession(EPSTEIN, seed=3)
    renderer = CIVIL_VIOLENCE.renderer()
    for _ in range(8):
        session.step(10)
        map_png = renderer.map_png(session.model, "grievance")
        series_png = renderer.series_png(session.model)
    # a full draw for the first frame and for a moved scale, not one per frame
    assert renderer.full_draws() < 8
    for png, view in ((map_png, CivilMapView(session.model, "grievance")),
                      (series_png, CivilSeriesView(session.model))):
        view.figure.canvas.draw()
        diff = np.abs(rgb(png) - rgb(png_bytes(view.figure))).max(axis=2)
        assert (diff > 0).mean() < 0.001 and diff.max() <= 32
