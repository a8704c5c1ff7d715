"""The Explore page's figures for the civil-violence model (Epstein 2002, Model I).

The crime model's map (:func:`~sim.dashboard.figures.live.map_option`) shows a
density with agents as markers; Epstein's lattice is different in kind: every cell is empty
or holds one agent whose *state* (quiet, active, cop, jailed) is the picture, so the
main layer is categorical -- one clear colour per state and a legend, not a colour
bar. The citizens' continuous attributes (grievance, perceived legitimacy, hardship)
are levels between 0 and 1 and get sequential colour maps with a colour bar, grey
where no citizen stands. The series follow the model's per-tick metrics: citizens by
state, and the regime's legitimacy against the citizens' mean perceived legitimacy.

Both are ECharts options the browser draws (:func:`civil_map_option`,
:func:`civil_series_option`); the server only rounds and packs the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_JAILED, CV_QUIET
from sim.dashboard.figures.chart_parts import (
    bar_height,
    cell_axes,
    heatmap_cells,
    json_numbers,
    nice_ceiling,
    palette,
    rounded,
    scale_place,
    square_grid,
    value_axes,
)
from sim.metrics.catalog import lookup

if TYPE_CHECKING:
    from sim.civil_violence import CivilViolenceModel

#: Cell codes with their legend label and colour: blue calm, red rebellion, black the
#: state's force, purple its prisons -- distinct in hue and in lightness, so they
#: read in grey too. Empty cells are a pale grey so the lattice's gaps stay visible.
STATE_STYLES: tuple[tuple[int, str, str], ...] = (
    (CV_EMPTY, "empty", "#f2f2f2"),
    (CV_QUIET, "quiet", "#6baed6"),
    (CV_ACTIVE, "active", "#d7301f"),
    (CV_COP, "cop", "#111111"),
    (CV_JAILED, "jailed", "#7b4fa6"),
)
#: Colour of a cell where a citizen layer has no value (no citizen there).
NO_CITIZEN = "#d0d0d0"


@dataclass(frozen=True)
class CivilLayer:
    """A map layer of the civil-violence model.

    Attributes:
        title: What the map shows (the figure title).
        key: The array's name in :meth:`CivilViolenceModel.layers`.
        unit: The colour bar's label; empty for the categorical state layer.
        cmap: A sequential colour map (continuous layers only).
        vmax: The colour scale's fixed top, or None to scale to the data (rounded up
            to a nice number, so the colour bar moves rarely): grievance stays below
            1 - L, a fifth of the scale at Epstein's L = 0.82.
    """

    title: str
    key: str
    unit: str = ""
    cmap: str = ""
    vmax: float | None = 1.0

    @property
    def categorical(self) -> bool:
        """Whether the layer holds cell codes (drawn with a legend, not a colour bar)."""
        return not self.cmap


#: The layers a user can choose, by the chooser's name; the first is the default.
CIVIL_LAYERS: dict[str, CivilLayer] = {
    "state": CivilLayer("State of each cell", "state"),
    "grievance": CivilLayer("Grievance H x (1 - L_i)", "grievance",
                            "grievance (grey: no citizen)", "YlOrRd", None),
    "perceived legitimacy": CivilLayer("Perceived legitimacy L_i", "perceived_legitimacy",
                                       "perceived legitimacy (0 - 1; grey: no citizen)",
                                       "Blues"),
    "hardship": CivilLayer("Hardship H", "hardship",
                           "hardship (0 none - 1 most; grey: no citizen)", "Purples"),
}


def civil_map_option(model: CivilViolenceModel, layer: str = "state") -> dict[str, Any]:
    """The ECharts option of the lattice: states with a legend, or a citizen layer.

    The lattice is a heatmap of cells; the state layer has one colour per state
    (a piecewise scale, empty cells in the background's grey), a citizen layer a
    continuous scale with cells without a citizen in :data:`NO_CITIZEN`.
    """
    spec = CIVIL_LAYERS[layer]
    data = np.asarray(model.layers()[spec.key], dtype=float)
    height, width = data.shape
    grid = square_grid(width, height)
    common = {"seriesIndex": 0, **scale_place(grid), "outOfRange": {"color": NO_CITIZEN}}
    if spec.categorical:
        scale: dict[str, Any] = {**common, "type": "piecewise", "pieces": [
            {"value": code, "label": label, "color": colour}
            for code, label, colour in STATE_STYLES if code != CV_EMPTY]}
        floor, background = float(CV_EMPTY), STATE_STYLES[0][2]
    else:
        finite = data[np.isfinite(data)]
        vmax = spec.vmax if spec.vmax is not None else nice_ceiling(
            float(finite.max()) if finite.size else 0.0)
        colours = palette(spec.cmap)
        scale = {**common, "type": "continuous", "min": 0.0, "max": vmax,
                 "calculable": False, "itemHeight": bar_height(grid),
                 "text": [f"{vmax:g}", "0"],
                 "inRange": {"color": colours}}
        floor, background = 0.0, colours[0]
    cat_x, cat_y = cell_axes(width, height)
    val_x, val_y = value_axes((-0.5, width - 0.5, height - 0.5, -0.5),
                              "x (cells; the grid wraps round: a torus)", "y (cells)")
    return {
        "animation": False,
        "title": {"text": civil_map_title(model, layer), "textStyle": {"fontSize": 13},
                  "subtext": f"colour: {spec.unit}" if spec.unit else "", "itemGap": 10,
                  "subtextStyle": {"fontSize": 10}},
        "grid": {**grid, "backgroundColor": background},
        "xAxis": [cat_x, val_x], "yAxis": [cat_y, val_y], "visualMap": scale,
        "series": [{"name": spec.title, "type": "heatmap", "xAxisIndex": 0,
                    "yAxisIndex": 0, "progressive": 0, "emphasis": {"disabled": True},
                    "data": heatmap_cells(data, floor, no_value=-1e9)}],
    }


def civil_map_title(model: CivilViolenceModel, layer: str) -> str:
    """The map's title: the layer, the tick, and the jailed kept off the lattice."""
    spec = CIVIL_LAYERS[layer]
    title = f"{spec.title} - tick {model.tick}"
    if spec.categorical and not model.p.jail_on_grid and len(model.results):
        # Epstein's jailed leave the lattice: say how many, since none are drawn
        title += f" ({int(model.results.last('jailed'))} jailed, off the lattice)"
    return title


def _label(metric: str) -> str:
    """A civil-violence metric's legend label, as the metric catalog declares it."""
    declared = lookup(metric, "civil_violence")
    if declared is None:
        raise KeyError(f"{metric} is not a declared civil-violence metric")
    return declared.label


#: Lines of the upper panel: metric, label, colour (the map's colours).
STATE_LINES: tuple[tuple[str, str, str], ...] = (
    ("active", _label("active"), STATE_STYLES[CV_ACTIVE][2]),
    ("jailed", _label("jailed"), STATE_STYLES[CV_JAILED][2]),
    ("quiet", _label("quiet"), STATE_STYLES[CV_QUIET][2]),
)
#: Lines of the lower panel: metric, label, colour.
LEGITIMACY_LINES: tuple[tuple[str, str, str], ...] = (
    ("legitimacy", _label("legitimacy"), "#08306b"),
    ("perceived_legitimacy", _label("perceived_legitimacy"), "#fd8d3c"),
)


def civil_series_option(model: CivilViolenceModel) -> dict[str, Any]:
    """The ECharts option of citizens by state and legitimacy, per tick since the start."""
    results = model.results
    ticks = list(range(len(results)))
    panels = ((STATE_LINES, "Citizens by state", None), (LEGITIMACY_LINES,
                                                          "Legitimacy (0 - 1)", 1.0))
    grids, x_axes, y_axes, series, legends, titles = [], [], [], [], [], []
    for index, (lines, title, top_value) in enumerate(panels):
        top = 40 + index * 250
        grids.append({"left": 55, "right": 170, "top": top, "height": 170})
        titles.append({"text": title, "top": top - 32, "left": 10,
                       "textStyle": {"fontSize": 12}})
        x_axes.append({"type": "category", "data": ticks, "gridIndex": index,
                       "name": "tick" if index else "", "nameLocation": "middle",
                       "nameGap": 22, "axisLabel": {"fontSize": 9}})
        y_axes.append({"type": "value", "gridIndex": index, "min": 0, "max": top_value,
                       "axisLabel": {"fontSize": 9},
                       "splitLine": {"lineStyle": {"opacity": 0.3}}})
        for metric, label, colour in lines:
            values = results.column(metric) if len(results) else np.zeros(0)
            series.append({"name": label, "type": "line", "xAxisIndex": index,
                           "yAxisIndex": index, "showSymbol": len(ticks) < 3,
                           "itemStyle": {"color": colour},
                           "data": json_numbers(rounded(values, 3))})
        legends.append({"data": [label for _m, label, _c in lines], "orient": "vertical",
                        "right": 0, "top": top, "textStyle": {"fontSize": 10}})
    return {"animation": False, "title": titles, "tooltip": {"trigger": "axis"},
            "grid": grids, "xAxis": x_axes, "yAxis": y_axes, "legend": legends,
            "series": series}


def civil_status(model: CivilViolenceModel) -> str:
    """Where the run is: the tick, citizens by state, and the regime's legitimacy."""
    res = model.results
    if not len(res):
        return (f"tick 0 - {model.citizens} citizens, {model.cops} cops; legitimacy "
                f"{model.legitimacy_at(0):.2f}")
    return (f"tick {model.tick} - {int(res.last('active'))} active, "
            f"{int(res.last('quiet'))} quiet, {int(res.last('jailed'))} jailed; "
            f"legitimacy {res.last('legitimacy'):.2f}")
