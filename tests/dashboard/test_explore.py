"""The Explore page, rendered without a browser (``solara.render``)."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara
from ui_support import button, chart_options, live_frame, step, text_field, type_into

from sim.dashboard.figures.layers import LAYERS
from sim.dashboard.figures.live import map_option, series_option
from sim.dashboard.labels import label_of
from sim.dashboard.pages import browser_state
from sim.dashboard.pages.explore import ExplorePage, LiveView
from sim.dashboard.state.explore_session import ExploreSession
from sim.interventions import REGISTRY


@pytest.fixture
def explore(small_overrides):
    box, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    yield rc
    rc.close()


def status(rc) -> str:
    """The status line: scenario, day, hour, tick, crimes so far."""
    return live_frame(rc)["status"]




def images(rc) -> list[str]:
    """What the map and the series charts are told to draw (their options as JSON)."""
    return chart_options(rc)






def test_page_renders_map_series_and_controls(explore):
    assert "day 0, 00:00 (tick 0)" in status(explore)
    assert len(images(explore)) == 2  # the map and the series, drawn by the browser
    for label in ("Play", "Step 1 hour", "Step 1 day", "Reset"):
        button(explore, label)
    text_field(explore, "offenders.count")
    text_field(explore, "seed")


def test_step_advances_the_model_and_changes_the_figures(explore):
    before = images(explore)
    step(explore, "Step 1 day")
    assert "day 1, 00:00 (tick 24)" in status(explore)
    after = images(explore)
    assert after[0] != before[0] and after[1] != before[1]
    step(explore, "Step 1 hour")
    assert "(tick 25)" in status(explore)
    button(explore, "Reset").click()
    assert "(tick 0)" in status(explore)


def test_bad_field_shows_its_message_and_keeps_other_settings(explore):
    type_into(explore, "police.count", "9")
    assert text_field(explore, "police.count").error is False
    type_into(explore, "offenders.count", "many")
    field = text_field(explore, "offenders.count")
    assert field.error is True
    assert field.messages == ["offenders.count: expected an integer, got a string"]
    assert field.v_model == "many"
    assert text_field(explore, "police.count").v_model == "9"  # the other setting is kept
    type_into(explore, "offenders.count", "-3")
    assert text_field(explore, "offenders.count").messages == [
        "offenders.count: -3 is below the minimum 0"]
    type_into(explore, "offenders.count", "50")
    field = text_field(explore, "offenders.count")
    assert field.error is False and field.v_model == "50"


def test_intervention_field_message(explore):
    labels = [label_of(f"interventions.{name}.coverage") for name in REGISTRY]
    assert len(set(labels)) == len(REGISTRY)  # one per plug-in, each saying what it covers
    type_into(explore, labels[0], "1.5")
    messages = [w.messages for label in labels
                for w in explore.find(v.TextField, label=label).widgets if w.error]
    assert len(messages) == 1 and "is above the maximum 1" in messages[0][0]


def test_two_browser_sessions_are_independent(small_overrides, browser_sessions):
    one, two = browser_sessions("one"), browser_sessions("two")
    with one:
        _, page = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
        step(page, "Step 1 day")
        assert "(tick 24)" in status(page)
        page.close()
    with two:
        _, page = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
        assert "(tick 0)" in status(page)  # its own model, not the other user's
        page.close()
        assert browser_state.current().explore.model.tick == 0
    with one:
        assert browser_state.current().explore.model.tick == 24


def test_coming_back_to_explore_finds_the_same_city_and_settings(small_overrides):
    _, page = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    type_into(page, "police.count", "9")
    type_into(page, "offenders.count", "many")  # refused: its text and message stay too
    step(page, "Step 1 day")
    page.close()  # the user opens another tab
    _, page = solara.render(ExplorePage(), handle_error=False)
    try:
        assert "(tick 24)" in status(page)
        assert text_field(page, "police.count").v_model == "9"
        assert text_field(page, "offenders.count").error is True
        assert text_field(page, "city.width").v_model == str(small_overrides["city.width"])
    finally:
        page.close()


def test_live_view_redraws_when_settings_change(small_overrides, root):
    session = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    _, rc = solara.render(LiveView(session, 0), handle_error=False)
    try:
        step(rc, "Step 1 day")
        assert session.model.tick == 24
    finally:
        rc.close()


@pytest.mark.parametrize("layer", list(LAYERS))
def test_every_layer_draws_with_title_and_colour_scale(session_model, layer):
    option = map_option(session_model, layer)
    assert LAYERS[layer].title in option["title"]["text"]
    assert LAYERS[layer].unit in option["title"]["subtext"]
    kind = "piecewise" if LAYERS[layer].categories else "continuous"
    assert option["visualMap"]["type"] == kind
    assert option["legend"]["data"][:2] == ["offenders (free)", "police"]


def test_series_chart(session_model):
    option = series_option(session_model)
    titles = [title["text"] for title in option["title"]]
    assert titles[0].startswith("Crimes per 1,000 residents per day")
    assert titles[1].startswith("Victimisations per 1,000 residents of the group per day")
    assert len(option["legend"]) == 2


@pytest.fixture(scope="module")
def session_model(small_scenario):
    from sim.crime.model import CrimeModel

    model = CrimeModel(scenario=small_scenario, rng=1, agent_views=False)
    model.run_for(30)
    return model


def test_play_advances_until_paused(explore):
    import time

    button(explore, "Play").click()
    deadline = time.monotonic() + 10
    while "(tick 0)" in status(explore) and time.monotonic() < deadline:
        time.sleep(0.05)
    button(explore, "Pause").click()
    time.sleep(0.2)
    paused = status(explore)
    assert "(tick 0)" not in paused
    time.sleep(0.3)
    assert status(explore) == paused  # stays put while paused


def test_opens_the_scenario_another_page_requested(small_overrides):
    """Learn's "Open in Explore" hands a lesson over; Explore's status names it."""
    from sim.dashboard.pages import navigation
    from sim.dashboard.state.explore_session import SCENARIO_DIR
    from sim.scenario import Scenario

    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    step(rc, "Step 1 day")
    rc.close()
    lesson = next((SCENARIO_DIR / "lessons").glob("*.toml"))
    navigation.request_scenario(lesson)
    try:
        _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
        assert Scenario.load(lesson).name in status(rc)
        assert "(tick 0)" in status(rc)  # a fresh session for the lesson
        rc.close()
        assert navigation.requested_scenario_path() is None  # taken: opened once
        _, rc = solara.render(ExplorePage(), handle_error=False)
        assert Scenario.load(lesson).name in status(rc)  # and kept on coming back
        rc.close()
    finally:
        navigation.requested_scenario.set(None)
