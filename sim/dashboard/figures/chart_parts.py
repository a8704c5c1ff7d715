"""Pieces every Explore chart is built of: colours, rounding, grids of cells, nice limits.

The Explore page draws its map and series in the browser with ECharts
(``solara.FigureEcharts``) from plain JSON options; the server only builds those
options. A frame's option goes over the websocket on every step, so the pieces here
keep it small: values rounded to a few significant digits, cells equal to the colour
scale's floor left out (the plot's background has that colour), and palettes sent as
a handful of colours rather than a colour map. Nothing here imports Solara.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex

#: Mantissas of the nice limits: a limit is one of these times a power of ten, so at
#: most a fifth of an axis or a colour scale is ever unused.
NICE_STEPS: tuple[float, ...] = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
#: Colours sampled from a colour map for a continuous ECharts colour scale.
PALETTE_SIZE = 9
#: Colour of cells that have no value (e.g. no resident lives there).
NO_VALUE_COLOUR = "#d0d0d0"
#: Significant digits kept in the values sent to the browser (1% of the largest value:
#: finer than nine colours can show, and a dense 100 x 100 layer stays near 150 KB).
DIGITS = 2


def nice_ceiling(value: float) -> float:
    """The smallest nice number (:data:`NICE_STEPS` times a power of ten) >= ``value``.

    A colour scale or an axis topped by it moves a few times a run rather than every
    frame. Values that are not positive and finite give 1.
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in NICE_STEPS:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


def palette(cmap: str, n: int = PALETTE_SIZE) -> list[str]:
    """``n`` colours evenly spaced along the matplotlib colour map ``cmap``, as hex."""
    colours = colormaps[cmap](np.linspace(0.0, 1.0, n))
    return [to_hex(c) for c in colours]


def rounded(values: np.ndarray, digits: int = DIGITS) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits of their largest magnitude.

    One rounding for the whole array (not per value) keeps small values comparable to
    large ones and is a single numpy call. Whole numbers are never rounded further
    (a count of 123 stays 123).
    """
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    top = float(finite.max()) if finite.size else 0.0
    if top == 0.0:
        return np.where(np.isfinite(values), 0.0, values)
    decimals = max(0, digits - 1 - math.floor(math.log10(top)))
    return np.round(values, decimals)


def json_numbers(values: np.ndarray) -> list[Any]:
    """A flat list for JSON: integers where every value is whole (shorter text)."""
    values = np.asarray(values, dtype=float)
    if values.size and np.all(np.isfinite(values)) and np.all(values == np.round(values)):
        return values.astype(np.int64).tolist()
    return values.tolist()


def heatmap_cells(data: np.ndarray, floor: float, no_value: float) -> list[list[float]]:
    """Cells of a (height x width) layer as ``[column, row, value]`` triples.

    Cells equal to ``floor`` are left out (the plot's background has the floor's
    colour, so the picture is the same and the frame much smaller: most cells of a
    crime map have no crime yet); cells without a value (NaN) are sent as
    ``no_value``, a number outside the colour scale that the scale paints grey.
    """
    data = rounded(data)
    rows, cols = np.nonzero(~(data == floor))
    values = data[rows, cols]
    values = json_numbers(np.where(np.isfinite(values), values, no_value))
    return [list(cell) for cell in zip(cols.tolist(), rows.tolist(), values, strict=True)]


def cell_axes(width: int, height: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The hidden category axes a heatmap of cells sits on (row 0 at the top)."""
    x = {"type": "category", "data": list(range(width)), "show": False, "gridIndex": 0}
    y = {"type": "category", "data": list(range(height)), "show": False, "inverse": True,
         "gridIndex": 0}
    return x, y


def value_axes(extent: tuple[float, float, float, float], x_name: str, y_name: str
               ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Visible value axes spanning the grid's ``(left, right, bottom, top)`` exactly.

    They share the heatmap's plot area, so agents, boundaries and names drawn on them
    land on the cells: a cell's centre on a category axis is where its centre falls
    on a value axis from the grid's outer edge to the other.
    """
    left, right, bottom, top = extent
    labels = {"fontSize": 9, "showMinLabel": False, "showMaxLabel": False}
    x = {"type": "value", "min": left, "max": right, "name": x_name, "nameLocation": "middle",
         "nameGap": 22, "splitLine": {"show": False}, "gridIndex": 0, "position": "bottom",
         "axisLabel": labels}
    y = {"type": "value", "min": min(bottom, top), "max": max(bottom, top), "name": y_name,
         "nameLocation": "middle", "nameGap": 44, "splitLine": {"show": False},
         "inverse": bottom > top, "gridIndex": 0, "position": "left", "axisLabel": labels}
    return x, y


#: The map's plot area: pixels on its longer side, and from the chart's left and top.
MAP_BOX, MAP_LEFT, MAP_TOP = 380, 62, 56


def square_grid(width: int, height: int, box: int = MAP_BOX) -> dict[str, Any]:
    """A plot area ``box`` pixels on its longer side, so that cells are square."""
    scale = box / max(width, height)
    return {"left": MAP_LEFT, "top": MAP_TOP, "width": round(width * scale),
            "height": round(height * scale), "show": True}


def scale_place(grid: dict[str, Any]) -> dict[str, Any]:
    """Where a map's colour scale goes: just right of its plot area, top-aligned."""
    return {"left": grid["left"] + grid["width"] + 10, "top": grid["top"],
            "textStyle": {"fontSize": 10}}


def bar_height(grid: dict[str, Any]) -> int:
    """The height of a continuous colour bar beside the plot area ``grid``."""
    return int(min(200, grid["height"] - 40))
