"""The Explore page: one city, live -- the map, the run controls and the time series.

Each browser session gets its own :class:`~sim.dashboard.state.explore_session.ExploreSession`,
kept in :mod:`sim.dashboard.pages.browser_state` (per browser session, never at module
level), so two users never step each other's model, a user who looks at another page
comes back to the same city, and the Compare page can compare "the current Explore
settings". What the page shows -- the step buttons, the speed's unit, the layers,
the figures and the status line -- is the scenario's model family's
(:mod:`sim.dashboard.model_family`): the crime city steps by hours and days, Epstein's
civil-violence lattice by ticks. The page is split so that playing stays cheap:
:func:`LiveView` owns the frame counter and rebuilds only the two charts' options
(the browser draws them with ECharts), while
:func:`~sim.dashboard.pages.settings.SettingsPanel` re-renders only when a setting
changes. :func:`LiveColumn` renders the live view in a reacton render context of its
own, so a step walks the live view's widgets and never the settings column's. The
live column is sticky: the map stays in view while the settings scroll.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import ipyvuetify
import reacton
import solara

from sim.dashboard.figures.area_map import areas_caption, model_geometry
from sim.dashboard.model_family import CRIME, crime_status
from sim.dashboard.pages import browser_state
from sim.dashboard.pages.explore_status import cost_text, estimate_text
from sim.dashboard.pages.live_frame import LiveFrame, frame_text
from sim.dashboard.pages.navigation import take_requested_scenario
from sim.dashboard.pages.settings import SettingsPanel
from sim.dashboard.pages.where_panel import WherePanel
from sim.dashboard.state.explore_session import SCENARIO_DIR, ExploreSession

#: The scenario Explore opens with.
DEFAULT_SCENARIO = SCENARIO_DIR / "baseline.toml"
#: Hours advanced per frame while playing: the crime model's speed choices.
SPEEDS: tuple[int, ...] = CRIME.speeds
#: Pause between frames while playing, in seconds (lets the browser catch up).
FRAME_PAUSE = 0.05
#: The crime model's status line (kept under its old name).
status_line = crime_status


#: Height of each chart in pixels (the map's plot area is square, 380 px).
CHART_HEIGHT = 540
#: The settings column: a quarter of the page's width.
SETTINGS_STYLE = {"flex": "1 1 0", "min-width": "0", "padding": "12px"}
#: The live column stays in view while the settings beside it scroll: sticky at the top
#: of the page's scrolling area (under the app bar), scrolling on its own if taller.
STICKY_STYLE = {"flex": "3 1 0", "min-width": "0", "position": "sticky", "top": "0",
                "align-self": "flex-start", "max-height": "calc(100vh - 112px)",
                "overflow-y": "auto", "padding": "12px"}


@solara.component
def LiveView(session: ExploreSession, settings_version: int) -> solara.Element:
    """Run controls, the map with its layer chooser, and the time series.

    A click's step runs in a thread of its own holding the session's lock, so one
    session's day never holds up the server's event loop or another session's page;
    the render only turns the model's arrays into one frame -- status line, readout
    and two ECharts options in one JSON string, one message to the browser (see
    :mod:`sim.dashboard.pages.live_frame`) -- that the browser draws.

    Args:
        session: This browser session's model holder.
        settings_version: Changes when the settings (hence the model) change.
    """
    family = session.family
    version, set_version = solara.use_state(session.version)
    playing, set_playing = solara.use_state(False)
    chosen_speed, set_speed = solara.use_state(family.speeds[0])
    chosen_layer, set_layer = solara.use_state(family.layers[0])
    show_where, set_show_where = solara.use_state(False)
    # a choice made for another family (before the scenario changed) falls back
    speed, layer = family.speed(chosen_speed), family.layer(chosen_layer)
    drawn = solara.use_ref(version)  # the last frame on screen (set once rendered)

    def frame_done() -> None:
        drawn.current = version

    solara.use_effect(frame_done, [version])

    def play_loop(cancel: threading.Event) -> None:
        # One step per frame: wait for the last frame to be drawn before the next step,
        # so the model never runs ahead of what the user sees.
        while playing and not cancel.is_set():
            session.step(speed)
            target = session.version
            set_version(target)
            while drawn.current < target and not cancel.is_set():
                cancel.wait(0.01)
            cancel.wait(FRAME_PAUSE)

    solara.use_thread(play_loop, dependencies=[playing, speed, settings_version],
                      intrusive_cancel=False)

    def step_by(ticks: int) -> None:
        # Runs in a worker thread of the session's (never on the server's event loop),
        # so the busy indicator shows while it computes; the session's lock keeps the
        # play loop out.
        session.step_in_background(ticks, lambda: set_version(session.version))

    def reset() -> None:
        set_playing(False)
        session.reset()
        set_version(session.version)

    frame = (version, settings_version, session.version, family.name)
    model = session.read(lambda m: m)  # a new object on reset and on every new setting
    geometry = solara.use_memo(lambda: session.read(family.geometry), [model, family.name])
    map_chart = solara.use_memo(lambda: session.read(
        lambda m: family.map_option(m, layer, geometry)), [*frame, layer])
    series_chart = solara.use_memo(lambda: session.read(family.series_option), [frame])
    line = session.read(family.status)
    if session.step_error:
        line = f"{line} - {session.step_error}"
    live_frame = frame_text(f"{session.scenario.name}: {line}", estimate_text(session),
                            cost_text(session), map_chart, series_chart)
    caption = solara.use_memo(lambda: session.read(lambda m: areas_caption(
        model_geometry(m)) if family.name == CRIME.name else ""), [model, family.name])
    steps = session.read(family.steps)

    with solara.Column(gap="8px") as main:
        with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Button("Pause" if playing else "Play", icon_name="mdi-pause" if playing
                          else "mdi-play", on_click=lambda: set_playing(not playing),
                          color="primary")
            for label, ticks in steps:
                # explore-step: the frame shows "computing..." from the click on
                solara.Button(label, on_click=lambda ticks=ticks: step_by(ticks),
                              disabled=playing, classes=["explore-step"])
            solara.Button("Reset", icon_name="mdi-restore", on_click=reset)
            solara.Select(label=session.read(family.speed_label_of), value=speed,
                          values=list(family.speeds), on_value=set_speed,
                          style={"max-width": "12em"})
            solara.Select(label="map layer", value=layer, values=list(family.layers),
                          on_value=set_layer, style={"max-width": "14em"})
        LiveFrame(live_frame, CHART_HEIGHT)
        if caption:
            solara.Text(caption, classes=["area-caption"], style={"font-size": "0.85em"})
        if family.name == CRIME.name:
            # matplotlib figures, redrawn after every step: drawn only when asked for
            solara.Switch(label="show where crime happens (slower steps)", value=show_where,
                          on_value=set_show_where)
            if show_where:
                WherePanel(session, frame, playing)
    return main


@solara.component
def LiveColumn(session: ExploreSession, settings_version: int) -> solara.Element:
    """The sticky live column: :func:`LiveView` in a render context of its own.

    Reacton re-renders a page by walking every widget of its render context, whether
    its component changed or not. The settings column holds hundreds of widgets, so
    each step (busy on, new frame, busy off) cost the server ~50 ms of walking per
    render with one context for the page -- most of a step, and what made twenty
    sessions stepping at once queue behind one interpreter. In a context of its own,
    a step walks only the live view's few dozen widgets; the settings column is
    walked only when a setting changes.

    Args:
        session: This browser session's model holder.
        settings_version: Changes when the settings (hence the model) change.
    """
    holder = solara.use_memo(lambda: ipyvuetify.Html(tag="div", children=[]), [])
    live = solara.use_ref(None)

    def mount() -> Any:
        _, context = reacton.render(LiveView(session, settings_version), holder)
        live.current = context

        def unmount() -> None:
            live.current = None
            context.close()
        return unmount

    solara.use_effect(mount, [session])

    def follow_settings() -> None:
        if live.current is not None:
            live.current.render(LiveView(session, settings_version), holder)

    solara.use_effect(follow_settings, [settings_version])
    # the holder goes in as a widget, not an element: this context never renders into it
    return solara.Column(children=[holder], style=STICKY_STYLE, classes=["explore-live"])


@solara.component
def ExplorePage(scenario_path: str | Path | None = None,
                overrides: dict[str, Any] | None = None, seed: int = 1) -> solara.Element:
    """Explore one city: settings on the left, the live model on the right.

    The session is this browser session's (made on the first visit); a scenario that
    another page asked for (Learn's "Open in Explore") or ``scenario_path`` starts a
    fresh one.

    Args:
        scenario_path: The scenario file to open (default: the session's, else the
            baseline city).
        overrides: Dotted scenario keys applied on top of a new session's file (e.g.
            a small city).
        seed: A new session's random seed.
    """
    def open_session() -> ExploreSession:
        path = take_requested_scenario() or scenario_path
        return browser_state.current().explore_session(
            lambda: ExploreSession(path or DEFAULT_SCENARIO, overrides, seed),
            replace=path is not None)

    session = solara.use_memo(open_session, [])
    settings_version, set_settings_version = solara.use_state(session.version)

    def on_change() -> None:
        set_settings_version(session.version)

    # A row of two plain columns rather than solara.Columns: its columns scroll on
    # their own (overflow: auto), which would make "sticky" stick to nothing.
    with solara.Row(gap="0px", style={"align-items": "flex-start"},
                    classes=["explore-layout"]) as main:
        with solara.Column(style=SETTINGS_STYLE, classes=["explore-settings"]):
            SettingsPanel(session, settings_version, on_change)
        LiveColumn(session, settings_version)
    return main


@solara.component
def Page() -> solara.Element:
    """The Explore page as Solara serves it (the baseline city)."""
    solara.Title("crimesim - Explore")
    return ExplorePage()
