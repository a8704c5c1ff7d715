"""Named variants on the Compare page: copies of the Explore settings, side by side.

A policymaker tries a few settings in Explore (street lighting on 20% of streets,
then on 40%, ...) and wants them compared in one run. Each "Add current Explore
settings as a variant" keeps a named copy of the Explore settings of that moment
(:meth:`~sim.dashboard.state.compare_settings.CompareJob.add_variant`) and adds it to
the alternatives; variants can be renamed or removed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from sim.dashboard.state.compare_settings import CompareJob

_ERROR_STYLE = {"color": "#b00020", "font-size": "0.8em"}


@solara.component
def VariantRow(job: CompareJob, name: str, edit: Callable[[Callable[[], Any]], None],
               disabled: bool) -> solara.Element:
    """One variant: its name (edit and press Enter to rename) and a remove button."""
    with solara.Row(gap="4px", style={"align-items": "center"}, classes=["variant-row"]) as main:
        solara.InputText("variant name", value=name, disabled=disabled,
                         on_value=lambda new: edit(lambda: job.rename_variant(name, new)))
        solara.Button(icon_name="mdi-delete", icon=True, disabled=disabled,
                      on_click=lambda: edit(lambda: job.remove_variant(name)),
                      attributes={"title": f"remove the variant {name}"},
                      classes=["remove-variant"])
    return main


@solara.component
def VariantsPanel(job: CompareJob, version: int, edit: Callable[[Callable[[], Any]], None],
                  disabled: bool, explore_open: bool) -> solara.Element:
    """The variants' list and the field and button that add one.

    Args:
        job: This browser session's comparison settings.
        version: Changes when a setting changes (re-renders the panel).
        edit: Runs an edit of ``job`` and re-renders the page.
        disabled: True while a comparison runs.
        explore_open: Whether the Explore page has been opened (a variant copies it).
    """
    name, set_name = solara.use_state("")

    def add() -> None:
        def action() -> None:
            if job.add_variant(name) is None:
                set_name("")
        edit(action)

    with solara.Column(gap="2px") as main:
        solara.Markdown("#### Variants from Explore")
        for variant in job.variants:
            VariantRow(job, variant, edit, disabled)
        solara.InputText("new variant's name", value=name, on_value=set_name,
                         continuous_update=True, disabled=disabled or not explore_open)
        solara.Button("Add current Explore settings as a variant", icon_name="mdi-plus",
                      on_click=add, disabled=disabled or not explore_open, outlined=True,
                      style={"text-transform": "none"})
        if "variant" in job.errors:
            solara.Text(job.errors["variant"], style=_ERROR_STYLE)
    return main
