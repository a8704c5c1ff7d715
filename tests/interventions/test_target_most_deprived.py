"""The ``most_deprived`` target: districts by deprivation rank, stable across seeds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.city.target import TargetError, resolve_target


def _resolve(target: dict, deprivation: np.ndarray | None) -> np.ndarray:
    # A 4 x 2 city whose four columns are districts A-D.
    district = np.array([0, 1, 2, 3, 0, 1, 2, 3])
    return resolve_target(
        target, width=4, height=2, district=district,
        district_names=["A", "B", "C", "D"], land_use=np.zeros(8, int),
        heat=np.zeros(8), attractiveness=np.ones(8), district_deprivation=deprivation)


def test_picks_the_k_most_deprived_districts() -> None:
    mask = _resolve({"most_deprived": 2}, np.array([0.1, 0.9, 0.3, 0.7]))
    assert mask.tolist() == [False, True, False, True] * 2


def test_k_beyond_the_district_count_is_the_whole_city() -> None:
    assert _resolve({"most_deprived": 9}, np.array([0.1, 0.9, 0.3, 0.7])).all()


def test_unions_with_named_districts() -> None:
    mask = _resolve({"most_deprived": 1, "districts": ["A"]}, np.array([0.1, 0.9, 0.3, 0.7]))
    assert mask.tolist() == [True, True, False, False] * 2


def test_needs_the_deprivation() -> None:
    with pytest.raises(TargetError, match="most_deprived"):
        _resolve({"most_deprived": 1}, None)
