"""Helpers for component tests: find widgets by label and act on them as a user would."""

from __future__ import annotations

import ipyvuetify as v


def button(rc, label: str) -> v.Btn:
    """The button whose text is ``label`` (it may also hold an icon)."""
    found = [w for w in rc.find(v.Btn).widgets if label in w.children]
    assert len(found) == 1, label
    return found[0]


def text_field(rc, label: str):
    """The one text field labelled ``label``."""
    found = rc.find(v.TextField, label=label)
    found.assert_single()
    return found.widget


def type_into(rc, label: str, text: str) -> None:
    """Type ``text`` and press Enter, as a user would."""
    widget = text_field(rc, label)
    widget.v_model = text
    widget.fire_event("keyup.enter", None)
