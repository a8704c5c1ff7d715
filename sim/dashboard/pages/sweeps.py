"""The Sweeps page: open a sweep's results folder and read its curves and indices.

A researcher runs ``crimesim sweep EXPERIMENT --out DIR`` (possibly on a cluster,
possibly still running) and opens ``DIR`` here. The page shows what was swept and how
much of it is stored, then, for a chosen metric and parameter: the response curve
(mean and 95% CI band; one curve per value of an optional second parameter), a surface
over two numeric parameters, the time course for per-day and per-tick sweeps, and the
Sobol or Morris indices where the design computed them, with the summary CSV to
download. The numbers come from :class:`~sim.analysis.sweep.results.SweepResults`,
the reader behind ``crimesim analyze``; the brief and the tables per metric are the
sweep's :class:`~sim.analysis.sweep.report.SweepReport`, rendered as ``analyze``
renders ``report.md``; the figures' tables from :mod:`sim.dashboard.state.sweep_tables`;
the figures from :mod:`sim.dashboard.figures.sweeps`.

The page opens the newest sweep under ``out/`` (``crimesim sweep``'s default place),
or the ``folder`` query parameter of the address (``/sweeps?folder=out/quick_sweep``),
so another page, a report or a test can link to one sweep. Another sweep is picked in
the folder browser (:mod:`sim.dashboard.pages.sweep_browser`) or typed; only folders
under ``out/`` open, so a served dashboard never shows the rest of the server's disk.
Anything that is not a readable sweep gives one line beside the field; the page never
shows a traceback. Under each figure is the table it draws (in the unit the figure
shows: prevalence in "% of people victimised", as on the other pages) with a CSV
download. A sweep that is still running shows the runs stored so
far; Reload reads the new ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import solara

from sim.analysis.sweep.report import (
    MetricSection,
    SweepReport,
    build_report,
    render_brief,
    render_section,
)
from sim.analysis.sweep.results import SweepFolderError, SweepResults
from sim.dashboard.figures.sweeps import (
    figure_png,
    over_time_figure,
    response_figure,
    sensitivity_figure,
    surface_figure,
)
from sim.dashboard.pages.results_folder import (
    FolderKind,
    ResultsFolderPage,
    folder_in_address,
)
from sim.dashboard.pages.sweep_browser import NOTE_STYLE
from sim.dashboard.state import sweep_folder
from sim.dashboard.state.sweep_folder import OUT, failure_lines, open_sweep, sweep_folders
from sim.dashboard.state.sweep_tables import (
    MORRIS_COLUMNS,
    in_shown_unit,
    over_time_table,
    response_table,
    shown_unit,
    summary_csv,
    surface_pair,
    surface_table,
    table_csv,
)

_ERROR_STYLE = {"color": "#b00020"}
#: The "curves by" choice that draws one curve.
NO_CURVES = "(none: one curve)"


def attempt[T](build: Callable[[], T]) -> tuple[T | None, str | None]:
    """``build()``, or None and a one-line reason when the sweep's data cannot give it.

    A sweep folder is written by another process and may be odd in ways no check
    foresaw (a metric that is all NaN, a sample SALib rejects); the page says so in a
    line where the figure would be, rather than showing a traceback.
    """
    try:
        return build(), None
    except (SweepFolderError, ValueError, KeyError, TypeError, IndexError) as exc:
        return None, f"cannot draw this: {exc}"


def shown_section(section: MetricSection, sensitivity: pd.DataFrame | None
                  ) -> MetricSection:
    """The metric's report section in the unit the page's figures show."""
    return dataclasses.replace(section, summary=in_shown_unit(section.summary,
                                                              section.metric),
                               sensitivity=sensitivity)


def open_folder(text: str, root: str | Path = OUT) -> tuple[SweepResults | None, str | None]:
    """The sweep in folder ``text`` (under ``root``), or None and why it cannot be opened."""
    try:
        return open_sweep(text, root), None
    except SweepFolderError as exc:
        return None, str(exc)


@solara.component
def FigureBox(title: str, png: bytes | None, error: str | None, note: str = "",
              table: pd.DataFrame | None = None, csv_name: str = "") -> solara.Element:
    """One figure under its heading, or the reason it cannot be drawn; then its numbers.

    The table is the one the figure draws, so a reader can quote a value rather than
    read it off a curve; it downloads as ``csv_name``.
    """
    with solara.Column(gap="2px") as main:
        solara.Markdown(f"#### {title}")
        if error:
            solara.Text(error, style=_ERROR_STYLE)
        elif png is not None:
            solara.Image(png, width="100%")
        if note:
            solara.Text(note, style=NOTE_STYLE)
        if table is not None and not error and len(table):
            with solara.Details(summary=f"The numbers behind this figure ({len(table)} rows)"):
                solara.DataFrame(table.round(4), items_per_page=10)
                solara.FileDownload(table_csv(table), filename=csv_name, mime_type="text/csv",
                                    label=f"Download {csv_name}")
    return main


@solara.component
def Pickers(results: SweepResults, report: SweepReport, metric: str, x: str, by: str | None,
            set_metric: Callable[[str], None], set_x: Callable[[str], None],
            set_by: Callable[[str | None], None]) -> solara.Element:
    """Metric, x parameter and "curves by", then the summary CSV download."""
    others = [p for p in results.parameters if p != x]
    with solara.Column(gap="4px") as main:
        solara.Markdown("#### What to plot")
        solara.Select(label="metric", values=results.metrics, value=metric,
                      on_value=set_metric)
        solara.Select(label="x parameter", values=results.parameters, value=x, on_value=set_x)
        solara.Select(label="curves by", values=[NO_CURVES, *others],
                      value=by if by in others else NO_CURVES,
                      on_value=lambda v: set_by(None if v == NO_CURVES else v))
        solara.FileDownload(lambda: summary_csv(report),
                            filename=f"{results.manifest['name']}_summary.csv",
                            label="Download the summary CSV", mime_type="text/csv")
        solara.Text("Per parameter point and metric: runs, mean, sd and 95% CI.",
                    style=NOTE_STYLE)
    return main


@solara.component
def SweepFigures(results: SweepResults, section: MetricSection, x: str, by: str | None
                 ) -> solara.Element:
    """The response curve, the surface, the time course and the sensitivity indices.

    The figures that apply to this sweep are laid out two to a row at one size, so a
    grid sweep recorded per day and a Sobol sweep read alike; the metric's section of
    the report (its table and indices, as ``report.md`` has them) goes under them.
    """
    manifest = results.manifest
    metric = section.metric
    numeric = results.numeric_parameters()
    deps = [results, metric, x, by]
    stem = f"{manifest['name']}_{metric}"
    runs = solara.use_memo(lambda: in_shown_unit(results.run_values(), metric, (metric,)),
                           deps)
    response_rows = solara.use_memo(lambda: attempt(lambda: response_table(
        results, metric, x, by)), deps)
    response = solara.use_memo(lambda: attempt(lambda: figure_png(response_figure(
        response_rows[0], manifest, metric, x, numeric, by=by, runs=runs)))
        if response_rows[0] is not None else (None, response_rows[1]), deps)
    pair = surface_pair(results, x, by)
    surface_rows = solara.use_memo(lambda: attempt(lambda: surface_table(
        results, metric, *pair)) if pair else (None, None), deps)
    surface = solara.use_memo(lambda: attempt(lambda: figure_png(surface_figure(
        surface_rows[0], manifest, metric, *pair)))
        if surface_rows[0] is not None else (None, surface_rows[1]), deps)
    timed = manifest["record"] in ("day", "tick")
    over_time_rows = solara.use_memo(lambda: attempt(lambda: over_time_table(
        results, metric, x)) if timed else (None, None), deps)
    over_time = solara.use_memo(lambda: attempt(lambda: figure_png(over_time_figure(
        over_time_rows[0], manifest, metric, x)))
        if over_time_rows[0] is not None else (None, over_time_rows[1]), deps)
    table = (in_shown_unit(section.sensitivity, metric, MORRIS_COLUMNS)
             if section.sensitivity is not None else None)
    chart = solara.use_memo(
        lambda: attempt(lambda: figure_png(sensitivity_figure(table, metric)))
        if table is not None else (None, None), [section.sensitivity, metric])

    def rows_of(built: tuple | None) -> pd.DataFrame | None:
        return built[0].rows if built and built[0] is not None else None

    boxes = [FigureBox("Response curve", *response, table=rows_of(response_rows),
                       csv_name=f"{stem}_response.csv")]
    if pair:
        boxes.append(FigureBox(f"Surface: {pair[0]} and {pair[1]}", *surface,
                               note="Mean over replications (and any other parameters); "
                                    "grey: no runs there.",
                               table=rows_of(surface_rows), csv_name=f"{stem}_surface.csv"))
    if timed:
        boxes.append(FigureBox(f"Over time, by {x}", *over_time,
                               note=f"Every stored {manifest['time_column']} of every run; "
                                    "bands are 95% CIs over the runs.",
                               table=rows_of(over_time_rows),
                               csv_name=f"{stem}_over_time.csv"))
    if table is not None:
        boxes.append(FigureBox(f"Sensitivity of {metric}", *chart, table=table,
                               csv_name=f"{stem}_sensitivity.csv"))
    if len(boxes) % 2:
        boxes.append(solara.Column())  # a lone figure keeps the others' size
    with solara.Column(gap="12px") as main:
        for row in range(0, len(boxes), 2):
            solara.Columns([1, 1], children=boxes[row:row + 2])
        if not pair:
            solara.Text("A surface needs two numeric swept parameters.", style=NOTE_STYLE)
        solara.Markdown(render_section(shown_section(section, table), heading_level=4,
                                       figure_links=False))
        factor, unit = shown_unit(metric)
        if factor != 1.0:
            solara.Text(f"Values of {metric} in {unit} (the sweep's files store a share, "
                        "0-1).", style=NOTE_STYLE)
    return main


@solara.component
def SweepView(results: SweepResults) -> solara.Element:
    """One opened sweep: its brief and pickers on the left, figures on the right.

    The brief and the tables are the sweep's report, built once per opened (or
    reloaded) folder, as ``crimesim analyze`` builds it for ``report.md``.
    """
    report, report_error = solara.use_memo(lambda: attempt(lambda: build_report(results)),
                                           [results])
    metric, set_metric = solara.use_state(results.metrics[0])
    x, set_x = solara.use_state((results.numeric_parameters() or results.parameters)[0])
    by, set_by = solara.use_state(None)
    # A reloaded folder keeps the choices; a choice it no longer has falls back.
    metric = metric if metric in results.metrics else results.metrics[0]
    x = x if x in results.parameters else results.parameters[0]
    by = by if by in results.parameters and by != x else None
    with solara.Columns([1, 2]) as main:
        with solara.Column(gap="8px"):
            if report is not None:
                solara.Markdown(render_brief(report, heading_level=3))
            else:
                solara.Text(str(report_error), style=_ERROR_STYLE)
            failed = failure_lines(results)
            if failed:
                with solara.Details(summary=f"{len(results.failures)} failed runs"):
                    solara.Preformatted("\n".join(failed))
            if results.runs_stored and report is not None:
                Pickers(results, report, metric, x, by, set_metric, set_x, set_by)
        if results.runs_stored and report is not None:
            SweepFigures(results, report.section(metric), x, by)
        elif report is not None:
            solara.Text("No run of this sweep has finished yet: Reload once some have.",
                        style=NOTE_STYLE)
    return main


#: What the Sweeps page opens (:mod:`sim.dashboard.pages.results_folder`).
SWEEPS = FolderKind(
    noun="sweep", plural="sweeps", command="crimesim sweep",
    first_run="crimesim sweep experiments/quick_sweep.toml", marker="manifest.json",
    list_folders=sweep_folders, open_folder=open_folder, view=SweepView,
    empty="Open a sweep's results folder: the folder `crimesim sweep EXPERIMENT --out DIR` "
          "wrote (by default `out/<experiment name>`). For a first one, run `crimesim sweep "
          "experiments/quick_sweep.toml --workers 2` (about a minute), then press Reload.")


def SweepsPage(folder: str | None = None, out_root: str | Path = OUT) -> solara.Element:
    """The Sweeps page: the folder chooser, then the opened sweep.

    Args:
        folder: The folder to open first (default: the newest sweep under
            ``out_root``).
        out_root: Where to look for sweep folders to offer.
    """
    return ResultsFolderPage(SWEEPS, folder, out_root)


@solara.component
def Page() -> solara.Element:
    """The Sweeps page as Solara serves it (``?folder=DIR`` opens that folder)."""
    solara.Title("crimesim - Sweeps")
    folder = folder_in_address()
    return SweepsPage(folder=folder, out_root=sweep_folder.OUT)
