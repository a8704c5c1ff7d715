"""Designs: the right points, the right count, stable run ids; Sobol indices are right."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sweep_support import write_experiment

from sim.analysis.sweep.design import (
    count_runs,
    design_table,
    from_unit,
    grid_values,
    run_id,
    unit_sample,
)
from sim.analysis.sweep.sensitivity import sobol_indices
from sim.analysis.sweep.spec import Parameter, load_experiment


def test_grid_is_every_combination(tmp_path):
    exp = load_experiment(write_experiment(
        tmp_path, parameters={"offenders.count": [20, 60, 90],
                              "police.count": {"low": 2, "high": 8, "steps": 4}}))
    table = design_table(exp)
    assert len(table) == 3 * 4
    assert sorted(set(table["police.count"])) == [2, 4, 6, 8]
    pairs = set(zip(table["offenders.count"], table["police.count"], strict=True))
    assert len(pairs) == 12
    assert count_runs(exp) == 12 * 2


def test_integer_range_rounds_and_drops_duplicates():
    p = Parameter("x", "int", low=1, high=3, steps=5)
    assert grid_values(p) == [1, 2, 3]


def test_unit_mapping_covers_integers_evenly():
    p = Parameter("x", "int", low=1, high=4)
    u = (np.arange(4000) + 0.5) / 4000
    values = [from_unit(p, x) for x in u]
    assert np.bincount(values)[1:].tolist() == [1000] * 4
    assert from_unit(p, 1.0) == 4 and from_unit(p, 0.0) == 1
    cat = Parameter("y", "str", values=("a", "b"))
    assert from_unit(cat, 0.49) == "a" and from_unit(cat, 0.51) == "b"


def test_latin_hypercube_hits_every_stratum_once(tmp_path):
    exp = load_experiment(write_experiment(
        tmp_path, design={"kind": "lhs", "samples": 10},
        parameters={"offenders.count": {"low": 10, "high": 100},
                    "offenders.motivation_mean": {"low": 0.1, "high": 0.9}}))
    u = unit_sample(exp)
    assert u.shape == (10, 2)
    for j in range(2):
        assert sorted(np.floor(u[:, j] * 10).astype(int)) == list(range(10))
    again = unit_sample(exp)
    np.testing.assert_array_equal(u, again)  # seeded by the experiment


@pytest.mark.parametrize("design, points", [
    ({"kind": "sobol", "samples": 8}, 8 * (3 + 2)),
    ({"kind": "sobol", "samples": 8, "second_order": True}, 8 * (2 * 3 + 2)),
    ({"kind": "morris", "samples": 5}, 5 * (3 + 1)),
])
def test_salib_designs_have_their_size(tmp_path, design, points):
    exp = load_experiment(write_experiment(
        tmp_path, design=design, top={"replications": 1},
        parameters={"offenders.count": {"low": 10, "high": 100},
                    "police.count": {"low": 1, "high": 10},
                    "offenders.motivation_mean": {"low": 0.1, "high": 0.9}}))
    table = design_table(exp)
    assert len(table) == points == count_runs(exp)
    assert {"u_offenders.count", "u_police.count"} <= set(table.columns)
    assert table["offenders.count"].between(10, 100).all()
    assert table["offenders.motivation_mean"].between(0.1, 0.9).all()


def test_run_id_depends_on_values_and_seed_only():
    a = run_id({"x": 1, "y": 0.5}, 3)
    assert a == run_id({"y": 0.5, "x": 1}, 3)  # key order does not matter
    assert a != run_id({"x": 1, "y": 0.5}, 4)
    assert a != run_id({"x": 2, "y": 0.5}, 3)
    assert a == run_id({"x": np.int64(1), "y": np.float64(0.5)}, np.int64(3))


def test_sobol_indices_of_the_ishigami_function(tmp_path):
    """The textbook check: Ishigami's analytic S1 = (0.314, 0.442, 0), ST3 = 0.244."""
    exp = load_experiment(write_experiment(
        tmp_path, design={"kind": "sobol", "samples": 1024}, top={"replications": 1},
        parameters={"offenders.motivation_mean": {"low": 0.0, "high": 1.0},
                    "offenders.gang_share": {"low": 0.0, "high": 1.0},
                    "police.detect_prob": {"low": 0.0, "high": 1.0}}))
    x = unit_sample(exp) * 2 * math.pi - math.pi
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    table = sobol_indices(["a", "b", "c"], y, second_order=False, seed=1)
    expected_s1 = [0.314, 0.442, 0.0]
    for got, conf, want in zip(table["S1"], table["S1_conf"], expected_s1, strict=True):
        assert abs(got - want) < max(2 * conf, 0.02)
    assert abs(table["ST"][2] - 0.244) < max(2 * table["ST_conf"][2], 0.02)
