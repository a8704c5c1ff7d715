"""One setting on screen: the control that suits its declared Field, with its message.

Shared by every panel that edits an :class:`~sim.dashboard.state.explore_session.ExploreSession`
(the main settings, the interventions, "More settings"), so a number, a choice and a
switch look and behave the same everywhere and a refused value always shows its
message beside its own field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from sim.dashboard.state.explore_session import ExploreSession
from sim.fields import Field

#: How a field's message looks when no text box carries it (checkboxes).
ERROR_STYLE = {"color": "#b00020", "font-size": "0.8em"}


def field_input(session: ExploreSession, key: str, label: str, field: Field | None,
                on_change: Callable[[], None]) -> solara.Element:
    """A :func:`FieldInput` showing the session's current text, value and message."""
    def commit(value: Any) -> None:
        session.set_field(key, value)
        on_change()

    return FieldInput(label, field, session.text(key), session.value(key),
                      session.errors.get(key), commit)


@solara.component
def FieldInput(label: str, field: Field | None, text: str, value: Any, error: str | None,
               commit: Callable[[Any], None]) -> solara.Element:
    """One setting: a text box (numbers, lists), a checkbox or a choice, with its message.

    Text, value and message are passed in (not read from the session) so the field
    re-renders exactly when one of them changes.
    """
    help_text = field.help if field is not None else None

    if field is not None and field.kind == "bool":
        with solara.Column(gap="0px") as main:
            solara.Checkbox(label=label, value=bool(value), on_value=commit)
            if error:
                solara.Text(error, style=ERROR_STYLE)
        return main
    if field is not None and field.kind == "str" and field.choices:
        with solara.Column(gap="0px") as main:
            solara.Select(label=label, value=value, values=list(field.choices),
                          on_value=commit)
            if error:
                solara.Text(error, style=ERROR_STYLE)
        return main
    return solara.InputText(label, value=text, on_value=commit,
                            error=error or False, message=help_text)
