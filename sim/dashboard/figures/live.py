"""The Explore page's figures, kept between frames and redrawn only where they change.

Building a matplotlib figure and drawing it in full costs 50-70 ms each for the map
and the series at the baseline city, most of it in text (ticks, labels, legends) that
is the same every frame. So each figure here is built and drawn in full once; the
frame's changing artists (the layer image, the agents, the title; the series' lines)
are hidden for that draw and the rest is kept as a background bitmap. A frame then
restores the background, updates the changing artists' data (``set_data``,
``set_offsets``), draws just them (blitting) and encodes the canvas as PNG.

A full redraw is needed only when something in the background changes: the colour
scale or the series' axes. Those limits are rounded up to "nice" numbers
(:func:`nice_ceiling`), so they change a few times a run rather than every frame --
which also keeps the colour bar and axes still while the user watches.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from sim.dashboard.clock import clock_text
from sim.dashboard.figures.area_map import (
    draw_areas,
    model_geometry,
    set_map_axes,
    traced_geometry,
)
from sim.dashboard.figures.layers import AGENT_STYLES, LAYERS, agent_cells, daily_counts, new_figure
from sim.metrics.catalog import members

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: Mantissas of the nice limits: a limit is one of these times a power of ten, so at
#: most a fifth of an axis or a colour scale is ever unused.
NICE_STEPS: tuple[float, ...] = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)
#: The series' x axis shows at least this many days.
MIN_DAYS = 7


def nice_ceiling(value: float) -> float:
    """The smallest nice number (:data:`NICE_STEPS` times a power of ten) >= ``value``.

    Values that are not positive and finite give 1.
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in NICE_STEPS:
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


def png_bytes(figure: Figure) -> bytes:
    """The canvas as it stands (no new draw) as PNG, quickly.

    Fast zlib compression: the map and series are redrawn many times a second and
    sent to a browser next door, so encoding time matters more than a few KB.
    """
    canvas: Any = figure.canvas
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class BlitFigure:
    """A figure drawn in full once, then only its changing artists.

    Subclasses build the figure, list the artists that change each frame in
    :attr:`dynamic` -- followed by anything a full draw would put on top of them
    (legends, the axes' frame), in drawing order -- and call :meth:`invalidate` when
    anything else changes.
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.dynamic: list[Artist] = []
        self._background: Any = None
        self.full_draws = 0

    def invalidate(self) -> None:
        """The background changed (limits, colour scale): the next frame draws all."""
        self._background = None

    def draw(self) -> None:
        """Bring the canvas up to date: blit the dynamic artists on the background."""
        canvas: Any = self.figure.canvas
        if self._background is None:
            # Leave the dynamic artists out of the background. A hidden title would
            # lose its place (matplotlib positions titles while drawing the axes),
            # so texts stay visible and are emptied instead.
            texts = {a: a.get_text() for a in self.dynamic if isinstance(a, Text)}
            for artist in self.dynamic:
                if artist in texts:
                    artist.set_text("")
                else:
                    artist.set_visible(False)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            for artist in self.dynamic:
                if artist in texts:
                    artist.set_text(texts[artist])
                else:
                    artist.set_visible(True)
            self.full_draws += 1
        else:
            canvas.restore_region(self._background)
        for artist in self.dynamic:
            self.figure.draw_artist(artist)

    def png(self) -> bytes:
        """Draw and encode as PNG."""
        self.draw()
        return png_bytes(self.figure)


class MapView(BlitFigure):
    """The city map: one layer as an image, agents as small markers by kind.

    A georeferenced city (an imported one) is drawn in its own map coordinates
    (metres of its CRS), with its areas' boundaries and names; so is any city on a
    per-area layer, in cell coordinates (:mod:`sim.dashboard.figures.area_map`).

    Args:
        model: The model whose city is drawn (the view follows this model; a new
            model or another layer needs a new view).
        layer: A key of :data:`~sim.dashboard.figures.layers.LAYERS`.
    """

    def __init__(self, model: CrimeModel, layer: str = "crime density") -> None:
        super().__init__(new_figure(6.4, 5.6))
        self.layer = layer
        self.spec = spec = LAYERS[layer]
        city = model.city
        self._width = city.width
        self.geometry = model_geometry(model)
        if self.geometry is None and spec.per_area:
            self.geometry = traced_geometry(city.district, list(city.district_names))
        geo = self.geometry
        fig = self.figure
        fig.subplots_adjust(left=0.1, right=0.9, top=0.93, bottom=0.14)
        ax = fig.add_subplot()
        data = self._data(model)
        extent = geo.extent if geo is not None else None
        self.image = ax.imshow(data, origin="upper", cmap=spec.cmap, vmin=spec.vmin,
                               vmax=self._vmax(data), interpolation="nearest", extent=extent)
        fig.colorbar(self.image, ax=ax, label=spec.unit, fraction=0.046, pad=0.03)
        self.markers = {}
        for kind, cells in agent_cells(model).items():
            marker, colour = AGENT_STYLES[kind]
            self.markers[kind] = ax.scatter(
                *self._xy(cells), s=6, marker=marker, c=colour,
                edgecolors="white", linewidths=0.3, label=kind)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, fontsize=7,
                  frameon=False, markerscale=1.6)
        self.area_artists = []
        if geo is not None:
            self.area_artists = draw_areas(ax, geo)
            set_map_axes(ax, geo, city.cell_size_m)  # the grid, whatever the agents' spread
        else:
            ax.set_xlim(-0.5, city.width - 0.5)
            ax.set_ylim(city.height - 0.5, -0.5)
            km = city.cell_size_m / 1000.0
            ax.set_xlabel(f"x (cells of {city.cell_size_m:g} m; {city.width * km:g} km across)")
            ax.set_ylabel("y (cells)")
        ax.set_autoscale_on(False)
        self.title = ax.set_title(self._title(model))
        self.axes = ax
        # the boundaries and names stay on top of the layer and the agents (as one
        # picture, see _area_overlay), and the frame on top of everything
        self.overlay = self._area_overlay() if self.area_artists else None
        self.dynamic = [self.image, *self.markers.values(),
                        *([self.overlay] if self.overlay is not None else []), self.title,
                        *ax.spines.values()]

    def _area_overlay(self) -> Artist:
        """The areas' boundaries and names drawn once into a transparent picture.

        They must be drawn over the layer every frame, and a few dozen labels cost
        30 ms a frame in font look-ups alone; blitting one RGBA picture costs about
        1 ms. The artists stay on the axes, hidden, so the figure still says what
        it shows.
        """
        fig = self.figure
        keep = set(self.area_artists)
        hidden = [a for a in (fig.patch, *fig.axes[1:], *self.axes.get_children())
                  if a not in keep and a.get_visible()]
        for artist in hidden:
            artist.set_visible(False)
        fig.canvas.draw()
        picture = np.asarray(fig.canvas.buffer_rgba()).copy()
        for artist in hidden:
            artist.set_visible(True)
        for artist in self.area_artists:
            artist.set_visible(False)
        return fig.figimage(picture, xo=0, yo=0, origin="upper", zorder=5)

    def _xy(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where agents in flat cells ``cells`` are drawn: map or cell coordinates."""
        if self.geometry is not None:
            return self.geometry.cell_xy(cells)
        return cells % self._width, cells // self._width

    def _data(self, model: CrimeModel) -> np.ndarray:
        data = np.asarray(self.spec.values(model), dtype=float)
        if self.spec.per_area and self.geometry is not None:
            data = np.where(self.geometry.inside, data, np.nan)  # blank outside the areas
        return data

    def _vmax(self, data: np.ndarray) -> float:
        """The layer's fixed top, else the data's maximum rounded up to a nice number."""
        if self.spec.vmax is not None:
            return self.spec.vmax
        finite = data[np.isfinite(data)]
        return nice_ceiling(float(finite.max()) if finite.size else 0.0)

    def _title(self, model: CrimeModel) -> str:
        return f"{self.spec.title} - {clock_text(model)}"

    def update(self, model: CrimeModel) -> None:
        """Show ``model`` as it is now (the same model the view was built for)."""
        data = self._data(model)
        self.image.set_data(data)
        vmax = self._vmax(data)
        if vmax != self.image.norm.vmax:
            self.image.set_clim(self.spec.vmin, vmax)
            self.invalidate()  # the colour bar's ticks change
        for kind, cells in agent_cells(model).items():
            self.markers[kind].set_offsets(np.column_stack(self._xy(cells)))
        self.title.set_text(self._title(model))


def _panel(family: str, title: str) -> tuple[str, tuple[str, ...], str]:
    """One panel of the series: a metric family's columns, as the catalog declares them.

    Returns the columns' common prefix, their keys (a line each, in declared order) and
    the panel's title, so a crime type or group added to the catalog gets its line.
    """
    prefix = family.split("<", 1)[0]
    return prefix, tuple(m.name[len(prefix):] for m in members(family)), title


class SeriesView(BlitFigure):
    """Crimes by type and victimisations by group, per day, since the start."""

    PANELS: tuple[tuple[str, tuple[str, ...], str], ...] = (
        _panel("crimes_<type>", "Crimes by type"),
        _panel("victimisations_<group>", "Victimisations by group"),
    )

    def __init__(self, model: CrimeModel) -> None:
        super().__init__(new_figure(6.4, 5.2))
        fig = self.figure
        fig.subplots_adjust(left=0.1, right=0.73, top=0.94, bottom=0.1, hspace=0.3)
        axes = fig.subplots(2, 1, sharex=True)
        self.axes = list(axes)
        self.lines: list[dict[str, Any]] = []
        for ax, (_prefix, names, title) in zip(self.axes, self.PANELS, strict=True):
            lines = {name: ax.plot([], [], label=name.replace("_", " "))[0] for name in names}
            self.lines.append(lines)
            ax.set_title(title)
            ax.set_ylabel("count per day")
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                      frameon=False, borderaxespad=0.0)
            ax.set_autoscale_on(False)
        self.axes[-1].set_xlabel("day (the current day is partial)")
        # the lines, then the frame on top as in a full draw (the legends sit beside
        # the panels, so no line crosses them and they stay in the background)
        self.dynamic = [line for lines in self.lines for line in lines.values()]
        for ax in self.axes:
            self.dynamic += list(ax.spines.values())
        self._limits: tuple[float, ...] = ()
        self.update(model)

    def update(self, model: CrimeModel) -> None:
        """Show the daily series of ``model`` as they are now."""
        limits: list[float] = []
        for lines, (prefix, names, _title) in zip(self.lines, self.PANELS, strict=True):
            data = daily_counts(model, prefix, names)
            days = data["day"]
            top = 0.0
            for name, line in lines.items():
                values = data.get(name, np.zeros(0))
                line.set_data(days, values)
                line.set_marker("." if len(values) < 3 else "None")
                top = max(top, float(values.max()) if len(values) else 0.0)
            limits.append(nice_ceiling(top * 1.05))
        last_day = float(days[-1]) if len(days) else 0.0
        limits.append(nice_ceiling(max(last_day + 1, MIN_DAYS)))
        if tuple(limits) != self._limits:
            for ax, top in zip(self.axes, limits, strict=False):
                ax.set_ylim(0, top)
            self.axes[0].set_xlim(0, limits[-1])  # shared by both panels
            self._limits = tuple(limits)
            self.invalidate()


def map_figure(model: CrimeModel, layer: str = "crime density") -> Figure:
    """The map of ``model`` as a finished Figure (e.g. to save or test)."""
    view = MapView(model, layer)
    view.draw()
    return view.figure


def series_figure(model: CrimeModel) -> Figure:
    """The daily series of ``model`` as a finished Figure (e.g. to save or test)."""
    view = SeriesView(model)
    view.draw()
    return view.figure


class FrameRenderer:
    """The Explore page's two figures for one session, rebuilt only when they must be.

    The map view is rebuilt when the model (new settings, reset) or the layer
    changes, the series view when the model changes; otherwise each frame updates
    the views it has. Callers hold the session's lock (the model must not step while
    it is drawn); this class's own lock keeps two renders of one page apart.

    Args:
        map_view: Makes the map view of a model and layer (the crime model's by
            default; another model family passes its own, see
            :mod:`sim.dashboard.model_family`). Views have ``layer``, ``update(model)``
            and ``png()``.
        series_view: Makes the series view of a model.
    """

    def __init__(self, map_view: Callable[[Any, str], Any] = MapView,
                 series_view: Callable[[Any], Any] = SeriesView) -> None:
        self._lock = threading.Lock()
        self._make_map = map_view
        self._make_series = series_view
        self._map: Any = None
        self._map_model: Any = None
        self._series: Any = None
        self._series_model: Any = None

    def map_png(self, model: Any, layer: str) -> bytes:
        """The map of ``model``'s current state as PNG."""
        with self._lock:
            if self._map is None or self._map_model is not model or self._map.layer != layer:
                self._map, self._map_model = self._make_map(model, layer), model
            else:
                self._map.update(model)
            return self._map.png()

    def series_png(self, model: Any) -> bytes:
        """The series of ``model``'s current state as PNG."""
        with self._lock:
            if self._series is None or self._series_model is not model:
                self._series, self._series_model = self._make_series(model), model
            else:
                self._series.update(model)
            return self._series.png()

    def full_draws(self) -> int:
        """Full redraws so far by the current views (for timing)."""
        return sum(view.full_draws for view in (self._map, self._series) if view is not None)
