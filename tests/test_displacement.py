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
# Expected rings are written from the geometry (squared distances between cell centres),
# not from scipy's output.
def _brute_ring(mask2d: np.ndarray, ring: float) -> np.ndarray:
    """Untreated cells with some treated cell at squared centre distance <= ring**2."""
    h, w = mask2d.shape
    out = np.zeros_like(mask2d)
    ys, xs = np.nonzero(mask2d)
    for y in range(h):
        for x in range(w):
            if not mask2d[y, x] and ys.size:
                out[y, x] = (((ys - y) ** 2 + (xs - x) ** 2) <= ring * ring).any()
    return out.ravel()


def test_ring_around_one_cell_is_a_disc_not_a_square():
    h, w = 11, 11
    mask = np.zeros(h * w, bool)
    mask[5 * w + 5] = True
    ring = buffer_ring(mask, w, h, 3).reshape(h, w)
    # 0 < dx^2 + dy^2 <= 9: 4 cells at distance 1, 4 at sqrt 2, 4 at 2, 8 at sqrt 5,
    # 4 at sqrt 8 (2, 2), 4 at 3 -- 28 cells, not the 7 x 7 - 1 = 48 of a square.
    assert ring.sum() == 28
    assert ring[5, 2] and ring[2, 5] and ring[8, 5] and ring[5, 8]  # distance 3
    assert ring[3, 3] and ring[7, 7]          # (2, 2): sqrt 8 < 3
    assert not ring[2, 2] and not ring[8, 8]  # square corners (3, 3): sqrt 18 > 3
    assert not ring[3, 2] and not ring[4, 8]  # (2, 3) and (1, 3): sqrt 13, sqrt 10
    assert not ring[5, 5]                     # the treated cell itself
    ys, xs = np.nonzero(ring)
    assert set(zip((ys - 5).tolist(), (xs - 5).tolist(), strict=True)) == {
        (dy, dx) for dy in range(-3, 4) for dx in range(-3, 4)
        if 0 < dx * dx + dy * dy <= 9}


def test_ring_around_a_rectangle_has_rounded_corners():
    h, w = 20, 20
    mask = np.zeros((h, w), bool)
    mask[5:10, 6:14] = True  # 5 rows x 8 columns
    ring = buffer_ring(mask.ravel(), w, h, 3).reshape(h, w)
    # Four side strips 3 cells deep, plus at each corner the cells with dx, dy >= 1
    # and dx^2 + dy^2 <= 9: (1,1) (1,2) (2,1) (2,2) -- 4 per corner.
    assert ring.sum() == 2 * 3 * 8 + 2 * 3 * 5 + 4 * 4
    assert ring[2, 6] and ring[12, 13] and ring[7, 3] and ring[7, 16]  # straight out, 3
    assert ring[3, 4] and ring[11, 15]        # diagonal (2, 2) from a corner
    assert not ring[2, 5] and not ring[12, 16]  # (3, 1) from a corner: sqrt 10 > 3
    assert not ring[1, 8] and not ring[7, 2]  # 4 cells straight out
    assert not (ring & mask).any()


def test_ring_is_clipped_at_the_edge():
    mask = np.zeros(25, bool)
    mask[0] = True  # corner of a 5 x 5 grid
    # (dx, dy) >= 0 with 0 < dx^2 + dy^2 <= 4: (0,1) (0,2) (1,0) (2,0) (1,1).
    ring = buffer_ring(mask, 5, 5, 2).reshape(5, 5)
    assert ring.sum() == 5
    assert ring[0, 2] and ring[2, 0] and ring[1, 1] and not ring[1, 2]
    # A cell in the middle of the top edge: the lower half-disc of radius 2.
    mask = np.zeros(25, bool)
    mask[2] = True
    assert buffer_ring(mask, 5, 5, 2).sum() == 4 + 3 + 1  # rows y = 0, 1, 2


def test_fractional_ring_in_metres():
    mask = np.zeros(121, bool)
    mask[60] = True
    # 250 m of 100 m cells: 2.5 cells, so dx^2 + dy^2 <= 6.25 -- up to (1, 2), not (2, 2).
    assert buffer_ring(mask, 11, 11, ring_cells(250, 100)).sum() == 4 + 4 + 4 + 8
    # 0.3 / 0.1 is 2.9999999999999996 in floating point: cells at distance 3 still count.
    assert buffer_ring(mask, 11, 11, 0.3 / 0.1).sum() == 28


def test_ring_matches_brute_force():
    rng = np.random.default_rng(3)
    for ring in (0, 1, 2.5, 3, 4.2):
        mask = rng.random((12, 17)) < 0.05
        got = buffer_ring(mask.ravel(), 17, 12, ring)
        np.testing.assert_array_equal(got, _brute_ring(mask, ring) if ring else
                                      np.zeros(mask.size, bool))


def test_ring_of_empty_or_full_area_is_empty():
    assert not buffer_ring(np.zeros(100, bool), 10, 10, 3).any()
    assert not buffer_ring(np.ones(100, bool), 10, 10, 3).any()


def test_ring_cells_from_metres():
    assert ring_cells(300, 50) == 6
    assert ring_cells(300, 100) == 3
    assert ring_cells(250, 100) == 2.5  # exact: a Euclidean ring needs no rounding
    assert ring_cells(10, 100) == 1     # at least one cell


def test_area_counts_split_the_maps():
    h, w = 5, 5
    treated = np.zeros(h * w, bool)
    treated[12] = True  # centre cell
    base = np.ones((2, h * w))  # two crime types, one crime each per cell
    alt = base.copy()
    alt[:, 12] = 0      # treated cell loses its 2 crimes
    alt[0, 6] += 1      # one moves into the ring (a diagonal neighbour)
    c = area_counts(base, alt, treated, w, h, 1.5)  # the 8 neighbours: sqrt 2 <= 1.5
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
