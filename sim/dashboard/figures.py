"""The Explore page's figures: the city map and the time series, as matplotlib Figures.

Figures are built with :class:`matplotlib.figure.Figure` on the Agg canvas, never
through pyplot: pyplot keeps global state (the current figure, a registry of open
figures) that two browser sessions drawing at once would share and leak. Each function
takes a model and returns a new Figure; nothing here imports Solara, so the figures
can be tested, timed and saved without a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.config import CRIME_TYPES, FREE, GROUPS

if TYPE_CHECKING:
    from sim.model import CrimeModel


@dataclass(frozen=True)
class Layer:
    """A map layer a user can choose.

    Attributes:
        title: What the map shows, for the chooser and the figure title.
        unit: The colour bar's label (what one unit of the colour means).
        cmap: A sequential colour map (every layer is a level or a density).
        values: Computes the 2-D array (height x width) from the model.
        vmin, vmax: Fixed colour limits, or None to scale to the data.
    """

    title: str
    unit: str
    cmap: str
    values: Callable[[CrimeModel], np.ndarray]
    vmin: float | None = None
    vmax: float | None = None


def crime_density(model: CrimeModel) -> np.ndarray:
    """Crimes per cell since the start, all types."""
    return model.city.crime_count.sum(axis=0).astype(float)


def legitimacy_by_home(model: CrimeModel) -> np.ndarray:
    """Mean perceived legitimacy of the residents living in each cell (NaN: nobody)."""
    city, res = model.city, model.residents
    if res.n == 0:
        return np.full((city.height, city.width), np.nan)
    sums = np.bincount(res.home, res.legitimacy, city.n_cells)
    counts = np.bincount(res.home, minlength=city.n_cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return mean.reshape(city.height, city.width)


#: The layers of the map, by the name the chooser shows.
LAYERS: dict[str, Layer] = {
    "crime density": Layer("Crime density", "crimes per cell since the start", "YlOrRd",
                           crime_density, vmin=0.0),
    "attractiveness A": Layer("Attractiveness A = A0 + B", "attractiveness (model units)",
                              "viridis", lambda m: m.city.attractiveness, vmin=0.0),
    "lighting": Layer("Street lighting", "lighting level (0 dark - 1 fully lit)", "cividis",
                      lambda m: m.city.lighting, 0.0, 1.0),
    "deprivation": Layer("Deprivation", "deprivation (0 affluent - 1 most deprived)",
                         "Purples", lambda m: m.city.deprivation, 0.0, 1.0),
    "legitimacy": Layer("Legitimacy of police, by home cell",
                        "mean perceived legitimacy (0 - 1)", "Blues", legitimacy_by_home,
                        0.0, 1.0),
    "guardianship": Layer("Guardianship", "standing guardianship (model units)", "Greens",
                          lambda m: m.city.guardianship, vmin=0.0),
}

#: Agent kinds drawn on the map: label, marker, colour.
AGENT_STYLES: dict[str, tuple[str, str]] = {
    "offenders (free)": ("o", "#e41a1c"),
    "police": ("s", "#377eb8"),
    "outreach workers": ("^", "#4daf4a"),
    "guards": ("D", "#ff7f00"),
}


def agent_cells(model: CrimeModel) -> dict[str, np.ndarray]:
    """Flat cell index of every agent to draw, by kind (jailed offenders stay off)."""
    off = model.offenders
    return {
        "offenders (free)": off.pos[off.state == FREE],
        "police": model.police.pos,
        "outreach workers": model.workers.pos,
        "guards": model.guards.pos,
    }


def new_figure(width: float, height: float, dpi: int = 80) -> Figure:
    """A Figure on its own Agg canvas (no pyplot, so nothing global is shared).

    Fixed margins rather than a layout engine, and a screen resolution: the page
    redraws every frame while playing, and constrained layout doubles the cost.
    """
    fig = Figure(figsize=(width, height), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def map_figure(model: CrimeModel, layer: str = "crime density", agents: bool = True) -> Figure:
    """The city map: one layer as an image, agents as small markers by kind."""
    spec = LAYERS[layer]
    city = model.city
    fig = new_figure(6.4, 5.6)
    fig.subplots_adjust(left=0.1, right=0.9, top=0.93, bottom=0.14)
    ax = fig.add_subplot()
    data = np.asarray(spec.values(model), dtype=float)
    vmax = spec.vmax
    if vmax is None:
        finite = data[np.isfinite(data)]
        vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    image = ax.imshow(data, origin="upper", cmap=spec.cmap, vmin=spec.vmin, vmax=vmax,
                      interpolation="nearest")
    fig.colorbar(image, ax=ax, label=spec.unit, fraction=0.046, pad=0.03)
    if agents:
        for kind, cells in agent_cells(model).items():
            marker, colour = AGENT_STYLES[kind]
            ax.scatter(cells % city.width, cells // city.width, s=6, marker=marker,
                       c=colour, edgecolors="white", linewidths=0.3, label=kind)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, fontsize=7,
                  frameon=False, markerscale=1.6)
    km = city.cell_size_m / 1000.0
    ax.set_xlabel(f"x (cells of {city.cell_size_m:g} m; {city.width * km:g} km across)")
    ax.set_ylabel("y (cells)")
    ax.set_title(f"{spec.title} - day {model.day}, {model.hour:02d}:00")
    return fig


def daily_counts(model: CrimeModel, prefix: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per-day totals of the ``<prefix><name>`` metric columns, with the day numbers."""
    frame = model.results.to_frame()
    if frame.empty:
        return {"day": np.zeros(0)}
    days = frame.groupby("day")[[f"{prefix}{n}" for n in names]].sum()
    out = {"day": days.index.to_numpy()}
    for name in names:
        out[name] = days[f"{prefix}{name}"].to_numpy()
    return out


def series_figure(model: CrimeModel) -> Figure:
    """Crimes by type and victimisations by group, per day, since the start."""
    fig = new_figure(6.4, 5.2)
    fig.subplots_adjust(left=0.1, right=0.97, top=0.94, bottom=0.1, hspace=0.3)
    top, bottom = fig.subplots(2, 1, sharex=True)
    for ax, prefix, names, title in (
        (top, "crimes_", CRIME_TYPES, "Crimes by type"),
        (bottom, "victimisations_", GROUPS, "Victimisations by group"),
    ):
        data = daily_counts(model, prefix, names)
        for name in names:
            values = data.get(name, np.zeros(0))
            ax.plot(data["day"], values, marker="." if len(values) < 3 else None,
                    label=name.replace("_", " "))
        ax.set_title(title)
        ax.set_ylabel("count per day")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, ncol=2, loc="upper left")
    bottom.set_xlabel("day (the current day is partial)")
    return fig
