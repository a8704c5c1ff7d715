"""What a day step costs the server: only the live view is touched, and cheap parts.

Twenty workshop sessions stepping at once share one interpreter (issue 16, many users
at once), so the server's work per step is what queues. These tests pin the three
things that made it cheap: a step updates the live view's widgets and none of the
settings column's, the daily series are summed without a pandas frame (same totals
as pandas' groupby), and no chart option asks the browser to animate.
"""

from __future__ import annotations

from collections import Counter

import ipyvuetify as v
import numpy as np
import pytest
import reacton.core
import solara
from ui_support import button, chart_options, step

from sim.dashboard.figures.civil import civil_map_option, civil_series_option
from sim.dashboard.figures.layers import LAYERS, daily_counts
from sim.dashboard.figures.live import CRIME_PANEL, GROUP_PANEL, map_option, series_option
from sim.dashboard.model_family import CIVIL_VIOLENCE
from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.state.explore_session import SCENARIO_DIR, ExploreSession


@pytest.fixture
def updated_widgets(monkeypatch) -> Counter:
    """Counts, by widget class, every widget reacton updates from here on."""
    counts: Counter = Counter()
    original = reacton.core.Element._update_widget

    def counting(self, widget, el_prev, kwargs):
        counts[type(widget).__name__] += 1
        return original(self, widget, el_prev, kwargs)

    monkeypatch.setattr(reacton.core.Element, "_update_widget", counting)
    return counts


def test_a_day_step_updates_the_live_view_and_not_the_settings(small_overrides,
                                                               updated_widgets):
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    try:
        fields = len(rc.find(v.TextField).widgets)
        assert fields > 20  # the settings column: the widgets a step must not walk
        before = chart_options(rc)
        updated_widgets.clear()
        step(rc, "Step 1 day")
        after = chart_options(rc)
        assert after[0] != before[0] and after[1] != before[1]  # both charts redrawn
        assert updated_widgets["LiveFrameWidget"] == 1  # one frame: one message
        assert updated_widgets["TextField"] == 0, updated_widgets
        # the live view is a few dozen widgets, walked once: the busy indicator is the
        # browser's, so a step renders once (no busy-on and busy-off renders)
        assert sum(updated_widgets.values()) < 60, updated_widgets
    finally:
        rc.close()


def test_a_settings_change_still_redraws_the_live_view(small_overrides):
    _, rc = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
    try:
        step(rc, "Step 1 day")
        map_before = chart_options(rc)[0]
        assert "day 1, 00:00" in map_before
        seed = [w for w in rc.find(v.TextField).widgets if w.label == "seed"]
        assert len(seed) == 1
        seed[0].v_model = "7"
        seed[0].fire_event("keyup.enter", None)
        button(rc, "Continue").click()  # "Restart the city?": yes
        map_after = chart_options(rc)[0]
        assert "day 0, 00:00" in map_after  # a new model, drawn from its first day
    finally:
        rc.close()


def test_daily_counts_equal_pandas_groupby_of_the_metrics_frame(root, small_overrides):
    # 300 offenders, not 60: the small city's ~0.6 crimes a day left three days empty
    # about one run in six; here ~4 a day make an empty panel a Poisson 1e-5 event.
    overrides = dict(small_overrides, **{"offenders.count": 300})
    session = ExploreSession(root / "scenarios" / "baseline.toml", overrides)
    session.step(3 * 24 + 5)  # a partial fourth day too
    model = session.model
    frame = model.results.to_frame()
    for prefix, names in (CRIME_PANEL, GROUP_PANEL):
        got = daily_counts(model, prefix, names)
        expected = frame.groupby("day")[[f"{prefix}{n}" for n in names]].sum()
        assert got["day"].tolist() == expected.index.tolist() == [0, 1, 2, 3]
        for name in names:
            assert np.array_equal(got[name], expected[f"{prefix}{name}"].to_numpy()), name
    assert sum(got[n].sum() for n in GROUP_PANEL[1]) > 0  # something was counted


def test_no_chart_option_animates(root, small_overrides):
    session = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    session.step(30)
    options = [map_option(session.model, layer) for layer in LAYERS]
    options.append(series_option(session.model))
    civil = ExploreSession(SCENARIO_DIR / "epstein2002.toml")
    assert civil.family is CIVIL_VIOLENCE
    civil.step(2)
    options += [civil_map_option(civil.model, layer) for layer in CIVIL_VIOLENCE.layers]
    options.append(civil_series_option(civil.model))
    assert len(options) == len(LAYERS) + 1 + len(CIVIL_VIOLENCE.layers) + 1
    for option in options:
        assert option["animation"] is False
