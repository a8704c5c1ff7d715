"""Areas onto the model's grid: districts, deprivation rank and population per cell.

The grid covers the areas' bounds with square cells of ``cell_size_m`` metres, north
up, cell (row 0, column 0) at the bounds' north-west corner. A cell belongs to the area
that covers its centre (rasterio's rule); where areas overlap, the later row of the
file wins. An area too small to cover any cell centre still gets the cell under its
representative point, so every area is a district with at least one cell. Cells
outside every area belong to the nearest area's district (so every cell has a
district, as the model requires) but are industrial land: nobody lives there and they
are the least attractive to offenders (docs/city.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from rasterio.features import rasterize
from rasterio.transform import Affine
from scipy.ndimage import distance_transform_edt
from scipy.stats import rankdata

from sim.config import LAND_USES
from sim.errors import UsageError

#: Most cells an imported city may have. A built model holds about 230 bytes a cell
#: before its agents (measured with tracemalloc: 229 MB for 1000 x 1000 cells, 290 MB
#: at the peak of the build), so this is about 2.3 GB. A bigger city needs bigger cells.
MAX_CELLS = 10_000_000
#: Longest side in cells, as the scenario schema allows (``city.width``/``city.height``).
MAX_SIDE = 20_000
RESIDENTIAL = LAND_USES.index("residential")
OUTSIDE = LAND_USES.index("industrial")
#: Share of a cell by which the bounds may overshoot whole cells without adding a cell.
SLACK = 1e-4
#: District value of a cell before the nearest-area fill (no area covers its centre).
NO_AREA = -1


@dataclass(frozen=True)
class Grid:
    """A north-up grid over projected coordinates.

    Attributes:
        width: Cells across (columns, x).
        height: Cells down (rows, y).
        cell_size_m: Side of a cell in metres.
        west: x of the grid's west edge (the areas' minimum x).
        north: y of the grid's north edge (the areas' maximum y).
    """

    width: int
    height: int
    cell_size_m: float
    west: float
    north: float

    @property
    def transform(self) -> Affine:
        """From (column, row) to map coordinates; (0, 0) is the north-west corner."""
        return Affine(self.cell_size_m, 0.0, self.west, 0.0, -self.cell_size_m, self.north)

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        """(row, column) of the cell holding the point, clipped to the grid."""
        col = int(math.floor((x - self.west) / self.cell_size_m))
        row = int(math.floor((self.north - y) / self.cell_size_m))
        return min(max(row, 0), self.height - 1), min(max(col, 0), self.width - 1)


def grid_for(areas: gpd.GeoDataFrame, cell_size_m: float) -> Grid:
    """The smallest grid of whole cells covering the areas' bounds (at least 2 x 2).

    Raises:
        UsageError: The grid would exceed :data:`MAX_CELLS` cells or :data:`MAX_SIDE`
            cells a side; checked before any array is allocated.
    """
    west, south, east, north = (float(v) for v in areas.total_bounds)
    # bounds a reprojection left a hair over whole cells (2000.0000001 m at 100 m) are
    # 20 cells, not 21: overshoots under SLACK of a cell are rounding, not land
    width = max(2, math.ceil((east - west) / cell_size_m - SLACK))
    height = max(2, math.ceil((north - south) / cell_size_m - SLACK))
    cells = width * height
    if cells > MAX_CELLS or max(width, height) > MAX_SIDE:
        km_w, km_h = (east - west) / 1000, (north - south) / 1000
        smallest = math.ceil(math.sqrt((east - west) * (north - south) / MAX_CELLS))
        raise UsageError(
            f"city too large: {km_w:.1f} x {km_h:.1f} km at {cell_size_m:g} m cells is "
            f"{width} x {height} = {cells:,} cells (at most {MAX_CELLS:,}, and {MAX_SIDE:,} "
            f"a side); use --cell-size-m {max(smallest, 1)} or more"
        )
    return Grid(width, height, float(cell_size_m), west, north)


def rasterise_districts(areas: gpd.GeoDataFrame, grid: Grid) -> np.ndarray:
    """Area index (0..n-1, the file's row order) of each cell; -1 outside every area."""
    shape = (grid.height, grid.width)
    geoms = list(areas.geometry)
    district = rasterize(
        zip(geoms, range(len(geoms)), strict=True), out_shape=shape,
        transform=grid.transform, fill=NO_AREA, dtype="int32",
    )
    present = np.zeros(len(geoms), bool)
    present[district[district >= 0]] = True
    for idx in np.flatnonzero(~present):
        point = geoms[idx].representative_point()
        district[grid.cell_of(point.x, point.y)] = idx
    return district


def fill_outside(district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Land use, and districts with the cells outside every area given to the nearest.

    Returns:
        ``(land_use, district)``: residential inside the areas and industrial outside;
        every cell's district a valid area index.
    """
    outside = district == NO_AREA
    land = np.where(outside, OUTSIDE, RESIDENTIAL).astype(np.int8)
    if outside.any():
        _, (iy, ix) = distance_transform_edt(outside, return_indices=True)
        district = district[iy, ix]
    return land, district.astype(np.int32)


def deprivation_rank(values: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Each area's deprivation as its rank in [0, 1]: 0 least, 1 most deprived.

    A rank, not the raw value, because indicators come in every unit (a score, a share,
    an income) and the model's deprivation is a relative position in the city. Ties
    share their average rank; a single area sits in the middle (0.5). By default a
    higher value is more deprived (an index of deprivation); ``higher_is_better`` flips
    it (an income, an employment rate).
    """
    n = values.size
    if n == 1:
        return np.array([0.5])
    rank = (rankdata(values, method="average") - 1.0) / (n - 1)
    return 1.0 - rank if higher_is_better else rank


def population_layer(district: np.ndarray, inside: np.ndarray,
                     population: np.ndarray) -> np.ndarray:
    """People per cell: each area's population spread evenly over its cells inside it.

    Cells outside every area hold nobody. An area's cells sum to its population, so the
    layer's total is the areas' total (up to areas left without a cell where they
    overlap others entirely).
    """
    n = population.size
    cells = np.bincount(district[inside], minlength=n).astype(np.float64)
    per_cell = np.divide(population, cells, out=np.zeros(n), where=cells > 0)
    return np.where(inside, per_cell[district], 0.0)
