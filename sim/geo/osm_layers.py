"""OpenStreetMap features onto the grid: one land use per cell, street metres, floor area.

**Land use.** Polygons (land-use areas, parks, school grounds, buildings of known use,
in that order, a later one covering an earlier one) are painted on a fine grid of
``SUB`` x ``SUB`` sub-cells per cell, which gives each cell the share of its area that
each land use covers. Points of interest are counted per cell. A cell inside the
areas then gets, by the first rule that applies:

1. *nightlife* if it holds at least :data:`NIGHTLIFE_VENUES` bars, pubs or clubs: a
   cluster of them is what makes a nightlife street; one corner pub does not;
2. *school* if a school's point lies in it or school grounds cover at least
   :data:`MIN_SHARE` of it;
3. *commercial* if it holds at least :data:`SHOPS` shops, offices, restaurants or other
   trading places: a shopping street, even when its buildings carry no use tag;
4. *industrial* if water covers at least half of it: like the cells outside the areas,
   nobody lives there and offenders find it least attractive;
5. the land use covering the largest share of it, among residential, commercial, park
   and industrial, if that share is at least :data:`MIN_SHARE`;
6. otherwise *residential*: OpenStreetMap says nothing about the cell, and the areas
   are where people live (the rule of an import without ``--osm``).

Cells outside every area stay industrial, with or without OpenStreetMap data.

**Streets.** ``street_length_m`` is the length of street centre line in each cell,
each line cut exactly at the cell edges. *Street segments* (the unit of Weisburd's
crime-concentration findings) are the street lines split at every junction, for
``streets.gpkg``. **Floor area.** ``floor_area_m2`` is the
floor area of buildings that may hold homes: footprint in the cell times floors.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely
from rasterio.features import rasterize
from rasterio.transform import Affine

from sim.config import COMMERCIAL, INDUSTRIAL, LAND_USES, NIGHTLIFE, PARK, RESIDENTIAL, SCHOOL
from sim.geo.grid import Grid
from sim.geo.osm import OsmFeatures

#: Bars, pubs or clubs that make a cell nightlife.
NIGHTLIFE_VENUES = 2
#: Shops, offices and other trading places that make a cell commercial.
SHOPS = 3
#: Least share of a cell a land use must cover to name the cell.
MIN_SHARE = 0.25
#: Share of a cell under water that makes it industrial (nobody's land).
WATER_SHARE = 0.5
#: Most sub-cells painted in all (memory: one byte each); fewer per cell on big grids.
MAX_SUBCELLS = 40_000_000
#: Most sub-cells a cell side is split into.
MAX_SUB = 10
#: Land uses a cell's covered share can name (rule 4).
SHARE_CLASSES = (RESIDENTIAL, COMMERCIAL, PARK, INDUSTRIAL)


def subdivision(grid: Grid) -> int:
    """Sub-cells per cell side: 10 (1% of a cell each) unless the grid is very large."""
    fit = int(math.sqrt(MAX_SUBCELLS / (grid.width * grid.height)))
    return max(1, min(MAX_SUB, fit))


def land_shares(land: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Share of each cell covered by each land use, shape ``(len(LAND_USES), h, w)``.

    Polygons are painted in the table's order, so a later one covers an earlier one
    where they overlap (a building over its land-use area).
    """
    return _painted_shares(land.geometry, land["land_use"].astype(int), grid,
                           len(LAND_USES))


def water_share(water: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Share of each cell under water, shape ``(h, w)``."""
    return _painted_shares(water.geometry, np.zeros(len(water), int), grid, 1)[0]


def _painted_shares(geoms, codes, grid: Grid, n_codes: int) -> np.ndarray:
    """Paint ``codes`` (0..n_codes-1) on the sub-cell grid; each code's share per cell."""
    sub = subdivision(grid)
    h, w = grid.height, grid.width
    shares = np.zeros((n_codes, h, w))
    if len(geoms) == 0:
        return shares
    fine_transform = grid.transform @ Affine.scale(1.0 / sub)
    shapes = zip(geoms, np.asarray(codes) + 1, strict=True)
    fine = rasterize(shapes, out_shape=(h * sub, w * sub), transform=fine_transform,
                     fill=0, dtype="uint8")
    blocks = fine.reshape(h, sub, w, sub)
    for code in range(n_codes):
        shares[code] = (blocks == code + 1).sum(axis=(1, 3)) / (sub * sub)
    return shares


def poi_counts(pois: gpd.GeoDataFrame, grid: Grid, kind: str) -> np.ndarray:
    """Points of interest of one kind per cell (a point on an edge: the cell east/south)."""
    counts = np.zeros((grid.height, grid.width), np.int64)
    points = pois.geometry[pois["kind"] == kind]
    if len(points) == 0:
        return counts
    col = np.floor((points.x.to_numpy() - grid.west) / grid.cell_size_m).astype(np.int64)
    row = np.floor((grid.north - points.y.to_numpy()) / grid.cell_size_m).astype(np.int64)
    ok = (col >= 0) & (col < grid.width) & (row >= 0) & (row < grid.height)
    np.add.at(counts, (row[ok], col[ok]), 1)
    return counts


def land_use_from_osm(features: OsmFeatures, grid: Grid, inside: np.ndarray,
                      land: np.ndarray) -> np.ndarray:
    """The import's land use with OpenStreetMap's classes inside the areas (module rules).

    Args:
        features: The extract's features in the grid's CRS.
        grid: The city's grid.
        inside: Cells inside an area (the others keep their land use).
        land: The land use without OpenStreetMap (residential inside, industrial out).
    """
    shares = land_shares(features.land, grid)
    nightlife = poi_counts(features.pois, grid, "nightlife")
    school_points = poi_counts(features.pois, grid, "school")
    shops = poi_counts(features.pois, grid, "commercial")
    classes = np.array(SHARE_CLASSES)
    best = classes[np.argmax(shares[classes], axis=0)]
    best_share = np.max(shares[classes], axis=0)
    osm = np.where(best_share >= MIN_SHARE, best, RESIDENTIAL)
    osm = np.where(water_share(features.water, grid) >= WATER_SHARE, INDUSTRIAL, osm)
    osm = np.where(shops >= SHOPS, COMMERCIAL, osm)
    osm = np.where((school_points > 0) | (shares[SCHOOL] >= MIN_SHARE), SCHOOL, osm)
    osm = np.where(nightlife >= NIGHTLIFE_VENUES, NIGHTLIFE, osm)
    return np.where(inside, osm, land).astype(land.dtype)


def amount_per_cell(geoms: np.ndarray, weights: np.ndarray, grid: Grid,
                    measure: str) -> np.ndarray:
    """Sum over geometries of ``weight x`` their length or area inside each cell.

    Each geometry is cut exactly at the edges of the cells its bounding box touches
    (shapely), so a street crossing three cells adds to each the metres inside it.

    Args:
        geoms: Lines (``measure="length"``) or polygons (``"area"``) in the grid's CRS.
        weights: One factor per geometry (1 for plain length; floors for floor area).
        grid: The city's grid.
        measure: ``"length"`` or ``"area"``.
    """
    h, w = grid.height, grid.width
    total = np.zeros(h * w)
    if len(geoms) == 0:
        return total.reshape(h, w)
    bounds = shapely.bounds(geoms)
    size = grid.cell_size_m
    c0 = np.clip(np.floor((bounds[:, 0] - grid.west) / size), 0, w - 1).astype(np.int64)
    c1 = np.clip(np.floor((bounds[:, 2] - grid.west) / size), 0, w - 1).astype(np.int64)
    r0 = np.clip(np.floor((grid.north - bounds[:, 3]) / size), 0, h - 1).astype(np.int64)
    r1 = np.clip(np.floor((grid.north - bounds[:, 1]) / size), 0, h - 1).astype(np.int64)
    # every (geometry, cell of its bounding box) pair, without a Python loop
    n_cols = c1 - c0 + 1
    n_pairs = (r1 - r0 + 1) * n_cols
    gi = np.repeat(np.arange(len(geoms)), n_pairs)
    k = np.arange(int(n_pairs.sum())) - np.repeat(np.cumsum(n_pairs) - n_pairs, n_pairs)
    cell = (r0[gi] + k // n_cols[gi]) * w + c0[gi] + k % n_cols[gi]
    x0 = grid.west + (cell % w) * size
    y1 = grid.north - (cell // w) * size
    boxes = shapely.box(x0, y1 - size, x0 + size, y1)
    pieces = shapely.intersection(geoms[gi], boxes)
    amount = shapely.length(pieces) if measure == "length" else shapely.area(pieces)
    np.add.at(total, cell, amount * weights[gi])
    return total.reshape(h, w)


def street_length(streets: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Metres of street centre line per cell."""
    geoms = streets.geometry.to_numpy()
    return amount_per_cell(geoms, np.ones(len(geoms)), grid, "length")


def floor_area(homes: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Square metres of floor in buildings that may hold homes, per cell."""
    return amount_per_cell(homes.geometry.to_numpy(), homes["floors"].to_numpy(np.float64),
                           grid, "area")


def street_segments(streets: gpd.GeoDataFrame, grid: Grid) -> gpd.GeoDataFrame:
    """Street segments: the street lines noded and split at every junction.

    Lines are noded where they meet or cross (shapely ``union_all``), then pieces that
    only continue one another (two ends meeting, no third street) are joined again
    (``line_merge``), so a segment runs from one junction (or dead end) to the next.
    A bridge over a street counts as a junction: OpenStreetMap's layers are not read.
    Segments are numbered north to south, then west to east, by their midpoint, which
    also gives their cell (``row``, ``col``; -1 off the grid).
    """
    if len(streets) == 0:
        return gpd.GeoDataFrame({"segment": [], "length_m": [], "row": [], "col": []},
                                geometry=gpd.GeoSeries([], crs=streets.crs), crs=streets.crs)
    noded = shapely.union_all(streets.geometry.to_numpy())
    parts = shapely.get_parts(shapely.line_merge(noded))
    parts = parts[shapely.length(parts) > 0]
    mid = shapely.line_interpolate_point(parts, 0.5, normalized=True)
    x, y = shapely.get_x(mid), shapely.get_y(mid)
    col = np.floor((x - grid.west) / grid.cell_size_m).astype(np.int64)
    row = np.floor((grid.north - y) / grid.cell_size_m).astype(np.int64)
    off = (col < 0) | (col >= grid.width) | (row < 0) | (row >= grid.height)
    col[off], row[off] = -1, -1
    order = np.lexsort((x, -y))
    return gpd.GeoDataFrame({
        "segment": np.arange(len(parts), dtype=np.int64),
        "length_m": shapely.length(parts)[order],
        "row": row[order].astype(np.int32), "col": col[order].astype(np.int32),
    }, geometry=parts[order], crs=streets.crs)
