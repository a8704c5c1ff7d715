"""Explore's controls explain themselves: labels, days, districts, restarts, readout."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara
from ui_support import live_frame, step, type_into

from sim.dashboard.labels import days_to_ticks, label_of, ticks_to_days
from sim.dashboard.model_family import CIVIL_KEYS, CRIME_KEYS
from sim.dashboard.pages import browser_state
from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.pages.explore_status import cost_text, estimate_text
from sim.dashboard.pages.more_settings import sections
from sim.dashboard.state.explore_session import (
    INTERVENTION_COMMON_KEYS,
    TARGET_KEYS,
    ExploreSession,
)
from sim.dashboard.state.run_clock import duration_words, estimate_line
from sim.interventions import REGISTRY
from sim.scenario.schema import flatten


@pytest.fixture
def lighting(root, small_overrides) -> ExploreSession:
    """The street-lighting scenario on the small city, its lights on from day 0."""
    session = ExploreSession(root / "scenarios" / "street_lighting.toml", small_overrides)
    assert session.set_field("interventions.street_lighting.start_tick", "0") is None
    return session


def shown_keys() -> list[str]:
    keys = [*CRIME_KEYS, *CIVIL_KEYS]
    keys += [key for group in sections().values() for key in group]
    for name, plugin in REGISTRY.items():
        subs = [*INTERVENTION_COMMON_KEYS, *plugin.params, *(f"target.{t}" for t in TARGET_KEYS)]
        keys += [f"interventions.{name}.{sub}" for sub in subs]
    return keys


def setting_text_fields(rc) -> list[v.TextField]:
    """The text boxes of settings (inside a ``setting`` column; not the Where panel's)."""
    out: list[v.TextField] = []

    def walk(widget, inside: bool) -> None:
        inside = inside or "setting" in str(getattr(widget, "class_", "") or "").split()
        if inside and isinstance(widget, v.TextField):
            out.append(widget)
        for child in getattr(widget, "children", None) or []:
            if hasattr(child, "children") or isinstance(child, v.TextField):
                walk(child, inside)

    walk(rc.container, False)
    return out


def test_every_label_is_words_not_a_key():
    for key in shown_keys():
        label = label_of(key)
        assert "_" not in label and label != key, key
        assert "." not in label.split(" (")[0], key
    assert label_of("interventions.street_lighting.coverage") == (
        "street lighting coverage (share of streets lit)")
    assert label_of("interventions.youth_programme.start_tick") == "start day"
    assert label_of("crime.burglary.report_prob") == "burglary: report prob"


def test_labelled_keys_exist(root):
    known = set(flatten())
    from sim.dashboard.labels import KEY_LABELS
    assert set(KEY_LABELS) <= known


def test_the_page_labels_every_field_from_the_table_and_shows_its_key(small_overrides):
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    table = {label_of(key) for key in shown_keys()} | {"seed"}
    labels = {w.label for w in setting_text_fields(rc)}
    assert labels and labels <= table
    assert label_of("residents.count") in labels
    keys_shown = {w.children[0] for w in rc.find(v.Html, class_="setting-key").widgets
                  if w.children}
    assert {"residents.count", "interventions.street_lighting.coverage"} <= keys_shown


def test_days_and_ticks_by_hand():
    assert days_to_ticks("30", 24) == 720
    assert days_to_ticks("1.5", 24) == 36
    assert days_to_ticks("-1", 24) == -1  # never
    assert days_to_ticks("soon", 24) == "soon"  # the scenario names the problem
    assert ticks_to_days(720, 24) == "30"
    assert ticks_to_days(36, 24) == "1.5"
    assert ticks_to_days(-1, 24) == "-1"


def test_start_day_is_shown_and_typed_in_days(root, small_overrides):
    session = ExploreSession(root / "scenarios" / "street_lighting.toml", small_overrides)
    key = "interventions.street_lighting.start_tick"
    assert session.text(key) == "30"  # the file's start_tick = 720 is day 30
    assert session.set_field(key, "10") is None
    assert session.value(key) == 240 and session.scenario["interventions"][
        "street_lighting"]["start_tick"] == 240


def test_refused_combination_names_the_problem_and_keeps_the_city(root, small_overrides):
    session = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    session.step(24)
    model = session.model
    assert session.check_field("offenders.count", "3001") == (
        "offenders.count: 3,001 offenders but only 3,000 residents (offenders are drawn "
        "from the residents)")
    session.request("offenders", lambda: session.set_field("offenders.count", "3001"),
                    refused=lambda: session.check_field("offenders.count", "3001"))
    assert session.pending is None  # refused at once: nothing to confirm
    assert session.errors["offenders.count"].startswith("offenders.count: 3,001 offenders")
    assert session.model is model and model.day == 1  # the city kept running


def test_a_change_after_the_first_step_waits_for_confirmation(root, small_overrides):
    session = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    change = lambda: session.set_field("police.count", "9")  # noqa: E731
    session.request("police patrol units", change)
    assert session.pending is None and session.scenario["police.count"] == 9  # fresh: at once
    session.step(24 * 3)
    session.request("police patrol units", lambda: session.set_field("police.count", "4"))
    assert session.pending.question() == ("Changing police patrol units restarts the city; "
                                          "the run so far (day 3) will be lost.")
    session.cancel()
    assert session.pending is None and session.model.day == 3
    assert session.scenario["police.count"] == 9
    session.request("police patrol units", lambda: session.set_field("police.count", "4"))
    session.confirm()
    assert session.model.tick == 0 and session.scenario["police.count"] == 4


def test_cost_readout_is_the_plug_ins_account_by_hand(lighting):
    lighting.step(24 * 3)
    (item,) = lighting.model.interventions.items
    setup, running = item.settings["setup_cost"], item.settings["running_cost"]
    assert item.units > 0 and item.days_active == 3  # booked on days 0, 1 and 2
    expected = item.units * setup + item.units * running * 3
    total, currency = lighting.cost_so_far()
    assert total == pytest.approx(expected) and currency == "EUR"
    assert cost_text(lighting) == f"Interventions' cost so far: {expected:,.0f} EUR"


def test_run_time_estimate_by_hand(lighting):
    assert estimate_line(0.1, 300, "days", True) == (
        "about 30 s for the remaining 300 days at the current speed")
    assert duration_words(0.4) == "under a second"
    assert duration_words(600) == "about 10 min"
    # before a step: a guess from the city's size; after: this model's measured rate
    assert estimate_text(lighting).endswith(
        "for the remaining 365 days (a first guess from the city's size)")
    lighting.step(24)
    lighting.step(24)
    per_day = lighting.clock.seconds_per_tick() * 24
    assert estimate_text(lighting) == estimate_line(per_day, 363, "days", True)


def test_district_select_lists_the_city_names(root, small_overrides):
    _, rc = solara.render(ExplorePage(root / "scenarios" / "street_lighting.toml",
                                      small_overrides), handle_error=False)
    found = rc.find(v.Select, label="target: districts").widgets
    assert len(found) == len(REGISTRY)  # one per plug-in
    session = ExploreSession(root / "scenarios" / "street_lighting.toml", small_overrides)
    names = session.model.city.district_names
    assert len(names) == small_overrides["city.districts"]
    assert all(w.items == names for w in found)


def test_step_button_shows_the_new_day_then_a_change_waits(small_overrides):
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    step(rc, "Step 1 day")
    assert "day 1, 00:00" in live_frame(rc)["status"]
    type_into(rc, "police.count", "5")  # the city has run: the change waits
    assert rc.find(v.Dialog).widget.v_model is True


def test_a_failing_step_still_brings_a_frame_with_the_reason(small_overrides, monkeypatch):
    """The page's "computing..." lasts until the next frame: a step that raises must
    still send one, saying why, rather than leave the page computing forever."""
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    session = browser_state.current().explore

    def broken_step() -> None:
        raise RuntimeError("kernel exploded")

    monkeypatch.setattr(session.model, "step", broken_step)
    before = live_frame(rc)
    step(rc, "Step 1 day")
    after = live_frame(rc)
    assert after != before  # a new frame reached the page
    assert after["status"].endswith(
        "the last step failed (RuntimeError: kernel exploded)"), after["status"]
    assert not session.clock.busy  # and the next click is taken
    monkeypatch.undo()
    step(rc, "Step 1 day")
    assert "day 1, 00:00" in live_frame(rc)["status"]
    assert "failed" not in live_frame(rc)["status"]
