"""Figures of a sweep: response curves with CI bands, surfaces, sensitivity bars.

Each function draws on a given matplotlib Axes and returns it, so the same figure
serves ``crimesim analyze`` (saved as PNG) and any page that embeds it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.analysis.sweep.labels import metric_name, over_time_label, parameter_label
from sim.analysis.sweep.results import SweepResults
from sim.scenario.schema import flatten

_SCHEMA = flatten()


def label(key: str) -> str:
    """A readable axis label for a parameter or metric key, with its meaning or unit.

    The Sweeps page's labels (:mod:`sim.analysis.sweep.labels`), so a figure of
    ``analyze`` and one of the page name an axis alike.
    """
    if key in _SCHEMA:
        return parameter_label(key)
    name, unit = metric_name(key)
    return f"{name} ({unit})" if unit else name


def response_curve(ax: Axes, table: pd.DataFrame, metric: str, parameter: str,
                   by: str | None = None) -> Axes:
    """Mean line with markers and a shaded 95% CI band, one curve per ``by`` value."""
    groups = [(None, table)] if by is None else list(table.groupby(by, sort=True))
    for value, part in groups:
        part = part.sort_values(parameter)
        x = part[parameter].to_numpy(dtype=float)
        name = "mean, 95% CI" if by is None else f"{by} = {value}"
        line, = ax.plot(x, part["mean"], marker="o", label=name)
        lo, hi = part["ci_low"].to_numpy(float), part["ci_high"].to_numpy(float)
        if np.isfinite(lo).any():
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    ax.set_xlabel(label(parameter))
    ax.set_ylabel(label(metric))
    ax.set_title(f"{metric_name(metric)[0].capitalize()} against {parameter}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def surface(ax: Axes, grid: pd.DataFrame, metric: str, x: str, y: str) -> Axes:
    """Heat map of the mean over two parameters (sequential colour map, colour bar)."""
    mesh = ax.pcolormesh(np.arange(grid.shape[1] + 1), np.arange(grid.shape[0] + 1),
                         grid.to_numpy(dtype=float), cmap="viridis", shading="flat")
    ax.set_xticks(np.arange(grid.shape[1]) + 0.5, [f"{v:g}" for v in grid.columns])
    ax.set_yticks(np.arange(grid.shape[0]) + 0.5, [f"{v:g}" for v in grid.index])
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(y))
    ax.set_title(f"{metric_name(metric)[0].capitalize()}: mean over replications")
    ax.figure.colorbar(mesh, ax=ax, label=label(metric))
    return ax


def sensitivity_bars(ax: Axes, table: pd.DataFrame, metric: str) -> Axes:
    """Sobol S1 and ST with their 95% intervals, or Morris mu* with its interval."""
    names = table["parameter"].tolist()
    pos = np.arange(len(names))
    if "S1" in table:
        ax.bar(pos - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], capsize=3,
               label="first order S1")
        ax.bar(pos + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], capsize=3,
               label="total ST")
        ax.set_ylabel("share of variance")
        ax.set_title(f"Sobol indices of {metric_name(metric)[0]}")
    else:
        ax.bar(pos, table["mu_star"], 0.6, yerr=table["mu_star_conf"], capsize=3,
               label="mu* (mean |elementary effect|)")
        ax.plot(pos, table["sigma"], "kD", label="sigma (non-linearity, interactions)")
        ax.set_ylabel(f"effect on {label(metric)} per full range")
        ax.set_title(f"Morris screening of {metric_name(metric)[0]}")
    ax.set_xticks(pos, names, rotation=20, ha="right")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.legend(fontsize="small")
    return ax


def over_time(ax: Axes, results: SweepResults, metric: str, parameter: str) -> Axes:
    """The metric through time, one curve (mean and CI band) per parameter value."""
    table = results.over_time(metric, parameter)
    t = results.time_column
    for value, part in table.groupby(parameter, sort=True):
        line, = ax.plot(part[t], part["mean"], label=f"{parameter} = {value}")
        if np.isfinite(part["ci_low"]).any():
            ax.fill_between(part[t], part["ci_low"], part["ci_high"], color=line.get_color(),
                            alpha=0.15, linewidth=0)
    ax.set_xlabel(t)
    ax.set_ylabel(over_time_label(results.manifest, metric))
    ax.set_title(f"{metric_name(metric)[0].capitalize()} over time by {parameter}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax
