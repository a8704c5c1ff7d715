"""Recorded crime to the model's cells, areas, crime types and months.

Each record is either placed (one row of the output Parquet) or counted under the first
reason, in the order of :data:`REASONS`, that it cannot be: its category first (a
record of a type the model has no use for is not placed wherever it is), then its date,
then its position. Nothing is dropped without being counted, so a user sees how much of
their recorded crime the model will be fitted to, and why the rest is not.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config import CRIME_TYPES
from sim.errors import UsageError
from sim.geo.city_grid import CityGrid
from sim.geo.crime_records import Columns
from sim.geo.crime_types import TypeMap

#: Why a record is not placed, in the order they are checked.
REASONS: tuple[str, ...] = (
    "no type",
    "unknown type",
    "type not modelled",
    "bad date",
    "no coordinates",
    "bad coordinates",
    "outside the city",
)

#: The output table's columns and types (docs/city.md, "Recorded crime").
SCHEMA = pa.schema([
    ("crime_type", pa.string()),
    ("source_type", pa.string()),
    ("month", pa.string()),
    ("cell", pa.int64()),
    ("row", pa.int32()),
    ("col", pa.int32()),
    ("district", pa.int32()),
    ("area", pa.string()),
    ("x", pa.float64()),
    ("y", pa.float64()),
    ("source_file", pa.string()),
    ("record", pa.int64()),
])

_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?:[T ]\S.*)?)?")


@dataclass
class PlacedCrimes:
    """The outcome of an import: the placed records and the count of the rest.

    Attributes:
        table: One row per placed record, in :data:`SCHEMA`.
        rows_read: Records read from every file.
        not_placed: Records not placed, by reason (only reasons that occurred, in
            :data:`REASONS` order).
    """

    table: pa.Table
    rows_read: int
    not_placed: dict[str, int] = field(default_factory=dict)

    @property
    def placed(self) -> int:
        """Records placed."""
        return self.table.num_rows

    def placed_by_type(self) -> dict[str, int]:
        """Placed records per model crime type, in ``CRIME_TYPES`` order (zeros included)."""
        counts = pd.Series(self.table.column("crime_type").to_pylist()).value_counts()
        return {name: int(counts.get(name, 0)) for name in CRIME_TYPES}


def month_of(text: str) -> str | None:
    """``"YYYY-MM"`` of a month or date string, or ``None`` if it is not a valid one.

    Accepts ``YYYY-MM`` (police.uk's ``Month``), ``YYYY-MM-DD`` and an ISO date-time
    (``YYYY-MM-DDTHH:MM...`` or with a space); the day, when given, must exist.
    """
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        date(int(year), int(month), int(day) if day else 1)
    except ValueError:
        return None
    return f"{year}-{month}"


def _per_category(values: pd.Series, fn: Callable[[str], object]) -> np.ndarray:
    """``fn`` of each value, computed once per distinct value (object array)."""
    codes = pd.Categorical(values)
    table = np.empty(len(codes.categories) + 1, dtype=object)
    table[:-1] = [fn(str(c)) for c in codes.categories]
    table[-1] = fn("")  # code -1: a missing value
    return table[codes.codes]


def _coordinates(frame: pd.DataFrame, geographic: bool) -> tuple[np.ndarray, ...]:
    """Numeric x and y, and which records have none or unusable ones."""
    xs, ys = frame["x"].str.strip(), frame["y"].str.strip()
    empty = ((xs == "") | (ys == "")).to_numpy()
    x = pd.to_numeric(xs, errors="coerce").to_numpy(np.float64)
    y = pd.to_numeric(ys, errors="coerce").to_numpy(np.float64)
    bad = ~empty & ~(np.isfinite(x) & np.isfinite(y))
    if geographic:
        with np.errstate(invalid="ignore"):
            bad |= ~empty & ~bad & ((np.abs(x) > 180) | (np.abs(y) > 90))
    return x, y, empty, bad


def place_crimes(
    frame: pd.DataFrame, grid: CityGrid, columns: Columns, type_map: TypeMap
) -> PlacedCrimes:
    """Put each record in a cell, an area, a model crime type and a month.

    Args:
        frame: Records (or a chunk of them) as read by
            :func:`sim.geo.crime_records.read_records`.
        grid: The imported city's grid.
        columns: The columns read; ``columns.geographic`` says whether x/y are WGS 84
            longitude/latitude, ``columns.crs`` in which other CRS they are; either is
            projected to the grid's CRS, else x/y are already in it.
        type_map: Source categories to model types.

    Returns:
        The placed records and the count of the others by reason.
    """
    from pyproj import CRS, Transformer

    n = len(frame)
    reason = np.full(n, "", dtype=object)

    def reject(mask: np.ndarray, why: str) -> None:
        reason[mask & (reason == "")] = why

    categories = _per_category(frame["type"], str)
    model_type = _per_category(frame["type"], lambda c: type_map.classify(c)[0])
    type_reason = _per_category(frame["type"], lambda c: type_map.classify(c)[1] or "")
    for why in REASONS[:3]:
        reject(type_reason == why, why)
    months = _per_category(frame["date"], month_of)
    reject(pd.isna(months), "bad date")
    x, y, empty, bad = _coordinates(frame, columns.geographic)
    reject(empty, "no coordinates")
    reject(bad, "bad coordinates")
    usable = ~(empty | bad)
    source = CRS.from_epsg(4326) if columns.geographic else (
        CRS.from_user_input(columns.crs) if columns.crs else None)
    if source is not None and usable.any():
        to_grid = Transformer.from_crs(source, CRS.from_wkt(grid.crs_wkt), always_xy=True)
        px, py = to_grid.transform(x[usable], y[usable], errcheck=False)
        x, y = x.copy(), y.copy()
        x[usable], y[usable] = px, py
    x = np.where(usable, x, np.nan)
    y = np.where(usable, y, np.nan)
    row, col, inside = grid.locate(x, y)
    reject(~inside, "outside the city")
    # every cell of a map has a district (cells outside every area were given the
    # nearest one at import), so a point on the grid always has an area
    district = np.where(inside, grid.district[row, col], -1).astype(np.int32)

    keep = reason == ""
    names = np.array(grid.district_names + ("",), dtype=object)
    table = pa.Table.from_arrays([
        pa.array(model_type[keep], pa.string()),
        pa.array(categories[keep], pa.string()),
        pa.array(months[keep], pa.string()),
        pa.array(row[keep] * grid.width + col[keep], pa.int64()),
        pa.array(row[keep], pa.int32()),
        pa.array(col[keep], pa.int32()),
        pa.array(district[keep], pa.int32()),
        pa.array(names[district[keep]], pa.string()),
        pa.array(x[keep], pa.float64()),
        pa.array(y[keep], pa.float64()),
        pa.array(_per_category(frame["source_file"], str)[keep], pa.string()),
        pa.array(frame["record"].to_numpy()[keep], pa.int64()),
    ], schema=SCHEMA)
    counts = pd.Series(reason[~keep]).value_counts()
    not_placed = {why: int(counts[why]) for why in REASONS if why in counts}
    return PlacedCrimes(table=table, rows_read=n, not_placed=not_placed)


def merge(parts: list[PlacedCrimes]) -> PlacedCrimes:
    """One result from the results of several chunks (their tables, in order)."""
    if not parts:
        return PlacedCrimes(table=SCHEMA.empty_table(), rows_read=0)
    not_placed = {why: sum(p.not_placed.get(why, 0) for p in parts) for why in REASONS}
    return PlacedCrimes(
        table=pa.concat_tables([p.table for p in parts]),
        rows_read=sum(p.rows_read for p in parts),
        not_placed={why: n for why, n in not_placed.items() if n},
    )


def summary_path(out: Path) -> Path:
    """The summary written next to ``FILE.parquet``: ``FILE.summary.json``."""
    return out.with_name(out.stem + ".summary.json")


def write_placed(result: PlacedCrimes, grid: CityGrid, out: Path, source: dict) -> None:
    """Write the Parquet and its summary atomically: both appear whole, or neither.

    The grid's size, CRS and transform go in the Parquet's schema metadata (key
    ``crimesim``) so a reader can check the crimes belong to the city it runs.

    Args:
        result: The placed records.
        grid: The city they were placed on.
        out: ``FILE.parquet``; ``FILE.summary.json`` is written next to it.
        source: What was imported (files, format), copied into the summary.

    Raises:
        UsageError: The output cannot be written.
    """
    by_type = result.placed_by_type()
    months = sorted(set(result.table.column("month").to_pylist()))
    summary = {
        **source,
        "city": str(grid.path),
        "rows_read": result.rows_read,
        "placed": result.placed,
        "not_placed": result.not_placed,
        "placed_by_type": by_type,
        "months": {"first": months[0], "last": months[-1]} if months else None,
    }
    meta = {"city_width": grid.width, "city_height": grid.height,
            "crs_wkt": grid.crs_wkt, "transform": list(grid.transform),
            "district_names": list(grid.district_names)}
    table = result.table.replace_schema_metadata({"crimesim": json.dumps(meta)})
    created = _missing_parents(out)
    temps: list[Path] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        os.close(fd)
        temps.append(Path(name))
        pq.write_table(table, name)
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.summary.", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=2)
            fh.write("\n")
        temps.append(Path(name))
        os.replace(temps[0], out)
        os.replace(temps[1], summary_path(out))
    except OSError as exc:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        for folder in created:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None


def _missing_parents(path: Path) -> list[Path]:
    """Folders above ``path`` that do not exist yet, deepest first (to undo a mkdir)."""
    missing = []
    for parent in path.absolute().parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing


def import_crimes(
    files: list[str | Path],
    city: str | Path,
    out: str | Path,
    *,
    fmt: str = "police-uk",
    columns: Columns | None = None,
    type_map: str | Path | None = None,
) -> PlacedCrimes:
    """Read recorded crime, place it on an imported city, write ``out`` and its summary.

    Everything is checked before anything is written, so a bad input leaves no file.

    Args:
        files: CSV files (police.uk street-level files, or a table of points).
        city: The folder written by ``crimesim city import`` (or its ``city.npz``).
        out: The Parquet file to write (must end in ``.parquet``).
        fmt: ``"police-uk"`` or ``"points"``.
        columns: Columns to read; the format's defaults when ``None``.
        type_map: A TOML file of ``"category" = "model_type"`` pairs over the format's
            default map.

    Returns:
        The placed records and the counts of the others by reason.

    Raises:
        UsageError: Any bad input, including no record placed at all; one line.
    """
    from sim.geo.city_grid import load_city_grid
    from sim.geo.crime_records import check_files, read_records, resolve_columns
    from sim.geo.crime_types import MODEL_TYPES, POLICE_UK_TYPES, read_type_map

    out = Path(out)
    if out.suffix.lower() != ".parquet":
        raise UsageError(f"--out {out}: must be a .parquet file")
    if out.is_dir():
        raise UsageError(f"--out {out}: is a folder; give a .parquet file")
    columns = columns or resolve_columns(fmt)
    base = TypeMap(POLICE_UK_TYPES if fmt == "police-uk" else MODEL_TYPES)
    mapping = base.with_overrides(read_type_map(type_map)) if type_map else base
    grid = load_city_grid(city)
    paths = [Path(f) for f in files]
    check_files(paths, columns)
    result = merge([place_crimes(frame, grid, columns, mapping)
                    for frame in read_records(paths, columns)])
    if result.placed == 0:
        where = paths[0] if len(paths) == 1 else f"{len(paths)} files"
        reasons = ", ".join(f"{why} {n}" for why, n in result.not_placed.items())
        hint = ""
        if result.not_placed.get("outside the city", 0) * 2 > result.rows_read:
            hint = ("; are the coordinates in the right columns and CRS? lon/lat are WGS 84 "
                    "degrees, x/y the city's CRS" if columns.geographic else
                    "; x/y must be in the city's CRS or the one --crs names (for degrees "
                    "use --lon-column and --lat-column)")
        raise UsageError(f"{where}: no usable rows ({result.rows_read} read"
                         + (f": {reasons})" if reasons else ")") + hint)
    write_placed(result, grid, out, {"files": [p.name for p in paths], "format": fmt})
    return result
