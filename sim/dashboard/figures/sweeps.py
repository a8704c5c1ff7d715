"""The Sweeps page's figures: response curves, surfaces, time courses, sensitivity.

Like the Explore figures (:mod:`sim.dashboard.figures.layers`), each is a
:class:`matplotlib.figure.Figure` on its own Agg canvas, never a pyplot figure: pyplot's
global registry would be shared by every browser session drawing at once. Nothing here
imports Solara, so the figures can be built and checked in plain tests. The tables come
from :mod:`sim.dashboard.state.sweep_tables`; the figures only draw them.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.analysis.sweep.labels import (
    metric_name,
    over_time_label,
    parameter_label,
    value_label,
)
from sim.dashboard.state.sweep_tables import Binned, shown_label, shown_unit

#: Sequential colour map of the surface (a level, not a change: no natural midpoint).
SURFACE_CMAP = "viridis"
#: Largest surface whose cells carry their values as text.
ANNOTATE_CELLS = 10
_BAND_ALPHA = 0.2


def new_figure(width: float = 6.4, height: float = 4.4, dpi: int = 90) -> Figure:
    """A Figure on its own Agg canvas, with a constrained layout.

    These figures are drawn once per choice, not per frame as on Explore, so the
    layout engine's cost is worth the tidiness it buys.
    """
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


#: Longest title line, in characters, that fits a figure's width at its font size.
TITLE_WIDTH = 50
#: Longest line of a value axis' label (it runs along the figure's shorter side).
VALUE_LABEL_WIDTH = 45


def _set_title(ax: Axes, text: str) -> None:
    """A title wrapped to lines that fit the figure, so a long metric is never clipped."""
    ax.set_title(textwrap.fill(text, TITLE_WIDTH), fontsize=11)


def _value_axis_label(label: str, metric: str) -> str:
    """A metric's axis label in the unit shown, wrapped to fit the figure's height."""
    return textwrap.fill(shown_label(label, metric), VALUE_LABEL_WIDTH)


def _value_text(value: Any, labels: dict[float, str] | None) -> str:
    """A parameter value as a legend or tick shows it: a bin's range, or the value."""
    if labels is not None:
        return labels.get(float(value), f"{value:g}")
    if isinstance(value, float | np.floating):
        return f"{value:g}"
    return str(value)


def _curve_colours(values: list[Any], numeric: bool) -> list[Any]:
    """Ordered values get ordered colours (viridis); categories get distinct ones."""
    if numeric and len(values) > 1:
        cmap = colormaps["viridis"]
        return [cmap(0.9 * i / (len(values) - 1)) for i in range(len(values))]
    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(len(values))]


def _binned_note(table: Binned) -> str:
    """The footnote naming the parameters shown in bins (empty when none is)."""
    if not table.labels:
        return ""
    keys = " and ".join(table.labels)
    return f"; {keys} in equal-width bins, each at its runs' mean value"


def response_figure(table: Binned, manifest: dict[str, Any], metric: str, x: str,
                    numeric: list[str], by: str | None = None,
                    runs: pd.DataFrame | None = None) -> Figure:
    """The metric's mean against ``x`` with its 95% CI band, one curve per ``by`` value.

    Args:
        table: :func:`~sim.dashboard.state.sweep_tables.response_table`'s result.
        manifest: The sweep's manifest (for the value's label and unit).
        metric: The metric on the y axis.
        x: The parameter on the x axis.
        numeric: The sweep's numeric parameters (a text or switch parameter is drawn
            as categories with error bars instead of a line and band).
        by: The parameter naming the curves, or None for one curve.
        runs: Each run's own value (drawn as faint dots when there is one curve, so the
            spread the interval summarises stays visible).
    """
    fig = new_figure()
    ax = fig.add_subplot()
    summary = table.rows
    x_numeric = x in numeric
    groups = [(None, summary)] if by is None else list(summary.groupby(by, sort=True))
    colours = _curve_colours([g for g, _ in groups], by in numeric)
    categories = sorted(summary[x].unique(), key=str) if not x_numeric else []
    if runs is not None and by is None and not runs.empty:
        run_x = (runs[x].to_numpy(float) if x_numeric
                 else runs[x].map({c: i for i, c in enumerate(categories)}).to_numpy(float))
        ax.scatter(run_x, runs[metric], s=9, color="0.55", alpha=0.45, linewidths=0,
                   label="single runs", zorder=1)
    missing_ci = False
    for i, ((value, part), colour) in enumerate(zip(groups, colours, strict=True)):
        part = part.sort_values(x)
        name = ("mean" if by is None
                else f"{_value_text(value, table.labels.get(by))}")
        lo = part["ci_low"].to_numpy(float)
        hi = part["ci_high"].to_numpy(float)
        mean = part["mean"].to_numpy(float)
        missing_ci |= bool(np.isnan(lo).any())
        if x_numeric:
            xs = part[x].to_numpy(float)
            ax.plot(xs, mean, marker="o", markersize=4, color=colour, label=name, zorder=3)
            ax.fill_between(xs, lo, hi, color=colour, alpha=_BAND_ALPHA, linewidth=0,
                            label="95% CI" if by is None else None, zorder=2)
        else:
            offset = 0.0 if len(groups) == 1 else (i - (len(groups) - 1) / 2) * 0.12
            pos = np.array([categories.index(c) for c in part[x]], dtype=float) + offset
            err = np.vstack([mean - lo, hi - mean])
            ax.errorbar(pos, mean, yerr=np.nan_to_num(err), fmt="o", capsize=4,
                        color=colour, label=name if by is not None else "mean, 95% CI",
                        zorder=3)
    if not x_numeric:
        ax.set_xticks(range(len(categories)), [str(c) for c in categories])
    ax.set_xlabel(parameter_label(x))
    ax.set_ylabel(_value_axis_label(value_label(manifest, metric), metric))
    title = f"{metric_name(metric)[0].capitalize()} against {x}"
    _set_title(ax, title + ("" if by is None else f", by {by}"))
    ax.grid(alpha=0.3)
    legend = ax.legend(fontsize=8, title=None if by is None else _legend_title(by, table),
                       title_fontsize=8)
    legend.set_zorder(5)
    note = "Mean over the runs at each value (averaged over the other parameters)"
    note += _binned_note(table)
    if missing_ci:
        note += "; no band where a value has a single run"
    fig.text(0.01, 0.005, note, fontsize=7, color="0.35", ha="left", va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))
    return fig


def _legend_title(by: str, table: Binned) -> str:
    return f"{by} (binned)" if by in table.labels else by


def surface_figure(grid: Binned, manifest: dict[str, Any], metric: str, x: str,
                   y: str) -> Figure:
    """Heat map of the metric's mean over two parameters, with a labelled colour bar.

    Args:
        grid: :func:`~sim.dashboard.state.sweep_tables.surface_table`'s result (index ``y``,
            columns ``x``).
        manifest: The sweep's manifest.
        metric: The metric the colour shows.
        x: The parameter across.
        y: The parameter up.
    """
    fig = new_figure(6.4, 4.8)
    ax = fig.add_subplot()
    data = grid.rows.to_numpy(dtype=float)
    ny, nx = data.shape
    mesh = ax.pcolormesh(np.arange(nx + 1), np.arange(ny + 1), np.ma.masked_invalid(data),
                         cmap=SURFACE_CMAP, shading="flat")
    ax.set_facecolor("0.88")  # cells without runs stay grey
    ax.set_xticks(np.arange(nx) + 0.5, [_value_text(v, grid.labels.get(x))
                                        for v in grid.rows.columns],
                  rotation=30 if x in grid.labels else 0, ha="right" if x in grid.labels
                  else "center")
    ax.set_yticks(np.arange(ny) + 0.5, [_value_text(v, grid.labels.get(y))
                                        for v in grid.rows.index])
    ax.set_xlabel(parameter_label(x) + (" - bins" if x in grid.labels else ""))
    ax.set_ylabel(parameter_label(y, width=45) + (" - bins" if y in grid.labels else ""))
    name = metric_name(metric)[0]
    _set_title(ax, f"{name.capitalize()}: mean over {x} and {y}")
    fig.colorbar(mesh, ax=ax, label=_value_axis_label(value_label(manifest, metric), metric),
                 shrink=0.9)
    if nx <= ANNOTATE_CELLS and ny <= ANNOTATE_CELLS and np.isfinite(data).any():
        norm = mesh.norm
        for (i, j), value in np.ndenumerate(data):
            if np.isfinite(value):
                dark = norm(value) < 0.55  # light text on viridis' dark end
                ax.text(j + 0.5, i + 0.5, f"{value:.3g}", ha="center", va="center",
                        fontsize=8, color="white" if dark else "black")
    return fig


def over_time_figure(table: Binned, manifest: dict[str, Any], metric: str, by: str
                     ) -> Figure:
    """The metric through the run, one mean curve with a 95% CI band per ``by`` value."""
    fig = new_figure()
    ax = fig.add_subplot()
    t = manifest["time_column"]
    groups = list(table.rows.groupby(by, sort=True))
    numeric = pd.api.types.is_numeric_dtype(table.rows[by]) and not \
        pd.api.types.is_bool_dtype(table.rows[by])
    for (value, part), colour in zip(groups, _curve_colours([g for g, _ in groups], numeric),
                                     strict=True):
        part = part.sort_values(t)
        ax.plot(part[t], part["mean"], color=colour,
                label=_value_text(value, table.labels.get(by)))
        ax.fill_between(part[t].to_numpy(float), part["ci_low"].to_numpy(float),
                        part["ci_high"].to_numpy(float), color=colour, alpha=0.15,
                        linewidth=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("day of the run" if t == "day" else "tick (hours since the start)")
    ax.set_ylabel(_value_axis_label(over_time_label(manifest, metric), metric))
    _set_title(ax, f"{metric_name(metric)[0].capitalize()} over time, by {by}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, title=_legend_title(by, table), title_fontsize=8)
    return fig


def sensitivity_figure(table: pd.DataFrame, metric: str) -> Figure:
    """Sobol S1 and ST bars with 95% intervals, or Morris mu* against sigma."""
    fig = new_figure()
    ax = fig.add_subplot()
    name = metric_name(metric)[0]
    if "S1" in table:
        _sobol_bars(ax, table)
        _set_title(ax, f"Sobol indices of {name}")
    else:
        _morris_plane(ax, table, metric)
        _set_title(ax, f"Morris screening of {name}")
    return fig


def _sobol_bars(ax: Axes, table: pd.DataFrame) -> None:
    """S1 and ST side by side per parameter, as horizontal bars.

    Horizontal, so a parameter's full dotted name reads on one line however long it
    is, instead of slanting into its neighbours and the axis label.
    """
    names = table["parameter"].tolist()
    pos = np.arange(len(names))
    ax.barh(pos - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], capsize=3,
            color="#4c72b0", label="first order S1")
    ax.barh(pos + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], capsize=3,
            color="#dd8452", label="total order ST")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, names)
    ax.invert_yaxis()  # the table's first parameter on top
    ax.set_ylabel("swept parameter")
    ax.set_xlabel("share of the metric's variance (0-1)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, title="error bars: 95% bootstrap CI", title_fontsize=7)


def _morris_plane(ax: Axes, table: pd.DataFrame, metric: str) -> None:
    unit = shown_unit(metric)[1]  # the page hands the table over in the unit shown
    mu, sigma = table["mu_star"].to_numpy(float), table["sigma"].to_numpy(float)
    ax.errorbar(mu, sigma, xerr=table["mu_star_conf"].to_numpy(float), fmt="o", capsize=3,
                color="#4c72b0", label="parameter (mu* with 95% CI)")
    for name, a, b in zip(table["parameter"], mu, sigma, strict=True):
        ax.annotate(name, (a, b), textcoords="offset points", xytext=(5, 5), fontsize=8)
    reach = mu + np.nan_to_num(table["mu_star_conf"].to_numpy(float))
    top = float(np.nanmax(np.concatenate([reach, sigma, [0.0]]))) * 1.1 or 1.0
    ax.plot([0, top], [0, top], linestyle="--", color="0.5", linewidth=0.8,
            label="sigma = mu* (above: non-linear or interacting)")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    per = f"{unit} per full range" if unit else "per full range"
    ax.set_xlabel(textwrap.fill(f"mu*: mean absolute elementary effect ({per})", 70))
    ax.set_ylabel(textwrap.fill(f"sigma: spread of the effects ({per})", VALUE_LABEL_WIDTH))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (the page shows it scaled to its column's width)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
