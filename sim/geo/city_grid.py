"""A georeferenced city grid read from an imported city folder, and points put in its cells.

``crimesim city import`` writes ``DIR/city.npz`` with today's map layers plus two arrays:
``crs_wkt`` (0-d string, the grid's CRS as WKT) and ``transform`` (six float64 numbers in
rasterio/GDAL affine order a, b, c, d, e, f: ``x = a*col + b*row + c``,
``y = d*col + e*row + f`` for a cell's upper-left corner). Only those, ``district`` and
``district_names`` are needed to place a point, so this reader loads nothing else and
does not build a :class:`~sim.city.City`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.errors import UsageError


@dataclass(frozen=True)
class CityGrid:
    """What placing a point needs: size, georeference and districts of an imported city.

    Attributes:
        path: The ``city.npz`` read.
        crs_wkt: The grid's coordinate reference system as WKT.
        transform: Affine (a, b, c, d, e, f) from (col, row) to the CRS's (x, y).
        district: District index per cell, shape (height, width); negative = no area.
        district_names: Name (the areas' id) of each district index.
    """

    path: Path
    crs_wkt: str
    transform: tuple[float, float, float, float, float, float]
    district: np.ndarray
    district_names: tuple[str, ...]

    @property
    def height(self) -> int:
        """Rows of the grid."""
        return int(self.district.shape[0])

    @property
    def width(self) -> int:
        """Columns of the grid."""
        return int(self.district.shape[1])

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cells of points given in the grid's CRS, by inverting the affine transform.

        A point on a cell's upper or left edge belongs to that cell (floor of the
        fractional position), so the grid's lower and right edges are outside.

        Args:
            x: Easting of each point in the grid's CRS.
            y: Northing of each point in the grid's CRS.

        Returns:
            ``(row, col, inside)``: int64 row and column (meaningless where not inside)
            and whether the point falls in the grid; non-finite points are not inside.
        """
        return cells_at(self.transform, self.height, self.width, x, y)


def cells_at(transform: tuple[float, ...], height: int, width: int,
             x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, inside) of points on a grid of ``height`` x ``width`` cells.

    The one inversion of a grid's affine transform, used both when a city is laid over
    its areas and when points are put in an imported city's cells. A point on a cell's
    upper or left edge belongs to that cell; non-finite points are not inside.
    """
    a, b, c, d, e, f = transform
    det = a * e - b * d
    dx = np.asarray(x, np.float64) - c
    dy = np.asarray(y, np.float64) - f
    with np.errstate(invalid="ignore"):
        col_f = (e * dx - b * dy) / det
        row_f = (-d * dx + a * dy) / det
        finite = np.isfinite(col_f) & np.isfinite(row_f)
        col_f = np.where(finite, np.floor(col_f), -1.0)
        row_f = np.where(finite, np.floor(row_f), -1.0)
        inside = finite & (row_f >= 0) & (row_f < height) & (col_f >= 0) & (col_f < width)
    row = np.where(inside, row_f, 0).astype(np.int64)
    col = np.where(inside, col_f, 0).astype(np.int64)
    return row, col, inside


def _fail(path: Path, message: str) -> UsageError:
    return UsageError(f"--city {path}: {message}")


def load_city_grid(city: str | Path) -> CityGrid:
    """Read the georeference and districts of an imported city.

    Args:
        city: The folder written by ``crimesim city import`` (its ``city.npz`` is read),
            or a ``.npz`` map file with the same arrays.

    Returns:
        The city's grid.

    Raises:
        UsageError: The folder or file is missing, unreadable, or has no georeference
            (``crs_wkt`` and ``transform``) or no districts; one line naming the problem.
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    from sim.city.mapfile import read_map_arrays
    from sim.scenario import ScenarioError

    given = Path(city)
    path = given / "city.npz" if given.is_dir() else given
    if not path.is_file():
        raise _fail(given, "no city.npz in the folder" if given.is_dir() else "not found")
    try:
        # the map file's own rules (dtypes, shapes, names, georeference), not a copy
        arrays = read_map_arrays(path)
    except ScenarioError as exc:
        raise UsageError(f"--city {exc}") from None
    missing = [name for name in ("crs_wkt", "transform", "district") if name not in arrays]
    if missing:
        raise _fail(path, f"no georeference (no array {' or '.join(map(repr, missing))}); "
                          "import the city with `crimesim city import`")
    wkt_text = str(arrays["crs_wkt"])
    try:
        crs = CRS.from_wkt(wkt_text)
    except CRSError as exc:
        raise _fail(path, f"array 'crs_wkt' is not a valid CRS ({exc})") from None
    if crs.is_geographic:
        raise _fail(path, "the grid's CRS is geographic (degrees); it must be metric")
    a, b, c, d, e, f = (float(v) for v in arrays["transform"])
    district = arrays["district"]
    n = int(district.max()) + 1
    if "district_names" in arrays:
        names = tuple(str(s) for s in arrays["district_names"])
    else:
        names = tuple(f"District {i}" for i in range(n))
    return CityGrid(
        path=path,
        crs_wkt=wkt_text,
        transform=(a, b, c, d, e, f),
        district=district.astype(np.int32),
        district_names=names,
    )
