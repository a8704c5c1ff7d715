"""What the Explore page's figures show: the map layers, the agents, the daily series.

This module says *what* is drawn -- each layer's data, title, unit and colour map,
the agent markers, the per-day counts -- and :mod:`sim.dashboard.figures.live` turns
it into the ECharts options the browser draws. The few figures that remain PNGs (the
"where crime happens" panel, the Compare page's area maps) are built with
:func:`new_figure` on the Agg canvas, never through pyplot: pyplot keeps global state
(the current figure, a registry of open figures) that two browser sessions drawing at
once would share and leak. Nothing here imports Solara, so the layers can be tested
without a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis.by_area import crimes_by_area, victimisations_by_area
from sim.city.target import TARGET_FIELDS
from sim.config import FREE, GROUPS, LAND_USES
from sim.dashboard.figures.area_map import per_cell
from sim.kernels.gi_star import confidence_bins

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


@dataclass(frozen=True)
class Layer:
    """A map layer a user can choose.

    Attributes:
        title: What the map shows, for the chooser and the figure title.
        unit: The colour bar's label (what one unit of the colour means).
        cmap: A colour map: sequential for a level or a density, diverging for a
            signed layer (the Gi* hot and cold spots).
        values: Computes the 2-D array (height x width) from the model.
        vmin, vmax: Fixed colour limits, or None to scale to the data.
        per_area: One value per area (a choropleth): cells outside every area
            are left blank.
        categories: For a layer of codes (land use), the label and colour of each
            code in order; empty for a continuous layer.
    """

    title: str
    unit: str
    cmap: str
    values: Callable[[CrimeModel], np.ndarray]
    vmin: float | None = None
    vmax: float | None = None
    per_area: bool = False
    categories: tuple[tuple[str, str], ...] = ()


#: Land-use colours in LAND_USES order: residential, commercial, nightlife, park,
#: industrial, school.
LAND_USE_COLOURS: tuple[str, ...] = ("#f2e6c9", "#9ecae1", "#c994c7", "#a1d99b",
                                     "#bdbdbd", "#fdae6b")


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


#: Radius of the map's Gi* neighbourhoods: the same default as ``target.kind = "gi_star"``.
GI_STAR_DISTANCE_M: float = TARGET_FIELDS["gi_distance_m"].default


def gi_star_hot_spots(model: CrimeModel) -> np.ndarray:
    """Getis-Ord Gi* hot (+) and cold (-) spots of reported crime by confidence.

    3, 2, 1: significant at 99, 95, 90% (two-sided, FDR-corrected); 0: neither. Read
    on the reported-crime heat a ``gi_star`` target uses, with its default 150 m
    band (at least one cell), so the map shows the cells such a target would pick.
    """
    city = model.city
    distance = max(GI_STAR_DISTANCE_M / city.cell_size_m, 1.0)
    heat = np.asarray(city.reported_heat, dtype=float).reshape(city.height, city.width)
    try:
        return confidence_bins(heat, distance, periodic=city.periodic).astype(float)
    except ValueError:  # a wrapped city narrower than the band: no neighbourhoods to map
        return np.zeros((city.height, city.width))
def crimes_per_area(model: CrimeModel) -> np.ndarray:
    """Crimes since the start in each cell's area (all types), spread over its cells."""
    city = model.city
    counts = crimes_by_area(city.crime_count, city.district, len(city.district_names))
    return per_cell(counts.sum(axis=1), city.district)


def victimisations_per_area(group: str) -> Callable[[CrimeModel], np.ndarray]:
    """The layer function: ``group``'s victimisations since the start, by area of home."""
    def values(model: CrimeModel) -> np.ndarray:
        city, res = model.city, model.residents
        n = len(city.district_names)
        if res.n == 0:
            return per_cell(np.zeros(n), city.district)
        members = model.group_masks()[group]
        counts = victimisations_by_area(res.home, res.victim_counts, members, city.district, n)
        return per_cell(counts, city.district)

    return values


#: The layers of the map, by the name the chooser shows.
LAYERS: dict[str, Layer] = {
    "crime density": Layer("Crime density", "crimes per cell since the start", "YlOrRd",
                           crime_density, vmin=0.0),
    "attractiveness A": Layer("Attractiveness A = A0 + B", "attractiveness (model units)",
                              "viridis", lambda m: m.city.attractiveness, vmin=0.0),
    "lighting": Layer("Street lighting", "lighting level (0 dark - 1 fully lit)", "cividis",
                      lambda m: m.city.lighting, 0.0, 1.0),
    "land use": Layer("Land use", "land use", "", lambda m: m.city.land_use.astype(float),
                      categories=tuple(zip(LAND_USES, LAND_USE_COLOURS, strict=True))),
    "deprivation": Layer("Deprivation", "deprivation (0 affluent - 1 most deprived)",
                         "Purples", lambda m: m.city.deprivation, 0.0, 1.0),
    "legitimacy": Layer("Legitimacy of police, by home cell",
                        "mean perceived legitimacy (0 - 1)", "Blues", legitimacy_by_home,
                        0.0, 1.0),
    "guardianship": Layer("Guardianship", "standing guardianship (model units)", "Greens",
                          lambda m: m.city.guardianship, vmin=0.0),
    # +-3.5 so that each confidence bin gets its own shade, 0 white.
    "hot spots (Gi*)": Layer("Hot spots: Getis-Ord Gi* of reported crime",
                             "hot (+) / cold (-) at 1: 90%, 2: 95%, 3: 99% (FDR)", "RdBu_r",
                             gi_star_hot_spots, -3.5, 3.5),
    "crimes per area": Layer("Crimes per area", "crimes in the area since the start",
                             "YlOrRd", crimes_per_area, vmin=0.0, per_area=True),
    **{f"victimisations per area: {group.replace('_', ' ')}": Layer(
        f"Victimisations of {group.replace('_', ' ')} per area of home",
        "victimisations since the start", "PuRd", victimisations_per_area(group),
        vmin=0.0, per_area=True) for group in GROUPS},
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


def daily_counts(model: CrimeModel, prefix: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per-day totals of the ``<prefix><name>`` metric columns, with the day numbers.

    Summed with numpy straight from the recorder's columns: the Explore page asks for
    this twice a step, and building the whole metrics frame in pandas to group it cost
    the server more than the map (issue 16, many users at once).
    """
    results = model.results
    if len(results) == 0:
        return {"day": np.zeros(0)}
    days, which = np.unique(results.column("day").astype(np.int64), return_inverse=True)
    out = {"day": days}
    for name in names:
        out[name] = np.bincount(which, weights=results.column(f"{prefix}{name}"),
                                minlength=days.size)
    return out
