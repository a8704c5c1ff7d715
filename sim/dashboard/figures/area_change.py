"""Compare's per-area map: which neighbourhoods gain and which lose under an alternative.

Each area is coloured by its mean paired change in crimes (alternative minus base,
over the comparison's replications; blue fell, red rose), drawn in the city's map
coordinates with its boundaries and names (:mod:`sim.dashboard.figures.area_map`).
Areas whose 95% interval excludes zero get a heavier outline, so a reader sees at a
glance which changes are more than noise.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.analysis.by_area import AreaChange
from sim.dashboard.figures.area_map import AreaGeometry, draw_areas, per_cell, set_map_axes
from sim.dashboard.figures.layers import new_figure


def change_limit(changes: list[AreaChange]) -> float:
    """Symmetric colour limit: the largest absolute change (1 when nothing changed)."""
    largest = max((abs(c.change) for c in changes if np.isfinite(c.change)), default=0.0)
    return largest if largest > 0 else 1.0


def area_change_figure(geometry: AreaGeometry, district: np.ndarray,
                       changes: list[AreaChange], title: str, cell_size_m: float) -> Figure:
    """The per-area change map of one alternative against the base.

    Args:
        geometry: The city's areas (boundaries, names, extent).
        district: Area index per cell (the map's ``district`` layer).
        changes: One :class:`AreaChange` per area, in index order.
        title: The figure's title (which alternative against which base).
        cell_size_m: The grid's cell size, for the axis label.
    """
    fig = new_figure(6.4, 5.6, dpi=90)
    fig.subplots_adjust(left=0.12, right=0.88, top=0.9, bottom=0.12)
    ax = fig.add_subplot()
    values = np.array([c.change for c in changes])
    data = per_cell(values, district, geometry.inside)
    lim = change_limit(changes)
    image = ax.imshow(data, origin="upper", cmap="RdBu_r", vmin=-lim, vmax=lim,
                      interpolation="nearest", extent=geometry.extent)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03,
                 label="mean change in crimes in the area (alternative - base)")
    draw_areas(ax, geometry)
    strong = [ring for c, rings in zip(changes, geometry.rings, strict=True)
              if c.significant for ring in rings]
    if strong:
        ax.add_collection(LineCollection(strong, colors="black", linewidths=2.0, zorder=3))
    set_map_axes(ax, geometry, cell_size_m)
    ax.set_title(title + "\nthick outline: 95% CI excludes 0", fontsize=9)
    return fig


def change_rows(changes: list[AreaChange]) -> list[dict[str, str]]:
    """The per-area changes as display rows, largest fall first."""
    def number(value: float, sign: bool = True) -> str:
        if not np.isfinite(value):
            return "n/a"
        return f"{value:+,.1f}" if sign else f"{value:,.1f}"

    rows = []
    for c in sorted(changes, key=lambda c: (c.change, c.area)):
        rows.append({"area": c.area, "base crimes": number(c.base, sign=False),
                     "change": number(c.change),
                     "95% CI": f"[{number(c.ci_low)}, {number(c.ci_high)}]",
                     "clear?": "yes" if c.significant else "no"})
    return rows
