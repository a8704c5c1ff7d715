"""The weighted displacement quotient, the buffer ring and Fieller's ratio interval."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.displacement import (
    area_counts,
    buffer_ring,
    interpret_wdq,
    ring_cells,
    wdq,
    wdq_terms,
)
from sim.analysis.ratio import fieller_ratio
from sim.analysis.stats import t95


# --- WDQ arithmetic, hand-worked ---------------------------------------------------------
# Arguments: r_b, d_b, c_b, r_a, d_a, c_a.
def test_wdq_diffusion_of_benefits():
    # Treated 100 -> 80, buffer 50 -> 40, control flat at 1000:
    # success = 80/1000 - 100/1000 = -0.02; buffer = 40/1000 - 50/1000 = -0.01.
    assert wdq(100, 50, 1000, 80, 40, 1000) == pytest.approx(0.5)


def test_wdq_displacement_smaller_than_benefit():
    # Buffer 50 -> 55: 0.055 - 0.05 = +0.005 over -0.02.
    assert wdq(100, 50, 1000, 80, 55, 1000) == pytest.approx(-0.25)


def test_wdq_displacement_exceeding_benefit():
    # Buffer 50 -> 80: +0.03 over -0.02.
    assert wdq(100, 50, 1000, 80, 80, 1000) == pytest.approx(-1.5)


def test_wdq_weighs_by_the_control_trend():
    # Control 2000 -> 2500 (crime rose city-wide). Treated 200 -> 120:
    # 120/2500 - 200/2000 = 0.048 - 0.100 = -0.052. Buffer 150 -> 160 rose in count but
    # fell relative to control: 160/2500 - 150/2000 = 0.064 - 0.075 = -0.011.
    assert wdq(200, 150, 2000, 120, 160, 2500) == pytest.approx(0.011 / 0.052)


def test_wdq_no_change_in_buffer_is_zero():
    assert wdq(100, 50, 1000, 80, 50, 1000) == 0.0


def test_wdq_treated_area_unchanged_relative_to_control_is_undefined():
    # Control 1000 -> 800 and treated 100 -> 80: the success measure is exactly 0.
    assert wdq_terms(100, 50, 1000, 80, 30, 800) == pytest.approx((30 / 800 - 0.05, 0.0))
    assert math.isnan(wdq(100, 50, 1000, 80, 30, 800))


@pytest.mark.parametrize("counts", [(100, 50, 0, 80, 40, 1000), (100, 50, 1000, 80, 40, 0),
                                    (0, 0, 0, 0, 0, 0)])
def test_wdq_without_control_crime_is_undefined(counts):
    assert math.isnan(wdq(*counts))
    assert all(math.isnan(x) for x in wdq_terms(*counts))


@pytest.mark.parametrize(("value", "success", "reading"), [
    (0.5, -0.02, "diffusion of benefits"),
    (0.0, -0.02, "no displacement"),
    (-0.25, -0.02, "displacement smaller than the benefit"),
    (-1.5, -0.02, "displacement exceeds the benefit"),
    (0.5, 0.02, "no fall in the treated area"),
    (math.nan, -0.02, "n/a"),
])
def test_interpretation(value, success, reading):
    assert interpret_wdq(value, success) == reading


# --- the buffer ring -----------------------------------------------------------------------
def _brute_ring(mask2d: np.ndarray, ring: int) -> np.ndarray:
    h, w = mask2d.shape
    out = np.zeros_like(mask2d)
    ys, xs = np.nonzero(mask2d)
    for y in range(h):
        for x in range(w):
            if not mask2d[y, x] and ys.size:
                out[y, x] = (np.maximum(abs(ys - y), abs(xs - x)) <= ring).any()
    return out.ravel()


def test_ring_around_one_cell_is_a_square_annulus():
    h, w = 9, 11
    mask = np.zeros(h * w, bool)
    mask[4 * w + 5] = True
    ring = buffer_ring(mask, w, h, 2).reshape(h, w)
    assert ring.sum() == 5 * 5 - 1
    assert ring[2, 3] and ring[6, 7]          # Chebyshev distance 2 (corners)
    assert not ring[1, 5] and not ring[4, 8]  # distance 3
    assert not ring[4, 5]                     # the treated cell itself


def test_ring_is_clipped_at_the_edge():
    mask = np.zeros(25, bool)
    mask[0] = True
    assert buffer_ring(mask, 5, 5, 2).sum() == 3 * 3 - 1


def test_ring_matches_brute_force():
    rng = np.random.default_rng(3)
    for ring in (0, 1, 3):
        mask = rng.random((12, 17)) < 0.05
        got = buffer_ring(mask.ravel(), 17, 12, ring)
        np.testing.assert_array_equal(got, _brute_ring(mask, ring) if ring else
                                      np.zeros(mask.size, bool))


def test_ring_of_empty_area_is_empty():
    assert not buffer_ring(np.zeros(100, bool), 10, 10, 3).any()


def test_ring_cells_from_metres():
    assert ring_cells(300, 50) == 6
    assert ring_cells(300, 100) == 3
    assert ring_cells(10, 100) == 1  # at least one cell


def test_area_counts_split_the_maps():
    h, w = 5, 5
    treated = np.zeros(h * w, bool)
    treated[12] = True  # centre cell
    base = np.ones((2, h * w))  # two crime types, one crime each per cell
    alt = base.copy()
    alt[:, 12] = 0      # treated cell loses its 2 crimes
    alt[0, 6] += 1      # one moves into the ring
    c = area_counts(base, alt, treated, w, h, 1)
    assert c.cells == (1, 8, 16)
    assert (c.r_b, c.d_b, c.c_b) == (2, 16, 32)
    assert (c.r_a, c.d_a, c.c_a) == (0, 17, 32)
    assert c.net_prevented == 1
    num, den = c.terms()
    assert num / den == pytest.approx(wdq(2, 16, 32, 0, 17, 32)) == pytest.approx(-0.5)


# --- Fieller's ratio interval --------------------------------------------------------------
def test_fieller_with_a_fixed_denominator_is_the_t_interval_scaled():
    num = np.array([1.0, 2.0, 3.0, 4.0])
    den = np.full(4, -2.0)
    est = fieller_ratio(num, den)
    half = t95(3) * num.std(ddof=1) / 2 / 2  # se of the mean, over |mean den|
    assert est.value == pytest.approx(-1.25)
    assert est.low == pytest.approx(-1.25 - half)
    assert est.high == pytest.approx(-1.25 + half)


def test_fieller_is_unbounded_when_the_denominator_is_not_significant():
    est = fieller_ratio(np.array([1.0, 2.0, 1.5, 1.2]), np.array([-1.0, 1.0, -1.2, 0.9]))
    assert math.isfinite(est.value)
    assert math.isnan(est.low) and math.isnan(est.high)


def test_fieller_covers_the_true_ratio_95_percent_of_the_time():
    # 2000 simulated experiments of 10 correlated pairs with ratio 0.4. The coverage
    # estimate has a standard error of sqrt(.95 * .05 / 2000) = 0.005; allow 3 of them.
    rng = np.random.default_rng(12)
    hits = bounded = 0
    for _ in range(2000):
        den = rng.normal(-10.0, 2.0, 10)
        num = 0.4 * den + rng.normal(0.0, 1.5, 10)
        est = fieller_ratio(num, den)
        if math.isfinite(est.low):
            bounded += 1
            hits += est.low <= 0.4 <= est.high
    assert bounded == 2000
    assert 0.935 <= hits / 2000 <= 0.965
