"""Results on the map: per-area tables as a GeoPackage and per-cell crime as a GeoTIFF.

A georeferenced run (its map has ``crs_wkt`` and ``transform``) leaves files a GIS
opens as they are: ``areas.gpkg`` (the areas' polygons with their counts or changes)
and ``crime.tif`` (crimes per cell, one band per crime type and a total band, in the
city's CRS and grid). geopandas and rasterio are imported inside the functions, so a
run of a generated city, which writes neither, does not pay for importing them.

Every file is written under a temporary name in the destination folder and renamed
into place, so a failure never leaves half a file under the final name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.atomic_files import atomic_write
from sim.errors import ScenarioError

#: The GeoPackage layer ``crimesim city import`` writes the areas to.
AREAS_LAYER = "areas"


def write_atomically(path: Path, write: Callable[[str], None]) -> Path:
    """Write ``path`` whole or not at all (see :func:`sim.atomic_files.atomic_write`).

    GDAL makes the file itself and picks its driver from the temporary name's
    extension, which keeps ``path``'s.
    """
    return atomic_write(path, write, writer_creates=True)


def traced_polygons(district: np.ndarray, transform: Sequence[float]) -> dict[int, Any]:
    """Each area's outline traced from the district layer: index -> (multi)polygon.

    The cells of an area become one polygon per connected patch (rasterio's
    ``features.shapes``, 4-connected), merged into one geometry per area, in the
    map's coordinates.
    """
    from rasterio.features import shapes
    from rasterio.transform import Affine
    from shapely.geometry import shape
    from shapely.ops import unary_union

    parts: dict[int, list[Any]] = {}
    values = np.ascontiguousarray(district, np.int32)
    for geometry, value in shapes(values, transform=Affine(*transform[:6])):
        parts.setdefault(int(value), []).append(shape(geometry))
    return {k: unary_union(v) for k, v in parts.items()}


def area_polygons(district: np.ndarray, names: Sequence[str], crs_wkt: str,
                  transform: Sequence[float], areas_file: str | Path | None = None):
    """The areas as a GeoDataFrame (``district``, ``area``, geometry) in the grid's CRS.

    The outlines are those of ``areas_file`` (the ``areas`` layer ``crimesim city
    import`` writes, joined on its ``district`` index) when it is given and covers
    every area; otherwise, or if it cannot be read, they are traced from the cells
    (:func:`traced_polygons`), which any georeferenced map allows.
    """
    import geopandas as gpd

    frame = pd.DataFrame({"district": np.arange(len(names), dtype=np.int64),
                          "area": [str(n) for n in names]})
    geometry = _file_outlines(areas_file, crs_wkt, len(names)) if areas_file else None
    if geometry is None:
        traced = traced_polygons(district, transform)
        geometry = [traced.get(k) for k in range(len(names))]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs_wkt)


def _file_outlines(path: str | Path, crs_wkt: str, n_areas: int) -> list[Any] | None:
    """The outline of each district index from an ``areas.gpkg``, or None if unusable."""
    import geopandas as gpd
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        gdf = gpd.read_file(path, layer=AREAS_LAYER, engine="pyogrio")
    except (DataSourceError, DataLayerError, OSError, ValueError):
        return None
    if "district" not in gdf.columns or gdf.crs is None:
        return None
    gdf = gdf.to_crs(crs_wkt)
    by_index = dict(zip(gdf["district"].astype(int), gdf.geometry, strict=True))
    if any(k not in by_index for k in range(n_areas)):
        return None
    return [by_index[k] for k in range(n_areas)]


def write_area_layers(path: str | Path, polygons, layers: dict[str, pd.DataFrame]) -> Path:
    """Write each table as a layer of one GeoPackage, joined to the polygons by ``area``.

    Args:
        path: The ``.gpkg`` to write.
        polygons: :func:`area_polygons`.
        layers: Layer name -> a table with an ``area`` column and one row per area.
    """
    path = Path(path)

    def write(tmp: str) -> None:
        for name, table in layers.items():
            merged = polygons[["area", "geometry"]].merge(table, on="area", how="right")
            merged = merged.set_geometry("geometry")
            cols = [c for c in merged.columns if c != "geometry"] + ["geometry"]
            merged[cols].to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")

    return write_atomically(path, write)


def write_crime_tif(path: str | Path, bands: dict[str, np.ndarray], crs_wkt: str,
                    transform: Sequence[float]) -> Path:
    """A GeoTIFF of per-cell counts: one int32 band per entry, described by its name.

    Args:
        path: The ``.tif`` to write.
        bands: Band name -> counts per cell, shape ``(height, width)``, row 0 north.
        crs_wkt: The grid's CRS.
        transform: Affine (a, b, c, d, e, f) of the grid.
    """
    import rasterio
    from rasterio.crs import CRS
    from rasterio.transform import Affine

    path = Path(path)
    arrays = [np.asarray(a) for a in bands.values()]
    height, width = arrays[0].shape

    def write(tmp: str) -> None:
        with rasterio.open(tmp, "w", driver="GTiff", width=width, height=height,
                           count=len(arrays), dtype="int32", crs=CRS.from_wkt(crs_wkt),
                           transform=Affine(*transform[:6]), compress="deflate") as dst:
            for i, (name, values) in enumerate(zip(bands, arrays, strict=True), start=1):
                dst.write(values.astype(np.int32), i)
                dst.set_band_description(i, name)

    return write_atomically(path, write)


def check_map_crs(map_file: str | Path) -> None:
    """Refuse a map whose ``crs_wkt`` no GIS library can read, before anything runs.

    Loading a map checks only that the georeference is there and well formed
    (:mod:`sim.city.mapfile`); the CRS itself is first parsed when the area files are
    written, at the end of a run. Checking it first turns hours of simulation ending in
    an error into one line at the start. Maps without ``crs_wkt`` pass.

    Raises:
        ScenarioError: ``crs_wkt`` is not a coordinate reference system.
    """
    path = Path(map_file)
    if path.suffix.lower() != ".npz" or not path.is_file():
        return  # a missing map is the map loader's error to report
    with np.load(path, allow_pickle=False) as arrays:
        if "crs_wkt" not in arrays.files:
            return
        wkt = str(arrays["crs_wkt"])
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_wkt(wkt)
    except CRSError as exc:
        reason = (str(exc).strip().splitlines() or ["unreadable"])[0]
        raise ScenarioError(f"{path}: array 'crs_wkt' is not a coordinate reference "
                            f"system pyproj can read ({reason})") from None
