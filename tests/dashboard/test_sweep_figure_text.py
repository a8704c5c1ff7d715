"""The Sweeps page's figures: no label clipped or overlapping, prevalence in per cent.

The figures are drawn from hand-built tables with the longest labels the page can
meet (a prevalence metric, parameters whose help text wraps, binned values, four
curves), then every text's box is measured with matplotlib's own renderer
(``get_window_extent``): each must lie inside the figure, and no two may overlap.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.dashboard.figures.sweeps import (
    over_time_figure,
    response_figure,
    sensitivity_figure,
    surface_figure,
)
from sim.dashboard.state.sweep_tables import Binned, in_shown_unit, shown_label, shown_unit
from sim.metrics.catalog import PREVALENCE_PERCENT_UNIT

METRIC = "prevalence_marginalised"
X = "interventions.street_lighting.coverage"
BY = "police.count"
MANIFEST = {"days": 365, "warmup_days": 30, "record": "day", "time_column": "day"}


def drawn_tick_labels(axis) -> list[Text]:
    """The tick labels matplotlib draws: those of ticks inside the axis' view."""
    low, high = sorted(axis.get_view_interval())
    span = (high - low) * 1e-9
    return [tick.label1 for tick in axis.get_major_ticks()
            if low - span <= tick.get_loc() <= high + span]


def texts(fig: Figure) -> list[Text]:
    """Every drawn, non-empty text: titles, axis and tick labels, legends, notes."""
    fig.canvas.draw()
    found: list[Text] = list(fig.texts)
    for ax in fig.axes:
        found += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label,
                  ax.yaxis.label, *ax.texts]
        found += drawn_tick_labels(ax.xaxis) + drawn_tick_labels(ax.yaxis)
        legend = ax.get_legend()
        if legend is not None:
            found += [legend.get_title(), *legend.get_texts()]
    return [t for t in found if t.get_visible() and t.get_text().strip()]


def boxes(fig: Figure) -> list[tuple[str, object]]:
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts(fig)]


def assert_tidy(fig: Figure) -> None:
    """Every text inside the figure and no two texts overlapping (1 px slack)."""
    width, height = fig.bbox.width, fig.bbox.height
    measured = boxes(fig)
    for text, box in measured:
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and \
            box.y1 <= height + 1, f"{text!r} is clipped: {box} in {width}x{height}"
    for (a, box_a), (b, box_b) in itertools.combinations(measured, 2):
        overlap_w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert overlap_w <= 1 or overlap_h <= 1, f"{a!r} overlaps {b!r}"


def response_rows() -> Binned:
    rng = np.random.default_rng(4)
    rows = [{BY: by, X: x, "n": 2, "mean": m, "sd": 0.01, "ci_low": m - 0.02,
             "ci_high": m + 0.02}
            for by in (10, 20, 30, 40) for x in np.linspace(0, 1, 6)
            for m in [0.2 + 0.1 * x + 0.01 * rng.standard_normal()]]
    return Binned(in_shown_unit(pd.DataFrame(rows), METRIC), {})


def test_prevalence_is_shown_in_per_cent_of_people_victimised():
    assert shown_unit(METRIC) == (100.0, PREVALENCE_PERCENT_UNIT)
    assert shown_unit("crimes_total")[0] == 1.0
    table = pd.DataFrame({"mean": [0.25], "ci_low": [0.2], "ci_high": [0.3], "n": [3]})
    shown = in_shown_unit(table, METRIC)
    assert shown[["mean", "ci_low", "ci_high"]].iloc[0].tolist() == pytest.approx([25, 20, 30])
    assert shown["n"].iloc[0] == 3  # a count of runs is not a prevalence
    label = shown_label("victimisation prevalence (share of residents, 0-1)", METRIC)
    assert label == f"victimisation prevalence ({PREVALENCE_PERCENT_UNIT})"


def test_response_curves_labels_are_inside_and_apart():
    fig = response_figure(response_rows(), MANIFEST, METRIC, X, [X, BY], by=BY)
    assert PREVALENCE_PERCENT_UNIT in fig.axes[0].get_ylabel()
    assert fig.axes[0].get_ylim()[1] > 20  # per cent, not a share
    assert_tidy(fig)


def test_surface_labels_are_inside_and_apart():
    xs, ys = np.linspace(0, 1, 6), [10.0, 20.0, 30.0, 40.0]
    grid = pd.DataFrame(np.arange(24, dtype=float).reshape(4, 6) + 20, index=ys, columns=xs)
    grid.index.name, grid.columns.name = BY, X
    fig = surface_figure(Binned(grid, {}), MANIFEST, METRIC, X, BY)
    assert_tidy(fig)


def test_over_time_labels_are_inside_and_apart():
    rows = [{BY: by, "day": d, "n": 2, "mean": 20 + by / 10, "sd": 1.0,
             "ci_low": 19 + by / 10, "ci_high": 21 + by / 10}
            for by in (10, 20, 30, 40) for d in range(0, 60)]
    fig = over_time_figure(Binned(pd.DataFrame(rows), {}), MANIFEST, METRIC, BY)
    assert_tidy(fig)


def test_sobol_bars_labels_are_inside_and_apart():
    names = ["interventions.street_lighting.coverage", "police.count",
             "offenders.count", "residents.legitimacy_mean"]
    table = pd.DataFrame({"parameter": names, "S1": [0.5, 0.2, 0.1, 0.05],
                          "S1_conf": [0.05] * 4, "ST": [0.6, 0.25, 0.12, 0.06],
                          "ST_conf": [0.05] * 4})
    assert_tidy(sensitivity_figure(table, METRIC))


def test_morris_effects_of_prevalence_are_in_per_cent_too():
    table = pd.DataFrame({"parameter": ["police.count", "offenders.count"],
                          "mu_star": [0.02, 0.01], "mu_star_conf": [0.005, 0.004],
                          "sigma": [0.01, 0.002]})
    from sim.dashboard.state.sweep_tables import MORRIS_COLUMNS

    shown = in_shown_unit(table, METRIC, MORRIS_COLUMNS)
    assert shown["mu_star"].tolist() == pytest.approx([2.0, 1.0])  # 0.02 of people = 2%
    fig = sensitivity_figure(shown, METRIC)
    assert PREVALENCE_PERCENT_UNIT in fig.axes[0].get_xlabel()
    assert_tidy(fig)
