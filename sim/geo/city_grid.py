"""A georeferenced city grid read from an imported city folder, and points put in its cells.

``crimesim city import`` writes ``DIR/city.npz`` with today's map layers plus two arrays:
``crs_wkt`` (0-d string, the grid's CRS as WKT) and ``transform`` (six float64 numbers in
rasterio/GDAL affine order a, b, c, d, e, f: ``x = a*col + b*row + c``,
``y = d*col + e*row + f`` for a cell's upper-left corner). Only those, ``district`` and
``district_names`` are needed to place a point, so this reader loads nothing else and
does not build a :class:`~sim.city.City`.
"""

from __future__ import annotations

import zipfile
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
        a, b, c, d, e, f = self.transform
        det = a * e - b * d
        dx = np.asarray(x, np.float64) - c
        dy = np.asarray(y, np.float64) - f
        with np.errstate(invalid="ignore"):
            col_f = (e * dx - b * dy) / det
            row_f = (-d * dx + a * dy) / det
            finite = np.isfinite(col_f) & np.isfinite(row_f)
            col_f = np.where(finite, np.floor(col_f), -1.0)
            row_f = np.where(finite, np.floor(row_f), -1.0)
            inside = (
                finite & (row_f >= 0) & (row_f < self.height) & (col_f >= 0)
                & (col_f < self.width)
            )
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

    given = Path(city)
    path = given / "city.npz" if given.is_dir() else given
    if not path.is_file():
        what = "no city.npz in the folder" if given.is_dir() else "not found"
        raise _fail(given, what)
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise _fail(path, f"not a readable .npz file ({exc})") from None
    missing = [name for name in ("crs_wkt", "transform") if name not in arrays]
    if missing:
        raise _fail(path, f"no georeference (no array {' or '.join(map(repr, missing))}); "
                          "import the city with `crimesim city import`")
    wkt = arrays["crs_wkt"]
    if wkt.dtype.kind not in "US" or wkt.size != 1:
        raise _fail(path, "array 'crs_wkt' must be one string (the CRS as WKT)")
    wkt_item = wkt.reshape(()).item()
    wkt_text = wkt_item.decode("utf-8") if isinstance(wkt_item, bytes) else str(wkt_item)
    try:
        crs = CRS.from_wkt(wkt_text)
    except CRSError as exc:
        raise _fail(path, f"array 'crs_wkt' is not a valid CRS ({exc})") from None
    if crs.is_geographic:
        raise _fail(path, "the grid's CRS is geographic (degrees); it must be metric")
    transform = arrays["transform"]
    if (transform.dtype.kind not in "fiu" or transform.size != 6
            or not np.isfinite(transform).all()):
        raise _fail(path, "array 'transform' must hold 6 finite numbers (a, b, c, d, e, f)")
    a, b, c, d, e, f = (float(v) for v in transform.ravel())
    if a * e - b * d == 0:
        raise _fail(path, "array 'transform' is singular (cells of zero area)")
    if "district" not in arrays:
        raise _fail(path, "no array 'district'")
    district = arrays["district"]
    if district.dtype.kind not in "iu" or district.ndim != 2:
        raise _fail(path, "array 'district' must be a 2-D array of integers")
    n = int(district.max()) + 1 if district.size else 0
    if "district_names" in arrays:
        names = tuple(str(s) for s in arrays["district_names"])
        if len(names) != n:
            raise _fail(path, f"array 'district_names' has {len(names)} names but 'district' "
                              f"uses indices 0..{n - 1}")
    else:
        names = tuple(f"District {i}" for i in range(n))
    return CityGrid(
        path=path,
        crs_wkt=wkt_text,
        transform=(a, b, c, d, e, f),
        district=district.astype(np.int32),
        district_names=names,
    )
