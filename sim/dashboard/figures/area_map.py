"""A city's areas on its maps: boundaries, names and per-area colours, in map coordinates.

A city imported with ``crimesim city import`` carries its georeference (``crs_wkt`` and
the affine ``transform`` in ``city.npz``) and, next to the map, ``areas.gpkg``: the
areas' real polygons. The dashboard draws such a city in the city's own coordinates
(metres of its CRS) so that the picture matches the user's GIS, with the areas'
boundaries and names on top. Without ``areas.gpkg`` the boundaries are traced from
the district raster (``rasterio.features.shapes``), so any georeferenced map works;
a city without georeference (a generated one) is traced in cell coordinates, which is
what the per-area layers of Explore draw on.

Nothing here imports Solara; geopandas and rasterio are imported when first needed,
so the dashboard's other figures do not pay for them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection

#: At most this many area names are written on a map; with more areas only the
#: largest are named (a full map of small labels is unreadable).
MAX_LABELS = 30
#: The transform of cell coordinates: cell (column i, row j) is drawn centred on (i, j),
#: as ``imshow`` draws an array without an extent.
CELL_TRANSFORM: tuple[float, ...] = (1.0, 0.0, -0.5, 0.0, 1.0, -0.5)


@dataclass(frozen=True)
class AreaGeometry:
    """Where a city's areas are, ready to draw.

    Attributes:
        names: Area name by district index.
        rings: Per area, its boundary rings (exterior and holes) as ``(n, 2)`` arrays
            of map x, y.
        label_points: Per area, a point inside it for its name (NaN if it has no polygon).
        sizes: Per area, its surface in map units squared (to choose which to name).
        inside: Boolean ``(height, width)``: cells whose centre lies in some area
            (cells outside every area are left blank on per-area maps).
        transform: Affine (a, b, c, d, e, f) from (column, row) to map x, y.
        width, height: The grid's size in cells.
        georeferenced: True when the coordinates are the city's CRS, False for cells.
        crs_name: The CRS's name ("" for cells).
        source: Where the boundaries came from ("areas.gpkg" or "district raster").
    """

    names: list[str]
    rings: list[list[np.ndarray]]
    label_points: np.ndarray
    sizes: np.ndarray
    inside: np.ndarray
    transform: tuple[float, ...]
    width: int
    height: int
    georeferenced: bool
    crs_name: str
    source: str

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """``(left, right, bottom, top)`` of the grid, as ``imshow(extent=...)`` takes it."""
        return grid_extent(self.transform, self.width, self.height)

    def cell_xy(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Map x, y of the centres of flat cell indices ``cells``."""
        c = np.asarray(cells, dtype=np.int64)
        return cell_centres(self.transform, c % self.width, c // self.width)

    def labelled(self, limit: int = MAX_LABELS) -> list[int]:
        """The areas whose names are written: all, or the ``limit`` largest."""
        have = [i for i in range(len(self.names)) if np.isfinite(self.label_points[i]).all()]
        if len(have) <= limit:
            return have
        order = sorted(have, key=lambda i: -float(self.sizes[i]))
        return sorted(order[:limit])


def cell_centres(transform: tuple[float, ...], cols: np.ndarray, rows: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Map x, y of cell centres (GDAL order: x = a i + b j + c, y = d i + e j + f)."""
    a, b, c, d, e, f = transform[:6]
    i, j = np.asarray(cols, float) + 0.5, np.asarray(rows, float) + 0.5
    return a * i + b * j + c, d * i + e * j + f


def grid_extent(transform: tuple[float, ...], width: int, height: int
                ) -> tuple[float, float, float, float]:
    """``(left, right, bottom, top)`` for ``imshow(origin="upper")`` of a north-up grid.

    ``left``/``top`` are the outer corner of cell (0, 0) and ``right``/``bottom`` that
    of the last cell, so an axis pointing down (cell coordinates, ``e > 0``) gives
    ``bottom > top`` and the image still runs from row 0 to the last row.
    """
    a, b, c, d, e, f = transform[:6]
    if b != 0 or d != 0:
        raise ValueError("the map is rotated (transform b or d is not 0); "
                         "only north-up grids can be drawn")
    return c, c + a * width, f + e * height, f


def _rings_of(geometry: Any) -> list[np.ndarray]:
    """Boundary rings of a (multi)polygon as coordinate arrays."""
    rings: list[np.ndarray] = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings.append(np.asarray(polygon.exterior.coords)[:, :2])
        rings += [np.asarray(hole.coords)[:, :2] for hole in polygon.interiors]
    return rings


def _geometry(names: list[str], shapes: list[Any], inside: np.ndarray,
              transform: tuple[float, ...], georeferenced: bool, crs_name: str,
              source: str) -> AreaGeometry:
    n = len(names)
    points = np.full((n, 2), np.nan)
    sizes = np.zeros(n)
    rings: list[list[np.ndarray]] = [[] for _ in range(n)]
    for i, shape in enumerate(shapes):
        if shape is None or shape.is_empty:
            continue
        rings[i] = _rings_of(shape)
        point = shape.representative_point()
        points[i] = (point.x, point.y)
        sizes[i] = float(shape.area)
    height, width = inside.shape
    return AreaGeometry(list(names), rings, points, sizes, inside, tuple(transform), width,
                        height, georeferenced, crs_name, source)


def traced_geometry(district: np.ndarray, names: list[str],
                    transform: tuple[float, ...] = CELL_TRANSFORM, *,
                    georeferenced: bool = False, crs_name: str = "") -> AreaGeometry:
    """Area polygons traced from the district raster (cell edges), in ``transform``'s units.

    Every cell belongs to a district, so every cell is ``inside``.
    """
    from rasterio.features import shapes
    from rasterio.transform import Affine
    from shapely.geometry import shape
    from shapely.ops import unary_union

    raster = np.ascontiguousarray(district, dtype=np.int32)
    parts: dict[int, list[Any]] = {}
    for geojson, value in shapes(raster, transform=Affine(*transform[:6])):
        parts.setdefault(int(value), []).append(shape(geojson))
    polygons = [unary_union(parts[i]) if i in parts else None for i in range(len(names))]
    return _geometry(names, polygons, raster >= 0, transform, georeferenced, crs_name,
                     "district raster")


def gpkg_geometry(path: Path, names: list[str], transform: tuple[float, ...],
                  shape: tuple[int, int], crs_name: str) -> AreaGeometry | None:
    """Area polygons from an importer's ``areas.gpkg`` (None if it is not one).

    The GeoPackage's ``district`` column gives each polygon's index in the map, so
    its rows may come in any order. ``inside`` marks the cells whose centre is in a
    polygon, as the importer rasterised them.
    """
    import geopandas as gpd
    from rasterio.features import rasterize
    from rasterio.transform import Affine

    try:
        areas = gpd.read_file(path, layer="areas", engine="pyogrio")
    except Exception:  # not an importer's GeoPackage: trace the raster instead
        return None
    if "district" not in areas.columns or areas.geometry.isna().all():
        return None
    shapes: list[Any] = [None] * len(names)
    for index, geometry in zip(areas["district"], areas.geometry, strict=True):
        if geometry is not None and 0 <= int(index) < len(names):
            shapes[int(index)] = geometry
    valid = [g for g in shapes if g is not None and not g.is_empty]
    inside = rasterize(((g, 1) for g in valid), out_shape=shape,
                       transform=Affine(*transform[:6]), fill=0, dtype="uint8").astype(bool)
    return _geometry(names, shapes, inside, transform, True, crs_name, "areas.gpkg")


@lru_cache(maxsize=8)
def _cached_geometry(map_file: str, mtime: float, areas_mtime: float,
                     names: tuple[str, ...]) -> AreaGeometry | None:
    """A georeferenced map file's areas (cached: a model is rebuilt on every setting)."""
    from pyproj import CRS

    with np.load(map_file, allow_pickle=False) as arrays:
        if "crs_wkt" not in arrays or "transform" not in arrays:
            return None
        transform = tuple(float(v) for v in arrays["transform"])
        district = np.asarray(arrays["district"]) if "district" in arrays else None
        wkt = str(arrays["crs_wkt"])
        shape = tuple(arrays["land_use"].shape)
    crs_name = CRS.from_wkt(wkt).name
    areas = Path(map_file).with_name("areas.gpkg")
    if areas_mtime >= 0:
        found = gpkg_geometry(areas, list(names), transform, shape, crs_name)  # type: ignore[arg-type]
        if found is not None:
            return found
    if district is None:
        district = np.zeros(shape, np.int32)
    return traced_geometry(district, list(names), transform, georeferenced=True,
                           crs_name=crs_name)


def city_geometry(city: Any, map_file: str | Path | None) -> AreaGeometry | None:
    """The areas of a georeferenced city, from its map file's folder; None otherwise.

    Args:
        city: The model's :class:`~sim.city.City` (its names and georeference).
        map_file: The scenario's ``city.map_file`` (``areas.gpkg`` is looked for
            beside it), or None.
    """
    if city.crs_wkt is None or city.transform is None or not map_file:
        return None
    if city.transform[1] != 0 or city.transform[3] != 0:
        return None  # a rotated grid: drawn in cells, as imshow cannot rotate an image
    path = Path(map_file)
    if path.suffix.lower() != ".npz" or not path.is_file():
        return None
    areas = path.with_name("areas.gpkg")
    areas_mtime = areas.stat().st_mtime if areas.is_file() else -1.0
    return _cached_geometry(str(path.resolve()), path.stat().st_mtime, areas_mtime,
                            tuple(city.district_names))


def model_geometry(model: Any) -> AreaGeometry | None:
    """The areas of the city a model runs on, when it is georeferenced."""
    scenario = getattr(model, "scenario", None)
    map_file = None
    if scenario is not None and scenario["city.layout"] == "map":
        map_file = scenario["city.map_file"]
    return city_geometry(model.city, map_file)


def boundary_lines(geometry: AreaGeometry) -> LineCollection:
    """Every area's boundary as one collection of thin dark lines."""
    segments = [ring for rings in geometry.rings for ring in rings]
    return LineCollection(segments, colors="0.15", linewidths=0.7, zorder=3)


def label_size(n_labels: int) -> float:
    """Font size for ``n_labels`` names: smaller as the map fills up."""
    if n_labels <= 8:
        return 8.0
    return max(5.0, 8.0 - 1.5 * math.log2(n_labels / 8))


def draw_areas(ax: Axes, geometry: AreaGeometry, limit: int = MAX_LABELS) -> list[Any]:
    """Draw boundaries and names on ``ax``; returns the artists (lines, then labels)."""
    artists: list[Any] = [ax.add_collection(boundary_lines(geometry))]
    chosen = geometry.labelled(limit)
    size = label_size(len(chosen))
    for i in chosen:
        x, y = geometry.label_points[i]
        text = ax.text(x, y, geometry.names[i], ha="center", va="center", fontsize=size,
                       color="black", zorder=4, clip_on=True,
                       bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                             "alpha": 0.7, "linewidth": 0})
        artists.append(text)
    return artists


def set_map_axes(ax: Axes, geometry: AreaGeometry, cell_size_m: float) -> None:
    """Limits, aspect and axis labels of a map drawn in ``geometry``'s coordinates."""
    left, right, bottom, top = geometry.extent
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    if geometry.georeferenced:
        ax.set_xlabel(f"x (m, {geometry.crs_name}; cells of {cell_size_m:g} m)", fontsize=8)
        ax.set_ylabel("y (m)", fontsize=8)
        ax.ticklabel_format(useOffset=False, style="plain")
        ax.tick_params(labelsize=7)
    else:
        ax.set_xlabel(f"x (cells of {cell_size_m:g} m)")
        ax.set_ylabel("y (cells)")


def per_cell(values: np.ndarray, district: np.ndarray, inside: np.ndarray | None = None
             ) -> np.ndarray:
    """A per-area value spread over the area's cells (NaN outside every area)."""
    out = np.asarray(values, float)[np.asarray(district)]
    if inside is not None:
        out = np.where(inside, out, np.nan)
    return out


def areas_caption(geometry: AreaGeometry | None, shown: int = 12) -> str:
    """One line under a georeferenced map: how many areas, from where, the first names.

    Names on a map are pixels; the caption makes them text too (screen readers, the
    browser's find, the tests). Empty for a city without georeference.
    """
    if geometry is None or not geometry.georeferenced:
        return ""
    names = geometry.names
    listed = ", ".join(names[:shown]) + (f", ... ({len(names) - shown} more)"
                                         if len(names) > shown else "")
    return (f"{len(names)} areas (boundaries from {geometry.source}), in "
            f"{geometry.crs_name}: {listed}")
