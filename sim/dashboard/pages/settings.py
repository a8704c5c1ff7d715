"""The Explore page's settings panel: scenario file, seed, scenario keys, interventions.

Every control is built from declarations rather than written by hand: scenario keys
from :data:`sim.scenario.schema.SCHEMA` (the first few here, every other one in
:mod:`sim.dashboard.pages.more_settings`), intervention controls from each plug-in's
:meth:`~sim.interventions.Intervention.fields` -- so a new plug-in appears here with
its own parameters and their help text without touching the dashboard. Each edit
goes through :class:`~sim.dashboard.state.explore_session.ExploreSession`, which refuses a bad
value with a message shown beside the field and keeps every other setting. Which keys
lead and whether interventions are offered is the scenario's model family's to say
(:mod:`sim.dashboard.model_family`): Epstein's civil-violence model has its own
parameters and no intervention plug-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara
from solara.lab import ConfirmationDialog

from sim.dashboard.pages.field_input import ERROR_STYLE, field_input
from sim.dashboard.pages.more_settings import MoreSettings
from sim.dashboard.state.city_library import imported_cities
from sim.dashboard.state.explore_session import (
    INTERVENTION_COMMON_KEYS,
    TARGET_KEYS,
    ExploreSession,
    intervention_field,
    scenario_files,
)
from sim.interventions import REGISTRY
from sim.scenario.schema import flatten

_SCHEMA_FIELDS = flatten()


@solara.component
def InterventionControls(session: ExploreSession, name: str, version: int,
                         on_change: Callable[[], None]) -> solara.Element:
    """On/off plus the plug-in's declared settings (coverage, strength, target)."""
    plugin = REGISTRY[name]
    key = f"interventions.{name}"

    def toggle(on: bool) -> None:
        session.request(f"{name.replace('_', ' ')} on/off",
                        lambda: session.set_enabled(name, on))
        on_change()

    with solara.Column(gap="4px") as main:
        solara.Checkbox(label=f"{name.replace('_', ' ')} on", value=session.enabled[name],
                        on_value=toggle)
        solara.Text(plugin.summary, style={"font-size": "0.85em"})
        if key in session.errors:
            solara.Text(session.errors[key], style=ERROR_STYLE)
        keys = [*INTERVENTION_COMMON_KEYS, *plugin.params, *(f"target.{t}" for t in TARGET_KEYS)]
        for sub in keys:
            field_input(session, f"{key}.{sub}", intervention_field(name, sub), on_change)
    return main


@solara.component
def SettingsPanel(session: ExploreSession, version: int,
                  on_change: Callable[[], None]) -> solara.Element:
    """The left column of Explore: what to simulate.

    Args:
        session: This browser session's model holder.
        version: The settings' version (a new value re-renders the panel).
        on_change: Called after every edit, accepted or not.
    """
    files = {path.stem: path for path in scenario_files()}
    files.update(imported_cities())  # "city: <name>": the cities imported on this server
    here = Path(session.scenario_path).resolve()
    current = next((label for label, path in files.items() if path.resolve() == here),
                   None)

    def choose(stem: str) -> None:
        session.request("the scenario file", lambda: session.choose_scenario(files[stem]))
        on_change()

    def set_seed(text: str) -> None:
        session.request("the seed", lambda: session.set_seed(text))
        on_change()

    def decide(confirmed: bool) -> None:
        if confirmed:
            session.confirm()
        else:
            session.cancel()
        on_change()

    pending = session.pending
    # keyed by the cancels: a cancelled change's control shows the setting again
    with solara.Column(gap="6px").key(f"settings#{session.cancels}") as main:
        ConfirmationDialog(pending is not None, title="Restart the city?",
                           content=pending.question() if pending else "", ok="Continue",
                           cancel="Cancel", on_ok=lambda: decide(True),
                           on_cancel=lambda: decide(False), persistent=True)
        solara.Markdown("### Scenario")
        solara.Select(label="scenario file", value=current,
                      values=sorted(files), on_value=choose)
        if "scenario" in session.errors:
            solara.Text(session.errors["scenario"], style={"color": "#b00020"})
        solara.InputText("seed", value=session.texts.get("seed", str(session.seed)),
                         on_value=set_seed, error=session.errors.get("seed") or False,
                         message="random seed: the same seed gives the same run")
        family = session.family
        if not family.interventions:
            solara.Text(f"Runs {family.title} (the file's model = {family.name!r}).",
                        style={"font-size": "0.85em"})
        for key in family.key_fields:  # keyed: a field never inherits another's text
            field_input(session, key, _SCHEMA_FIELDS.get(key), on_change)
        MoreSettings(session, version, on_change)
        if family.interventions:
            solara.Markdown("### Interventions")
            for name in sorted(REGISTRY):
                with solara.Details(summary=name.replace("_", " ")
                                    + (" (on)" if session.enabled[name] else "")):
                    InterventionControls(session, name, version, on_change)
    return main
