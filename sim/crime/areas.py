"""A crime model's results by area, and where its areas are on the earth.

:func:`sim.metrics.areas.count_by_area` counts from plain arrays; this module takes
them from a model, on either engine: the fast engine keeps residents as arrays, the
plain-Mesa reference engine (:mod:`sim.reference`) as agents with the same indices.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from sim.config import CRIME_TYPES, N_CRIME
from sim.metrics.areas import AreaGeography, AreaTable, count_by_area
from sim.metrics.prevalence import group_masks


def _residents(model: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Home cells of residents and households, victimisation counts, group masks."""
    res = model.residents
    if hasattr(res, "home"):  # the fast engine: a structure of arrays
        return res.home, res.hh_home, res.victim_counts, model.group_masks()
    width = model.city.width
    people = list(res)  # the reference engine: agents, in the fast engine's order

    def flat(cell: Any) -> int:
        x, y = cell.coordinate
        return int(y) * width + int(x)

    homes = np.array([flat(r.home) for r in people], np.int64)
    households = {r.household.index: flat(r.household.home) for r in people}
    hh_home = np.array([households[h] for h in sorted(households)], np.int64)
    masks = group_masks(np.array([r.age for r in people], np.int8),
                        np.array([r.female for r in people], bool),
                        np.array([r.marginalised for r in people], bool))
    return homes, hh_home, model.victim_counts(), masks


def area_table(model: Any, crime_map: np.ndarray | None = None,
               victims: np.ndarray | None = None) -> AreaTable:
    """The model's counts by area (district).

    Args:
        model: A crime model (fast or reference engine).
        crime_map: Crimes per type and cell to count, ``(types, cells)``; default:
            every crime since the start (``city.crime_count``).
        victims: Victimisations per resident and crime type to count; default: every
            victimisation since the start. A comparison passes the counts of its
            evaluation window.
    """
    city = model.city
    homes, hh_home, counts, masks = _residents(model)
    if crime_map is None:
        crime_map = city.crime_count.reshape(N_CRIME, -1)
    if victims is None:
        victims = counts
    per_resident = np.asarray(victims, np.int64).reshape(len(homes), -1).sum(axis=1)
    return count_by_area(city.district, list(city.district_names), crime_map, homes, hh_home,
                         per_resident, masks)


def geography(model: Any) -> AreaGeography | None:
    """Where the model's areas are, or None for a city without a georeference.

    The areas' polygons are looked up in ``areas.gpkg`` beside the map file (where
    ``crimesim city import`` writes them); without it they are traced from the
    district layer.
    """
    city = model.city
    if city.crs_wkt is None or city.transform is None:
        return None
    areas_file = None
    map_file = model.scenario.params.city.map_file
    if model.scenario.params.city.layout == "map" and map_file:
        candidate = Path(map_file).parent / "areas.gpkg"
        areas_file = str(candidate) if candidate.is_file() else None
    return AreaGeography(crs_wkt=str(city.crs_wkt),
                         transform=tuple(float(v) for v in city.transform),
                         district=np.asarray(city.district, np.int32),
                         district_names=tuple(str(n) for n in city.district_names),
                         areas_file=areas_file)


def write_area_files(model: Any, out_dir: str | Path) -> dict[str, Path]:
    """Write ``areas.csv``, ``areas.gpkg`` and ``crime.tif`` for a georeferenced city.

    A city without a georeference (a generated city, a map without ``crs_wkt`` and
    ``transform``) gets none of them: its districts are no places a GIS could show.

    Returns:
        The files written, by name (``areas``, ``areas_gpkg``, ``crime_tif``).
    """
    place = geography(model)
    if place is None:
        return {}
    from sim.atomic_files import atomic_write
    from sim.geo.area_files import area_polygons, write_area_layers, write_crime_tif

    out = Path(out_dir)
    table = area_table(model).to_frame()
    paths = {"areas": out / "areas.csv"}
    atomic_write(paths["areas"], lambda t: table.to_csv(t, index=False), ".csv")
    polygons = area_polygons(place.district, place.district_names, place.crs_wkt,
                             place.transform, place.areas_file)
    paths["areas_gpkg"] = write_area_layers(out / "areas.gpkg", polygons, {"areas": table})
    counts = model.city.crime_count
    bands = {t: counts[k] for k, t in enumerate(CRIME_TYPES)} | {"total": counts.sum(axis=0)}
    paths["crime_tif"] = write_crime_tif(out / "crime.tif", bands, place.crs_wkt,
                                         place.transform)
    return paths
