"""Reading a city's areas: one polygon per area from any vector file geopandas opens.

Everything that can be wrong with the file (missing, no polygons, no CRS, an unknown
or duplicated id column) is found here, before any grid is allocated or anything is
written, and raised as one :class:`~sim.errors.UsageError` line naming the problem.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS, Proj, Transformer
from pyproj.exceptions import CRSError

from sim.errors import UsageError

#: Geometry types accepted as areas.
POLYGONAL = ("Polygon", "MultiPolygon")
_METRE_UNITS = ("metre", "meter", "m")
#: Largest departure of a projected CRS's scale from 1 that is kept (UTM's is 0.1%).
SCALE_TOLERANCE = 0.01
#: Extensions read as GeoParquet (with pyarrow) rather than through GDAL.
PARQUET = (".parquet", ".geoparquet")


def _layers(path: Path) -> list[str]:
    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:  # pyogrio raises its own DataSourceError and others
        raise UsageError(f"{path}: not a readable vector file ({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def read_areas(path: str | Path, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read the areas of a GeoPackage, GeoJSON, Shapefile, GeoParquet or other vector file.

    A file with several layers (a GeoPackage may hold many) must name one: reading the
    first silently could import the wrong map.

    Raises:
        UsageError: The file is missing or unreadable, the layer is unknown or not
            named, or the layer holds no polygons.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: file not found")
    if path.suffix.lower() in PARQUET:
        return _read_geoparquet(path, layer)
    layers = _layers(path)
    if layer is None and len(layers) > 1:
        raise UsageError(f"{path}: has {len(layers)} layers; choose one with --layer "
                         f"({', '.join(layers)})")
    if layer is not None and layer not in layers:
        raise UsageError(f"{path}: no layer {layer!r} (layers: {', '.join(layers)})")
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:
        raise UsageError(f"{path}: not a readable vector file ({_first_line(exc)})") from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None or len(gdf) == 0:
        raise UsageError(f"{path}: no polygons (the layer is empty)")
    return gdf


def _read_geoparquet(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """Read a GeoParquet file with pyarrow (GDAL builds often lack its driver)."""
    if layer is not None:
        raise UsageError(f"{path}: --layer {layer}: a GeoParquet file has no layers")
    try:
        gdf = gpd.read_parquet(path)
    except Exception as exc:  # pyarrow's errors, or no geometry metadata (ValueError)
        raise UsageError(f"{path}: not a readable GeoParquet file ({_first_line(exc)})") from None
    if len(gdf) == 0:
        raise UsageError(f"{path}: no polygons (the file is empty)")
    return gdf


def check_polygons(gdf: gpd.GeoDataFrame, path: Path, id_column: str) -> gpd.GeoDataFrame:
    """Keep the areas' polygons valid; refuse points, lines and missing geometries.

    Invalid rings (self-touching, bow-ties), common in hand-digitised boundaries, are
    repaired with ``make_valid`` rather than refused: rasterising only needs the area
    each polygon covers.

    Raises:
        UsageError: No polygon at all, or an area whose geometry is missing or not
            polygonal (the first such area is named by its id).
    """
    types = gdf.geometry.geom_type
    polygonal = types.isin(POLYGONAL) & ~gdf.geometry.is_empty
    if not polygonal.any():
        found = ", ".join(sorted({str(t) for t in types.dropna().unique()})) or "none"
        raise UsageError(f"{path}: no polygons (geometry types: {found})")
    if not polygonal.all():
        bad = int(np.flatnonzero(~polygonal.to_numpy())[0])
        what = types.iloc[bad] if isinstance(types.iloc[bad], str) else "no geometry"
        raise UsageError(f"{path}: area {gdf[id_column].iloc[bad]!s} has {what}, not a polygon "
                         f"({int((~polygonal).sum())} such areas)")
    out = gdf.copy()
    invalid = ~out.geometry.is_valid
    if invalid.any():
        out.loc[invalid, out.geometry.name] = out.geometry[invalid].make_valid()
    return out


def check_id_column(gdf: gpd.GeoDataFrame, path: Path, id_column: str) -> pd.Series:
    """The areas' ids as strings, checked unique and non-empty.

    The ids become the district names of the map and the key of every per-area result,
    so two areas with one id could never be told apart.

    Raises:
        UsageError: The column does not exist (the columns are listed), or an id is
            missing, empty or repeated.
    """
    columns = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    if id_column not in columns:
        raise UsageError(f"{path}: no column {id_column!r} for --id-column "
                         f"(columns: {', '.join(columns) or 'none'})")
    raw = gdf[id_column]
    if raw.isna().any():
        row = int(np.flatnonzero(raw.isna().to_numpy())[0])
        raise UsageError(f"{path}: column {id_column!r} has no value in row {row + 1}")
    ids = raw.map(_id_text)
    if (ids.str.strip() == "").any():
        row = int(np.flatnonzero((ids.str.strip() == "").to_numpy())[0])
        raise UsageError(f"{path}: column {id_column!r} is empty in row {row + 1}")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise UsageError(f"{path}: column {id_column!r} has duplicate id {dup.iloc[0]!r} "
                         f"({ids.duplicated(keep=False).sum()} rows share an id)")
    return ids.reset_index(drop=True)


def _id_text(value: object) -> str:
    """An id as text: whole floats (a Shapefile's numbers) without a trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_metric(gdf: gpd.GeoDataFrame, path: Path, crs: str | None) -> gpd.GeoDataFrame:
    """The areas in a CRS measured in metres.

    ``--crs`` declares the CRS of a file that has none (or overrides a wrong one);
    geographic coordinates (longitude/latitude), projected CRSs in other units (US
    feet) and ones whose metres are not ground metres (Web Mercator) are projected to
    the UTM zone of the areas' centre, which keeps distances within 0.1% across a
    city; a projected CRS true to scale in metres is kept as it is.

    Raises:
        UsageError: No CRS in the file and no ``--crs``, or ``--crs`` is not a CRS.
    """
    if crs is not None:
        try:
            declared = CRS.from_user_input(crs)
        except CRSError:
            raise UsageError(f"--crs {crs}: not a known coordinate reference system "
                             "(try an EPSG code such as EPSG:27700)") from None
        gdf = gdf.set_crs(declared, allow_override=True)
    if gdf.crs is None:
        raise UsageError(f"{path}: has no coordinate reference system; give it with --crs "
                         "(e.g. --crs EPSG:4326 for longitude/latitude)")
    if gdf.crs.is_projected and _in_metres(gdf.crs) and _true_to_scale(gdf):
        return gdf
    try:
        utm = gdf.estimate_utm_crs()
    except Exception as exc:  # pyproj finds no zone for coordinates off the globe
        raise UsageError(f"{path}: cannot choose a UTM zone for these coordinates "
                         f"({_first_line(exc)}); is --crs right?") from None
    projected = gdf.to_crs(utm)
    if not np.isfinite(projected.total_bounds).all():
        raise UsageError(f"{path}: coordinates do not project to {utm.name}; is the CRS right?")
    return projected


def _true_to_scale(gdf: gpd.GeoDataFrame) -> bool:
    """Whether a metre of the CRS is a metre on the ground (within 1%) at the areas' centre.

    Web Mercator (EPSG:3857) is "in metres" but stretches them by 1 / cos(latitude):
    60% at London's latitude, which would make every cell and journey that much too big.
    Conformal national grids and UTM stay within 0.1%.
    """
    west, south, east, north = gdf.total_bounds
    try:
        to_geo = Transformer.from_crs(gdf.crs, gdf.crs.geodetic_crs, always_xy=True)
        lon, lat = to_geo.transform((west + east) / 2, (south + north) / 2)
        factors = Proj(gdf.crs).get_factors(lon, lat)
        scales = (factors.meridional_scale, factors.parallel_scale)
    except Exception:  # a CRS pyproj cannot evaluate there: trust its declared unit
        return True
    return all(np.isfinite(k) and abs(k - 1.0) <= SCALE_TOLERANCE for k in scales)


def _in_metres(crs: CRS) -> bool:
    units = {(axis.unit_name or "").lower() for axis in crs.axis_info}
    return bool(units) and units <= set(_METRE_UNITS)


def numeric_column(gdf: gpd.GeoDataFrame, path: Path, column: str, flag: str,
                   ids: pd.Series) -> np.ndarray:
    """A column of numbers, one per area, with no gaps.

    Raises:
        UsageError: The column does not exist, or an area's value is missing or not a
            number (the area is named).
    """
    columns = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    if column not in columns:
        raise UsageError(f"{path}: no column {column!r} for {flag} (columns: {', '.join(columns)})")
    values = pd.to_numeric(gdf[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise UsageError(f"{path}: column {column!r} ({flag}) has no number for area "
                         f"{ids.iloc[first]} ({int(bad.sum())} such areas)")
    return values
