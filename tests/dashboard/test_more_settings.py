"""Explore's "More settings": every other scalar scenario key, validated beside its field."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara
from ui_support import text_field, type_into

from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.pages.more_settings import (
    HIDDEN_KEYS,
    MoreSettings,
    other_model_sections,
    sections,
)
from sim.dashboard.state.explore_session import SCENARIO_KEYS, ExploreSession
from sim.scenario.schema import flatten


@pytest.fixture
def session(root, small_overrides) -> ExploreSession:
    return ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)


def all_panels(widget) -> list[v.ExpansionPanels]:
    """Every expansion-panel group under ``widget``, nested ones too."""
    found = [widget] if isinstance(widget, v.ExpansionPanels) else []
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, v.VuetifyWidget | v.Html):
            found += all_panels(child)
    return found


def open_section(rc, section: str) -> None:
    """Click a section's header open, as a user would."""
    groups = [p for top in rc.find(v.ExpansionPanels).widgets for p in all_panels(top)]
    panels = [w for w in groups
              if str(w.children[0].children[0].children[0]).startswith(section)]
    assert len(panels) == 1, section
    panels[0].v_model = 0


def headers(rc) -> list[str]:
    return [str(c) for h in rc.find(v.ExpansionPanelHeader).widgets for c in h.children]


def test_every_other_schema_key_is_offered_once():
    offered = [key for keys in sections().values() for key in keys]
    assert len(offered) == len(set(offered))
    other = other_model_sections()
    expected = {key for key in set(flatten()) - set(SCENARIO_KEYS) - set(HIDDEN_KEYS)
                if key.split(".", 1)[0] not in other}
    assert set(offered) == expected
    assert len(offered) > 150
    groups = sections()
    assert "police.corrupt_share" in groups["police"]
    assert "crime.burglary.rate" in groups["crime"]
    assert "currency" in groups["general"]
    assert "offenders.count" not in groups["offenders"]  # offered above already


def test_sections_render_their_fields_only_when_open(session):
    _, rc = solara.render(MoreSettings(session, 0, lambda: None), handle_error=False)
    try:
        assert not rc.find(v.TextField, label="police.corrupt_share").widgets
        open_section(rc, "More settings")
        open_section(rc, "police (")
        field = text_field(rc, "police.corrupt_share")
        assert field.v_model == str(session.value("police.corrupt_share"))
        assert "share of corrupt officers" in field.messages[0]  # the help text
        assert not rc.find(v.TextField, label="flows.gang_join").widgets  # still closed
    finally:
        rc.close()


def test_a_bad_value_shows_its_message_and_keeps_every_other_setting(small_overrides):
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    try:
        type_into(rc, "police.count", "9")
        open_section(rc, "More settings")
        open_section(rc, "police (")
        type_into(rc, "police.corrupt_share", "0.05")
        assert text_field(rc, "police.corrupt_share").error is False
        type_into(rc, "police.detect_prob", "1.5")
        field = text_field(rc, "police.detect_prob")
        assert field.error is True
        assert field.messages == ["police.detect_prob: 1.5 is above the maximum 1"]
        assert any("1 refused" in h for h in headers(rc))
        assert text_field(rc, "police.count").v_model == "9"  # kept
        assert text_field(rc, "police.corrupt_share").v_model == "0.05"  # kept
        assert any("police (" in h and "changed" in h for h in headers(rc))
        open_section(rc, "routines (")
        type_into(rc, "routines.work_start", "eight")
        assert text_field(rc, "routines.work_start").messages == [
            "routines.work_start: expected an integer, got a string"]
        assert text_field(rc, "police.detect_prob").v_model == "1.5"  # its text stays
    finally:
        rc.close()


def test_accepted_values_reach_the_model(session):
    assert session.set_field("police.corrupt_share", "0") is None
    assert session.model.scenario["police.corrupt_share"] == 0.0
    assert session.set_field("offenders.always_active", True) is None
    assert session.model.scenario["offenders.always_active"] is True
    assert session.set_field("near_repeat.crime_types", "all") is None
    assert session.set_field("near_repeat.crime_types", "some") is not None
    assert session.value("near_repeat.crime_types") == "all"


def test_keys_only_another_model_family_reads_are_left_out(monkeypatch):
    from sim.dashboard.pages import more_settings
    from sim.fields import float_field, str_field

    fields = {**flatten(),
              "model": str_field("crime", "model family", ("crime", "other_family")),
              "other_family.rate": float_field(1.0, "read by the other family only")}
    monkeypatch.setattr(more_settings, "flatten", lambda: fields)
    assert other_model_sections() == {"other_family"}
    assert "other_family" not in sections()
    assert "police" in sections()
