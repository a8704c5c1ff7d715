"""The Compare page: a base scenario against alternatives, with confidence intervals.

The engine is the one behind ``crimesim compare``: replications with common random
numbers (:mod:`sim.analysis.compare`), the tidy effect rows, the terminal table and
the figures. The base and each alternative is a scenario file or the current Explore
settings of this browser session. Each browser session has its own
:class:`~sim.dashboard.state.compare_settings.CompareJob` (the settings) and
:class:`~sim.dashboard.state.compare_run.CompareRun` (the comparison, in a background thread
so the page never freezes), both kept in :mod:`sim.dashboard.pages.browser_state`: the
executor's ``on_done`` callback feeds the progress bar, a Stop button ends the runs in
progress within a simulated day, and leaving the page neither stops the run nor loses
its result. A finished comparison is stored on the server and its URL
(``/compare?run=<id>``) shows it again -- result and settings -- after a reload or in
another tab; the newest stored runs are listed. While a new comparison runs, the last
result stays on the page, greyed, under a banner naming its settings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara

from sim.analysis.figures import safe_name
from sim.dashboard.pages import browser_state
from sim.dashboard.pages.compare_brief import CompareBrief
from sim.dashboard.pages.compare_variants import VariantsPanel
from sim.dashboard.state.compare_areas import AreaResult
from sim.dashboard.state.compare_estimate import calibrate, describe_duration
from sim.dashboard.state.compare_result import CompareResult
from sim.dashboard.state.compare_run import CompareRun
from sim.dashboard.state.compare_settings import (
    EXPLORE_CHOICE,
    MAX_DAYS,
    MAX_REPS,
    CompareJob,
    max_workers,
)
from sim.dashboard.state.compare_store import describe_settings, recent_runs
from sim.scenario import ScenarioError

_ERROR_STYLE = {"color": "#b00020", "font-size": "0.8em"}


def _markdown_table(rows: list[dict[str, str]]) -> str:
    """A Markdown table of rows that share their keys."""
    if not rows:
        return ""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def _estimate(job: CompareJob) -> str:
    """"about N min on W workers" for the job's comparison, timed on its base scenario.

    Runs the base for a few days (:func:`calibrate`, cached): call it off the event loop.
    """
    try:
        base = job.scenario(job.base)
        if job.overrides:
            base = base.with_overrides(job.overrides)
    except ScenarioError:
        return ""
    days = float(base.params.time.days) if job.days is None else job.days
    runs = job.reps * (1 + len(job.alternatives))
    try:
        seconds = calibrate(base).comparison_seconds(runs, days, job.workers)
    except Exception:  # noqa: BLE001 - a city that cannot be built: prepare() says why
        return ""
    return (f"{describe_duration(seconds, job.workers)} for {runs} runs of {days:g} days "
            f"(timed on this server)")


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
    size = (job.base, tuple(job.alternatives), job.reps, job.days, job.workers,
            repr(job.overrides))
    # Not intrusive: a traced thread would run the timed days many times slower.
    estimate = solara.use_thread(lambda: _estimate(job), dependencies=[size],
                                 intrusive_cancel=False)
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
        VariantsPanel(job, version, edit, disabled, explore_open=explore is not None)
        solara.Markdown("### How")
        text_field("reps", "replications", f"runs per scenario, 2 to {MAX_REPS}; "
                                           "replication i uses seed + i")
        text_field("days", "days", f"days per run, at most {MAX_DAYS} (empty: the base "
                                   "scenario's time.days)")
        text_field("seed", "seed", "seed of the first replication")
        text_field("workers", "workers", f"processes running replications at once, "
                                         f"1 to {max_workers()}")
        if estimate.state == solara.ResultState.FINISHED and estimate.value:
            solara.Text(estimate.value, classes=["compare-estimate"],
                        style={"font-size": "0.85em"})
        elif estimate.state == solara.ResultState.RUNNING:
            solara.Text("timing a few days of the base scenario for a run-time estimate...",
                        style={"font-size": "0.85em"})
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
                        f"days each); you may leave this page, the comparison goes on",
                        classes=["compare-status"])
        elif run.failure:
            took = (f" (Stop took {run.stop_seconds:.1f} s)"
                    if run.stop_seconds is not None else "")
            solara.Text(run.failure + took, style={"color": "#b00020"},
                        classes=["compare-status"])
    return main


@solara.component
def RecentRuns(version: int, open_run: Callable[[str], None]) -> solara.Element:
    """The newest comparisons stored on this server, each a link to its result.

    Args:
        version: Changes when a run finished (re-reads the store).
        open_run: Shows a stored run by its id.
    """
    runs = solara.use_memo(lambda: recent_runs(10), [version])
    summary = f"Recent comparisons on this server ({len(runs)})"
    with solara.Details(summary=summary) as main, solara.Column(gap="0px"):
        if not runs:
            solara.Text("none yet: a finished comparison is kept here, at its own URL")
        for stored in runs:
            solara.Button(stored.summary, text=True, classes=["recent-run"],
                          style={"text-transform": "none"},
                          on_click=lambda run_id=stored.run_id: open_run(run_id))
    return main


@solara.component
def ComparePage(overrides: dict[str, Any] | None = None,
                run_id: str | None = None) -> solara.Element:
    """Compare scenarios: settings on the left, progress and results on the right.

    The settings and the comparison belong to the browser session
    (:mod:`sim.dashboard.pages.browser_state`), not to this page: a comparison keeps running
    while the user is on another page, and its progress or result is here on return.
    A thread of the page's own follows the run's version and re-renders on a change.
    The URL's ``run`` names a stored comparison to show (with its settings); a
    finished run puts its own id there, so a reload shows it again.

    Args:
        overrides: ``--set``-style keys the overrides field starts with in a new
            session (e.g. a small city for tests).
        run_id: A stored comparison to show when there is no URL (tests).
    """
    state = solara.use_memo(browser_state.current, [])
    job = solara.use_memo(lambda: state.compare_job(overrides), [])
    run = state.compare_run
    router = solara.use_router()
    wanted = _run_in(router.search) or run_id
    version, set_version = solara.use_state(0)
    run_version, set_run_version = solara.use_state(run.version)
    refused, set_refused = solara.use_state(False)
    stored_problem, set_stored_problem = solara.use_state(None)
    announced = solara.use_ref(run.result.run_id if run.result else None)

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

    def show_wanted() -> None:
        if not wanted or (run.result is not None and run.result.run_id == wanted):
            set_stored_problem(None)
            return
        problem = run.show_stored(wanted)
        set_stored_problem(problem)
        if problem is None and run.result is not None:
            announced.current = wanted
            job.restore(run.result.settings)
            changed()

    solara.use_effect(show_wanted, [wanted])

    finished = run.result.run_id if run.result is not None else None

    def announce() -> None:  # a run that finished here puts its id in the URL
        if finished and finished != announced.current:
            announced.current = finished
            if router.set_path is not None and finished != wanted:
                router.push(f"{router.path}?run={finished}")

    solara.use_effect(announce, [finished])

    def open_run(stored_id: str) -> None:
        if router.set_path is not None:
            router.push(f"{router.path}?run={stored_id}")
        else:
            set_stored_problem(run.show_stored(stored_id))
            if run.result is not None and run.result.run_id == stored_id:
                job.restore(run.result.settings)
            changed()

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
            if stored_problem:
                solara.Text(stored_problem, style=_ERROR_STYLE, classes=["stored-problem"])
            if run.result is not None:
                if run.stale:
                    solara.Warning(
                        "Results below are from the previous run "
                        f"({describe_settings(run.result.settings)}); the new run's "
                        "results replace them when it finishes.",
                        dense=True, classes=["stale-banner"])
                with solara.Column(style={"opacity": "0.45"} if run.stale else {},
                                   classes=["stale-result" if run.stale else "fresh-result"]):
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
            RecentRuns(run.version if not running else -1, open_run)
    return main


def _run_in(search: str | None) -> str | None:
    """The ``run`` of a URL's query string (``run=<id>&...``), or None."""
    from urllib.parse import parse_qs

    values = parse_qs(search or "").get("run")
    return values[0] if values else None


@solara.component
def Page() -> solara.Element:
    """The Compare page as Solara serves it."""
    solara.Title("crimesim - Compare")
    return ComparePage()
