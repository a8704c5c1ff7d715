"""A tiny imported city for the dashboard's area-map tests, made by the real importer.

Three areas in British National Grid (EPSG:27700), 100 m cells: "Northfield" (an
L-shape, 0-1200 m east by 600-1000 m north, plus 0-400 east by 0-600 north),
"Eastbrook" (400-1200 east by 0-600 north, with a 200 m square hole), and the
hole's own area "Millpond". Coordinates are offset by (530000, 180000); the grid
is 12 x 10 cells. Small enough that a model on it runs a day in well under a second.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon, box

X0, Y0 = 530_000.0, 180_000.0
NAMES = ("Northfield", "Eastbrook", "Millpond")
#: A few residents and agents so a run is quick.
SMALL_CITY = {"residents.count": 600, "offenders.count": 12, "police.count": 2,
              "services.count": 1, "security.guards": 1}


def areas() -> gpd.GeoDataFrame:
    """The three areas, with a deprivation score and a population."""
    north = Polygon([(X0, Y0 + 1000), (X0 + 1200, Y0 + 1000), (X0 + 1200, Y0 + 600),
                     (X0 + 400, Y0 + 600), (X0 + 400, Y0), (X0, Y0)])
    hole = box(X0 + 700, Y0 + 200, X0 + 900, Y0 + 400)
    east = box(X0 + 400, Y0, X0 + 1200, Y0 + 600).difference(hole)
    return gpd.GeoDataFrame(
        {"name": list(NAMES), "imd": [12.0, 30.0, 20.0], "people": [400, 300, 100]},
        geometry=[north, east, hole], crs="EPSG:27700")


def write_areas(path: Path) -> Path:
    """Write the areas to ``path`` (format from the extension)."""
    areas().to_file(path, engine="pyogrio")
    return path


def import_fixture_city(folder: Path, source_dir: Path | None = None) -> Path:
    """Import the areas into ``folder`` (as ``crimesim city import`` does); its scenario.

    The areas file is written to ``source_dir`` (default: beside ``folder``).
    """
    from sim.geo.city_import import import_city

    source_dir = folder.parent if source_dir is None else source_dir
    source_dir.mkdir(parents=True, exist_ok=True)
    source = write_areas(source_dir / f"{folder.name}-areas.gpkg")
    import_city(source, "name", folder, deprivation_column="imd",
                population_column="people", cell_size_m=100.0)
    return folder / "scenario.toml"
