"""Area maps of a real city: boundaries, names and extent in map coordinates.

The expected geometry comes from the fixture's own polygons (tests/dashboard/
area_city.py, built with shapely) and the grid from hand arithmetic: 1200 x 1000 m of
areas in 100 m cells is 12 x 10 cells from (530000, 181000) at the top left.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from area_city import NAMES, SMALL_CITY, X0, Y0, areas, import_fixture_city
from shapely.geometry import Polygon

from sim import Scenario
from sim.city import build_city
from sim.crime.model import CrimeModel
from sim.dashboard.figures.area_map import (
    areas_caption,
    city_geometry,
    grid_extent,
    label_size,
    traced_geometry,
)
from sim.dashboard.figures.layers import LAYERS, agent_cells
from sim.dashboard.figures.live import map_geometry, map_option

EXTENT = (X0, X0 + 1200, Y0, Y0 + 1000)


@pytest.fixture(scope="module")
def city_folder(tmp_path_factory) -> Path:
    return import_fixture_city(tmp_path_factory.mktemp("areas") / "town").parent


def load_city(folder: Path):
    scenario = Scenario.load(folder / "scenario.toml")
    return scenario, build_city(scenario.params, np.random.default_rng(0))


def polygon(rings: list[np.ndarray]) -> Polygon:
    return Polygon(rings[0], rings[1:])


def test_boundaries_are_the_geopackage_polygons(city_folder):
    _, city = load_city(city_folder)
    geometry = city_geometry(city, city_folder / "city.npz")
    assert geometry is not None and geometry.source == "areas.gpkg"
    assert geometry.names == list(NAMES)
    built = areas()
    saved = gpd.read_file(city_folder / "areas.gpkg", layer="areas")
    for i, name in enumerate(NAMES):
        expected = built.geometry[built["name"] == name].iloc[0]
        assert polygon(geometry.rings[i]).equals(expected), name
        assert saved.geometry[saved["district"] == i].iloc[0].equals(expected)
    # Eastbrook has the hole where Millpond is: two rings, the hole's corners exact
    hole = geometry.rings[1][1]
    assert sorted(map(tuple, hole[:-1])) == sorted(
        [(X0 + 700, Y0 + 200), (X0 + 900, Y0 + 200), (X0 + 900, Y0 + 400), (X0 + 700, Y0 + 400)])


def test_extent_is_the_transforms_bounds(city_folder):
    _, city = load_city(city_folder)
    assert (city.width, city.height) == (12, 10)
    geometry = city_geometry(city, city_folder / "city.npz")
    assert geometry.extent == pytest.approx(EXTENT)
    assert grid_extent((100.0, 0.0, 5.0, 0.0, -50.0, 900.0), 3, 2) == (5.0, 305.0, 800.0, 900.0)
    # label points lie inside their own areas
    for i, name in enumerate(NAMES):
        x, y = geometry.label_points[i]
        assert areas().geometry[i].contains(gpd.points_from_xy([x], [y])[0]), name


def test_a_rotated_or_plain_grid_has_no_map_geometry(city_folder):
    _, city = load_city(city_folder)
    a, b, c, d, e, f = city.transform
    city.transform = (a, 10.0, c, d, e, f)
    assert city_geometry(city, city_folder / "city.npz") is None
    city.transform, city.crs_wkt = None, None
    assert city_geometry(city, city_folder / "city.npz") is None


def test_traced_boundaries_without_the_geopackage(city_folder, tmp_path):
    copy = tmp_path / "traced"
    copy.mkdir()
    (copy / "city.npz").write_bytes((city_folder / "city.npz").read_bytes())
    _, city = load_city(city_folder)
    geometry = city_geometry(city, copy / "city.npz")
    assert geometry.source == "district raster" and geometry.georeferenced
    for i, expected in enumerate(areas().geometry):  # every edge lies on a cell edge
        assert polygon(geometry.rings[i]).equals(expected), NAMES[i]
    assert geometry.inside.all()


def test_map_draws_areas_and_names_in_map_coordinates(city_folder):
    scenario, _ = load_city(city_folder)
    model = CrimeModel(scenario=scenario.with_overrides(SMALL_CITY), rng=3)
    geometry = map_geometry(model)
    option = map_option(model, "crime density", geometry)
    x_axis, y_axis = option["xAxis"][1], option["yAxis"][1]
    left, right, bottom, top = EXTENT
    assert (x_axis["min"], x_axis["max"]) == pytest.approx((left, right))
    assert (y_axis["min"], y_axis["max"]) == pytest.approx((min(bottom, top), max(bottom, top)))
    assert not y_axis["inverse"]  # metres grow northwards: up
    assert "m, " in x_axis["name"]
    names = next(s for s in option["series"] if s["type"] == "scatter"
                 and s["name"] == "area boundaries")
    assert sorted(d["name"] for d in names["data"]) == sorted(NAMES)
    lines = next(s for s in option["series"] if s["type"] == "lines")
    assert len(lines["data"]) == 4  # three exteriors and Eastbrook's hole
    # agents sit at cell centres in metres: x = 530000 + 100 (col + 0.5)
    offenders = next(s for s in option["series"] if s["name"] == "offenders (free)")
    offsets = np.asarray(offenders["data"])
    cells = agent_cells(model)["offenders (free)"]
    assert len(cells) > 0
    assert np.allclose(offsets[:, 0], X0 + 100 * (cells % 12 + 0.5))
    assert np.allclose(offsets[:, 1], Y0 + 1000 - 100 * (cells // 12 + 0.5))
    assert "Northfield" in areas_caption(geometry)


def test_crimes_per_area_layer_sums_each_areas_cells(city_folder):
    scenario, _ = load_city(city_folder)
    model = CrimeModel(scenario=scenario.with_overrides(SMALL_CITY), rng=3)
    city = model.city
    city.crime_count[:] = 0
    city.crime_count[0, 3, 8] = 2  # row 3, column 8: x 530850, y 180650 -> Northfield
    city.crime_count[2, 7, 5] = 1  # x 530550, y 180250 -> Eastbrook
    city.crime_count[1, 7, 7] = 4  # x 530750, y 180250 -> Millpond (the hole)
    values = LAYERS["crimes per area"].values(model)
    assert values[0, 0] == 2 and values[9, 11] == 1 and values[7, 8] == 4
    option = map_option(model, "crimes per area")
    assert max(value for _x, _y, value in option["series"][0]["data"]) == 4


def test_victimisations_per_area_layer_counts_by_home(city_folder):
    scenario, _ = load_city(city_folder)
    model = CrimeModel(scenario=scenario.with_overrides(SMALL_CITY), rng=3)
    res, city = model.residents, model.city
    res.victim_counts[:] = 0
    res.victim_counts[0, 0] = 3
    res.victim_counts[1, 2] = 1
    homes = city.district.reshape(-1)[res.home[:2]]
    expected = np.zeros(3)
    np.add.at(expected, homes, [3, 1])
    values = LAYERS["victimisations per area: everyone"].values(model)
    for area in range(3):
        assert values[city.district == area][0] == expected[area]


def test_many_areas_name_only_the_largest():
    district = np.zeros((4, 60), np.int32)
    district[:, :40] = np.arange(40)  # 40 areas one column wide
    district[:, 40:] = 40 + np.arange(20) // 2  # 10 areas two columns wide
    geometry = traced_geometry(district, [f"a{i}" for i in range(50)])
    chosen = geometry.labelled(30)
    assert len(chosen) == 30 and set(range(40, 50)) <= set(chosen)
    assert geometry.labelled(60) == list(range(50))
    assert label_size(30) < label_size(8) == 8.0
    assert areas_caption(geometry) == ""  # cell coordinates: not a georeferenced map
