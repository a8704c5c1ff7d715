"""Reading recorded-crime CSV files: the columns each format needs, as text, per record.

police.uk's street-level files and a user's own table of points are both CSV. Every
value is read as text (nothing is converted or dropped by pandas), so the importer can
count each record that cannot be used under the reason it cannot, instead of losing it
to a parser's idea of a missing value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    """

    x: str
    y: str
    geographic: bool
    type: str
    date: str

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
) -> Columns:
    """The columns to read: the format's defaults, overridden by the flags given.

    police.uk files have ``Longitude``, ``Latitude``, ``Crime type`` and ``Month``. A
    ``points`` file defaults to ``x``/``y`` in the city's CRS, ``crime_type`` and ``date``.

    Raises:
        UsageError: Unknown format, a coordinate flag without its partner, or both
            lon/lat and x/y given.
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
    return Columns(
        x=str(px), y=str(py), geographic=geographic,
        type=type_column or defaults.type, date=date_column or defaults.date,
    )


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def read_records(paths: list[Path], columns: Columns) -> pd.DataFrame:
    """Read the needed columns of every file, as text, with where each record came from.

    Args:
        paths: CSV files with a header row (UTF-8, a byte-order mark is allowed).
        columns: The columns to read.

    Returns:
        One row per record: the four columns (renamed ``x``, ``y``, ``type``, ``date``),
        ``source_file`` (the file's name) and ``record`` (1-based, after the header).

    Raises:
        UsageError: A file is missing, unreadable, not CSV, or lacks a column; the
            message names the file and the column and lists the columns present.
    """
    wanted = {columns.x: "x", columns.y: "y", columns.type: "type", columns.date: "date"}
    flags = columns.flags()
    frames = []
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path}: " + ("is a folder, not a CSV file" if path.is_dir()
                                             else "file not found"))
        options = dict(dtype=str, keep_default_na=False, na_filter=False,
                       encoding="utf-8-sig")
        try:
            header = list(pd.read_csv(path, nrows=0, **options).columns)
            missing = [c for c in wanted if c not in header]
            if missing:
                raise UsageError(
                    f"{path}: no column {missing[0]!r} ({flags[missing[0]]}); columns "
                    f"present: {', '.join(header) or '(none)'}")
            frame = pd.read_csv(path, usecols=list(wanted), **options)
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path}: not UTF-8 text (byte {exc.start})") from None
        except pd.errors.EmptyDataError:
            raise UsageError(f"{path}: empty file (no header row)") from None
        except pd.errors.ParserError as exc:
            raise UsageError(f"{path}: not a readable CSV file ({_one_line(exc)})") from None
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror or exc})") from None
        frame = frame.rename(columns=wanted)[["x", "y", "type", "date"]]
        frame["source_file"] = path.name
        frame["record"] = range(1, len(frame) + 1)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
