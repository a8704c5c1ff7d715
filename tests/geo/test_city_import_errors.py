"""Bad input to ``crimesim city import``: one line naming the problem, exit 2, no ``--out``.

Fixtures are synthetic (tests/geo/geo_fixtures.py and variations built here). Every
case also checks that nothing was left next to ``--out``: neither the folder nor a
temporary one.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from cli_support import assert_usage_error, crimesim
from geo_fixtures import SOUTH, UTM30N, WEST, two_squares, write
from shapely.geometry import Point, box


def assert_refused(capsys, tmp_path: Path, areas: Path | str, *flags: str,
                   fragments: tuple[str, ...], id_column: str = "code") -> None:
    out = tmp_path / "out" / "city"
    code, _, err = crimesim(capsys, "city", "import", areas, "--id-column", id_column, *flags,
                            "--out", out)
    assert_usage_error(code, err, *fragments)
    assert not out.exists()
    leftovers = list(out.parent.iterdir()) if out.parent.exists() else []
    assert leftovers == [], leftovers


def test_unknown_id_column_lists_the_columns(tmp_path, capsys):
    areas = write(two_squares(), tmp_path / "a.gpkg")
    assert_refused(capsys, tmp_path, areas, id_column="lsoa",
                   fragments=("no column 'lsoa'", "code, imd, income, pop"))


def test_duplicate_ids(tmp_path, capsys):
    gdf = two_squares()
    gdf["code"] = ["A", "A"]
    assert_refused(capsys, tmp_path, write(gdf, tmp_path / "a.gpkg"),
                   fragments=("duplicate id 'A'",))


def test_missing_crs_needs_crs_flag(tmp_path, capsys):
    areas = write(two_squares(crs=None), tmp_path / "a.shp")
    assert not (tmp_path / "a.prj").exists()
    assert_refused(capsys, tmp_path, areas, fragments=("no coordinate reference system",
                                                       "--crs"))


def test_missing_crs_given_with_crs_flag_imports(tmp_path, capsys):
    areas = write(two_squares(crs=None), tmp_path / "a.shp")
    code, _, err = crimesim(capsys, "city", "import", areas, "--id-column", "code",
                            "--crs", UTM30N, "--cell-size-m", "100", "--out", tmp_path / "c")
    assert code == 0, err
    with np.load(tmp_path / "c" / "city.npz") as data:
        assert data["district"].shape == (10, 20)
        assert tuple(data["transform"]) == (100.0, 0.0, WEST, 0.0, -100.0, SOUTH + 1000)


def test_unknown_crs(tmp_path, capsys):
    areas = write(two_squares(crs=None), tmp_path / "a.shp")
    assert_refused(capsys, tmp_path, areas, "--crs", "EPSG:99999999",
                   fragments=("--crs EPSG:99999999", "not a known"))


def test_city_too_large_before_allocating(tmp_path, capsys):
    """2 km x 1 km at 0.1 m cells is 20,000 x 10,000 = 2e8 cells, over the limit."""
    areas = write(two_squares(), tmp_path / "a.gpkg")
    assert_refused(capsys, tmp_path, areas, "--cell-size-m", "0.1",
                   fragments=("city too large", "20000 x 10000", "--cell-size-m"))


def test_no_polygons(tmp_path, capsys):
    pts = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[Point(WEST, SOUTH),
                                                           Point(WEST + 10, SOUTH)], crs=UTM30N)
    assert_refused(capsys, tmp_path, write(pts, tmp_path / "p.gpkg"),
                   fragments=("no polygons", "Point"))


def test_empty_layer(tmp_path, capsys):
    empty = two_squares().iloc[:0]
    assert_refused(capsys, tmp_path, write(empty, tmp_path / "e.gpkg"),
                   fragments=("no polygons",))


def test_missing_file(tmp_path, capsys):
    assert_refused(capsys, tmp_path, tmp_path / "nowhere.gpkg", fragments=("file not found",))


def test_not_a_vector_file(tmp_path, capsys):
    bad = tmp_path / "a.gpkg"
    bad.write_text("not a geopackage")
    assert_refused(capsys, tmp_path, bad, fragments=("not a readable vector file",))


def test_several_layers_need_layer(tmp_path, capsys):
    path = write(two_squares(), tmp_path / "m.gpkg", layer="lsoa")
    write(two_squares(), path, layer="wards")
    assert_refused(capsys, tmp_path, path, fragments=("2 layers", "--layer", "lsoa, wards"))
    assert_refused(capsys, tmp_path, path, "--layer", "msoa",
                   fragments=("no layer 'msoa'", "lsoa, wards"))
    code, _, err = crimesim(capsys, "city", "import", path, "--id-column", "code",
                            "--layer", "wards", "--out", tmp_path / "ok")
    assert code == 0, err


def test_deprivation_column_not_numeric(tmp_path, capsys):
    gdf = two_squares()
    gdf["imd"] = ["high", "12"]
    assert_refused(capsys, tmp_path, write(gdf, tmp_path / "a.gpkg"),
                   "--deprivation-column", "imd",
                   fragments=("'imd'", "no number for area A"))


def test_unknown_population_column(tmp_path, capsys):
    assert_refused(capsys, tmp_path, write(two_squares(), tmp_path / "a.gpkg"),
                   "--population-column", "people", fragments=("no column 'people'",))


def test_negative_population(tmp_path, capsys):
    gdf = two_squares()
    gdf["pop"] = [100, -5]
    assert_refused(capsys, tmp_path, write(gdf, tmp_path / "a.gpkg"),
                   "--population-column", "pop", fragments=("negative", "area B"))


def test_higher_is_better_needs_a_column(tmp_path, capsys):
    assert_refused(capsys, tmp_path, write(two_squares(), tmp_path / "a.gpkg"),
                   "--higher-is-better", fragments=("--higher-is-better needs",))


@pytest.mark.parametrize("size", ["0", "-50", "abc"])
def test_bad_cell_size(tmp_path, capsys, size):
    assert_refused(capsys, tmp_path, write(two_squares(), tmp_path / "a.gpkg"),
                   "--cell-size-m", size, fragments=("--cell-size-m",))


def test_out_not_empty_is_left_alone(tmp_path, capsys):
    out = tmp_path / "city"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    code, _, err = crimesim(capsys, "city", "import", write(two_squares(), tmp_path / "a.gpkg"),
                            "--id-column", "code", "--out", out)
    assert_usage_error(code, err, "already exists and is not an empty folder")
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_empty_out_folder_is_filled(tmp_path, capsys):
    out = tmp_path / "city"
    out.mkdir()
    code, _, err = crimesim(capsys, "city", "import", write(two_squares(), tmp_path / "a.gpkg"),
                            "--id-column", "code", "--out", out)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["areas.gpkg", "baseline.toml", "city.npz",
                                                     "scenario.toml"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_gets_ordinary_permissions(tmp_path, capsys):
    """The folder is built under a temporary name but must not stay private (0700)."""
    (tmp_path / "ref").mkdir()
    out = tmp_path / "city"
    assert crimesim(capsys, "city", "import", write(two_squares(), tmp_path / "a.gpkg"),
                    "--id-column", "code", "--out", out)[0] == 0
    assert out.stat().st_mode == (tmp_path / "ref").stat().st_mode


def test_city_subcommand_missing(capsys):
    code, _, err = crimesim(capsys, "city")
    assert_usage_error(code, err, "choose a subcommand")


def test_geometry_missing_for_one_area(tmp_path, capsys):
    gdf = gpd.GeoDataFrame({"code": ["A", "B"]},
                           geometry=[box(WEST, SOUTH, WEST + 100, SOUTH + 100), None],
                           crs=UTM30N)
    assert_refused(capsys, tmp_path, write(gdf, tmp_path / "a.gpkg"),
                   fragments=("area B", "not a polygon"))


def test_parquet_without_geometry(tmp_path, capsys):
    path = tmp_path / "plain.parquet"
    two_squares().drop(columns="geometry").to_parquet(path)
    assert_refused(capsys, tmp_path, path, fragments=("not a readable GeoParquet file",))
