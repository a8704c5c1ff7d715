"""One setting on screen: the control that suits its declared Field, with its message.

Shared by every panel that edits an :class:`~sim.dashboard.state.explore_session.ExploreSession`
(the main settings, the interventions, "More settings"), so a number, a choice and a
switch look and behave the same everywhere and a refused value always shows its
message beside its own field. Every control is labelled in words from the one label
table (:func:`sim.dashboard.labels.label_of`) with the raw scenario key as small
secondary text; times counted in ticks are shown and typed in days; a list of
districts is picked from the city's own names. A change to a city that has run is
held for the user's confirmation (:meth:`ExploreSession.request`), since it restarts
the city.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from sim.dashboard.labels import is_day_key, label_of
from sim.dashboard.state.explore_session import ExploreSession
from sim.fields import Field

#: How a field's message looks when no text box carries it (checkboxes).
ERROR_STYLE = {"color": "#b00020", "font-size": "0.8em"}
#: How the raw scenario key looks under its label (for researchers).
KEY_STYLE = {"font-size": "0.75em", "color": "#666", "font-family": "monospace"}
#: The keys whose value is a list of district names, picked from the city's names.
DISTRICT_KEYS = ("target.districts",)


def field_input(session: ExploreSession, key: str, field: Field | None,
                on_change: Callable[[], None]) -> solara.Element:
    """A :func:`FieldInput` showing the session's current text, value and message.

    The element is keyed by the key and by how many changes the user cancelled, so
    a cancelled edit's text is replaced by the setting it would have changed.
    """
    label = label_of(key)

    def commit(value: Any) -> None:
        session.request(label, lambda: session.set_field(key, value),
                        refused=lambda: session.check_field(key, value))
        on_change()

    names = (session.district_names()
             if any(key.endswith(f".{d}") for d in DISTRICT_KEYS) else [])
    return FieldInput(label, key, field, session.text(key), session.value(key),
                      session.errors.get(key), commit, tuple(names)
                      ).key(f"{key}#{session.cancels}")


@solara.component
def FieldInput(label: str, key: str, field: Field | None, text: str, value: Any,
               error: str | None, commit: Callable[[Any], None],
               district_names: tuple[str, ...] = ()) -> solara.Element:
    """One setting: a text box (numbers, lists), a checkbox or a choice, with its message.

    Text, value and message are passed in (not read from the session) so the field
    re-renders exactly when one of them changes.

    Args:
        label: The setting in words.
        key: The raw scenario key, shown small under the control.
        field: The key's declaration (None: a plain text box).
        text: What the text box shows.
        value: The current value (checkboxes, choices, district lists).
        error: The message of a refused value, or None.
        commit: Called with what the user entered.
        district_names: The city's district names, for a list of districts.
    """
    help_text = field.help if field is not None else None
    if is_day_key(key) and help_text:
        help_text = help_text.replace(" (24 ticks a day)", "").replace("tick", "day")
    with solara.Column(gap="0px", classes=["setting"]) as main:
        if district_names:
            chosen = [name for name in (value or []) if name in district_names]
            solara.SelectMultiple(label, values=chosen, all_values=list(district_names),
                                  on_value=commit)
        elif field is not None and field.kind == "bool":
            solara.Checkbox(label=label, value=bool(value), on_value=commit)
        elif field is not None and field.kind == "str" and field.choices:
            solara.Select(label=label, value=value, values=list(field.choices),
                          on_value=commit)
        else:
            solara.InputText(label, value=text, on_value=commit,
                             error=error or False, message=help_text)
            error = None  # the text box shows it
        if error:
            solara.Text(error, style=ERROR_STYLE)
        solara.Text(key, classes=["setting-key"], style=KEY_STYLE)
    return main
