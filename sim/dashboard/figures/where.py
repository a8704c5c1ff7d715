"""The Explore page's "where crime happens" figures: settings by type, awareness space.

Two views of the run so far, drawn on their own Agg figures (no pyplot, no Solara):

- :func:`settings_figure`: for each crime type, the share of its crimes in each
  setting (home, street, commercial, leisure, school, transit) as stacked bars, from
  the run's event log (:func:`sim.metrics.where.settings_by_type`). Where crime
  happens is half of issue 13's question; the bars show at a glance whether sexual
  violence happens at home or in the street, and how that changes with the levers.
- :func:`awareness_figure`: one offender's awareness space on the crime map -- home,
  activity nodes by kind, the paths between them, and where the offender is anchored
  now. It reads ``model.awareness_space(slot)`` (a dict with ``home``, ``nodes`` as
  (kind name, cell) pairs, ``anchor`` and ``paths``, the cells on the lines from home
  to each node; ValueError for an empty slot). A model without that method, or an
  offender without nodes, has no awareness space to show: :func:`awareness_of` then
  gives None and the page says so.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from sim.config import CRIME_TYPES, FREE, SETTINGS
from sim.dashboard.clock import clock_text
from sim.dashboard.figures.layers import crime_density, new_figure
from sim.metrics.where import settings_by_type

#: A colour per setting (SETTINGS order): private home, open space, shops, nightlife,
#: school, on the way somewhere; qualitative and distinguishable in grey scale order.
SETTING_COLOURS: dict[str, str] = {
    "home": "#8c510a", "street": "#d8b365", "commercial": "#5ab4ac",
    "leisure": "#01665e", "school": "#b2abd2", "transit": "#f6e8c3",
}
#: Marker and colour of each awareness-node kind; kinds not listed get the default.
NODE_STYLES: dict[str, tuple[str, str]] = {
    "work": ("s", "#377eb8"), "school": ("^", "#4daf4a"), "leisure": ("D", "#984ea3"),
    "shopping": ("P", "#ff7f00"), "commercial": ("P", "#ff7f00"),
}
DEFAULT_NODE_STYLE = ("v", "#a65628")


def settings_table(events: np.ndarray) -> dict[str, dict[str, float]]:
    """Crime type name -> ``n`` and the share in each setting, for types with crimes."""
    shares = settings_by_type(events)
    return {t: shares[t] for t in CRIME_TYPES if shares[t]["n"] > 0}


def settings_figure(events: np.ndarray | None) -> Figure:
    """Stacked bars: for each crime type, the share of its crimes in each setting.

    Args:
        events: The run's event log as an int64 array (``model.events.array``), or
            None when the log is off.

    Returns:
        The figure; with no crimes (or no log) it says so instead of drawing bars.
    """
    fig = new_figure(6.4, 3.2)
    ax = fig.add_axes((0.22, 0.28, 0.74, 0.62))
    ax.set_title("Where crime happens: share of each type's crimes by setting",
                 fontsize=10)
    if events is None or len(events) == 0:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no crimes yet" if events is not None else
                "the event log is off (metrics.event_log)", ha="center", va="center",
                transform=ax.transAxes, fontsize=10, color="0.3")
        return fig
    rows = settings_table(events)
    types = list(rows)
    y = np.arange(len(types))
    left = np.zeros(len(types))
    for name in SETTINGS:
        width = np.array([100 * rows[t][name] for t in types])
        ax.barh(y, width, left=left, color=SETTING_COLOURS[name], label=name,
                edgecolor="white", linewidth=0.5)
        left += width
    ax.set_yticks(y, [f"{t.replace('_', ' ')} ({int(rows[t]['n'])})" for t in types],
                  fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the type's crimes (crimes so far in brackets)", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.22), ncol=6, fontsize=7,
              frameon=False)
    return fig


def has_awareness(model: Any) -> bool:
    """Whether the model can report an offender's awareness space."""
    return callable(getattr(model, "awareness_space", None))


def first_free_offender(model: Any) -> int | None:
    """The lowest slot of an offender at large (None if there is none)."""
    free = np.flatnonzero(np.asarray(model.offenders.state) == FREE)
    return int(free[0]) if free.size else None


def awareness_of(model: Any, slot: int | None) -> dict[str, Any] | None:
    """The awareness space of offender ``slot``, or None when there is nothing to show.

    None when the model has no ``awareness_space``, the slot is None or empty (the
    method raises ValueError), or the offender has no nodes.
    """
    if slot is None or not has_awareness(model):
        return None
    try:
        space = model.awareness_space(int(slot))
    except (ValueError, IndexError):
        return None
    if not space or not list(space.get("nodes", [])):
        return None
    return space


def awareness_figure(model: Any, space: dict[str, Any], slot: int) -> Figure:
    """The crime map with one offender's awareness space drawn over it.

    Marks the home (a house), each node by its kind, the paths from home to the
    nodes (small dots), and the current anchor (a ring), on crimes per cell so far.
    """
    city = model.city
    w = city.width
    fig = new_figure(6.4, 5.6)
    ax = fig.add_axes((0.1, 0.16, 0.8, 0.76))
    data = crime_density(model)
    ax.imshow(data, origin="upper", cmap="Greys", vmin=0.0,
              vmax=max(1.0, float(data.max())), interpolation="nearest", alpha=0.6)

    def xy(cells: Any) -> tuple[np.ndarray, np.ndarray]:
        c = np.atleast_1d(np.asarray(cells, dtype=np.int64))
        return c % w, c // w

    paths = np.asarray(space.get("paths", []), dtype=np.int64)
    if paths.size:
        px, py = xy(paths)
        ax.scatter(px, py, s=4, c="#e41a1c", alpha=0.5, linewidths=0, label="paths")
    seen: set[str] = set()
    for kind, cell in space["nodes"]:
        marker, colour = NODE_STYLES.get(str(kind), DEFAULT_NODE_STYLE)
        nx, ny = xy(cell)
        ax.scatter(nx, ny, s=60, marker=marker, c=colour, edgecolors="black",
                   linewidths=0.6, label=None if kind in seen else str(kind), zorder=3)
        seen.add(str(kind))
    hx, hy = xy(space["home"])
    ax.scatter(hx, hy, s=90, marker="p", c="#e41a1c", edgecolors="black", linewidths=0.8,
               label="home", zorder=4)
    anchor = int(space.get("anchor", -1))
    if anchor >= 0:
        axx, ayy = xy(anchor)
        ax.scatter(axx, ayy, s=200, marker="o", facecolors="none", edgecolors="#ffd92f",
                   linewidths=2.0, label="anchor now", zorder=5)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(city.height - 0.5, -0.5)
    ax.set_title(f"Awareness space of offender {slot} - {clock_text(model)}",
                 fontsize=10)
    ax.set_xlabel(f"x (cells of {city.cell_size_m:g} m); grey: crimes per cell so far",
                  fontsize=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=5, fontsize=7,
              frameon=False)
    return fig


def png_bytes(figure: Figure) -> bytes:
    """The canvas as it stands (no new draw) as PNG, with fast zlib compression."""
    canvas: Any = figure.canvas
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def figure_png(figure: Figure) -> bytes:
    """Draw ``figure`` in full and return it as PNG (these figures are drawn once)."""
    figure.canvas.draw()
    return png_bytes(figure)
