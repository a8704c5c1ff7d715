"""Reading back the importer's Parquet (synthetic city and police.uk fixture)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from geo_city import write_city
from repo_paths import ROOT

from sim.errors import UsageError
from sim.geo.crimes import import_crimes
from sim.geo.observed import check_same_city, counts_by_area, read_observed

STREET = ROOT / "tests" / "fixtures" / "police_uk" / "street.csv"
NAMES = ["E01000001", "E01000002"]


@pytest.fixture
def observed(tmp_path: Path) -> Path:
    out = tmp_path / "crimes.parquet"
    import_crimes([STREET], write_city(tmp_path / "city"), out)
    return out


def test_counts_by_area_and_type(observed):
    crimes, grid = read_observed(observed)
    check_same_city(grid, 20, 10, NAMES)
    counts = counts_by_area(crimes, NAMES)
    # by hand from tests/geo/test_crimes_import.py: west burglary + assault, east
    # robbery, assault and burglary
    assert counts.to_dict("index") == {
        "E01000001": {"burglary": 1, "robbery": 0, "assault": 1, "sexual_violence": 0,
                      "gang_violence": 0},
        "E01000002": {"burglary": 1, "robbery": 1, "assault": 1, "sexual_violence": 0,
                      "gang_violence": 0},
    }


def test_another_city_is_refused(observed):
    _, grid = read_observed(observed)
    with pytest.raises(UsageError, match="20 x 10 grid, but the city is 30 x 10"):
        check_same_city(grid, 30, 10, NAMES)
    with pytest.raises(UsageError, match="not the city's areas"):
        check_same_city(grid, 20, 10, ["E01000002", "E01000001"])


def test_a_parquet_not_from_the_importer_is_refused(tmp_path):
    other = tmp_path / "metrics.parquet"
    pq.write_table(pa.table({"tick": [1, 2]}), other)
    with pytest.raises(UsageError, match="not a file of `crimesim crimes import`"):
        read_observed(other)
    text = tmp_path / "x.parquet"
    text.write_text("no")
    with pytest.raises(UsageError, match="not a readable Parquet file"):
        read_observed(text)
    with pytest.raises(UsageError, match="file not found"):
        read_observed(tmp_path / "none.parquet")
