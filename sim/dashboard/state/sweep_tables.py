"""The tables behind the Sweeps page's figures, computed without Solara.

The numbers come from :class:`~sim.analysis.sweep.results.SweepResults` and its
:func:`~sim.analysis.sweep.results.summarise` (mean and 95% t-interval over
replications), the reader behind ``crimesim analyze``.

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

from dataclasses import dataclass

import pandas as pd

from sim.analysis.sweep.labels import metric_name
from sim.analysis.sweep.report import SweepReport
from sim.analysis.sweep.results import (
    MAX_LEVELS,
    SweepFolderError,
    SweepResults,
    summarise,
)
from sim.metrics.catalog import PREVALENCE_PERCENT_UNIT, PREVALENCE_SHARE_UNIT

#: Bins of an axis parameter with more distinct values than
#: :data:`~sim.analysis.sweep.results.MAX_LEVELS` (as ``crimesim analyze`` cuts it).
AXIS_BINS = 8
#: A parameter with more distinct values than this is binned when it names curves ...
MAX_CURVES = 8
#: ... into this many bins.
CURVE_BINS = 4


#: The columns of a summary that are in the metric's unit (``n`` is a count of runs).
VALUE_COLUMNS = ("mean", "sd", "ci_low", "ci_high")
#: The columns of a Morris table in the metric's unit (Sobol indices are shares).
MORRIS_COLUMNS = ("mu", "mu_star", "mu_star_conf", "sigma")


def shown_unit(metric: str) -> tuple[float, str]:
    """The factor from the stored value to the shown one, and the unit shown.

    Prevalence is stored as a share (0-1) but every other page and the command line's
    comparisons state it as "% of people victimised", so the Sweeps page shows it in
    per cent too; every other metric keeps its own unit.
    """
    unit = metric_name(metric)[1]
    if unit == PREVALENCE_SHARE_UNIT:
        return 100.0, PREVALENCE_PERCENT_UNIT
    return 1.0, unit


def shown_label(label: str, metric: str) -> str:
    """An axis label of ``metric`` with its stored unit replaced by the unit shown."""
    factor, unit = shown_unit(metric)
    return label.replace(metric_name(metric)[1], unit) if factor != 1.0 else label


def in_shown_unit(table: pd.DataFrame, metric: str,
                  columns: tuple[str, ...] = VALUE_COLUMNS) -> pd.DataFrame:
    """``table`` with its value ``columns`` in the unit shown (a copy when scaled)."""
    factor = shown_unit(metric)[0]
    present = [c for c in columns if c in table]
    if factor == 1.0 or not present:
        return table
    return table.assign(**{c: table[c] * factor for c in present})


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
    return Binned(in_shown_unit(summarise(binned.rows, keys, metric), metric), binned.labels)


def surface_table(results: SweepResults, metric: str, x: str, y: str) -> Binned:
    """Mean over a grid of two numeric parameters: index ``y``, columns ``x``."""
    _check(results, metric, x, y)
    binned = bin_rows(results, results.run_values(), {x: MAX_LEVELS, y: MAX_LEVELS})
    table = in_shown_unit(summarise(binned.rows, [y, x], metric), metric)
    grid = table.pivot(index=y, columns=x, values="mean").sort_index()
    return Binned(grid, binned.labels)


def over_time_table(results: SweepResults, metric: str, by: str) -> Binned:
    """Per time step and value of ``by``: mean and 95% CI over the runs."""
    _check(results, metric, by)
    binned = bin_rows(results, results.rows, {by: MAX_CURVES})
    return Binned(in_shown_unit(summarise(binned.rows, [by, results.time_column], metric),
                                metric), binned.labels)


def table_csv(table: pd.DataFrame) -> bytes:
    """A figure's table as CSV, with its index when the index is a parameter (surfaces)."""
    named = table.index.name is not None
    return table.to_csv(index=named).encode()


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


def summary_csv(report: SweepReport) -> bytes:
    """The report's tidy summary as CSV: what ``crimesim analyze`` writes as summary.csv.

    Per parameter point and metric: n runs, mean, sd and the 95% CI of each run's
    whole-run value (:meth:`SweepResults.run_values`), the numbers the figures show.
    """
    return report.summary.to_csv(index=False).encode()
