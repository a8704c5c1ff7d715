"""Explore's "More settings": every other scalar key of the scenario, by section.

The settings panel leads with the keys a teacher or policymaker changes first
(:data:`~sim.dashboard.state.explore_session.SCENARIO_KEYS`); a researcher wants the rest too -- the
crime rates, routines, legitimacy dynamics. They are generated from the declared
schema (:data:`sim.scenario.schema.SCHEMA`, fields from :mod:`sim.fields`), so a key
added to the schema appears here with its help text, range check and message, and
nothing is written twice.

For a civil-violence scenario the panel offers that family's other keys instead
(the rest of ``[civil_violence]``): which keys a family reads comes from its
:class:`~sim.dashboard.model_family.ModelFamily`.

There are about 170 of them, so each section renders its fields only while it is
open: a settings change re-renders the panel, and 170 idle text boxes would make
every edit slow. A closed section's header still says how many of its keys the user
changed and whether one of them holds a refused value.
"""

from __future__ import annotations

from collections.abc import Callable

import reacton.ipyvuetify as rv
import solara

from sim.dashboard.model_family import CRIME, ModelFamily
from sim.dashboard.pages.field_input import field_input
from sim.dashboard.state.explore_session import SCENARIO_KEYS, ExploreSession
from sim.scenario.schema import flatten

#: Scenario keys "More settings" leaves out, with the reason.
HIDDEN_KEYS: dict[str, str] = {
    "name": "a label of the file, not a setting of the city",
    "description": "a label of the file, not a setting of the city",
    "model": "the scenario file chooses the model family (choose another file)",
    "agents.views": "Explore always runs without Mesa agent views (it draws from the arrays)",
}

#: The section of keys that sit at the top level of a scenario (e.g. ``currency``).
GENERAL = "general"
#: The model family whose keys "More settings" offers unless told otherwise.
EXPLORE_MODEL = "crime"


def other_model_sections(model: str = EXPLORE_MODEL) -> set[str]:
    """Sections only another model family than ``model`` reads.

    A model family other than the crime model keeps its own keys in a section named
    after it (the choices of the ``model`` key), which the crime model never reads.
    """
    field = flatten().get("model")
    return set(field.choices or ()) - {model} if field is not None else set()


def sections(shown: tuple[str, ...] = SCENARIO_KEYS,
             family: ModelFamily = CRIME) -> dict[str, list[str]]:
    """The keys "More settings" offers, by section (the key's first part), in schema order.

    Args:
        shown: Keys the panel already offers above (left out here).
        family: The model family whose keys are offered (the crime model's: every
            section but the other families'; another family's: the keys it reads).
    """
    out: dict[str, list[str]] = {}
    skip = other_model_sections(family.name)
    for key in flatten():
        if key in shown or key in HIDDEN_KEYS:
            continue
        section = key.split(".", 1)[0] if "." in key else GENERAL
        if section in skip or not family.reads(key):
            continue
        out.setdefault(section, []).append(key)
    return out


def section_title(section: str, keys: list[str], session: ExploreSession) -> str:
    """A section's header: its name, its size, and what the user changed or got wrong."""
    changed = sum(key in session.overrides for key in keys)
    refused = sum(key in session.errors for key in keys)
    title = f"{section.replace('_', ' ')} ({len(keys)})"
    if changed:
        title += f" - {changed} changed"
    if refused:
        title += f" - {refused} refused, see the field marked red"
    return title


@solara.component
def SettingsSection(session: ExploreSession, section: str, keys: list[str], version: int,
                    on_change: Callable[[], None]) -> solara.Element:
    """One section as an expansion panel whose fields exist only while it is open."""
    is_open, set_open = solara.use_state(False)
    with (rv.ExpansionPanels(v_model=0 if is_open else None,
                             on_v_model=lambda v: set_open(v is not None)) as main,
          rv.ExpansionPanel()):
        rv.ExpansionPanelHeader(children=[section_title(section, keys, session)])
        with rv.ExpansionPanelContent():
            if is_open:
                for key in keys:
                    field_input(session, key, _FIELDS[key], on_change)
    return main


@solara.component
def MoreSettings(session: ExploreSession, version: int,
                 on_change: Callable[[], None]) -> solara.Element:
    """Every other scalar scenario key, in one expandable panel of sections.

    Args:
        session: This browser session's model holder.
        version: The settings' version (a new value re-renders the headers).
        on_change: Called after every edit, accepted or not.
    """
    family = session.family
    groups = solara.use_memo(lambda: sections(family.key_fields, family), [family.name])
    count = sum(len(keys) for keys in groups.values())
    with (solara.Details(summary=f"More settings ({count} scenario keys by section)") as main,
          solara.Column(gap="4px")):
        solara.Text("The scenario's other keys, as in its file until changed; each is "
                    "checked like --set on the command line.", style={"font-size": "0.85em"})
        for section, keys in groups.items():
            # keyed, so a section's open/closed state never passes to another
            # family's section in the same place
            SettingsSection(session, section, keys, version, on_change).key(
                f"{family.name}:{section}")
    return main


_FIELDS = flatten()
