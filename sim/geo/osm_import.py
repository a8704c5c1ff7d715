"""``crimesim city import --osm``: an extract's land use, streets and homes on the map.

Called by :func:`sim.geo.city_import.import_city` once the areas are on the grid. It
changes the map's arrays in place:

- ``land_use`` inside the areas from OpenStreetMap (rules in :mod:`sim.geo.osm_layers`);
- ``street_length_m``: metres of street per cell (new optional map layer; the model
  does not use it yet, its routes being straight lines, but results per street can);
- ``population``: where homes are. With the areas' population column, each area's
  people go to its residential cells in proportion to their home floor area
  (footprint x floors of housing and of buildings of unknown use); an area whose
  residential cells have no such floor area spreads its people evenly, as without
  ``--osm``. Without the column, people = home floor area in residential cells /
  ``floor_area_per_resident``.

The streets, cut to the grid, and their segments between junctions are returned for
``DIR/streets.gpkg`` (layers ``streets`` and ``segments``).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from pyproj import CRS

from sim.config import LAND_USES, RESIDENTIAL
from sim.geo.grid import Grid
from sim.geo.osm import read_features
from sim.geo.osm_layers import floor_area, land_use_from_osm, street_length, street_segments


@dataclass(frozen=True)
class OsmResult:
    """What the extract gave: streets for ``streets.gpkg``, a summary, people if counted.

    Attributes:
        streets: Street centre lines in the grid's CRS (``osm_id``, ``highway``, ``name``,
            ``length_m``).
        segments: The streets split at junctions (``segment``, ``length_m``, ``row``,
            ``col``).
        summary: One line for the command's output.
        residents: People from floor area (no population column), else None.
    """

    streets: gpd.GeoDataFrame
    segments: gpd.GeoDataFrame
    summary: str
    residents: float | None


def apply_osm(spec: str, crs: CRS, grid: Grid, arrays: dict[str, np.ndarray],
              inside: np.ndarray, area_population: np.ndarray | None,
              floor_area_per_resident: float) -> OsmResult:
    """Read the extract over the grid and put its layers into ``arrays`` (module doc).

    Raises:
        UsageError: The extract is missing, not a PBF file, or not of this city.
    """
    south = grid.north - grid.height * grid.cell_size_m
    east = grid.west + grid.width * grid.cell_size_m
    features = read_features(spec, crs, (grid.west, south, east, grid.north))
    land = land_use_from_osm(features, grid, inside, arrays["land_use"])
    arrays["land_use"] = land
    streets = street_length(features.streets, grid)
    arrays["street_length_m"] = streets
    homes = np.where(land == RESIDENTIAL, floor_area(features.homes, grid), 0.0)
    residents = None
    if area_population is not None:
        arrays["population"] = spread_by_floor_area(arrays["district"], inside, land, homes,
                                                    area_population)
    elif homes.sum() / floor_area_per_resident >= 1:
        arrays["population"] = homes / floor_area_per_resident
        residents = float(arrays["population"].sum())
    table = features.streets.copy()
    table["length_m"] = table.length
    counts = np.bincount(land[inside], minlength=len(LAND_USES))
    uses = ", ".join(f"{n} {name}" for name, n in zip(LAND_USES, counts, strict=True) if n)
    summary = (f"OpenStreetMap: {uses} cells inside the areas; {streets.sum() / 1000:.1f} km "
               f"of street; {homes.sum():,.0f} m^2 of home floor")
    segments = street_segments(features.streets, grid)
    summary += f"; {len(segments):,} street segments"
    return OsmResult(table, segments, summary, residents)


def spread_by_floor_area(district: np.ndarray, inside: np.ndarray, land: np.ndarray,
                         homes: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Each area's people over its residential cells, in proportion to home floor area.

    An area with no home floor area in its residential cells spreads its people evenly
    over them; one with no residential cell at all, evenly over its cells inside the
    areas (where an import without ``--osm`` puts them). Each area's cells sum to its
    population.
    """
    n = population.size
    d = district.ravel()
    resid = (inside & (land == RESIDENTIAL)).ravel()
    floor = homes.ravel()
    per_area_floor = np.bincount(d[resid], floor[resid], minlength=n)
    per_area_resid = np.bincount(d[resid], minlength=n).astype(np.float64)
    by_floor = per_area_floor[d] > 0
    by_resid = ~by_floor & (per_area_resid[d] > 0)
    weight = np.where(by_floor, floor * resid,
                      np.where(by_resid, resid, inside.ravel())).astype(np.float64)
    total = np.bincount(d, weight, minlength=n)
    share = np.divide(weight, total[d], out=np.zeros_like(weight), where=total[d] > 0)
    return (share * population[d]).reshape(district.shape)
