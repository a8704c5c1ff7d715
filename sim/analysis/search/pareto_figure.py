"""The Pareto figure of a policy search: harm prevented against cost, per group.

One panel per harm objective (everyone first, then each vulnerable group), each with
every candidate's robust harm prevented against its robust yearly public cost:
feasible candidates in grey, those over the budget or under a floor as crosses, the
Pareto set of the feasible candidates (over all objectives at once) in blue, and the
budget as a dashed line. A council reads off what more money buys, and for whom.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis.search.experiment import SearchExperiment


def draw_pareto(exp: SearchExperiment, candidates: pd.DataFrame, path: str | Path) -> None:
    """Draw the figure to ``path`` (PNG; the name may lack the extension)."""
    harms = exp.objective_names[:-1]
    cols = min(len(harms), 3)
    rows = math.ceil(len(harms) / cols)
    fig = Figure(figsize=(4.6 * cols, 3.8 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    currency = str(exp.scenario.params.currency)
    unit = str(exp.scenario.params.harm.unit)
    for i, name in enumerate(harms):
        ax = fig.add_subplot(rows, cols, i + 1)
        if not candidates.empty:
            ok = candidates["feasible"].to_numpy(bool)
            cost = candidates["cost_per_year"].to_numpy(float) / 1e6
            harm = candidates[name].to_numpy(float)
            ax.scatter(cost[ok], harm[ok], s=14, color="#9e9e9e", label="feasible")
            ax.scatter(cost[~ok], harm[~ok], s=18, marker="x", color="#c62828",
                       label="over budget or under a floor")
            # the front is over every objective at once: in one panel's plane its
            # points need not form a line, so they are not joined
            front = candidates[candidates["pareto"]]
            ax.scatter(front["cost_per_year"] / 1e6, front[name], s=26, color="#1565c0",
                       label="Pareto set (all objectives)", zorder=3)
        ax.axvline(exp.budget_per_year / 1e6, color="#424242", linestyle="--",
                   linewidth=1, label="budget")
        group = name.split(".", 1)[1].replace("_", " ")
        ax.set_title(f"harm prevented: {group}", fontsize=10)
        ax.set_xlabel(f"public cost per year (million {currency})", fontsize=9)
        ax.set_ylabel(f"{unit} prevented ({_reading(exp)})", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.legend(fontsize=7, loc="best")
    fig.suptitle(f"{exp.name}: {len(candidates)} candidate mixes", fontsize=11)
    fig.savefig(path, format="png")


def _reading(exp: SearchExperiment) -> str:
    """How the samples were summarised, for the axis label."""
    if exp.statistic == "mean":
        return "mean over futures"
    return f"{round(exp.quantile * 100):d}th percentile over futures"
