"""The whole path: areas file -> ``crimesim city import`` -> ``crimesim crimes import``.

Runs once ``crimesim city import`` (sim/geo/city_import.py, built on another branch of
issue 15) is present; skipped before. The areas are two synthetic 1 km squares in
British National Grid, the LSOAs "E01000001" (west) and "E01000002" (east), laid so
that a 100 m grid over them is the grid of tests/geo/geo_city.py, and the crimes are
the synthetic police.uk fixture: every record must land where it lands on that city.
"""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from cli_support import crimesim
from repo_paths import ROOT
from test_crimes_import import EXPECTED_POLICE_UK, EXPECTED_REASONS, _assert_rows, _rows

STREET = ROOT / "tests" / "fixtures" / "police_uk" / "street.csv"


def test_police_uk_crimes_on_a_city_imported_from_areas(capsys, tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    areas = gpd.GeoDataFrame(
        {"LSOA21CD": ["E01000001", "E01000002"]},
        geometry=[box(530000, 180000, 531000, 181000), box(531000, 180000, 532000, 181000)],
        crs="EPSG:27700",
    )
    areas.to_file(tmp_path / "areas.gpkg")
    code, _, err = crimesim(capsys, "city", "import", tmp_path / "areas.gpkg", "--id-column",
                            "LSOA21CD", "--cell-size-m", "100", "--out", tmp_path / "city")
    assert code == 0, err
    out = tmp_path / "crimes.parquet"
    code, _, err = crimesim(capsys, "crimes", "import", STREET, "--city", tmp_path / "city",
                            "--out", out)
    assert code == 0, err
    _assert_rows(_rows(out), EXPECTED_POLICE_UK, tol_m=1.0)
    summary = json.loads((tmp_path / "crimes.summary.json").read_text())
    assert summary["not_placed"] == EXPECTED_REASONS
    meta = json.loads(pq.read_table(out).schema.metadata[b"crimesim"])
    assert (meta["city_width"], meta["city_height"]) == (20, 10)
