"""The importer's parts on their own: months, the type map, and a grid's inverse affine.

Expected values are worked by hand from the inputs written in each test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.errors import UsageError
from sim.geo.city_grid import CityGrid
from sim.geo.crime_types import POLICE_UK_TYPES, TypeMap, read_type_map
from sim.geo.crimes import month_of


@pytest.mark.parametrize(("text", "month"), [
    ("2024-01", "2024-01"),
    (" 2024-12 ", "2024-12"),
    ("2024-02-29", "2024-02"),           # a leap day
    ("2024-05-31T23:59:59", "2024-05"),
    ("2024-05-31 08:00", "2024-05"),
    ("2023-02-29", None),                # not a leap year
    ("2024-13", None),
    ("2024-00", None),
    ("24-01", None),
    ("January 2024", None),
    ("", None),
])
def test_month_of(text, month):
    assert month_of(text) == month


def test_type_map_reasons_and_case():
    types = TypeMap(POLICE_UK_TYPES)
    assert types.classify("Burglary") == ("burglary", None)
    assert types.classify("  violence AND sexual   offences ") == ("assault", None)
    assert types.classify("Shoplifting") == (None, "type not modelled")
    assert types.classify("Fraud") == (None, "unknown type")
    assert types.classify(" ") == (None, "no type")
    mine = types.with_overrides({"Fraud": "robbery", "burglary": None})
    assert mine.classify("Fraud") == ("robbery", None)
    assert mine.classify("Burglary") == (None, "type not modelled")
    assert types.classify("Burglary") == ("burglary", None)  # the original is unchanged


def test_read_type_map(tmp_path: Path):
    path = tmp_path / "t.toml"
    path.write_text('"Sexual offences" = "sexual_violence"\nASB = ""\n')
    assert read_type_map(path) == {"Sexual offences": "sexual_violence", "ASB": None}
    path.write_text("Burglary = 3\n")
    with pytest.raises(UsageError, match="must map to a crime type name"):
        read_type_map(path)
    path.write_text("")
    with pytest.raises(UsageError, match="no \"category\""):
        read_type_map(path)
    with pytest.raises(UsageError, match="file not found"):
        read_type_map(tmp_path / "missing.toml")


def _grid(transform: tuple[float, ...], height: int = 3, width: int = 4) -> CityGrid:
    return CityGrid(path=Path("x.npz"), crs_wkt="", transform=transform,  # type: ignore[arg-type]
                    district=np.zeros((height, width), np.int32), district_names=("a",))


def test_locate_north_up():
    grid = _grid((10.0, 0.0, 1000.0, 0.0, -10.0, 2000.0))  # 4 x 3 cells of 10 m
    row, col, inside = grid.locate(np.array([1000.0, 1039.9, 1015.0, 1040.0, 999.9, np.nan]),
                                   np.array([2000.0, 1970.1, 1985.0, 1990.0, 1990.0, 1990.0]))
    assert inside.tolist() == [True, True, True, False, False, False]
    assert row[:3].tolist() == [0, 2, 1]
    assert col[:3].tolist() == [0, 3, 1]


def test_locate_south_up_and_rotated():
    # south-up: row 0 at the bottom, y grows with the row
    grid = _grid((10.0, 0.0, 0.0, 0.0, 10.0, 0.0))
    row, col, inside = grid.locate(np.array([5.0, 35.0]), np.array([25.0, 5.0]))
    assert inside.all()
    assert (row.tolist(), col.tolist()) == ([2, 0], [0, 3])
    # a quarter turn: x = -row * 10, y = col * 10 (columns run north, rows run west)
    grid = _grid((0.0, -10.0, 0.0, 10.0, 0.0, 0.0))
    row, col, inside = grid.locate(np.array([-15.0, 5.0]), np.array([25.0, 5.0]))
    assert inside.tolist() == [True, False]
    assert (row[0], col[0]) == (1, 2)


def test_chunks_give_the_same_table_as_one_read(tmp_path: Path):
    """Reading 4 records at a time changes nothing: same rows, record numbers, counts."""
    from geo_city import write_city
    from repo_paths import ROOT

    from sim.geo.city_grid import load_city_grid
    from sim.geo.crime_records import check_files, read_records, resolve_columns
    from sim.geo.crimes import merge, place_crimes

    street = ROOT / "tests" / "fixtures" / "police_uk" / "street.csv"
    grid = load_city_grid(write_city(tmp_path / "city"))
    columns = resolve_columns("police-uk")
    check_files([street], columns)
    types = TypeMap(POLICE_UK_TYPES)

    def run(rows: int):
        return merge([place_crimes(f, grid, columns, types)
                      for f in read_records([street, street], columns, chunk_rows=rows)])

    small, whole = run(4), run(1000)
    assert small.table.equals(whole.table)
    assert small.not_placed == whole.not_placed
    assert small.rows_read == whole.rows_read == 30
    assert small.table.column("record").to_pylist() == [1, 2, 3, 4, 5] * 2
