"""The Compare page: a base scenario against alternatives, with confidence intervals.

The engine is the one behind ``crimesim compare``: replications with common random
numbers (:mod:`sim.analysis.compare`), the tidy effect rows, the terminal table and
the figures. The base and each alternative is a scenario file or the current Explore
settings of this browser session. Each browser session has its own
:class:`~sim.dashboard.state.compare_settings.CompareJob` (the settings) and
:class:`~sim.dashboard.state.compare_run.CompareRun` (the comparison, in a background thread
so the page never freezes), both kept in :mod:`sim.dashboard.pages.browser_state`: the
executor's ``on_done`` callback feeds the progress bar, a Stop button ends the
comparison after the runs in progress, and leaving the page neither stops the run nor
loses its result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara

from sim.analysis.figures import safe_name
from sim.dashboard.pages import browser_state
from sim.dashboard.pages.compare_brief import CompareBrief
from sim.dashboard.state.compare_areas import AreaResult
from sim.dashboard.state.compare_result import CompareResult
from sim.dashboard.state.compare_run import CompareRun
from sim.dashboard.state.compare_settings import EXPLORE_CHOICE, CompareJob

_ERROR_STYLE = {"color": "#b00020", "font-size": "0.8em"}


def _markdown_table(rows: list[dict[str, str]]) -> str:
    """A Markdown table of rows that share their keys."""
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


@solara.component
def CompareSettings(job: CompareJob, version: int, on_change: Callable[[], None],
                    disabled: bool = False, explore: str | None = None) -> solara.Element:
    """The left column: what to compare, how often and how long.

    Args:
        job: This browser session's comparison settings.
        version: Changes when a setting or a message changes (re-renders the panel).
        on_change: Called after every edit, accepted or not.
        disabled: True while a comparison runs.
        explore: What the Explore settings are (shown when they are offered), or None
            before the Explore page has been opened in this session.
    """
    choices = job.choices

    def edit(action: Callable[[], Any]) -> None:
        action()
        on_change()

    def text_field(key: str, label: str, message: str) -> None:
        solara.InputText(label, value=job.text(key), disabled=disabled,
                         on_value=lambda text: edit(lambda: job.set_field(key, text)),
                         error=job.errors.get(key) or False, message=message)

    with solara.Column(gap="6px") as main:
        solara.Markdown("### What to compare")
        solara.Select(label="base scenario", value=job.base, values=choices, disabled=disabled,
                      on_value=lambda stem: edit(lambda: job.set_base(stem)))
        if "base" in job.errors:
            solara.Text(job.errors["base"], style=_ERROR_STYLE)
        solara.SelectMultiple(label="alternatives", values=list(job.alternatives),
                              all_values=choices, disabled=disabled,
                              on_value=lambda chosen: edit(
                                  lambda: job.set_alternatives(list(chosen))))
        if "alternatives" in job.errors:
            solara.Text(job.errors["alternatives"], style=_ERROR_STYLE)
        solara.Text(f"{EXPLORE_CHOICE}: {explore}" if explore else
                    f"{EXPLORE_CHOICE} (the city you set up on the Explore page) are "
                    "offered once Explore has been opened in this browser.",
                    style={"font-size": "0.8em"})
        solara.Markdown("### How")
        text_field("reps", "replications",
                   "runs per scenario, at least 2; replication i uses seed + i")
        text_field("days", "days", "days per run (empty: the base scenario's time.days)")
        text_field("seed", "seed", "seed of the first replication")
        text_field("workers", "workers", "processes running replications at once")
        solara.InputTextArea("overrides (--set)", value=job.text("overrides"),
                             disabled=disabled, rows=4, continuous_update=False,
                             on_value=lambda text: edit(lambda: job.set_field("overrides", text)),
                             error=job.errors.get("overrides") or False,
                             message="KEY=VALUE per line, applied to every scenario, "
                                     "e.g. city.width=40 for a quick look")
    return main


@solara.component
def CompareResults(result: CompareResult) -> solara.Element:
    """The finished comparison: headline table, effects chart, change maps, downloads."""
    cmp = result.comparison
    with solara.Column(gap="10px") as main:
        solara.Markdown(
            f"#### {cmp.base} against {', '.join(cmp.alternatives)}\n"
            f"{cmp.reps} replications per scenario, window day "
            f"{cmp.start_tick / cmp.ticks_per_day:g} to {cmp.ticks / cmp.ticks_per_day:g} "
            f"({cmp.window_days:g} days), {len(cmp.alternatives) * cmp.reps + cmp.reps} runs "
            f"in {result.runtime_s:.0f} s. Changes are paired (alternative - base) with "
            f"95% confidence intervals; WDQ > 0 means crime fell around the treated area "
            f"too (diffusion of benefits), < 0 that it moved there (displacement).")
        solara.Markdown(_markdown_table(result.headline))
        with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
            for name, data in result.files.items():
                mime = {"csv": "text/csv", "json": "application/json", "png": "image/png",
                        "gpkg": "application/geopackage+sqlite3"}[name.rsplit(".", 1)[-1]]
                solara.FileDownload(data, filename=name, label=f"Download {name}",
                                    mime_type=mime)
        solara.Image(result.files["effects.png"], width="100%")
        with solara.Columns([1, 1]):
            for label, png in result.change_maps().items():
                with solara.Column(gap="2px"):
                    solara.Text(f"Where crime changed: {label} - {cmp.base}")
                    solara.Image(png, width="100%")
        for label, area in result.areas.items():
            AreaChanges(label, cmp.base, area)
        with solara.Details(summary="The full table (as crimesim compare prints it)"):
            solara.Preformatted(result.table)
    return main


@solara.component
def AreaChanges(label: str, base: str, area: AreaResult) -> solara.Element:
    """One alternative's change by area: the named map, the table and its CSV."""
    with solara.Column(gap="4px", classes=["area-changes"]) as main:
        solara.Markdown(f"#### Which areas gain: {label} - {base}")
        with solara.Columns([1, 1]):
            solara.Image(area.png, width="100%", classes=["area-change-map"])
            with solara.Column(gap="4px"):
                solara.Markdown(_markdown_table(area.rows))
                solara.FileDownload(area.csv, filename=f"areas_change_{safe_name(label)}.csv",
                                    label="Download the areas' changes (CSV)",
                                    mime_type="text/csv")
    return main


@solara.component
def RunStatus(run: CompareRun, version: int) -> solara.Element:
    """Progress of the running comparison, or why the last one ended without a result.

    Args:
        run: This browser session's comparison.
        version: The run's version when rendered (a new value re-renders the status).
    """
    prepared = run.prepared
    with solara.Column(gap="4px") as main:
        if run.running and prepared is not None:
            done, total = run.progress
            solara.ProgressLinear(value=100 * done / total if total else True)
            solara.Text(f"running: {done} of {total} runs done ({prepared.reps} replications "
                        f"of {1 + len(prepared.alternatives)} scenarios, {prepared.days:g} "
                        f"days each); you may leave this page, the comparison goes on")
        elif run.failure:
            solara.Text(run.failure, style={"color": "#b00020"})
    return main


@solara.component
def ComparePage(overrides: dict[str, Any] | None = None) -> solara.Element:
    """Compare scenarios: settings on the left, progress and results on the right.

    The settings and the comparison belong to the browser session
    (:mod:`sim.dashboard.pages.browser_state`), not to this page: a comparison keeps running
    while the user is on another page, and its progress or result is here on return.
    A thread of the page's own follows the run's version and re-renders on a change.

    Args:
        overrides: ``--set``-style keys the overrides field starts with in a new
            session (e.g. a small city for tests).
    """
    state = solara.use_memo(browser_state.current, [])
    job = solara.use_memo(lambda: state.compare_job(overrides), [])
    run = state.compare_run
    version, set_version = solara.use_state(0)
    run_version, set_run_version = solara.use_state(run.version)
    refused, set_refused = solara.use_state(False)

    def follow(cancel: threading.Event) -> None:
        seen = run_version
        while not cancel.is_set():
            now = run.wait_for_change(seen, timeout=0.25)
            if now != seen and not cancel.is_set():
                seen = now
                set_run_version(now)

    solara.use_thread(follow, dependencies=[run], intrusive_cancel=False)

    def changed() -> None:
        set_version(lambda v: v + 1)

    def start() -> None:
        prepared = job.prepare()
        set_refused(prepared is None)
        if prepared is not None:
            run.start(prepared)
        changed()

    running = run.running
    with solara.Columns([1, 3]) as main:
        CompareSettings(job, version, changed, disabled=running,
                        explore=state.explore.describe() if state.explore else None)
        with solara.Column(gap="8px"):
            with solara.Row(gap="8px", style={"align-items": "center"}):
                solara.Button("Run comparison", icon_name="mdi-play", color="primary",
                              on_click=start, disabled=running)
                solara.Button("Stop", icon_name="mdi-stop", on_click=run.stop,
                              disabled=not running)
                if refused and not running:
                    solara.Text("fix the settings marked in red first", style=_ERROR_STYLE)
            RunStatus(run, run.version)  # the run's own version: it moves on its own
            if run.result is not None:
                CompareBrief(run.result)
                CompareResults(run.result)
            elif not running:
                solara.Markdown(
                    "Choose a base and one or more alternatives -- scenario files, or "
                    "**Explore settings**: the city and interventions you set up on the "
                    "Explore page -- then **Run comparison**. Every scenario runs the same "
                    "replications (same seeds: common random numbers), so the differences "
                    "are the alternatives' effects. For a first look, shrink the city in "
                    "the overrides.")
    return main


@solara.component
def Page() -> solara.Element:
    """The Compare page as Solara serves it."""
    solara.Title("crimesim - Compare")
    return ComparePage()
