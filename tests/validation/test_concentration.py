"""Weisburd's concentration measures on hand-made crime maps."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.validation.concentration import cells_for_share, lorenz, top_share, uniform_null


def test_top_share_of_a_single_hot_cell():
    counts = np.zeros(100)
    counts[7] = 10
    assert top_share(counts, 0.01) == 1.0
    assert top_share(counts.reshape(10, 10), 0.05) == 1.0  # maps of any shape


def test_cells_for_share_counts_from_the_top():
    # One cell holds half the crime; 50 cells hold one crime each; 49 hold none.
    counts = np.array([50] + [1] * 50 + [0] * 49, dtype=float)
    assert cells_for_share(counts, 0.5) == pytest.approx(0.01)
    assert cells_for_share(counts, 0.25) == pytest.approx(0.01)
    # 75% needs the hot cell and 25 of the others.
    assert cells_for_share(counts, 0.75) == pytest.approx(0.26)
    assert np.isnan(cells_for_share(np.zeros(5), 0.5))


def test_even_map_needs_its_share_of_cells():
    counts = np.full(200, 3.0)
    assert cells_for_share(counts, 0.5) == pytest.approx(0.5)
    assert top_share(counts, 0.05) == pytest.approx(0.05)


def test_lorenz_runs_from_zero_to_one_and_is_concave():
    rng = np.random.default_rng(3)
    counts = rng.poisson(rng.gamma(0.5, 2.0, size=500))
    x, y = lorenz(counts)
    assert (x[0], y[0], x[-1]) == (0.0, 0.0, 1.0)
    assert y[-1] == pytest.approx(1.0)
    assert np.all(np.diff(y) >= 0) and np.all(np.diff(np.diff(y)) <= 1e-12)


def test_uniform_null_sparse_counts_concentrate_by_themselves():
    # 100 crimes on 10,000 cells: at most 100 cells have any, so the top 1% hold all.
    null = uniform_null(100, 10_000, np.random.default_rng(1), draws=20)
    assert null["top1"] == 1.0
    assert null["cells_50"] <= 0.005


def test_uniform_null_dense_counts_are_nearly_even():
    # 100 crimes per cell on average: Poisson(100) per cell, sd 10. The top 5% of cells
    # sit about 2.06 sd above the mean (the mean of a normal's top 5% tail), so they
    # hold about 5% x 1.21 = 6.0% of crime; allow a wide margin either side.
    null = uniform_null(100_000, 1_000, np.random.default_rng(2), draws=20)
    assert 0.055 < null["top5"] < 0.066
    assert 0.45 < null["cells_50"] < 0.5
