"""``crimesim city import`` on hand-checkable layouts, in every vector format.

Every fixture is synthetic, built here with shapely/geopandas in ``tmp_path``: two
1 km x 1 km squares side by side in UTM zone 30N (EPSG:32630), west square "A" and
east square "B". At 100 m cells that is a 20 x 10 grid whose left half is district 0
and right half district 1, and whose transform puts cell (0, 0) at the squares'
north-west corner (500000, 5701000): expected values a reader can check by hand.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from cli_support import crimesim
from geo_fixtures import SOUTH, UTM30N, WEST, load, run_import, two_squares, write
from pyproj import CRS
from shapely.geometry import Point, box


def assert_two_squares(arrays: dict[str, np.ndarray], tol: float = 1e-6) -> None:
    """The hand-checked layout: 20 x 10, left half 0, right half 1, corner at (W, N)."""
    district = arrays["district"]
    assert district.shape == (10, 20)
    assert (district[:, :10] == 0).all() and (district[:, 10:] == 1).all()
    assert list(arrays["district_names"]) == ["A", "B"]
    assert (arrays["land_use"] == 0).all()  # residential everywhere: no cell is outside
    a, b, c, d, e, f = arrays["transform"]
    assert arrays["transform"].dtype == np.float64
    assert (a, b, d, e) == (100.0, 0.0, 0.0, -100.0)
    assert c == pytest.approx(WEST, abs=tol) and f == pytest.approx(SOUTH + 1000, abs=tol)
    assert arrays["crs_wkt"].ndim == 0 and arrays["crs_wkt"].dtype.kind == "U"
    assert CRS.from_wkt(str(arrays["crs_wkt"])).to_epsg() == 32630


# --- the hand-checked layout in each format -----------------------------------------


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp"])
@pytest.mark.parametrize("crs", [UTM30N, "EPSG:4326"])
def test_two_squares_in_every_format_and_crs(tmp_path, capsys, fmt, crs):
    """Projected input is kept; longitude/latitude is projected back to UTM zone 30N."""
    areas = write(two_squares(crs), tmp_path / f"areas.{fmt}")
    out = tmp_path / "city"
    code, stdout, err = run_import(capsys, areas, out)
    assert code == 0, err
    assert "2 areas onto 20 x 10 cells of 100 m" in stdout
    assert_two_squares(load(out), tol=1e-3 if crs == "EPSG:4326" else 1e-6)


def test_transform_maps_cell_centres_to_the_areas(tmp_path, capsys):
    """Cell (row 0, col 0)'s corner is the bounds' north-west corner; centres fall inside."""
    areas = write(two_squares(), tmp_path / "areas.gpkg")
    assert run_import(capsys, areas, tmp_path / "city")[0] == 0
    arrays = load(tmp_path / "city")
    a, b, c, d, e, f = arrays["transform"]
    xy = lambda col, row: (a * col + b * row + c, d * col + e * row + f)  # noqa: E731
    assert xy(0, 0) == (WEST, SOUTH + 1000)
    assert xy(20, 10) == (WEST + 2000, SOUTH)
    squares = two_squares()
    x, y = xy(14.5, 3.5)  # a cell centre in column 14: square B
    assert squares.geometry[1].contains(Point(x, y))
    assert arrays["district"][3, 14] == 1


def test_areas_gpkg_opens_in_the_metric_crs_with_district_index(tmp_path, capsys):
    areas = write(two_squares("EPSG:4326"), tmp_path / "areas.geojson")
    assert run_import(capsys, areas, tmp_path / "city", "--population-column", "pop")[0] == 0
    back = gpd.read_file(tmp_path / "city" / "areas.gpkg", layer="areas")
    assert back.crs.to_epsg() == 32630
    assert list(back["district"]) == [0, 1] and list(back["code"]) == ["A", "B"]
    assert list(back["pop"]) == [3000, 1000]
    assert back.area.to_numpy() == pytest.approx([1e6, 1e6], rel=1e-6)


def test_deprivation_is_a_rank_flipped_by_higher_is_better(tmp_path, capsys):
    areas = write(two_squares(), tmp_path / "areas.gpkg")
    assert run_import(capsys, areas, tmp_path / "imd", "--deprivation-column", "imd")[0] == 0
    dep = load(tmp_path / "imd")["deprivation"]
    assert (dep[:, :10] == 0.0).all() and (dep[:, 10:] == 1.0).all()  # IMD 10 < 30
    assert run_import(capsys, areas, tmp_path / "inc", "--deprivation-column", "income",
                      "--higher-is-better")[0] == 0
    dep = load(tmp_path / "inc")["deprivation"]  # income 900 (A) is better than 100 (B)
    assert (dep[:, :10] == 0.0).all() and (dep[:, 10:] == 1.0).all()


def test_deprivation_ties_share_their_average_rank():
    from sim.geo.grid import deprivation_rank

    # values 5, 1, 5, 9: ranks 2.5, 1, 2.5, 4 -> (r - 1) / 3
    got = deprivation_rank(np.array([5.0, 1.0, 5.0, 9.0]), higher_is_better=False)
    assert got == pytest.approx([0.5, 0.0, 0.5, 1.0])


def test_population_layer_and_scaled_residents(tmp_path, capsys):
    """3000 people over 100 cells is 30 a cell in A, 1000 over 100 is 10 in B."""
    areas = write(two_squares(), tmp_path / "areas.gpkg")
    out = tmp_path / "city"
    assert run_import(capsys, areas, out, "--population-column", "pop")[0] == 0
    pop = load(out)["population"]
    assert pop.dtype == np.float64
    assert (pop[:, :10] == 30.0).all() and (pop[:, 10:] == 10.0).all()
    from sim import Scenario

    sc = Scenario.load(out / "scenario.toml")
    assert sc.params.residents.count == 4000
    assert sc.params.offenders.count == 60  # baseline 450 per 30,000, times 4000 / 30,000
    assert sc.params.city.cell_size_m == 100.0 and sc.params.city.width == 20


def test_homes_follow_the_population_layer(tmp_path, capsys):
    """A holds 3/4 of the people, so about 3/4 of the households live there."""
    from sim import Scenario
    from sim.families import family_for

    areas = write(two_squares(), tmp_path / "areas.gpkg")
    out = tmp_path / "city"
    assert run_import(capsys, areas, out, "--population-column", "pop")[0] == 0
    model = family_for(Scenario.load(out / "scenario.toml")).build(
        Scenario.load(out / "scenario.toml"), 7, agent_views=False)
    homes = model.residents.hh_home
    share_a = float(np.mean(model.city.district.ravel()[homes] == 0))
    # binomial sd of a share of ~1700 households is about 0.011: 0.75 +- 0.05 is > 4 sd
    assert share_a == pytest.approx(0.75, abs=0.05)


def test_imported_scenario_runs_one_day(tmp_path, capsys):
    areas = write(two_squares(), tmp_path / "areas.gpkg")
    out = tmp_path / "city"
    assert run_import(capsys, areas, out, "--population-column", "pop",
                      "--deprivation-column", "imd")[0] == 0
    code, _, err = crimesim(capsys, "run", out / "scenario.toml", "--days", "1",
                            "--out", tmp_path / "run")
    assert code == 0, err
    assert (tmp_path / "run" / "summary.json").is_file()


# --- cells outside every area, and areas smaller than a cell ------------------------


def test_cells_outside_the_areas_are_industrial_and_join_the_nearest_area(tmp_path, capsys):
    """Diagonal squares: the empty quarters are industrial, districts from the nearest."""
    gdf = gpd.GeoDataFrame(
        {"code": ["SW", "NE"]},
        geometry=[box(WEST, SOUTH, WEST + 500, SOUTH + 500),
                  box(WEST + 500, SOUTH + 500, WEST + 1000, SOUTH + 1000)], crs=UTM30N)
    out = tmp_path / "city"
    assert run_import(capsys, write(gdf, tmp_path / "a.gpkg"), out)[0] == 0
    arrays = load(out)
    land, district = arrays["land_use"], arrays["district"]
    assert land.shape == (10, 10)
    assert (land[5:, :5] == 0).all() and (land[:5, 5:] == 0).all()  # SW, NE residential
    assert (land[:5, :5] == 4).all() and (land[5:, 5:] == 4).all()  # NW, SE industrial
    assert district[9, 0] == 0 and district[0, 9] == 1
    assert district[4, 0] == 0 and district[0, 5] == 1  # just outside, next to each square


def test_an_area_smaller_than_a_cell_still_gets_a_cell(tmp_path, capsys):
    gdf = two_squares()
    tiny = gpd.GeoDataFrame({"code": ["T"]}, geometry=[box(WEST + 1950, SOUTH + 10,
                                                           WEST + 1960, SOUTH + 20)],
                            crs=UTM30N)
    both = gpd.GeoDataFrame(
        {"code": [*gdf["code"], "T"]},
        geometry=[gdf.geometry[0], gdf.geometry[1].difference(tiny.geometry[0]),
                  tiny.geometry[0]], crs=UTM30N)
    out = tmp_path / "city"
    assert run_import(capsys, write(both, tmp_path / "a.gpkg"), out)[0] == 0
    arrays = load(out)
    assert list(arrays["district_names"]) == ["A", "B", "T"]
    assert arrays["district"][9, 19] == 2  # the cell holding the tiny square
    assert (arrays["district"] == 2).sum() == 1


# --- map files keep the georeference ------------------------------------------------


def test_load_map_keeps_population_and_georeference(tmp_path, capsys):
    from sim import Scenario
    from sim.city import build_city, save_map

    areas = write(two_squares(), tmp_path / "areas.gpkg")
    out = tmp_path / "city"
    assert run_import(capsys, areas, out, "--population-column", "pop")[0] == 0
    sc = Scenario.load(out / "scenario.toml")
    city = build_city(sc.params, np.random.default_rng(1))
    assert city.transform == (100.0, 0.0, WEST, 0.0, -100.0, SOUTH + 1000)
    assert CRS.from_wkt(city.crs_wkt).to_epsg() == 32630
    assert city.population.sum() == pytest.approx(4000)
    assert city.district_names == ["A", "B"]
    save_map(city, tmp_path / "again.npz")
    again = np.load(tmp_path / "again.npz")
    assert tuple(again["transform"]) == city.transform
    assert str(again["crs_wkt"]) == city.crs_wkt
    assert np.array_equal(again["population"], city.population)


def test_a_user_column_called_district_is_kept_as_district_id(tmp_path, capsys):
    gdf = two_squares().rename(columns={"code": "district"})
    out = tmp_path / "city"
    code, _, err = crimesim(capsys, "city", "import", write(gdf, tmp_path / "a.gpkg"),
                            "--id-column", "district", "--out", out)
    assert code == 0, err
    back = gpd.read_file(out / "areas.gpkg")
    assert list(back["district"]) == [0, 1] and list(back["district_id"]) == ["A", "B"]


def test_residents_above_the_schema_limit_are_capped_and_said_so(tmp_path, capsys):
    gdf = two_squares()
    gdf["pop"] = [9_000_000, 3_000_000]
    out = tmp_path / "city"
    assert run_import(capsys, write(gdf, tmp_path / "a.gpkg"), out,
                      "--population-column", "pop")[0] == 0
    text = (out / "scenario.toml").read_text()
    assert "count = 10000000   # capped" in text and "12,000,000 people" in text


def test_a_crs_in_feet_is_projected_to_utm(tmp_path, capsys):
    """New York's State Plane CRS (EPSG:2263) is in US feet: the import goes to UTM 18N."""
    west, south = 585_000.0, 4_510_000.0  # Manhattan in UTM zone 18N (EPSG:32618)
    gdf = gpd.GeoDataFrame(
        {"code": ["A", "B"]},
        geometry=[box(west, south, west + 1000, south + 1000),
                  box(west + 1000, south, west + 2000, south + 1000)], crs="EPSG:32618",
    ).to_crs("EPSG:2263")
    out = tmp_path / "city"
    assert run_import(capsys, write(gdf, tmp_path / "a.gpkg"), out)[0] == 0
    arrays = load(out)
    assert CRS.from_wkt(str(arrays["crs_wkt"])).to_epsg() == 32618
    # the squares' edges are straight in feet, slightly bent back in UTM: bounds grow
    # by well under a cell, so the grid is still 20 x 10 with the halves as drawn
    assert arrays["district"].shape == (10, 20)
    assert (arrays["district"][:, :10] == 0).all() and (arrays["district"][:, 10:] == 1).all()


def test_invalid_polygons_are_repaired_and_numeric_ids_kept_whole(tmp_path, capsys):
    """A bow-tie (self-intersecting) square still covers its two triangles' cells."""
    from shapely.geometry import Polygon

    bow = Polygon([(WEST, SOUTH), (WEST + 1000, SOUTH + 1000), (WEST + 1000, SOUTH),
                   (WEST, SOUTH + 1000)])
    assert not bow.is_valid
    gdf = gpd.GeoDataFrame({"code": [101, 102]},
                           geometry=[bow, box(WEST + 1000, SOUTH, WEST + 2000, SOUTH + 1000)],
                           crs=UTM30N)
    out = tmp_path / "city"
    assert run_import(capsys, write(gdf, tmp_path / "a.shp"), out)[0] == 0
    arrays = load(out)
    assert list(arrays["district_names"]) == ["101", "102"]
    district, land = arrays["district"], arrays["land_use"]
    # the tie is two triangles meeting at (500, 500) m from the south-west corner. Row
    # 5's cell centres are at y = 450 m: inside for x < 450 or x > 550 m (columns 0
    # and 9). Row 0, column 4 (x = 450, y = 950 m) is outside both: industrial.
    assert district[5, 0] == 0 and district[5, 9] == 0 and land[0, 4] == 4
    assert land[5, 0] == 0 and (district[:, 10:] == 1).all()


def test_imported_scenario_validates(tmp_path, capsys):
    areas = write(two_squares(), tmp_path / "areas.gpkg")
    assert run_import(capsys, areas, tmp_path / "city")[0] == 0
    code, stdout, err = crimesim(capsys, "validate", tmp_path / "city" / "scenario.toml")
    assert code == 0, err
    assert stdout.startswith("ok:")


def test_geoparquet_is_read_with_pyarrow(tmp_path, capsys):
    path = tmp_path / "areas.parquet"
    two_squares().to_parquet(path)
    out = tmp_path / "city"
    code, _, err = run_import(capsys, path, out)
    assert code == 0, err
    assert_two_squares(load(out))


def test_web_mercator_is_projected_to_utm(tmp_path, capsys):
    """EPSG:3857 'metres' are 1/cos(52 deg) = 1.62 ground metres near London: not kept."""
    gdf = two_squares().to_crs("EPSG:3857")
    out = tmp_path / "city"
    assert run_import(capsys, write(gdf, tmp_path / "a.gpkg"), out)[0] == 0
    arrays = load(out)
    assert CRS.from_wkt(str(arrays["crs_wkt"])).to_epsg() == 32630
    assert arrays["district"].shape == (10, 20)  # 2 x 1 km of ground, not 3.2 x 1.6


def test_a_national_grid_in_metres_is_kept(tmp_path, capsys):
    """British National Grid (EPSG:27700) is true to scale within 0.1%: kept as it is."""
    gdf = gpd.GeoDataFrame(
        {"code": ["A", "B"]},
        geometry=[box(530_000, 180_000, 531_000, 181_000), box(531_000, 180_000, 532_000,
                                                              181_000)], crs="EPSG:27700")
    out = tmp_path / "city"
    assert run_import(capsys, write(gdf, tmp_path / "a.gpkg"), out)[0] == 0
    arrays = load(out)
    assert CRS.from_wkt(str(arrays["crs_wkt"])).to_epsg() == 27700
    assert tuple(arrays["transform"]) == (100.0, 0.0, 530_000.0, 0.0, -100.0, 181_000.0)
