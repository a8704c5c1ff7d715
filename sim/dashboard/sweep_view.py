"""What the Sweeps page shows of a sweep folder, computed without Solara.

The page reads a folder that ``crimesim sweep`` wrote through
:class:`~sim.analysis.sweep.results.SweepResults`, the reader behind
``crimesim analyze``, and summarises with its :func:`summarise` (mean and 95%
t-interval over replications). This module adds what a page needs on top of it:
finding sweep folders, opening one with a one-line message for anything that is not a
sweep, readable labels with units, and the tables behind each figure.

Each run counts with its whole-run value (:meth:`SweepResults.run_values`): for a
sweep recorded once per run that is the stored row, so curves match
``crimesim analyze``'s; a sweep recorded per day or per tick is rolled up the same
way (flows summed after the warm-up, levels at the end) rather than judged by its
last day, so one experiment gives the same curves however it was recorded.

Sampled designs (Latin hypercube, Sobol, Morris) give a numeric parameter dozens of
distinct values with a run or two each, and a curve through them is noise. Such a
parameter is cut into equal-width bins, as :meth:`SweepResults.response` cuts it, and
each bin is shown at the mean value of its runs; the same bins serve curves, surfaces
and legends, so a figure of a sampled sweep reads like one of a grid.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.sweep.metrics import STOCKS
from sim.analysis.sweep.results import (
    MAX_LEVELS,
    SweepFolderError,
    SweepResults,
    summarise,
)
from sim.scenario.schema import flatten

#: Where ``crimesim sweep`` writes by default (``out/<experiment name>``).
OUT = Path("out")
#: Bins of an axis parameter with more distinct values than
#: :data:`~sim.analysis.sweep.results.MAX_LEVELS` (as ``crimesim analyze`` cuts it).
AXIS_BINS = 8
#: A parameter with more distinct values than this is binned when it names curves ...
MAX_CURVES = 8
#: ... into this many bins.
CURVE_BINS = 4
#: Manifest keys the page relies on: without them the folder is not a sweep it can read.
MANIFEST_KEYS = ("name", "design", "parameters", "metrics", "seeds", "days", "record",
                 "time_column", "runs_planned")

_SCHEMA = flatten()


# --- finding and opening ---------------------------------------------------------------
def sweep_folders(root: str | Path = OUT) -> list[Path]:
    """Sweep folders under ``root`` (one or two levels down), newest first.

    Only two levels are searched: a sweep's own ``results/`` folder may hold thousands
    of part files, and walking every one to find manifests would stall the page.
    """
    root = Path(root)
    if not root.is_dir():
        return []
    manifests = [*root.glob("*/manifest.json"), *root.glob("*/*/manifest.json")]
    found = {m.parent: m.stat().st_mtime for m in manifests if m.is_file()}
    return sorted(found, key=lambda p: (-found[p], str(p)))


def default_folder(root: str | Path = OUT) -> str:
    """The newest sweep folder under ``root`` as text, or "" when there is none."""
    folders = sweep_folders(root)
    return str(folders[0]) if folders else ""


def open_sweep(text: str) -> SweepResults:
    """Open the sweep folder a user typed.

    Raises:
        SweepFolderError: One line saying why the text does not name a readable sweep
            (empty, missing, a file, no manifest, a manifest of something else).
    """
    text = text.strip()
    if not text:
        raise SweepFolderError("type a sweep's output folder (crimesim sweep ... --out DIR)")
    path = Path(text).expanduser()
    if path.is_file():
        raise SweepFolderError(f"{text}: is a file; choose the folder that holds "
                               "manifest.json")
    results = SweepResults.open(path)
    manifest = results.manifest
    missing = ([k for k in MANIFEST_KEYS if k not in manifest]
               if isinstance(manifest, dict) else list(MANIFEST_KEYS))
    if missing:
        raise SweepFolderError(f"{text}: manifest.json lacks {missing[0]!r}; not a "
                               "crimesim sweep folder")
    return results


# --- labels ----------------------------------------------------------------------------
def parameter_label(key: str, width: int = 60) -> str:
    """A parameter key with its meaning and unit from the scenario schema, if known.

    A label longer than ``width`` characters puts the meaning on a second line, so an
    axis label never runs off its figure.
    """
    field = _SCHEMA.get(key)
    if field is None:
        return key
    return f"{key}{chr(10) if len(key) + len(field.help) > width else ' '}({field.help})"


def metric_name(metric: str) -> tuple[str, str]:
    """A metric's readable name and unit, e.g. ``("robbery crimes", "crimes")``."""
    tail = metric.split("_", 1)[1].replace("_", " ") if "_" in metric else metric
    if metric == "crimes_total":
        return "crimes, all types", "crimes"
    if metric.startswith("crimes_"):
        return f"{tail} crimes", "crimes"
    if metric.startswith("victimisations_"):
        return f"victimisations, {tail}", "victimisations"
    if metric.startswith("legitimacy_"):
        return f"legitimacy of police, {tail}", "0-1"
    if metric.startswith("prevalence_"):
        return f"victimisation prevalence, {tail}", "share of residents, 0-1"
    if metric.startswith("crime_concentration_top"):
        share = metric.removeprefix("crime_concentration_top")
        return f"share of crime in the top {share}% of cells", "0-1"
    named = {
        "reported_crimes": ("reported crimes", "crimes"),
        "arrests": ("arrests", "arrests"),
        "bribes": ("bribes taken", "bribes"),
        "offenders_free": ("offenders free", "offenders"),
        "offenders_active": ("offenders active", "offenders"),
        "offenders_jailed": ("offenders in jail", "offenders"),
        "gang_members": ("gang members", "people"),
        "recruits": ("new offenders recruited", "offenders"),
        "desistances": ("offenders desisting", "offenders"),
        "releases": ("releases from jail", "offenders"),
        "enrolled": ("enrolled in services", "people"),
        "residents_in_public": ("residents in public space", "residents"),
        "mean_attractiveness": ("mean attractiveness A", "model units"),
        "mean_b": ("mean dynamic attractiveness B", "model units"),
        "cost_total": ("cost of the interventions", "scenario currency"),
    }
    return named.get(metric, (metric.replace("_", " "), ""))


def _with_unit(text: str, unit: str) -> str:
    return f"{text} ({unit})" if unit else text


def value_label(manifest: dict[str, Any], metric: str) -> str:
    """What one run's value of ``metric`` is in a response curve, with its unit.

    Each run counts with its whole-run figure (:meth:`SweepResults.run_values`): flows
    summed over the measured days, after the warm-up, and levels at the end -- whether
    the sweep recorded once per run, per day or per tick. The label says which days,
    so nobody takes a window's crimes for a year's.
    """
    name, unit = metric_name(metric)
    days, warmup = float(manifest["days"]), float(manifest.get("warmup_days") or 0)
    if metric in STOCKS:
        return _with_unit(f"{name} at day {days:g}", unit)
    return _with_unit(f"{name}, days {warmup:g}-{days:g}", unit)


def over_time_label(manifest: dict[str, Any], metric: str) -> str:
    """The y label of the over-time figure: per day or hour for flows, a level otherwise."""
    name, unit = metric_name(metric)
    span = "day" if manifest["record"] == "day" else "hour"
    if metric in STOCKS:
        return _with_unit(f"{name} at the end of each {span}", unit)
    return _with_unit(name, f"{unit} per {span}" if unit else f"per {span}")


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


def summary_markdown(results: SweepResults) -> str:
    """The sweep in brief: what was swept, how, and how much of it is stored."""
    m = results.manifest
    lines = [f"### Sweep {m['name']}"]
    if m.get("description"):
        lines.append(str(m["description"]))
    seeds = list(m["seeds"])
    warmup = float(m.get("warmup_days") or 0)
    runs = (f"**{results.runs_stored} of {m['runs_planned']} runs stored**, "
            f"{len(results.failures)} failed")
    if not m.get("finished"):
        runs += " (not finished: still running or stopped; Reload reads new runs)"
    lines += [
        "",
        f"- Design: {describe_design(m['design'])}",
        f"- Runs: {runs}",
        f"- Each run: {float(m['days']):g} days"
        + (f", the first {warmup:g} not measured" if warmup else "")
        + f"; {len(seeds)} seed{'s' if len(seeds) != 1 else ''} per point "
        f"({', '.join(map(str, seeds[:10]))}{', ...' if len(seeds) > 10 else ''}); "
        f"recorded {'once per run' if m['record'] == 'final' else 'per ' + m['record']}",
        f"- Base scenario: `{m.get('scenario', '?')}`; experiment `{m.get('experiment', '?')}`"
        + (f"; crimesim {m['crimesim_version']}" if m.get("crimesim_version") else ""),
        "",
        "| parameter | type | values | meaning |",
        "|---|---|---|---|",
    ]
    for spec in m["parameters"]:
        field = _SCHEMA.get(spec["key"])
        lines.append(f"| `{spec['key']}` | {spec.get('kind', '')} | "
                     f"{describe_parameter(spec)} | {field.help if field else ''} |")
    return "\n".join(lines)


def failure_lines(results: SweepResults, limit: int = 10) -> list[str]:
    """The first failures: run id, values, seed and the error's last line."""
    out = []
    for rid, info in list(results.failures.items())[:limit]:
        error = str(info.get("error", "")).strip().splitlines() or ["?"]
        out.append(f"{rid}: {info.get('values')} seed {info.get('seed')}: {error[-1]}")
    return out


# --- tables behind the figures ---------------------------------------------------------
def _check(results: SweepResults, metric: str, *keys: str | None) -> None:
    """Raise :class:`SweepFolderError` unless ``metric`` and ``keys`` name this sweep's own.

    Two keys must differ: a curve of a parameter by itself says nothing.
    """
    if metric not in results.metrics:
        raise SweepFolderError(f"{metric!r} is not a metric of this sweep "
                               f"(it has: {', '.join(results.metrics)})")
    named = [k for k in keys if k is not None]
    for key in named:
        if key not in results.parameters:
            raise SweepFolderError(f"{key!r} is not a swept parameter "
                                   f"(swept: {', '.join(results.parameters)})")
    if len(set(named)) < len(named):
        raise SweepFolderError(f"{named[0]!r} cannot be plotted against itself")


@dataclass(frozen=True)
class Binned:
    """Rows with some parameters replaced by their bins' midpoints.

    Attributes:
        rows: The rows (a copy where anything was binned).
        labels: For each binned parameter, midpoint -> its range as text ("20-45").
    """

    rows: pd.DataFrame
    labels: dict[str, dict[float, str]]


def bin_rows(results: SweepResults, rows: pd.DataFrame, keys: dict[str, int]) -> Binned:
    """Cut each numeric ``key`` with more distinct values than its limit into bins.

    The rule is :meth:`SweepResults.response`'s, so a curve here and in
    ``crimesim analyze``'s report are the same numbers: equal-width bins over the
    stored values, each shown at the mean value of its runs (the same position in
    every curve, so curves and surface cells line up).

    Args:
        results: The sweep.
        rows: Rows holding the parameter columns.
        keys: Parameter -> the most distinct values it may keep. An axis limit
            (:data:`MAX_LEVELS`) cuts into :data:`AXIS_BINS` bins, a lower limit (for
            curves) into :data:`CURVE_BINS`.
    """
    labels: dict[str, dict[float, str]] = {}
    numeric = results.numeric_parameters()
    for key, limit in keys.items():
        if key not in numeric or rows.empty or rows[key].nunique() <= limit:
            continue
        n = AXIS_BINS if limit >= MAX_LEVELS else CURVE_BINS
        cut = pd.cut(rows[key], n)
        centre = rows.groupby(cut, observed=True)[key].transform("mean")
        labels[key] = dict(sorted({float(c): f"{iv.left:.3g}-{iv.right:.3g}"
                                   for c, iv in zip(centre, cut, strict=True)}.items()))
        rows = rows.assign(**{key: centre})
    return Binned(rows, labels)


def response_table(results: SweepResults, metric: str, x: str, by: str | None = None
                   ) -> Binned:
    """Mean, sd and 95% CI of each run's value against ``x`` (one curve per ``by``).

    Averages over every other parameter (the main effect), as
    :meth:`SweepResults.response` does, after binning many-valued parameters.
    """
    _check(results, metric, x, by)
    limits = {x: MAX_LEVELS} | ({by: MAX_CURVES} if by else {})
    binned = bin_rows(results, results.run_values(), limits)
    keys = [x] if by is None else [by, x]
    return Binned(summarise(binned.rows, keys, metric), binned.labels)


def surface_table(results: SweepResults, metric: str, x: str, y: str) -> Binned:
    """Mean over a grid of two numeric parameters: index ``y``, columns ``x``."""
    _check(results, metric, x, y)
    binned = bin_rows(results, results.run_values(), {x: MAX_LEVELS, y: MAX_LEVELS})
    table = summarise(binned.rows, [y, x], metric)
    grid = table.pivot(index=y, columns=x, values="mean").sort_index()
    return Binned(grid, binned.labels)


def over_time_table(results: SweepResults, metric: str, by: str) -> Binned:
    """Per time step and value of ``by``: mean and 95% CI over the runs."""
    _check(results, metric, by)
    binned = bin_rows(results, results.rows, {by: MAX_CURVES})
    return Binned(summarise(binned.rows, [by, results.time_column], metric), binned.labels)


def surface_pair(results: SweepResults, x: str, by: str | None) -> tuple[str, str] | None:
    """The two numeric parameters a surface shows, or None with fewer than two.

    The user's ``x`` and ``by`` when both are numeric, so the surface is the curves'
    picture seen from above; else ``x`` (or the first numeric parameter) and the next.
    """
    numeric = results.numeric_parameters()
    if len(numeric) < 2:
        return None
    first = x if x in numeric else numeric[0]
    if by in numeric and by != first:
        return first, by
    return first, next(k for k in numeric if k != first)


def sensitivity_table(results: SweepResults, metric: str) -> tuple[pd.DataFrame | None, str]:
    """The design's sensitivity indices of ``metric`` and a sentence on them.

    Returns:
        The table (None for grid and LHS designs, or while the sample is
        incomplete) and what the page should say about it.
    """
    kind = results.design_kind
    if kind not in ("sobol", "morris"):
        return None, ""
    table = results.sensitivity(metric)
    if table is None:
        stored = results.final()["point_key"].nunique() if results.runs_stored else 0
        total = results.design["point_key"].nunique()  # integer ranges repeat points
        return None, (f"Sensitivity indices need a run at every point of the "
                      f"{kind} sample: {stored} of {total} points have one so far.")
    if kind == "sobol":
        note = ("Sobol indices: S1 is the share of the variance of the metric due to the "
                "parameter alone, ST its share with all its interactions; bars show 95% "
                "bootstrap intervals. With few samples the intervals are wide and the "
                "estimates may fall below 0 or above 1.")
    else:
        note = ("Morris screening: mu* is the mean absolute change of the metric as the "
                "parameter moves across its whole range (influence), sigma the spread of "
                "those changes (non-linearity or interactions).")
    return table, note


def summary_csv(results: SweepResults) -> bytes:
    """Tidy CSV: per parameter point and metric, n runs, mean, sd and the 95% CI.

    The shape of ``crimesim analyze``'s ``summary.csv``, over each run's whole-run
    value (:meth:`SweepResults.run_values`), the numbers the page's figures show.
    """
    cols = [*results.parameters, "metric", "n", "mean", "sd", "ci_low", "ci_high"]
    runs = results.run_values()
    parts = [summarise(runs, results.parameters, m).assign(metric=m) for m in results.metrics]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    buffer = io.StringIO()
    table.reindex(columns=cols).to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def markdown_table(table: pd.DataFrame) -> str:
    """A Markdown table, numbers to three significant digits (NaN left blank)."""
    def cell(value: Any) -> str:
        if isinstance(value, float | np.floating):
            return "" if math.isnan(value) else f"{value:.3g}"
        return str(value)

    cols = list(table.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |"
              for row in table.itertuples(index=False)]
    return "\n".join(lines)
