"""Helpers for component tests: find widgets by label and act on them as a user would."""

from __future__ import annotations

import threading

import ipyvuetify as v
import ipywidgets as widgets

from sim.dashboard.labels import label_of


def button(rc, label: str) -> v.Btn:
    """The button whose text is ``label`` (it may also hold an icon)."""
    found = [w for w in rc.find(v.Btn).widgets if label in w.children]
    assert len(found) == 1, label
    return found[0]


def text_field(rc, label: str):
    """The one text field labelled ``label``, or labelled for the scenario key ``label``.

    Settings are labelled in words (:func:`sim.dashboard.labels.label_of`); a test
    names them by their scenario key, as a researcher does.
    """
    found = rc.find(v.TextField, label=label_of(label) if "." in label else label)
    found.assert_single()
    return found.widget


def type_into(rc, label: str, text: str) -> None:
    """Type ``text`` and press Enter, as a user would."""
    widget = text_field(rc, label)
    widget.v_model = text
    widget.fire_event("keyup.enter", None)


def step(rc, label: str) -> None:
    """Press a step button and wait for the step to finish, as a user watching would.

    Explore steps in a thread of its own (its busy indicator shows meanwhile); the
    page redraws from that thread when the step is done.
    """
    button(rc, label).click()
    for thread in threading.enumerate():
        if thread.name == "explore-step":
            thread.join(timeout=60)


def live_frame(rc) -> dict:
    """What Explore's live frame tells the browser to show: status, readout, charts."""
    from sim.dashboard.pages.live_frame import LiveFrameWidget, read_frame

    found = rc.find(LiveFrameWidget)
    found.assert_single()
    return read_frame(found.widget.frame_json)


def chart_options(rc) -> list[str]:
    """The map's and the series' ECharts options, as JSON, from the live frame."""
    from sim.dashboard.pages.live_frame import option_text

    frame = live_frame(rc)
    return [option_text(frame["map"]), option_text(frame["series"])]


def page_text(rc) -> str:
    """All Markdown (rendered HTML) and plain text of the page, joined."""
    parts = [w.template for w in rc.find(v.VuetifyTemplate).widgets
             if isinstance(w.template, str)]
    parts += [str(c) for w in rc.find(v.Html).widgets for c in w.children if isinstance(c, str)]
    return "\n".join(parts)


def images(rc) -> list[bytes]:
    """The PNG bytes of every image the page shows."""
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def choose(rc, label: str, value: str) -> None:
    """Pick ``value`` in the select labelled ``label``, as a click does."""
    found = rc.find(v.Select, label=label)
    found.assert_single()
    assert value in found.widget.items, (value, found.widget.items)
    found.widget.v_model = value
