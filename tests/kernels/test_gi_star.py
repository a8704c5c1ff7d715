"""Getis-Ord Gi*: against a hand calculation, a plain pairwise twin, esda and scipy."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.stats import false_discovery_control, norm

from sim.kernels.gi_star import (
    band_offsets,
    benjamini_hochberg,
    confidence_bins,
    gi_star,
    hot_spots,
    significant,
    two_sided_p,
)


def twin_gi_star(x: np.ndarray, distance: float, periodic: bool = False) -> np.ndarray:
    """Ord & Getis (1995) eq. 7, cell pair by cell pair, with an explicit weight matrix."""
    h, w = x.shape
    n = x.size
    ys, xs = np.divmod(np.arange(n), w)
    dy = np.abs(ys[:, None] - ys[None, :]).astype(float)
    dx = np.abs(xs[:, None] - xs[None, :]).astype(float)
    if periodic:
        dy, dx = np.minimum(dy, h - dy), np.minimum(dx, w - dx)
    weights = (dy**2 + dx**2 <= distance**2 + 1e-9).astype(float)
    v = x.ravel().astype(float)
    mean = v.mean()
    s = math.sqrt((v**2).mean() - mean**2)
    wi = weights.sum(axis=1)
    w2 = (weights**2).sum(axis=1)
    return ((weights @ v - mean * wi) / (s * np.sqrt((n * w2 - wi**2) / (n - 1)))).reshape(h, w)


def test_band_offsets_count_the_cells_in_the_disc():
    assert len(band_offsets(0.0)) == 1          # the cell alone
    assert len(band_offsets(1.0)) == 5          # rook
    assert len(band_offsets(1.5)) == 9          # queen: sqrt(2) <= 1.5
    assert len(band_offsets(math.sqrt(2))) == 9  # the diagonal at exactly sqrt(2)
    assert len(band_offsets(2.0)) == 13
    assert len(band_offsets(3.0)) == 29         # 150 m on 50 m cells
    with pytest.raises(ValueError):
        band_offsets(-1.0)


def test_gi_star_by_hand_on_a_3x3_grid():
    # One crime-heavy centre cell: n = 9, mean 1, S^2 = 81/9 - 1 = 8, rook band (d = 1).
    x = np.zeros((3, 3))
    x[1, 1] = 9
    z = gi_star(x, 1.0)
    # centre: W = 5, sum 9: (9 - 5) / (sqrt 8 * sqrt((45 - 25) / 8)) = 2 / sqrt 5
    assert z[1, 1] == pytest.approx(2 / math.sqrt(5))
    # corner: W = 3, sum 0: -3 / (sqrt 8 * sqrt((27 - 9) / 8)) = -1 / sqrt 2
    assert z[0, 0] == pytest.approx(-1 / math.sqrt(2))
    # edge: W = 4, sum 9: 5 / (sqrt 8 * sqrt((36 - 16) / 8)) = sqrt 5 / 2
    assert z[0, 1] == pytest.approx(math.sqrt(5) / 2)
    # two-sided p of the centre: 2 (1 - Phi(0.894)) = 0.371
    assert two_sided_p(z)[1, 1] == pytest.approx(2 * norm.sf(2 / math.sqrt(5)))


@pytest.mark.parametrize("distance", [1.0, 1.5, 2.3, 3.0])
@pytest.mark.parametrize("periodic", [False, True])
def test_gi_star_matches_the_pairwise_twin(distance, periodic):
    rng = np.random.default_rng(11)
    x = rng.poisson(2.0, (8, 9)).astype(float)
    np.testing.assert_allclose(gi_star(x, distance, periodic), twin_gi_star(x, distance, periodic),
                               rtol=1e-10, atol=1e-12)


def test_gi_star_matches_esda_with_libpysal_weights():
    from esda.getisord import G_Local
    from libpysal.weights import DistanceBand, lat2W

    rng = np.random.default_rng(5)
    h, w = 6, 7
    x = rng.poisson(3.0, (h, w)).astype(float)
    y = x.ravel()
    yy, xx = np.mgrid[0:h, 0:w]
    points = np.column_stack((xx.ravel(), yy.ravel())).astype(float)
    cases = [
        (lat2W(h, w, rook=True), 1.0, False),
        (lat2W(h, w, rook=False), 1.5, False),
        (DistanceBand(points, threshold=2.3, binary=True, silence_warnings=True), 2.3, False),
    ]
    for weights, distance, periodic in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = G_Local(y, weights, transform="B", star=True, permutations=0)
        z = gi_star(x, distance, periodic).ravel()
        np.testing.assert_allclose(z, g.Zs, rtol=1e-10, atol=1e-12)
        # esda's p_norm is one-sided of |z|; ours is two-sided
        np.testing.assert_allclose(two_sided_p(z), 2 * g.p_norm, rtol=1e-10)


def test_constant_values_give_no_hot_spot():
    assert not gi_star(np.full((5, 5), 3.0), 1.5).any()
    assert not hot_spots(np.zeros((5, 5)), 1.5, 0.05).any()


def test_a_wrapped_band_wider_than_the_grid_is_refused():
    with pytest.raises(ValueError, match="wider than"):
        gi_star(np.ones((4, 4)), 2.0, periodic=True)


def test_benjamini_hochberg_matches_scipy_and_a_hand_example():
    # m = 5 at alpha 0.05: thresholds 0.01 0.02 0.03 0.04 0.05; sorted p 0.001 0.008
    # 0.039 0.041 0.2: the largest k with p_(k) <= k alpha / m is 2 (0.039 > 0.03 and
    # 0.041 > 0.04), so the two smallest are rejected.
    p = np.array([0.041, 0.001, 0.2, 0.039, 0.008])
    assert benjamini_hochberg(p, 0.05).tolist() == [False, True, False, False, True]
    rng = np.random.default_rng(2)
    for _ in range(20):
        p = np.concatenate([rng.uniform(size=80), rng.uniform(0, 0.002, size=rng.integers(0, 20))])
        expected = false_discovery_control(p, method="bh") <= 0.05
        assert (benjamini_hochberg(p, 0.05) == expected).all()
    assert significant(np.array([0.0004, 0.0006]), 0.001, "bonferroni").tolist() == [True, False]


def test_confidence_bins_sign_and_levels():
    x = np.zeros((15, 15))
    x[6:9, 6:9] = 30.0   # a hot block
    z = gi_star(x, 1.5)
    bins = confidence_bins(x, 1.5)
    p = two_sided_p(z)
    assert bins[7, 7] == 3 and z[7, 7] > 0
    assert bins.min() >= -3 and bins.max() <= 3
    # every 99% cell is one the FDR rejects at 0.01, with the sign of z
    assert ((bins == 3) == (benjamini_hochberg(p, 0.01) & (z > 0))).all()
    assert ((bins != 0) == benjamini_hochberg(p, 0.10)).all()
