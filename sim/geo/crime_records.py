"""Reading recorded-crime CSV files: the columns each format needs, as text, per record.

police.uk's street-level files and a user's own table of points are both CSV. Every
value is read as text (nothing is converted or dropped by pandas), so the importer can
count each record that cannot be used under the reason it cannot, instead of losing it
to a parser's idea of a missing value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.errors import UsageError

#: Input formats of ``crimesim crimes import``.
FORMATS: tuple[str, ...] = ("police-uk", "points")


@dataclass(frozen=True)
class Columns:
    """Which columns hold a record's position, category and date.

    Attributes:
        x: Longitude (``geographic``) or easting in the city's CRS.
        y: Latitude (``geographic``) or northing in the city's CRS.
        geographic: Whether x and y are WGS 84 longitude and latitude (EPSG:4326).
        type: The recorded crime category.
        date: The month ("YYYY-MM") or date ("YYYY-MM-DD", optionally with a time).
        crs: The CRS of projected x/y when it is not the city's (as pyproj reads it:
            "EPSG:27700", WKT, ...); ``None`` = the city's.
    """

    x: str
    y: str
    geographic: bool
    type: str
    date: str
    crs: str | None = None

    def flags(self) -> dict[str, str]:
        """Each column's name with the flag that sets it, for error messages."""
        xy = ("--lon-column", "--lat-column") if self.geographic else ("--x-column",
                                                                         "--y-column")
        return {self.x: xy[0], self.y: xy[1], self.type: "--type-column",
                self.date: "--date-column"}


def resolve_columns(
    fmt: str,
    *,
    lon: str | None = None,
    lat: str | None = None,
    x: str | None = None,
    y: str | None = None,
    type_column: str | None = None,
    date_column: str | None = None,
    crs: str | None = None,
) -> Columns:
    """The columns to read: the format's defaults, overridden by the flags given.

    police.uk files have ``Longitude``, ``Latitude``, ``Crime type`` and ``Month``. A
    ``points`` file defaults to ``x``/``y`` in the city's CRS, ``crime_type`` and ``date``.

    ``crs`` says which CRS projected x/y are in when it is not the city's.

    Raises:
        UsageError: Unknown format, a coordinate flag without its partner, both
            lon/lat and x/y given, one column named for two roles, or a ``crs`` that
            is not a projected CRS or comes with longitude/latitude.
    """
    if fmt not in FORMATS:
        raise UsageError(f"--format: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if (lon is None) != (lat is None):
        raise UsageError("--lon-column and --lat-column must be given together")
    if (x is None) != (y is None):
        raise UsageError("--x-column and --y-column must be given together")
    if lon is not None and x is not None:
        raise UsageError("give either --lon-column/--lat-column or --x-column/--y-column, "
                         "not both")
    if fmt == "police-uk":
        defaults = Columns("Longitude", "Latitude", True, "Crime type", "Month")
    else:
        defaults = Columns("x", "y", False, "crime_type", "date")
    if lon is not None:
        px, py, geographic = lon, lat, True
    elif x is not None:
        px, py, geographic = x, y, False
    else:
        px, py, geographic = defaults.x, defaults.y, defaults.geographic
    if crs is not None:
        _check_crs(crs, geographic)
    chosen = Columns(
        x=str(px), y=str(py), geographic=geographic,
        type=type_column or defaults.type, date=date_column or defaults.date, crs=crs,
    )
    names = [chosen.x, chosen.y, chosen.type, chosen.date]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:
        raise UsageError(f"column {twice!r} is given for two roles (x/longitude, "
                         "y/latitude, type, date); each needs its own column")
    return chosen


def _check_crs(crs: str, geographic: bool) -> None:
    """A ``--crs`` must be a projected CRS and goes with x/y, not longitude/latitude."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if geographic:
        raise UsageError("--crs is for x/y columns; longitude/latitude are WGS 84 degrees")
    try:
        parsed = CRS.from_user_input(crs)
    except CRSError:
        raise UsageError(f"--crs {crs!r}: not a CRS pyproj knows (e.g. EPSG:27700)") from None
    if parsed.is_geographic:
        raise UsageError(f"--crs {crs!r} is geographic (degrees); for longitude and "
                         "latitude use --lon-column and --lat-column")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


#: Records read at a time: memory stays bounded whatever the files' size.
CHUNK_ROWS = 250_000


def _fail(path: Path, exc: Exception) -> UsageError:
    """One line for a CSV file pandas cannot read."""
    if isinstance(exc, UnicodeDecodeError):
        return UsageError(f"{path}: not UTF-8 text (byte {exc.start})")
    if isinstance(exc, pd.errors.EmptyDataError):
        return UsageError(f"{path}: empty file (no header row)")
    if isinstance(exc, pd.errors.ParserError):
        return UsageError(f"{path}: not a readable CSV file ({_one_line(exc)})")
    if isinstance(exc, OSError):
        return UsageError(f"{path}: cannot read ({exc.strerror or exc})")
    raise exc


_CSV_ERRORS = (UnicodeDecodeError, pd.errors.EmptyDataError, pd.errors.ParserError, OSError)
_OPTIONS = dict(keep_default_na=False, na_filter=False, encoding="utf-8-sig")


def check_files(paths: list[Path], columns: Columns) -> None:
    """Check every file exists and has the needed columns, before any is read in full.

    Raises:
        UsageError: A file is missing, given twice, unreadable, not CSV, or lacks a
            column; the message names the file and the column and lists the columns
            present.
    """
    flags = columns.flags()
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            raise UsageError(f"{path}: given twice (its crimes would count twice)")
        seen.add(path.resolve())
        if not path.is_file():
            raise UsageError(f"{path}: " + ("is a folder, not a CSV file" if path.is_dir()
                                             else "file not found"))
        try:
            header = list(pd.read_csv(path, nrows=0, dtype=str, **_OPTIONS).columns)
        except _CSV_ERRORS as exc:
            raise _fail(path, exc) from None
        missing = [c for c in flags if c not in header]
        if missing:
            raise UsageError(f"{path}: no column {missing[0]!r} ({flags[missing[0]]}); "
                             f"columns present: {', '.join(header) or '(none)'}")


def read_records(
    paths: list[Path], columns: Columns, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Read the needed columns of every file in chunks, with where each record came from.

    Call :func:`check_files` first: this assumes the files and columns exist.

    Args:
        paths: CSV files with a header row (UTF-8, a byte-order mark is allowed).
        columns: The columns to read.
        chunk_rows: Records per chunk.

    Yields:
        Up to ``chunk_rows`` records: the four columns (renamed ``x``, ``y``, ``type``,
        ``date``), ``source_file`` (the file's name) and ``record`` (1-based, after the
        header); ``type`` and ``date`` are categoricals (few distinct values), ``x``
        and ``y`` text.

    Raises:
        UsageError: A file turns out not to be readable CSV part way through.
    """
    wanted = {columns.x: "x", columns.y: "y", columns.type: "type", columns.date: "date"}
    dtypes = {columns.x: str, columns.y: str, columns.type: "category",
              columns.date: "category"}
    for path in paths:
        first = 1
        try:
            with pd.read_csv(path, usecols=list(wanted), dtype=dtypes, chunksize=chunk_rows,
                             **_OPTIONS) as reader:
                for chunk in reader:
                    frame = chunk.rename(columns=wanted)[["x", "y", "type", "date"]]
                    frame["source_file"] = path.name
                    frame["record"] = np.arange(first, first + len(frame), dtype=np.int64)
                    first += len(frame)
                    yield frame
        except _CSV_ERRORS as exc:
            raise _fail(path, exc) from None
