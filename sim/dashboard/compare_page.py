"""The Compare page: a base scenario against alternatives, with confidence intervals.

The engine is the one behind ``crimesim compare``: replications with common random
numbers (:mod:`sim.experiments.compare`), the tidy effect rows, the terminal table and
the figures. Each browser session gets its own :class:`~sim.dashboard.compare_job.CompareJob`
(created in ``solara.use_memo`` inside the page, never at module level). The runs go
in a background thread (``solara.use_thread``) so the page never freezes: the
executor's ``on_done`` callback feeds the progress bar, and a Stop button ends the
comparison after the run in progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara

from sim.dashboard.compare_job import (
    CompareJob,
    CompareResult,
    ComparisonStoppedError,
    run_prepared,
)

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
                    disabled: bool = False) -> solara.Element:
    """The left column: what to compare, how often and how long.

    Args:
        job: This browser session's comparison.
        version: Changes when a setting or a message changes (re-renders the panel).
        on_change: Called after every edit, accepted or not.
        disabled: True while a comparison runs.
    """
    stems = sorted(job.files)

    def edit(action: Callable[[], Any]) -> None:
        action()
        on_change()

    def text_field(key: str, label: str, message: str) -> None:
        solara.InputText(label, value=job.text(key), disabled=disabled,
                         on_value=lambda text: edit(lambda: job.set_field(key, text)),
                         error=job.errors.get(key) or False, message=message)

    with solara.Column(gap="6px") as main:
        solara.Markdown("### What to compare")
        solara.Select(label="base scenario", value=job.base, values=stems, disabled=disabled,
                      on_value=lambda stem: edit(lambda: job.set_base(stem)))
        if "base" in job.errors:
            solara.Text(job.errors["base"], style=_ERROR_STYLE)
        solara.SelectMultiple(label="alternatives", values=list(job.alternatives),
                              all_values=stems, disabled=disabled,
                              on_value=lambda chosen: edit(
                                  lambda: job.set_alternatives(list(chosen))))
        if "alternatives" in job.errors:
            solara.Text(job.errors["alternatives"], style=_ERROR_STYLE)
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
                mime = {"csv": "text/csv", "json": "application/json",
                        "png": "image/png"}[name.rsplit(".", 1)[-1]]
                solara.FileDownload(data, filename=name, label=f"Download {name}",
                                    mime_type=mime)
        solara.Image(result.files["effects.png"], width="100%")
        with solara.Columns([1, 1]):
            for label, png in result.change_maps().items():
                with solara.Column(gap="2px"):
                    solara.Text(f"Where crime changed: {label} - {cmp.base}")
                    solara.Image(png, width="100%")
        with solara.Details(summary="The full table (as crimesim compare prints it)"):
            solara.Preformatted(result.table)
    return main


@solara.component
def ComparePage(overrides: dict[str, Any] | None = None) -> solara.Element:
    """Compare scenarios: settings on the left, progress and results on the right.

    Args:
        overrides: ``--set``-style keys the overrides field starts with (e.g. a small
            city for tests).
    """
    job = solara.use_memo(lambda: CompareJob(overrides), [])
    version, set_version = solara.use_state(0)
    run_id, set_run_id = solara.use_state(0)
    progress, set_progress = solara.use_state((0, 0))
    stop = solara.use_memo(threading.Event, [run_id])
    prepared = solara.use_memo(lambda: job.prepare() if run_id else None, [run_id])

    def changed() -> None:
        set_version(lambda v: v + 1)

    def run(cancel: threading.Event) -> CompareResult | None:
        if prepared is None:
            return None
        done = [0]

        def on_done(_i: int) -> None:
            done[0] += 1
            set_progress((done[0], prepared.n_jobs))

        set_progress((0, prepared.n_jobs))
        job.failure = None
        try:
            job.result = run_prepared(prepared, on_done,
                                      lambda: cancel.is_set() or stop.is_set())
        except ComparisonStoppedError:
            job.failure = "stopped: the last complete result is still shown"
        except Exception as exc:  # never a traceback in the page
            job.failure = f"the comparison failed: {type(exc).__name__}: {exc}"
        return job.result

    thread = solara.use_thread(run, dependencies=[run_id], intrusive_cancel=False)
    running = prepared is not None and thread.state in (
        solara.ResultState.STARTING, solara.ResultState.RUNNING)

    def start() -> None:
        set_progress((0, 0))
        set_run_id(run_id + 1)

    with solara.Columns([1, 3]) as main:
        CompareSettings(job, version + run_id, changed, disabled=running)
        with solara.Column(gap="8px"):
            with solara.Row(gap="8px", style={"align-items": "center"}):
                solara.Button("Run comparison", icon_name="mdi-play", color="primary",
                              on_click=start, disabled=running)
                solara.Button("Stop", icon_name="mdi-stop", on_click=stop.set,
                              disabled=not running)
                if run_id and prepared is None:
                    solara.Text("fix the settings marked in red first", style=_ERROR_STYLE)
            if running:
                done, total = progress
                solara.ProgressLinear(value=100 * done / total if total else True)
                solara.Text(f"running: {done} of {total or '?'} runs done"
                            + (f" ({prepared.reps} replications of "
                               f"{1 + len(prepared.alternatives)} scenarios, "
                               f"{prepared.days:g} days each)" if prepared else ""))
            elif job.failure:
                solara.Text(job.failure, style={"color": "#b00020"})
            if job.result is not None:
                CompareResults(job.result)
            elif not running:
                solara.Markdown(
                    "Choose a base and one or more alternatives, then **Run comparison**. "
                    "Every scenario runs the same replications (same seeds: common "
                    "random numbers), so the differences are the alternatives' effects. "
                    "For a first look, shrink the city in the overrides.")
    return main


@solara.component
def Page() -> solara.Element:
    """The Compare page as Solara serves it."""
    solara.Title("crimesim - Compare")
    return ComparePage()
