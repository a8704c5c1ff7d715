"""``crimesim crimes import`` on bad input: one line naming the problem, exit status 2,
and no output file (nor a temporary one) left behind. Fixtures are synthetic
(tests/geo/geo_city.py, tests/fixtures/police_uk)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cli_support import assert_usage_error, crimesim
from geo_city import write_city
from repo_paths import ROOT

STREET = ROOT / "tests" / "fixtures" / "police_uk" / "street.csv"


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return write_city(tmp_path / "city")


def _fails(capsys, tmp_path: Path, *args, fragments: tuple[str, ...]) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir(exist_ok=True)
    code, _, err = crimesim(capsys, "crimes", "import", *args)
    assert_usage_error(code, err, *fragments)
    assert list(out_dir.iterdir()) == []


def test_missing_file(capsys, city, tmp_path):
    _fails(capsys, tmp_path, tmp_path / "nope.csv", "--city", city, "--out",
           tmp_path / "out" / "c.parquet", fragments=("nope.csv", "file not found"))


def test_missing_column_names_it_and_lists_the_present_ones(capsys, city, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(STREET.read_text().replace("Longitude", "Lng", 1))
    _fails(capsys, tmp_path, bad, "--city", city, "--out", tmp_path / "out" / "c.parquet",
           fragments=("no column 'Longitude'", "--lon-column", "columns present:", "Lng"))


def test_unknown_format(capsys, city, tmp_path):
    _fails(capsys, tmp_path, STREET, "--city", city, "--format", "shapefile", "--out",
           tmp_path / "out" / "c.parquet", fragments=("--format", "shapefile"))


def test_city_without_georeference(capsys, tmp_path):
    plain = write_city(tmp_path / "plain", georeference=False)
    _fails(capsys, tmp_path, STREET, "--city", plain, "--out",
           tmp_path / "out" / "c.parquet", fragments=("no georeference", "crs_wkt"))


def test_city_folder_without_city_npz(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    _fails(capsys, tmp_path, STREET, "--city", tmp_path / "empty", "--out",
           tmp_path / "out" / "c.parquet", fragments=("no city.npz",))


def test_city_with_a_geographic_crs(capsys, tmp_path):
    from pyproj import CRS

    folder = write_city(tmp_path / "city")
    with np.load(folder / "city.npz") as data:
        arrays = dict(data)
    arrays["crs_wkt"] = np.array(CRS.from_epsg(4326).to_wkt())
    np.savez(folder / "city.npz", **arrays)
    _fails(capsys, tmp_path, STREET, "--city", folder, "--out",
           tmp_path / "out" / "c.parquet", fragments=("geographic",))


def test_no_usable_rows(capsys, city, tmp_path):
    lines = STREET.read_text().splitlines()
    asb = tmp_path / "asb.csv"
    asb.write_text("\n".join([lines[0], *[ln for ln in lines if "Anti-social" in ln]]) + "\n")
    _fails(capsys, tmp_path, asb, "--city", city, "--out", tmp_path / "out" / "c.parquet",
           fragments=("no usable rows", "1 read", "type not modelled 1"))


def test_header_only_file(capsys, city, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text(STREET.read_text().splitlines()[0] + "\n")
    _fails(capsys, tmp_path, empty, "--city", city, "--out", tmp_path / "out" / "c.parquet",
           fragments=("no usable rows", "0 read"))


def test_unknown_model_type_in_the_type_map(capsys, city, tmp_path):
    type_map = tmp_path / "t.toml"
    type_map.write_text('"Burglary" = "housebreaking"\n')
    _fails(capsys, tmp_path, STREET, "--city", city, "--type-map", type_map, "--out",
           tmp_path / "out" / "c.parquet",
           fragments=("unknown model crime type 'housebreaking'", "Burglary"))


def test_type_map_that_is_not_toml(capsys, city, tmp_path):
    type_map = tmp_path / "t.toml"
    type_map.write_text("Burglary: burglary\n")
    _fails(capsys, tmp_path, STREET, "--city", city, "--type-map", type_map, "--out",
           tmp_path / "out" / "c.parquet", fragments=("not valid TOML",))


@pytest.mark.parametrize(("flags", "fragment"), [
    (("--lon-column", "Longitude"), "--lon-column and --lat-column"),
    (("--x-column", "x"), "--x-column and --y-column"),
    (("--lon-column", "a", "--lat-column", "b", "--x-column", "c", "--y-column", "d"),
     "not both"),
])
def test_coordinate_flags_that_do_not_go_together(capsys, city, tmp_path, flags, fragment):
    _fails(capsys, tmp_path, STREET, "--city", city, *flags, "--out",
           tmp_path / "out" / "c.parquet", fragments=(fragment,))


def test_out_must_be_a_parquet_file(capsys, city, tmp_path):
    _fails(capsys, tmp_path, STREET, "--city", city, "--out", tmp_path / "out" / "c.csv",
           fragments=(".parquet",))


def test_out_that_cannot_be_written_leaves_nothing(capsys, city, tmp_path):
    (tmp_path / "out" / "a-file").parent.mkdir()
    (tmp_path / "out" / "a-file").write_text("")
    code, _, err = crimesim(capsys, "crimes", "import", STREET, "--city", city, "--out",
                            tmp_path / "out" / "a-file" / "sub" / "c.parquet")
    assert_usage_error(code, err, "cannot write there")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a-file"]


def test_crimes_without_an_action_prints_help(capsys):
    code, out, _ = crimesim(capsys, "crimes")
    assert code == 2
    assert "import" in out


def test_points_in_degrees_given_as_x_y_get_a_hint(capsys, city, tmp_path):
    points = tmp_path / "p.csv"
    points.write_text("x,y,crime_type,date\n-0.127284,51.512517,burglary,2024-01\n")
    _fails(capsys, tmp_path, points, "--city", city, "--format", "points", "--out",
           tmp_path / "out" / "c.parquet",
           fragments=("no usable rows", "outside the city 1", "--lon-column"))


def test_one_column_for_two_roles(capsys, city, tmp_path):
    _fails(capsys, tmp_path, STREET, "--city", city, "--date-column", "Crime type",
           "--out", tmp_path / "out" / "c.parquet",
           fragments=("'Crime type'", "two roles"))


def test_crs_wkt_stored_as_bytes_is_refused(capsys, tmp_path):
    """The map format keeps the CRS as a unicode string; the importer applies the map
    file's own rule rather than a looser copy of it."""
    folder = write_city(tmp_path / "city")
    with np.load(folder / "city.npz") as data:
        arrays = dict(data)
    arrays["crs_wkt"] = np.array(str(arrays["crs_wkt"]).encode())
    np.savez(folder / "city.npz", **arrays)
    _fails(capsys, tmp_path, STREET, "--city", folder / "city.npz", "--out",
           tmp_path / "out" / "c.parquet", fragments=("crs_wkt", "unicode"))


def test_a_file_given_twice(capsys, city, tmp_path):
    _fails(capsys, tmp_path, STREET, STREET, "--city", city, "--out",
           tmp_path / "out" / "c.parquet", fragments=("given twice",))


def test_an_outcomes_file_among_street_files(capsys, city, tmp_path):
    outcomes = tmp_path / "2024-01-outcomes.csv"
    outcomes.write_text("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                        "LSOA code,LSOA name,Outcome type\n")
    _fails(capsys, tmp_path, STREET, outcomes, "--city", city, "--out",
           tmp_path / "out" / "c.parquet",
           fragments=("2024-01-outcomes.csv", "no column 'Crime type'", "--type-column"))


@pytest.mark.parametrize(("flags", "fragment"), [
    (("--format", "points", "--crs", "EPSG:999999"), "not a CRS"),
    (("--format", "points", "--crs", "EPSG:4326"), "geographic"),
    (("--crs", "EPSG:27700"), "--crs is for x/y columns"),  # police-uk: lon/lat
])
def test_bad_crs(capsys, city, tmp_path, flags, fragment):
    _fails(capsys, tmp_path, STREET, "--city", city, *flags, "--out",
           tmp_path / "out" / "c.parquet", fragments=(fragment,))
