"""The Search page's Pareto figure: harm prevented for one group against yearly cost.

The written ``pareto.png`` has a panel per group; the page draws one group at a time
(everyone first, the picker chooses another) so that the mixes a council talks
about can be marked and named on it: every candidate (grey; crosses for those over
the budget or under a floor), the Pareto set in blue, the chosen mixes ringed and
numbered, the mix picked on the page in orange, the budget as a dashed line. Like the
Sweeps figures it is a :class:`matplotlib.figure.Figure` on its own Agg canvas and
draws a table from :mod:`sim.dashboard.state.search_folder`; nothing here imports
Solara.
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.figure import Figure

from sim.dashboard.figures.sweeps import new_figure

#: Colours: feasible, infeasible, Pareto set, the picked mix.
GREY, RED, BLUE, ORANGE = "#9e9e9e", "#c62828", "#1565c0", "#ef6c00"


def pareto_figure(table: pd.DataFrame, group: str, budget: float, currency: str,
                  unit: str, reading: str, picked: int | None = None,
                  title: str = "") -> Figure:
    """Harm prevented for ``group`` against public cost per year, one point per candidate.

    Args:
        table: :func:`~sim.dashboard.state.search_folder.figure_table`'s rows.
        group: The group whose ``harm_prevented.<group>`` is the y axis.
        budget: The budget per year (the dashed line).
        currency: The scenario's currency (axis label).
        unit: The harm unit (axis label).
        reading: How the futures were summarised ("25th percentile over futures").
        picked: The trial picked on the page, drawn in orange (None: none).
        title: The figure's title (the experiment's name and the candidates' count).
    """
    fig = new_figure(6.4, 4.6)
    ax = fig.add_subplot()
    column = f"harm_prevented.{group}"
    cost = table["cost_per_year"].astype(float) / 1e3
    harm = table[column].astype(float)
    ok = table["feasible"].astype(bool)
    front = table["pareto"].astype(bool)
    chosen = table["chosen"].astype(bool)
    ax.scatter(cost[ok & ~front], harm[ok & ~front], s=18, color=GREY, label="feasible",
               zorder=2)
    if (~ok).any():
        ax.scatter(cost[~ok], harm[~ok], s=22, marker="x", color=RED,
                   label="over budget or under a floor", zorder=2)
    ax.scatter(cost[front], harm[front], s=34, color=BLUE,
               label="Pareto set (all objectives)", zorder=3)
    if chosen.any():
        ax.scatter(cost[chosen], harm[chosen], s=150, facecolors="none", edgecolors="black",
                   linewidths=1.4, label="chosen mixes (brief)", zorder=4)
    for trial, x, y in zip(table["trial"][front], cost[front], harm[front], strict=True):
        ax.annotate(f"mix {int(trial)}", (x, y), textcoords="offset points", xytext=(6, 5),
                    fontsize=8, color=BLUE)
    if picked is not None and (table["trial"] == picked).any():
        at = table["trial"] == picked
        ax.scatter(cost[at], harm[at], s=70, color=ORANGE, edgecolors="black",
                   linewidths=0.8, label=f"mix {picked} (picked)", zorder=5)
    ax.axvline(budget / 1e3, color="#424242", linestyle="--", linewidth=1,
               label="budget", zorder=1)
    ax.set_xlabel(f"public cost per year (thousand {currency})")
    ax.set_ylabel(textwrap.fill(f"{unit} prevented, {group.replace('_', ' ')} ({reading})",
                                45))
    ax.set_title(textwrap.fill(title or f"Harm prevented for {group} against cost", 55),
                 fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.text(0.01, 0.005, "Pareto set over every objective at once: in one group's plane "
             "its points need not form a line.", fontsize=7, color="0.35", ha="left",
             va="bottom")
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))
    return fig


def reading_of(statistic: str, quantile: float) -> str:
    """How the futures were summarised, for the value axis."""
    if statistic == "mean":
        return "mean over futures"
    return f"{round(quantile * 100):d}th percentile over futures"
