"""The Explore page's "Where crime happens" panel: settings by type, an awareness space.

Under the live map: the share of each crime type's crimes by setting (stacked bars
from the run's event log), and a map of one offender's awareness space, picked by
slot number (the first offender at large by default). Both are drawn when the user
is not playing -- they are whole matplotlib figures, and redrawing them every frame
would slow the play loop the live view keeps under 150 ms -- so they follow each
step, reset and pause. The awareness map needs ``CrimeModel.awareness_space``; a
model without it (or an offender without nodes) gets a note instead of the control.
"""

from __future__ import annotations

from typing import Any

import solara

from sim.dashboard.figures.where import (
    awareness_figure,
    awareness_of,
    figure_png,
    first_free_offender,
    has_awareness,
    settings_figure,
)
from sim.dashboard.state.explore_session import ExploreSession

#: What the page says when the model cannot show an awareness space.
NO_AWARENESS = ("This model has no awareness spaces to show (offenders' activity "
                "nodes and routes are not part of this version or scenario).")


def _events(model: Any) -> Any:
    return model.events.array if model.events.enabled else None


def awareness_png(model: Any, slot: int | None) -> tuple[bytes | None, str]:
    """The awareness map of ``slot`` (default: the first offender at large) and a note.

    Returns:
        ``(png or None, note)``: the note says whose space is drawn, or why none is.
    """
    if not has_awareness(model):
        return None, NO_AWARENESS
    chosen = first_free_offender(model) if slot is None else slot
    if chosen is None:
        return None, "No offender is at large to show."
    space = awareness_of(model, chosen)
    if space is None:
        return None, f"Offender slot {chosen} is empty or has no activity nodes."
    return figure_png(awareness_figure(model, space, chosen)), (
        f"Offender slot {chosen}: home, activity nodes by kind, the paths between them "
        "and where the offender is anchored now.")


@solara.component
def WherePanel(session: ExploreSession, frame: tuple[Any, ...], playing: bool
               ) -> solara.Element:
    """Settings by crime type and one offender's awareness space.

    Args:
        session: This browser session's model holder.
        frame: Changes with every step, reset or settings change.
        playing: While True the panel keeps its last figures.
    """
    slot_text, set_slot_text = solara.use_state("")
    shown = solara.use_ref(frame)
    if not playing:
        shown.current = frame
    key = shown.current
    settings_png = solara.use_memo(
        lambda: session.read(lambda m: figure_png(settings_figure(_events(m)))), [key])
    slot = int(slot_text) if slot_text.strip().isdigit() else None
    aware = solara.use_memo(lambda: session.read(lambda m: awareness_png(m, slot)),
                            [key, slot])
    can_show = session.read(has_awareness)
    with solara.Column(gap="4px", classes=["where-crime-happens"]) as main:
        solara.Markdown("### Where crime happens")
        with solara.Columns([1, 1]):
            with solara.Column():
                solara.Image(settings_png, width="100%", classes=["where-settings"])
                solara.Text("Settings: home, street (and other open space), shops and "
                            "offices, nightlife, school, on the way somewhere (transit).")
            with solara.Column():
                if can_show:
                    solara.InputText("offender slot (empty: first at large)",
                                     value=slot_text, on_value=set_slot_text,
                                     continuous_update=False)
                png, note = aware
                if png is not None:
                    solara.Image(png, width="100%", classes=["where-awareness"])
                solara.Text(note)
    return main
