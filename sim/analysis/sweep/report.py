"""One sweep's report, built once and rendered as Markdown by ``analyze`` and the Sweeps page.

``crimesim analyze`` writes it as ``report.md`` next to the figures and tables, and
the dashboard's Sweeps page shows the same brief and the same tables per metric; both
render through :func:`render_markdown` (or its parts, :func:`render_brief` and
:func:`render_section`), so the two never tell a sweep differently. The report holds
what was swept and how (:class:`SweepReport`), the tidy summary behind
``summary.csv``, per metric the headline table and sensitivity indices
(:class:`MetricSection`), and which figures the metric has (:class:`FigureSpec`),
which ``analyze`` draws and the Markdown links to.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.sweep.results import SweepResults, summarise
from sim.scenario.schema import flatten

#: A metric with more parameter points than this gets no table in the report (too long
#: to read); ``summary.csv`` holds every point.
MAX_TABLE_ROWS = 40
#: Columns of the tidy summary (``summary.csv``) after the parameters.
SUMMARY_COLUMNS = ("metric", "n", "mean", "sd", "ci_low", "ci_high")
#: How figures are read, said once under the brief.
FIGURES_NOTE = ("Figures are means over replications with 95% t-intervals (shaded); a "
                "response curve averages over the other parameters' values (the main "
                "effect).")

_SCHEMA = flatten()


@dataclass(frozen=True)
class ParameterLine:
    """One swept parameter as the report lists it.

    Attributes:
        key: The scenario key.
        kind: Its type as the experiment declared it ("int", "float", "bool", ...).
        values: Its values or range, as :func:`describe_parameter` says them.
        meaning: What the key means, from the scenario schema ("" if unknown).
    """

    key: str
    kind: str
    values: str
    meaning: str


@dataclass(frozen=True)
class FigureSpec:
    """One figure of a metric: what it shows, its title and its file name.

    Attributes:
        kind: "response", "surface", "over_time" or "sensitivity".
        metric: The metric drawn.
        parameters: The parameters it is drawn against (x; x and y for a surface; the
            curves' parameter for a time course; none for sensitivity bars).
        title: The caption (also the image's alternative text).
    """

    kind: str
    metric: str
    parameters: tuple[str, ...]
    title: str

    @property
    def filename(self) -> str:
        """The PNG's name in the analysis folder (``analyze``'s historical names)."""
        if self.kind == "response":
            return f"response_{self.metric}__{self.parameters[0]}.png"
        return f"{self.kind}_{self.metric}.png"


@dataclass(frozen=True)
class MetricSection:
    """What the report says about one metric.

    Attributes:
        metric: The metric.
        summary: Per parameter point: n runs, mean, sd and 95% CI of each run's value.
        sensitivity: Sobol or Morris indices, or None (grid, LHS, incomplete sample).
        sensitivity_note: How to read the indices, or why there are none yet ("" for
            designs that have none).
        figures: The figures of this metric, in the order they are shown.
    """

    metric: str
    summary: pd.DataFrame
    sensitivity: pd.DataFrame | None
    sensitivity_note: str
    figures: tuple[FigureSpec, ...]

    @property
    def most_influential(self) -> tuple[str, str, float] | None:
        """The parameter with the largest index, the index's name and value, or None.

        Sobol's total order ST ranks by the share of variance with all interactions;
        Morris's mu* by the mean absolute effect.
        """
        if self.sensitivity is None or self.sensitivity.empty:
            return None
        col = "ST" if "ST" in self.sensitivity else "mu_star"
        top = self.sensitivity.sort_values(col, ascending=False).iloc[0]
        return str(top["parameter"]), col, float(top[col])


@dataclass(frozen=True)
class SweepReport:
    """A sweep in brief, its summary and one section per metric.

    Attributes:
        name: The sweep's name.
        description: The experiment's description ("" if none).
        facts: The brief's bullet lines (design, runs, each run, provenance), Markdown.
        parameters: The swept parameters.
        summary: The tidy summary of every metric (``summary.csv``).
        sections: One per metric, in the order asked for.
    """

    name: str
    description: str
    facts: tuple[str, ...]
    parameters: tuple[ParameterLine, ...]
    summary: pd.DataFrame
    sections: tuple[MetricSection, ...]

    def section(self, metric: str) -> MetricSection:
        """The section of ``metric``.

        Raises:
            KeyError: The report has no section on ``metric``.
        """
        for section in self.sections:
            if section.metric == metric:
                return section
        raise KeyError(metric)


# --- building ------------------------------------------------------------------------
def build_report(results: SweepResults, metrics: list[str] | None = None) -> SweepReport:
    """The report of a sweep, on whatever runs it has stored so far.

    Args:
        results: The opened sweep folder.
        metrics: The metrics to report on (default: every metric of the sweep).
    """
    metrics = list(metrics or results.metrics)
    m = results.manifest
    summary = summary_table(results, metrics)
    sections = tuple(_section(results, summary, metric) for metric in metrics)
    parameters = tuple(
        ParameterLine(spec["key"], str(spec.get("kind", "")), describe_parameter(spec),
                      _SCHEMA[spec["key"]].help if spec["key"] in _SCHEMA else "")
        for spec in m["parameters"])
    return SweepReport(name=str(m["name"]), description=str(m.get("description") or ""),
                       facts=_facts(results), parameters=parameters, summary=summary,
                       sections=sections)


def summary_table(results: SweepResults, metrics: list[str]) -> pd.DataFrame:
    """Tidy: the parameters, ``metric``, n, mean, sd, ci_low, ci_high per point.

    Over each run's whole-run value (:meth:`SweepResults.run_values`), the numbers the
    response curves show.
    """
    cols = [*results.parameters, *SUMMARY_COLUMNS]
    if not metrics or results.runs_stored == 0:
        return pd.DataFrame(columns=cols)
    runs = results.run_values()
    parts = [summarise(runs, results.parameters, m).assign(metric=m) for m in metrics]
    return pd.concat(parts, ignore_index=True).reindex(columns=cols)


def sensitivity_note(results: SweepResults, table: pd.DataFrame | None) -> str:
    """How to read a design's indices, or why they are missing (empty for grid, LHS)."""
    kind = results.design_kind
    if kind not in ("sobol", "morris"):
        return ""
    if table is None:
        stored = results.final()["point_key"].nunique() if results.runs_stored else 0
        total = results.design["point_key"].nunique()  # integer ranges repeat points
        return (f"Sensitivity indices need a run at every point of the {kind} sample: "
                f"{stored} of {total} points have one so far.")
    if kind == "sobol":
        return ("Sobol indices: S1 is the share of the variance of the metric due to the "
                "parameter alone, ST its share with all its interactions; bars show 95% "
                "bootstrap intervals. With few samples the intervals are wide and the "
                "estimates may fall below 0 or above 1.")
    return ("Morris screening: mu* is the mean absolute change of the metric as the "
            "parameter moves across its whole range (influence), sigma the spread of "
            "those changes (non-linearity or interactions).")


def _section(results: SweepResults, summary: pd.DataFrame, metric: str) -> MetricSection:
    table = summary[summary["metric"] == metric].drop(columns=["metric"])
    indices = results.sensitivity(metric) if results.runs_stored else None
    return MetricSection(metric, table.reset_index(drop=True), indices,
                         sensitivity_note(results, indices), _figures(results, metric,
                                                                     indices is not None))


def _figures(results: SweepResults, metric: str, has_indices: bool) -> tuple[FigureSpec, ...]:
    """The figures ``analyze`` draws of ``metric``: the ones this sweep's data supports."""
    numeric = results.numeric_parameters()
    specs = [FigureSpec("response", metric, (p,), f"{metric} against {p}") for p in numeric]
    if results.design_kind == "grid" and len(numeric) >= 2:
        x, y = numeric[0], numeric[1]
        specs.append(FigureSpec("surface", metric, (x, y), f"{metric} over {x} and {y}"))
    if results.time_column == "tick" or results.manifest["record"] == "day":
        specs.append(FigureSpec("over_time", metric, (results.parameters[0],),
                                f"{metric} over time"))
    if has_indices:
        specs.append(FigureSpec("sensitivity", metric, (), f"sensitivity of {metric}"))
    return tuple(specs)


def _facts(results: SweepResults) -> tuple[str, ...]:
    """The brief's bullets: the design, how much ran, what one run is, where it came from."""
    m = results.manifest
    seeds = list(m["seeds"])
    warmup = float(m.get("warmup_days") or 0)
    runs = (f"**{results.runs_stored} of {m['runs_planned']} runs stored**, "
            f"{len(results.failures)} failed")
    if not m.get("finished"):
        runs += " (not finished: still running or stopped; Reload reads new runs)"
    each_run = (f"{float(m['days']):g} days"
                + (f", the first {warmup:g} not measured" if warmup else "")
                + f"; {len(seeds)} seed{'s' if len(seeds) != 1 else ''} per point "
                f"({', '.join(map(str, seeds[:10]))}{', ...' if len(seeds) > 10 else ''}); "
                f"recorded {'once per run' if m['record'] == 'final' else 'per ' + m['record']}")
    scenario = os.path.normpath(m["scenario"]) if m.get("scenario") else "?"
    origin = f"Base scenario: `{scenario}`; experiment `{m.get('experiment', '?')}`"
    if m.get("experiment_sha256"):
        origin += f" (SHA-256 `{str(m['experiment_sha256'])[:12]}`)"
    if m.get("crimesim_version"):
        origin += f"; crimesim {m['crimesim_version']}"
    if m.get("started"):
        origin += f"; started {m['started']}"
    return (f"Design: {describe_design(m['design'])}", f"Runs: {runs}",
            f"Each run: {each_run}", origin)


def describe_parameter(spec: dict[str, Any]) -> str:
    """A parameter's values or range as the manifest records them."""
    if "values" in spec:
        values = [f"{v:g}" if isinstance(v, float) else str(v) for v in spec["values"]]
        shown = values if len(values) <= 8 else [*values[:7], "...", values[-1]]
        return ", ".join(shown)
    steps = f" in {spec['steps']} steps" if spec.get("steps") else " (sampled)"
    return f"{spec['low']:g} to {spec['high']:g}{steps}"


def describe_design(design: dict[str, Any]) -> str:
    """The design in a phrase a reader can check against the runs planned."""
    kind = design.get("kind", "?")
    if kind == "grid":
        return "grid (every combination of the values)"
    if kind == "lhs":
        return f"Latin hypercube, {design.get('samples')} points"
    if kind == "sobol":
        order = "with" if design.get("second_order") else "without"
        return (f"Sobol (Saltelli sample, N = {design.get('samples')}, {order} "
                "second-order terms)")
    if kind == "morris":
        return (f"Morris elementary effects ({design.get('samples')} trajectories, "
                f"{design.get('levels')} levels)")
    return str(kind)


# --- rendering -----------------------------------------------------------------------
def render_markdown(report: SweepReport, heading_level: int = 1,
                    figure_links: bool = True) -> str:
    """The whole report: the brief, how figures are read, then a section per metric.

    Args:
        report: The report.
        heading_level: The level of the title ("#" for a file of its own; a page
            embedding the report starts lower).
        figure_links: Link each section's figures by file name (``analyze`` writes
            them next to ``report.md``); a page that draws its own figures leaves them
            out.
    """
    parts = [render_brief(report, heading_level), FIGURES_NOTE]
    parts += [render_section(s, heading_level + 1, figure_links) for s in report.sections]
    return "\n\n".join(parts) + "\n"


def render_brief(report: SweepReport, heading_level: int = 1) -> str:
    """The sweep in brief: its name, description, facts and a table of its parameters."""
    lines = [f"{'#' * heading_level} Sweep {report.name}"]
    if report.description:
        lines += ["", report.description]
    lines += ["", *(f"- {fact}" for fact in report.facts), "",
              "| parameter | type | values | meaning |", "|---|---|---|---|"]
    lines += [f"| `{p.key}` | {p.kind} | {p.values} | {p.meaning} |" for p in report.parameters]
    return "\n".join(lines)


def render_section(section: MetricSection, heading_level: int = 2,
                   figure_links: bool = True) -> str:
    """One metric: its table per parameter point, its sensitivity indices, its figures."""
    lines = [f"{'#' * heading_level} {section.metric}", ""]
    if section.summary.empty:
        lines.append("No run has been stored yet.")
    elif len(section.summary) <= MAX_TABLE_ROWS:
        lines.append(markdown_table(section.summary))
    else:
        lines.append(f"{len(section.summary)} points: see summary.csv.")
    if section.sensitivity is not None or section.sensitivity_note:
        lines += ["", f"Sensitivity indices of {section.metric}:"]
        if section.sensitivity is not None:
            lines += ["", markdown_table(section.sensitivity)]
        if section.sensitivity_note:
            lines += ["", section.sensitivity_note]
    if figure_links:
        for spec in section.figures:
            lines += ["", f"![{spec.title}]({spec.filename})"]
    return "\n".join(lines)


def markdown_table(table: pd.DataFrame) -> str:
    """A plain Markdown table (no extra dependency), each number as :func:`number_text`."""
    cols = [str(c) for c in table.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(number_text(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines)


def number_text(value: object) -> str:
    """A cell's text: three significant digits, whole numbers from 1,000 up, NaN blank.

    Three digits are what a 95% interval over a few replications supports; a count
    in the thousands keeps its digits (with separators) rather than turning into
    ``1.23e+04``.
    """
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, float | np.floating | int | np.integer):
        number = float(value)
        if math.isnan(number):
            return ""
        if abs(number) >= 1000:
            return f"{number:,.0f}"
        return f"{value:.3g}" if isinstance(value, float | np.floating) else str(value)
    return str(value)
