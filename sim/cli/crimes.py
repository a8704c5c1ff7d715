"""``crimesim crimes import``: a city's recorded crime placed on its imported grid.

The records go to cells, areas, model crime types and months in one Parquet file, with
the count of records not placed, by reason, printed and written next to it
(``FILE.summary.json``); docs/city.md, "Recorded crime".
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(sub: Any) -> None:
    """Register ``crimes`` (with its ``import`` subcommand) on the subcommand parser."""
    from sim.geo.crime_records import FORMATS

    crimes = sub.add_parser("crimes", help="bring recorded crime onto an imported city")
    crimes.set_defaults(func=lambda args: _no_subcommand(crimes))
    actions = crimes.add_subparsers(dest="crimes_command", metavar="ACTION")
    p = actions.add_parser(
        "import", help="place recorded crime (police.uk CSVs or points) on a city's grid")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="CSV files of recorded crime (several police.uk months are fine)")
    p.add_argument("--city", required=True, metavar="DIR",
                   help="a folder written by `crimesim city import`")
    p.add_argument("--format", choices=FORMATS, default="police-uk",
                   help="police-uk (street-level CSVs, default) or points (your own table)")
    p.add_argument("--lon-column", metavar="C", help="longitude column (WGS 84)")
    p.add_argument("--lat-column", metavar="C", help="latitude column (WGS 84)")
    p.add_argument("--x-column", metavar="C", help="easting column, in the city's CRS")
    p.add_argument("--y-column", metavar="C", help="northing column, in the city's CRS")
    p.add_argument("--crs", metavar="CRS",
                   help="the x/y columns' CRS when it is not the city's (e.g. EPSG:27700)")
    p.add_argument("--type-column", metavar="C", help="crime category column")
    p.add_argument("--date-column", metavar="C",
                   help="month (YYYY-MM) or date (YYYY-MM-DD[ time]) column")
    p.add_argument("--type-map", metavar="FILE.toml",
                   help='"category" = "model_type" pairs over the default map')
    p.add_argument("--out", required=True, metavar="FILE.parquet",
                   help="the placed crimes; FILE.summary.json is written next to it")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=import_command)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def import_command(args: argparse.Namespace) -> int:
    """Import, then print how many records were placed and why the others were not."""
    from sim.geo.crime_records import resolve_columns
    from sim.geo.crimes import import_crimes, summary_path

    columns = resolve_columns(
        args.format, lon=args.lon_column, lat=args.lat_column, x=args.x_column,
        y=args.y_column, type_column=args.type_column, date_column=args.date_column,
        crs=args.crs)
    result = import_crimes(args.files, args.city, args.out, fmt=args.format,
                           columns=columns, type_map=args.type_map)
    if args.quiet:
        return 0
    width = max([len("not placed"), *map(len, result.not_placed)]) + 2
    print(f"read {result.rows_read} records from {len(args.files)} file(s)")
    print(f"{'placed':<{width}}{result.placed:>9}")
    for name, n in result.placed_by_type().items():
        if n:
            print(f"  {name:<{width - 2}}{n:>9}")
    print(f"{'not placed':<{width}}{sum(result.not_placed.values()):>9}")
    for why, n in result.not_placed.items():
        print(f"  {why:<{width - 2}}{n:>9}")
    print(f"wrote {args.out} and {summary_path(Path(args.out))}")
    return 0

