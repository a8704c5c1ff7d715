"""``crimesim crimes import``: recorded crime to cells, areas, model types and months.

The city (tests/geo/geo_city.py) and the police.uk file (tests/fixtures/police_uk) are
synthetic. Every expected cell below is worked out by hand from the British National
Grid metres the fixture's points were made from: col = (easting - 530000) // 100,
row = (181000 - northing) // 100, cell = row * 20 + col, district 0 for col < 10.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from cli_support import crimesim
from geo_city import write_city
from repo_paths import ROOT

STREET = ROOT / "tests" / "fixtures" / "police_uk" / "street.csv"

#: record -> (crime_type, source_type, month, cell, row, col, district, area, x, y)
EXPECTED_POLICE_UK = {
    1: ("burglary", "Burglary", "2024-01", 0, 0, 0, 0, "E01000001", 530050, 180950),
    2: ("robbery", "Robbery", "2024-01", 132, 6, 12, 1, "E01000002", 531250, 180350),
    3: ("assault", "Violence and sexual offences", "2024-02", 189, 9, 9, 0, "E01000001",
        530950, 180050),
    4: ("assault", "Violence and sexual offences", "2024-02", 19, 0, 19, 1, "E01000002",
        531950, 180950),
    5: ("burglary", "Burglary", "2024-03", 90, 4, 10, 1, "E01000002", 531050, 180550),
}
#: Rows 6-9 are not modelled (anti-social behaviour, vehicle crime, shoplifting, drugs),
#: 10 has no location, 11 and 12 are east and south of the grid, 13's month is 2024-13,
#: 14's type is not a police.uk category, 15's coordinates are "n/a".
EXPECTED_REASONS = {"unknown type": 1, "type not modelled": 4, "bad date": 1,
                    "no coordinates": 1, "bad coordinates": 1, "outside the city": 2}


@pytest.fixture
def city(tmp_path: Path) -> Path:
    return write_city(tmp_path / "city")


def _rows(path: Path) -> dict[int, tuple]:
    frame = pq.read_table(path).to_pandas()
    cols = ["crime_type", "source_type", "month", "cell", "row", "col", "district", "area",
            "x", "y"]
    return {int(r.record): tuple(getattr(r, c) for c in cols) for r in frame.itertuples()}


def _assert_rows(got: dict[int, tuple], expected: dict[int, tuple], tol_m: float) -> None:
    assert sorted(got) == sorted(expected)
    for record, want in expected.items():
        assert got[record][:8] == want[:8], record
        assert got[record][8] == pytest.approx(want[8], abs=tol_m)
        assert got[record][9] == pytest.approx(want[9], abs=tol_m)


def test_police_uk_rows_go_to_the_cells_worked_out_by_hand(capsys, city, tmp_path):
    out = tmp_path / "out" / "crimes.parquet"
    code, stdout, err = crimesim(capsys, "crimes", "import", STREET, "--city", city,
                                 "--out", out)
    assert code == 0, err
    # police.uk rounds to 6 decimals of a degree (0.1 m or less here), so metres match to 1 m
    _assert_rows(_rows(out), EXPECTED_POLICE_UK, tol_m=1.0)
    table = pq.read_table(out)
    assert str(table.schema.field("cell").type) == "int64"
    assert str(table.schema.field("district").type) == "int32"
    assert set(table.column("source_file").to_pylist()) == {"street.csv"}
    meta = json.loads(table.schema.metadata[b"crimesim"])
    assert (meta["city_width"], meta["city_height"]) == (20, 10)
    assert meta["transform"] == [100.0, 0.0, 530000.0, 0.0, -100.0, 181000.0]
    assert meta["district_names"] == ["E01000001", "E01000002"]

    summary = json.loads((tmp_path / "out" / "crimes.summary.json").read_text())
    assert summary["rows_read"] == 15
    assert summary["placed"] == 5
    assert summary["not_placed"] == EXPECTED_REASONS
    assert summary["placed_by_type"] == {"burglary": 2, "robbery": 1, "assault": 2,
                                         "sexual_violence": 0, "gang_violence": 0}
    assert summary["months"] == {"first": "2024-01", "last": "2024-03"}
    assert summary["format"] == "police-uk"
    # the printed table gives the same counts
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in stdout.splitlines()
             if line.split() and line.split()[-1].isdigit()}
    assert lines["placed"] == "5"
    assert lines["not placed"] == "10"
    for reason, n in EXPECTED_REASONS.items():
        assert lines[reason] == str(n)
    assert sorted(p.name for p in out.parent.iterdir()) == ["crimes.parquet",
                                                            "crimes.summary.json"]


def test_several_files_are_one_table(capsys, city, tmp_path):
    second = tmp_path / "2024-04-street.csv"
    second.write_text(STREET.read_text().replace("2024-0", "2023-0"))
    out = tmp_path / "crimes.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", STREET, second, "--city", city,
                            "--out", out, "--quiet")
    assert code == 0, err
    frame = pq.read_table(out).to_pandas()
    assert len(frame) == 10
    assert frame.groupby("source_file")["month"].min().to_dict() == {
        "street.csv": "2024-01", "2024-04-street.csv": "2023-01"}


def test_a_type_map_overrides_the_default(capsys, city, tmp_path):
    type_map = tmp_path / "types.toml"
    type_map.write_text('"Violence and sexual offences" = "sexual_violence"\n'
                        '"anti-social BEHAVIOUR" = "assault"\n'
                        '"Burglary" = ""\n')
    out = tmp_path / "crimes.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", STREET, "--city", city,
                            "--type-map", type_map, "--out", out)
    assert code == 0, err
    got = _rows(out)
    assert {r: v[0] for r, v in got.items()} == {
        2: "robbery", 3: "sexual_violence", 4: "sexual_violence", 6: "assault"}
    # anti-social behaviour was at easting 530450, northing 180450: col 4, row 5
    assert got[6][3:8] == (104, 5, 4, 0, "E01000001")
    summary = json.loads((tmp_path / "crimes.summary.json").read_text())
    assert summary["not_placed"]["type not modelled"] == 3 + 4  # + the four burglaries


def test_points_in_the_city_crs(capsys, city, tmp_path):
    points = tmp_path / "points.csv"
    points.write_text(
        "E,N,offence,when\n"
        "530150,180850,gang_violence,2024-05-17\n"       # col 1, row 1 -> cell 21
        "530100,181000,assault,2024-05-31T23:59:00\n"    # corner of cell 1: its own
        "531999.9,180000.1,sexual_violence,2024-06\n"    # last cell: row 9, col 19 -> 199
        "532000,180500,assault,2024-06\n"                # right edge: outside
        "530500,180500,fraud,2024-06\n"                  # not a model type
        "530500,180500,burglary,2024-02-30\n"            # no such day
    )
    out = tmp_path / "p.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", points, "--city", city, "--format",
                            "points", "--x-column", "E", "--y-column", "N",
                            "--type-column", "offence", "--date-column", "when",
                            "--out", out)
    assert code == 0, err
    _assert_rows(_rows(out), {
        1: ("gang_violence", "gang_violence", "2024-05", 21, 1, 1, 0, "E01000001",
            530150, 180850),
        2: ("assault", "assault", "2024-05", 1, 0, 1, 0, "E01000001", 530100, 181000),
        3: ("sexual_violence", "sexual_violence", "2024-06", 199, 9, 19, 1, "E01000002",
            531999.9, 180000.1),
    }, tol_m=1e-9)
    summary = json.loads((tmp_path / "p.summary.json").read_text())
    assert summary["not_placed"] == {"unknown type": 1, "bad date": 1,
                                     "outside the city": 1}


def test_points_with_lon_lat_columns(capsys, city, tmp_path):
    """The police.uk file read as points: same cells, types given by a type map."""
    type_map = tmp_path / "t.toml"
    type_map.write_text('Burglary = "burglary"\nRobbery = "robbery"\n'
                        '"Violence and sexual offences" = "assault"\n')
    out = tmp_path / "p.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", STREET, "--city", city, "--format",
                            "points", "--lon-column", "Longitude", "--lat-column", "Latitude",
                            "--type-column", "Crime type", "--date-column", "Month",
                            "--type-map", type_map, "--out", out)
    assert code == 0, err
    _assert_rows(_rows(out), EXPECTED_POLICE_UK, tol_m=1.0)
    summary = json.loads((tmp_path / "p.summary.json").read_text())
    # the points format knows no police.uk category: the unmapped ones are unknown types
    assert summary["not_placed"]["unknown type"] == 5


def test_a_map_with_cells_in_no_district_is_refused(capsys, tmp_path):
    """Every cell of a valid map has a district (the city importer gives cells outside
    every area to the nearest one), so a map with a negative district is not a city."""
    import numpy as np

    folder = write_city(tmp_path / "city")
    with np.load(folder / "city.npz") as data:
        arrays = dict(data)
    arrays["district"][:, 19] = -1
    np.savez(folder / "city.npz", **arrays)
    out = tmp_path / "c.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", STREET, "--city", folder,
                            "--out", out)
    assert code == 2
    assert "negative index -1" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_points_in_another_projected_crs(capsys, city, tmp_path):
    """x/y in UTM zone 30N (converted from the BNG points once, here, with pyproj) and
    --crs EPSG:32630: the cells are those worked by hand from the BNG metres."""
    from pyproj import Transformer

    bng = [(530050, 180950, "burglary"), (531250, 180350, "robbery"),
           (533500, 180500, "assault")]  # the last is east of the grid
    to_utm = Transformer.from_crs("EPSG:27700", "EPSG:32630", always_xy=True)
    lines = ["easting,northing,crime_type,date"]
    for east, north, kind in bng:
        ux, uy = to_utm.transform(east, north)
        lines.append(f"{ux:.3f},{uy:.3f},{kind},2024-07")
    points = tmp_path / "utm.csv"
    points.write_text("\n".join(lines) + "\n")
    out = tmp_path / "u.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", points, "--city", city, "--format",
                            "points", "--x-column", "easting", "--y-column", "northing",
                            "--crs", "EPSG:32630", "--out", out)
    assert code == 0, err
    _assert_rows(_rows(out), {
        1: ("burglary", "burglary", "2024-07", 0, 0, 0, 0, "E01000001", 530050, 180950),
        2: ("robbery", "robbery", "2024-07", 132, 6, 12, 1, "E01000002", 531250, 180350),
    }, tol_m=0.01)
    summary = json.loads((tmp_path / "u.summary.json").read_text())
    assert summary["not_placed"] == {"outside the city": 1}
