"""The Explore page's crime map and series as ECharts options, drawn by the browser.

Drawing matplotlib PNGs in the server cost 50-70 ms a figure and made eight sessions
stepping at once wait seconds (issue 16). The server now only builds the option
(plain JSON) and the browser draws it with ECharts (``solara.FigureEcharts``):

- :func:`map_option`: the chosen layer as a heatmap of cells (on hidden category
  axes), and on value axes sharing the same plot area -- cell coordinates, or the
  city's own map coordinates when it is georeferenced -- the agents by kind, the
  cells treated by an intervention, and the areas' boundaries and names. Agents,
  treated cells and boundaries are legend entries, so a click on the legend shows or
  hides each overlay.
- :func:`series_option`: crimes per 1,000 residents per day by type, and
  victimisations per 1,000 residents *of each group* per day, both as
  :data:`SMOOTHING_DAYS`-day trailing moving averages over complete days.

What each layer holds is :mod:`sim.dashboard.figures.layers`; the pieces of an
option (rounding, palettes, axes) are :mod:`sim.dashboard.figures.chart_parts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.dashboard.clock import clock_text
from sim.dashboard.figures.area_map import (
    CELL_TRANSFORM,
    AreaGeometry,
    cell_centres,
    model_geometry,
    traced_geometry,
)
from sim.dashboard.figures.chart_parts import (
    NO_VALUE_COLOUR,
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
from sim.dashboard.figures.layers import AGENT_STYLES, LAYERS, agent_cells, daily_counts
from sim.metrics.catalog import members

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: Days in the series' trailing moving average.
SMOOTHING_DAYS = 7
#: ECharts symbols for the agent kinds (matplotlib's markers in AGENT_STYLES).
SYMBOLS: dict[str, str] = {"o": "circle", "s": "rect", "^": "triangle", "D": "diamond"}
#: Name of the treated-cells overlay in the legend.
TREATED = "treated cells"
#: Name of the boundaries overlay in the legend.
BOUNDARIES = "area boundaries"


def map_geometry(model: CrimeModel) -> AreaGeometry:
    """The areas the map draws: the city's own (georeferenced), else traced in cells.

    Tracing costs a few milliseconds; the page keeps the result per model.
    """
    found = model_geometry(model)
    if found is not None:
        return found
    city = model.city
    return traced_geometry(city.district, list(city.district_names), CELL_TRANSFORM)


def layer_values(model: CrimeModel, layer: str, geometry: AreaGeometry) -> np.ndarray:
    """The ``(height, width)`` array a layer shows (per-area layers blank outside areas)."""
    spec = LAYERS[layer]
    data = np.asarray(spec.values(model), dtype=float)
    if spec.per_area:
        data = np.where(geometry.inside, data, np.nan)
    return data


def _colour_scale(layer: str, data: np.ndarray, grid: dict[str, Any]) -> dict[str, Any]:
    """The visualMap of a layer: categories for a coded layer, else a continuous scale."""
    spec = LAYERS[layer]
    common = {"seriesIndex": 0, **scale_place(grid), "outOfRange": {"color": NO_VALUE_COLOUR}}
    if spec.categories:
        pieces = [{"value": code, "label": label, "color": colour}
                  for code, (label, colour) in enumerate(spec.categories)]
        return {**common, "type": "piecewise", "pieces": pieces}
    finite = data[np.isfinite(data)]
    vmax = spec.vmax if spec.vmax is not None else nice_ceiling(
        float(finite.max()) if finite.size else 0.0)
    vmin = spec.vmin if spec.vmin is not None else 0.0
    return {**common, "type": "continuous", "min": vmin, "max": vmax, "calculable": False,
            "itemHeight": bar_height(grid), "text": [f"{vmax:g}", f"{vmin:g}"],
            "inRange": {"color": palette(spec.cmap)}}


def _floor(layer: str, scale: dict[str, Any]) -> float:
    """The value drawn in the background's colour (cells left out of the frame)."""
    return 0.0 if LAYERS[layer].categories else float(scale["min"])


def _boundaries(geometry: AreaGeometry) -> list[dict[str, Any]]:
    """Each ring of each area as one polyline, rounded to a tenth of a cell."""
    step = abs(geometry.transform[0]) / 10.0
    lines = []
    for rings in geometry.rings:
        for ring in rings:
            coords = np.round(np.asarray(ring, float) / step) * step
            lines.append({"coords": rounded(coords, 7).tolist()})
    return lines


def _names(geometry: AreaGeometry) -> list[dict[str, Any]]:
    """The labelled areas' names at a point inside each."""
    return [{"name": geometry.names[i],
             "value": rounded(geometry.label_points[i], 7).tolist()}
            for i in geometry.labelled()]


def _points(geometry: AreaGeometry, cells: np.ndarray) -> list[list[float]]:
    """Map x, y of the centres of flat cell indices, as pairs."""
    cells = np.asarray(cells, dtype=np.int64)
    x, y = cell_centres(geometry.transform, cells % geometry.width, cells // geometry.width)
    return np.column_stack([rounded(x, 7), rounded(y, 7)]).tolist()


def treated_cells(model: CrimeModel) -> np.ndarray:
    """Flat indices of the cells an intervention has treated so far."""
    city = model.city
    return np.flatnonzero(model.interventions.treated_mask(city.n_cells))


def map_title(model: CrimeModel, layer: str) -> str:
    """The map's title: the layer and where the run is, in the model's own time unit."""
    return f"{LAYERS[layer].title} - {clock_text(model)}"


def map_option(model: CrimeModel, layer: str, geometry: AreaGeometry | None = None
               ) -> dict[str, Any]:
    """The ECharts option of the city map (see the module's docstring).

    Args:
        model: The model drawn.
        layer: A key of :data:`~sim.dashboard.figures.layers.LAYERS`.
        geometry: The model's :func:`map_geometry` (computed when not given).
    """
    geometry = geometry if geometry is not None else map_geometry(model)
    city = model.city
    data = layer_values(model, layer, geometry)
    grid = square_grid(city.width, city.height)
    scale = _colour_scale(layer, data, grid)
    floor = _floor(layer, scale)
    background = (LAYERS[layer].categories[0][1] if LAYERS[layer].categories
                  else scale["inRange"]["color"][0])
    if geometry.georeferenced:
        names = (f"x (m, {geometry.crs_name})", "y (m)")
    else:
        names = (f"x (cells of {city.cell_size_m:g} m)", "y (cells)")
    cat_x, cat_y = cell_axes(city.width, city.height)
    val_x, val_y = value_axes(geometry.extent, *names)
    on_values = {"xAxisIndex": 1, "yAxisIndex": 1}
    series: list[dict[str, Any]] = [{
        "name": LAYERS[layer].title, "type": "heatmap", "xAxisIndex": 0, "yAxisIndex": 0,
        "data": heatmap_cells(data, floor, no_value=-1e9), "progressive": 0,
        "emphasis": {"disabled": True}}]
    series.append({"name": TREATED, "type": "scatter", **on_values, "symbol": "rect",
                   "symbolSize": 5, "silent": True,
                   "itemStyle": {"color": "rgba(0,0,0,0)", "borderColor": "#00a0a0",
                                 "borderWidth": 1},
                   "data": _points(geometry, treated_cells(model))})
    series.append({"name": BOUNDARIES, "type": "lines", "polyline": True, **on_values,
                   "coordinateSystem": "cartesian2d", "silent": True,
                   "lineStyle": {"color": "#262626", "width": 1, "opacity": 0.9},
                   "data": _boundaries(geometry)})
    series.append({"name": BOUNDARIES, "type": "scatter", **on_values, "symbolSize": 0,
                   "silent": True, "data": _names(geometry),
                   "label": {"show": True, "formatter": "{b}", "fontSize": 9,
                             "backgroundColor": "rgba(255,255,255,0.7)", "padding": 1}})
    for kind, cells in agent_cells(model).items():
        marker, colour = AGENT_STYLES[kind]
        series.append({"name": kind, "type": "scatter", **on_values,
                       "symbol": SYMBOLS.get(marker, "circle"), "symbolSize": 4,
                       "silent": True, "itemStyle": {"color": colour, "borderColor": "#fff",
                                                     "borderWidth": 0.3},
                       "data": _points(geometry, cells)})
    return {
        "animation": False,
        "title": {"text": map_title(model, layer), "textStyle": {"fontSize": 13},
                  "subtext": f"colour: {LAYERS[layer].unit}", "itemGap": 10,
                  "subtextStyle": {"fontSize": 10}},
        "grid": {**grid, "backgroundColor": background},
        "legend": {"bottom": 0, "textStyle": {"fontSize": 10},
                   "data": [*agent_cells(model), TREATED, BOUNDARIES]},
        "xAxis": [cat_x, val_x], "yAxis": [cat_y, val_y],
        "visualMap": scale, "series": series,
    }


def moving_average(values: np.ndarray, days: int = SMOOTHING_DAYS) -> np.ndarray:
    """Trailing mean over the last ``days`` values (fewer at the start: all there are)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    sums = np.cumsum(values)
    sums[days:] = sums[days:] - sums[:-days]
    return sums / np.minimum(np.arange(1, values.size + 1), days)


def per_thousand(counts: np.ndarray, people: int) -> np.ndarray:
    """``counts`` per 1,000 of ``people`` (zero when there is nobody)."""
    counts = np.asarray(counts, dtype=float)
    return counts * 1000.0 / people if people > 0 else np.zeros_like(counts)


def _panel(family: str) -> tuple[str, tuple[str, ...]]:
    """A metric family's column prefix and keys, in the catalog's declared order."""
    prefix = family.split("<", 1)[0]
    return prefix, tuple(m.name[len(prefix):] for m in members(family))


#: The series' panels: crimes by type, and victimisations by group.
CRIME_PANEL = _panel("crimes_<type>")
GROUP_PANEL = _panel("victimisations_<group>")


def daily_rates(model: CrimeModel) -> dict[str, Any]:
    """Per-1,000 daily rates over complete days, smoothed; what the series draws.

    Returns:
        ``days`` (the complete days' numbers), ``crimes`` (type -> crimes per 1,000
        residents per day) and ``groups`` (group -> victimisations per 1,000
        residents of that group per day), each a :func:`moving_average`.
    """
    complete = model.day  # the current day is partial: left out until it ends
    masks = model.group_masks() if model.residents.n else {}
    residents = int(model.residents.n)
    out: dict[str, Any] = {"days": np.arange(complete), "crimes": {}, "groups": {}}
    for key, (prefix, names), size in (("crimes", CRIME_PANEL, None),
                                       ("groups", GROUP_PANEL, masks)):
        counts = daily_counts(model, prefix, names)
        full = np.zeros((len(names), complete))
        days = np.asarray(counts["day"], dtype=np.int64)
        kept = days < complete
        for i, name in enumerate(names):
            if name in counts:
                full[i, days[kept]] = np.asarray(counts[name], float)[kept]
        for i, name in enumerate(names):
            people = residents if size is None else int(np.count_nonzero(size.get(name, [])))
            out[key][name] = moving_average(per_thousand(full[i], people))
    return out


def series_option(model: CrimeModel) -> dict[str, Any]:
    """The ECharts option of the two daily series panels (rates, smoothed)."""
    rates = daily_rates(model)
    days = json_numbers(rates["days"])
    smoothing = f"{SMOOTHING_DAYS}-day moving average of complete days"
    panels = (("crimes", "Crimes per 1,000 residents per day"),
              ("groups", "Victimisations per 1,000 residents of the group per day"))
    grids, x_axes, y_axes, series, legends = [], [], [], [], []
    for index, (key, _title) in enumerate(panels):
        top = 50 + index * 250
        grids.append({"left": 55, "right": 150, "top": top, "height": 165})
        x_axes.append({"type": "category", "data": days, "gridIndex": index,
                       "name": "day" if index else "", "nameLocation": "middle",
                       "nameGap": 22, "axisLabel": {"fontSize": 9}})
        y_axes.append({"type": "value", "gridIndex": index, "axisLabel": {"fontSize": 9},
                       "splitLine": {"lineStyle": {"opacity": 0.3}}})
        names = []
        for name, values in rates[key].items():
            label = f"{name.replace('_', ' ')}"
            names.append(label)
            series.append({"name": label, "type": "line", "xAxisIndex": index,
                           "yAxisIndex": index, "showSymbol": len(days) < 3,
                           "data": json_numbers(rounded(values, 3))})
        legends.append({"data": names, "type": "scroll", "orient": "vertical", "right": 0,
                        "top": top, "height": 190, "textStyle": {"fontSize": 10}})
    return {
        "animation": False,
        "title": [{"text": title, "subtext": smoothing, "top": 0 + i * 250, "left": 10,
                   "itemGap": 10, "textStyle": {"fontSize": 12},
                   "subtextStyle": {"fontSize": 10}}
                  for i, (_k, title) in enumerate(panels)],
        "tooltip": {"trigger": "axis"},
        "grid": grids, "xAxis": x_axes, "yAxis": y_axes, "legend": legends,
        "series": series,
    }
