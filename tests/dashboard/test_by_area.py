"""Per-area sums and paired changes, against hand calculations and a numpy twin."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from area_city import NAMES, SMALL_CITY, import_fixture_city

from sim import Scenario
from sim.analysis.by_area import crimes_by_area, victimisations_by_area
from sim.analysis.compare import run_comparison
from sim.dashboard.state.compare_areas import area_results

#: Student's t quantile, 0.975, 1 degree of freedom (tables).
T95_1DF = 12.706204736


def test_crimes_by_area_by_hand():
    district = np.array([[0, 0, 1], [1, 2, -1]])
    counts = np.zeros((2, 2, 3))
    counts[0] = [[1, 2, 0], [4, 0, 9]]  # the 9 is in no area
    counts[1] = [[0, 0, 5], [0, 7, 0]]
    out = crimes_by_area(counts, district, 4)
    assert out.tolist() == [[3, 0], [4, 5], [0, 7], [0, 0]]
    assert crimes_by_area(counts.reshape(2, 6), district.reshape(-1), 4).tolist() == out.tolist()


def test_victimisations_by_area_by_hand():
    district = np.array([0, 0, 1, 2])
    home = np.array([0, 1, 2, 3, 2])
    victim = np.array([[1, 0], [0, 2], [3, 0], [0, 0], [1, 1]])
    members = np.array([True, True, False, True, True])
    assert victimisations_by_area(home, victim, members, district, 3).tolist() == [3, 2, 0]


def test_compare_area_results_match_a_numpy_twin(tmp_path):
    scenario = import_fixture_city(tmp_path / "town")
    base = Scenario.load(scenario).with_overrides({**SMALL_CITY, "offenders.count": 40})
    alt = base.with_overrides({"name": "more police", "police.count": 8})
    cmp = run_comparison(base, [alt], reps=2, ticks=24, seed=5)
    result = area_results(cmp, base)["more police"]
    with np.load(tmp_path / "town" / "city.npz") as arrays:
        district = arrays["district"].reshape(-1)
    rows = list(csv.DictReader(io.StringIO(result.csv.decode())))
    assert [r["area"] for r in rows] == list(NAMES)
    for i, row in enumerate(rows):
        diffs = [a.crime_map[:, district == i].sum() - b.crime_map[:, district == i].sum()
                 for a, b in zip(cmp.outcomes["more police"], cmp.outcomes[cmp.base],
                                 strict=True)]
        assert float(row["change"]) == pytest.approx(np.mean(diffs))
        half = T95_1DF * np.std(diffs, ddof=1) / np.sqrt(2)
        assert float(row["ci_high"]) == pytest.approx(np.mean(diffs) + half)
    assert result.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert {r["area"] for r in result.rows} == set(NAMES)


def test_no_area_results_for_a_generated_city(small_scenario):
    cmp = run_comparison(small_scenario, [small_scenario.with_overrides({"name": "b"})],
                         reps=2, ticks=2, seed=1)
    assert area_results(cmp, small_scenario) == {}
