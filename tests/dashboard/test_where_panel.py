"""The Explore page's "Where crime happens" panel: settings by type, an awareness space."""

from __future__ import annotations

from types import SimpleNamespace

import ipyvuetify as v
import ipywidgets as widgets
import numpy as np
import pytest
import solara
from ui_support import type_into

from sim.config import (
    ASSAULT,
    BURGLARY,
    EV_SETTING,
    EV_TYPE,
    FREE,
    JAILED,
    N_CRIME,
    N_EVENT_FIELDS,
    SET_COMMERCIAL,
    SET_HOME,
    SET_STREET,
)
from sim.dashboard.figures.where import (
    awareness_figure,
    awareness_of,
    first_free_offender,
    settings_figure,
    settings_table,
)
from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.pages.where_panel import NO_AWARENESS, WherePanel, awareness_png


def _events(rows: list[tuple[int, int]]) -> np.ndarray:
    ev = np.zeros((len(rows), N_EVENT_FIELDS), np.int64)
    for i, (crime, setting) in enumerate(rows):
        ev[i, EV_TYPE], ev[i, EV_SETTING] = crime, setting
    return ev


# Burglary: 2 at home. Assault: 1 street, 3 commercial.
EVENTS = _events([(BURGLARY, SET_HOME), (BURGLARY, SET_HOME), (ASSAULT, SET_STREET),
                  (ASSAULT, SET_COMMERCIAL), (ASSAULT, SET_COMMERCIAL),
                  (ASSAULT, SET_COMMERCIAL)])


class StandIn:
    """A model with a 10 x 8 city, three offender slots and ``awareness_space``.

    Slot 0 is jailed, slot 1 free with two nodes, slot 2 free without nodes; slots
    beyond are empty (ValueError), as the awareness helper's interface says.
    """

    def __init__(self) -> None:
        self.city = SimpleNamespace(width=10, height=8, cell_size_m=50.0,
                                    crime_count=np.zeros((N_CRIME, 8, 10), np.int64))
        self.offenders = SimpleNamespace(state=np.array([JAILED, FREE, FREE]))
        self.events = SimpleNamespace(enabled=True, array=EVENTS)
        self.day, self.hour = 3, 14

    def awareness_space(self, slot: int) -> dict:
        if slot == 1:
            return {"home": 12, "nodes": [("work", 47), ("leisure", 70)], "anchor": 47,
                    "paths": np.array([23, 34, 35, 46, 22, 32, 41, 51, 61])}
        if slot == 2:
            return {"home": 5, "nodes": [], "anchor": -1, "paths": np.zeros(0, np.int64)}
        raise ValueError(f"slot {slot} is empty")


def test_settings_table_shares_by_hand():
    t = settings_table(EVENTS)
    assert set(t) == {"burglary", "assault"}  # types without crimes are left out
    assert t["burglary"]["n"] == 2 and t["burglary"]["home"] == 1.0
    assert t["assault"]["street"] == pytest.approx(0.25)
    assert t["assault"]["commercial"] == pytest.approx(0.75)


def test_settings_figure_stacks_each_type_to_100_percent():
    fig = settings_figure(EVENTS)
    ax = fig.axes[0]
    bars = ax.patches
    # one bar per setting per type: 6 settings x 2 types
    assert len(bars) == 12
    ends = {}
    for b in bars:
        y = round(b.get_y() + b.get_height() / 2)
        ends[y] = max(ends.get(y, 0.0), b.get_x() + b.get_width())
    assert ends == {0: pytest.approx(100.0), 1: pytest.approx(100.0)}
    widths = sorted(round(b.get_width()) for b in bars if b.get_width() > 0)
    assert widths == [25, 75, 100]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["burglary (2)", "assault (4)"]


def test_settings_figure_without_crimes_or_log_says_so():
    empty = settings_figure(np.zeros((0, N_EVENT_FIELDS), np.int64))
    assert "no crimes yet" in [t.get_text() for t in empty.axes[0].texts]
    off = settings_figure(None)
    assert "event log is off" in off.axes[0].texts[0].get_text()


def test_awareness_of_follows_the_interface():
    m = StandIn()
    assert first_free_offender(m) == 1
    assert awareness_of(m, 1)["anchor"] == 47
    assert awareness_of(m, 2) is None  # no nodes
    assert awareness_of(m, 9) is None  # empty slot: ValueError
    assert awareness_of(m, None) is None
    assert awareness_of(SimpleNamespace(), 1) is None  # no such method


def test_awareness_figure_marks_home_nodes_paths_and_anchor():
    m = StandIn()
    fig = awareness_figure(m, m.awareness_space(1), 1)
    ax = fig.axes[0]
    by_label = {c.get_label(): c.get_offsets() for c in ax.collections}
    # cell = y * width + x on the 10-wide grid
    np.testing.assert_array_equal(by_label["home"], [[2, 1]])
    np.testing.assert_array_equal(by_label["work"], [[7, 4]])
    np.testing.assert_array_equal(by_label["leisure"], [[0, 7]])
    np.testing.assert_array_equal(by_label["anchor now"], [[7, 4]])
    assert len(by_label["paths"]) == 9
    assert "offender 1" in ax.get_title()


def test_awareness_png_notes():
    png, note = awareness_png(StandIn(), None)
    assert png is not None and png[:4] == b"\x89PNG" and "slot 1" in note
    png, note = awareness_png(StandIn(), 7)
    assert png is None and "slot 7" in note
    model = StandIn()
    model.offenders.state[:] = JAILED
    assert awareness_png(model, None) == (None, "No offender is at large to show.")
    plain = SimpleNamespace(**{k: getattr(model, k) for k in ("city", "offenders", "events")})
    assert awareness_png(plain, None) == (None, NO_AWARENESS)


def _texts(rc) -> list[str]:
    return [str(w.children[0]) for w in rc.find(v.Html, tag="span").widgets if w.children]


def test_panel_with_a_stand_in_model_offers_the_offender_control():
    model = StandIn()
    session = SimpleNamespace(read=lambda view: view(model))
    box, rc = solara.render(WherePanel(session, (0,), False), handle_error=False)
    try:
        assert len(rc.find(widgets.Image).widgets) == 2  # settings, awareness map
        type_into(rc, "offender slot (empty: first at large)", "2")
        assert any("slot 2 is empty or has no activity nodes" in t for t in _texts(rc))
        assert len(rc.find(widgets.Image).widgets) == 1
    finally:
        rc.close()


def test_explore_page_shows_the_settings_breakdown_when_switched_on(small_overrides):
    box, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    try:
        assert len(rc.find(widgets.Image).widgets) == 0  # off: steps stay fast
        rc.find(v.Switch, label="show where crime happens (slower steps)").widget.v_model = True
        assert len(rc.find(widgets.Image).widgets) >= 1  # the settings by type
        has_method = rc.find(v.TextField, label="offender slot (empty: first at large)")
        if not has_method.widgets:  # this model has no awareness spaces yet
            assert NO_AWARENESS in _texts(rc)
    finally:
        rc.close()
