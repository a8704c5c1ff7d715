"""Reading back the recorded crime ``crimesim crimes import`` wrote, for the calibrator.

The Parquet file carries the grid it was placed on (schema metadata ``crimesim``), so
counts by area and type are only compared with a model of the same city: a file made
for another city, or for an older import of this one, is refused with one line rather
than fitted to the wrong cells.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config import CRIME_TYPES
from sim.errors import UsageError
from sim.geo.crimes import SCHEMA


def read_observed(path: str | Path) -> tuple[pd.DataFrame, dict]:
    """The placed crimes and the grid they were placed on.

    Args:
        path: A Parquet file written by ``crimesim crimes import``.

    Returns:
        ``(crimes, grid)``: one row per crime with the columns of
        :data:`sim.geo.crimes.SCHEMA`, and the metadata (``city_width``,
        ``city_height``, ``crs_wkt``, ``transform``, ``district_names``).

    Raises:
        UsageError: The file is missing, not Parquet, or not written by the importer.
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: file not found")
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise UsageError(f"{path}: not a readable Parquet file ({exc})") from None
    missing = [f.name for f in SCHEMA if f.name not in table.column_names]
    raw = (table.schema.metadata or {}).get(b"crimesim")
    if missing or raw is None:
        what = f"no column {missing[0]!r}" if missing else "no crimesim metadata"
        raise UsageError(f"{path}: not a file of `crimesim crimes import` ({what})")
    grid = json.loads(raw)
    unknown = set(table.column("crime_type").to_pylist()) - set(CRIME_TYPES)
    if unknown:
        raise UsageError(f"{path}: unknown crime type {sorted(unknown)[0]!r}")
    return table.to_pandas(), grid


def check_same_city(grid: dict, width: int, height: int, district_names: list[str],
                    path: str | Path = "observed crime") -> None:
    """Refuse observed crime placed on another grid than the model's city.

    Raises:
        UsageError: The size or the areas' names differ; one line saying which.
    """
    if (grid["city_width"], grid["city_height"]) != (width, height):
        raise UsageError(
            f"{path}: placed on a {grid['city_width']} x {grid['city_height']} grid, but "
            f"the city is {width} x {height}; import the crimes again with its --city")
    if list(grid["district_names"]) != list(district_names):
        raise UsageError(f"{path}: its areas are not the city's areas; import the crimes "
                         "again with its --city")


def counts_by_area(crimes: pd.DataFrame, district_names: list[str]) -> pd.DataFrame:
    """Crimes per area (rows, every area, in district order) and type (columns, every type).

    Areas and types with no crime get 0, so the table lines up with a model's per-area
    counts whatever the data hold.
    """
    table = pd.crosstab(crimes["area"], crimes["crime_type"])
    return table.reindex(index=list(district_names), columns=list(CRIME_TYPES),
                         fill_value=0).astype("int64")
