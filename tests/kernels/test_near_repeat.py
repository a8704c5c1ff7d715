"""sim.kernels.near_repeat.update_b against numpy-array references.

    B'(s) = [(1 - eta) B_s + (eta / z) * sum_neighbours B] (1 - omega dt) + theta E_s

with the 4 von Neumann neighbours; on a torus z = 4, on a bounded grid z is the number
of neighbours that exist (reflecting edge).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.kernels.near_repeat import update_b

SEEDS = range(6)
SHAPES = [(1, 1), (1, 4), (4, 1), (2, 2), (2, 5), (6, 4), (9, 7)]


def ref_torus(b, crimes, eta, omega_dt, theta, width, height):
    B = b.reshape(height, width)
    s = (np.roll(B, 1, axis=0) + np.roll(B, -1, axis=0)
         + np.roll(B, 1, axis=1) + np.roll(B, -1, axis=1))
    new = ((1 - eta) * B + eta / 4 * s) * (1 - omega_dt) + theta * crimes.reshape(height, width)
    return new.ravel()


def ref_bounded(b, crimes, eta, omega_dt, theta, width, height):
    B = np.pad(b.reshape(height, width), 1)
    one = np.pad(np.ones((height, width)), 1)

    def neighbour_sum(a):
        return a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:]

    s = neighbour_sum(B)
    z = neighbour_sum(one)
    inner = B[1:-1, 1:-1]
    lap = np.where(z > 0, (1 - eta) * inner + eta * s / np.maximum(z, 1), inner)
    return (lap * (1 - omega_dt) + theta * crimes.reshape(height, width)).ravel()


def random_inputs(seed, width, height):
    rng = np.random.default_rng(seed)
    n = width * height
    b = rng.exponential(1.0, n)
    crimes = rng.poisson(0.3, n).astype(np.float64)
    eta, omega_dt, theta = rng.random(), rng.random() * 0.2, rng.random() * 2
    return b, crimes, eta, omega_dt, theta


def run(b, crimes, eta, omega_dt, theta, width, height, periodic):
    out = np.full(b.shape, np.nan)
    b_in, c_in = b.copy(), crimes.copy()
    update_b(b, crimes, eta, omega_dt, theta, width, height, periodic, out)
    np.testing.assert_array_equal(b, b_in)  # inputs untouched
    np.testing.assert_array_equal(crimes, c_in)
    return out


@pytest.mark.parametrize(("width", "height"), SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_update_b_torus_matches_roll(seed, width, height):
    args = random_inputs(seed, width, height)
    got = run(*args, width, height, True)
    np.testing.assert_allclose(got, ref_torus(*args, width, height), rtol=1e-12, atol=0)


@pytest.mark.parametrize(("width", "height"), SHAPES)
@pytest.mark.parametrize("seed", SEEDS)
def test_update_b_bounded_matches_reflecting_average(seed, width, height):
    args = random_inputs(seed, width, height)
    got = run(*args, width, height, False)
    np.testing.assert_allclose(got, ref_bounded(*args, width, height), rtol=1e-12, atol=0)


def test_update_b_bounded_corner_by_hand():
    width, height = 3, 3
    b = np.arange(9, dtype=np.float64)  # rows: 0 1 2 / 3 4 5 / 6 7 8
    crimes = np.zeros(9)
    eta = 0.5
    got = run(b, crimes, eta, 0.0, 0.0, width, height, False)
    # corner 0 has neighbours 1 and 3 (z = 2); edge 1 has 0, 2, 4 (z = 3); centre has 4
    assert got[0] == pytest.approx(0.5 * 0 + 0.5 * (1 + 3) / 2)
    assert got[1] == pytest.approx(0.5 * 1 + 0.5 * (0 + 2 + 4) / 3)
    assert got[4] == pytest.approx(0.5 * 4 + 0.5 * (1 + 3 + 5 + 7) / 4)
    # on the torus the corner sees 1, 2, 3, 6
    got_t = run(b, crimes, eta, 0.0, 0.0, width, height, True)
    assert got_t[0] == pytest.approx(0.5 * 0 + 0.5 * (1 + 2 + 3 + 6) / 4)


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("eta", [0.0, 0.2, 0.5, 1.0])
def test_update_b_uniform_field_decays_by_one_minus_omega_dt(eta, periodic):
    width, height = 7, 5
    level, omega_dt = 0.8125, 0.0625
    b = np.full(width * height, level)
    got = run(b, np.zeros_like(b), eta, omega_dt, 3.0, width, height, periodic)
    np.testing.assert_allclose(got, level * (1 - omega_dt), rtol=1e-15, atol=0)


def test_update_b_uniform_field_decays_exactly_dyadic():
    # with dyadic numbers every operation is exact, so the decay is bit-exact
    width, height = 6, 6
    b = np.full(width * height, 1.5)
    got = run(b, np.zeros_like(b), 0.5, 0.25, 1.0, width, height, True)
    np.testing.assert_array_equal(got, 1.5 * 0.75)


@pytest.mark.parametrize("seed", SEEDS)
def test_update_b_torus_conserves_total_without_decay_or_crime(seed):
    width, height = 8, 6
    b, _, eta, _, theta = random_inputs(seed, width, height)
    crimes = np.zeros_like(b)
    got = run(b, crimes, eta, 0.0, theta, width, height, True)
    assert got.sum() == pytest.approx(b.sum(), rel=1e-12)
    # iterate: still conserved, and the field smooths out (variance does not grow)
    cur = b
    for _ in range(20):
        cur = run(cur, crimes, eta, 0.0, theta, width, height, True)
    assert cur.sum() == pytest.approx(b.sum(), rel=1e-11)
    assert cur.var() <= b.var() + 1e-12


@pytest.mark.parametrize("periodic", [False, True])
def test_update_b_zero_rates_is_identity(periodic):
    b, crimes, _, _, _ = random_inputs(0, 6, 5)
    got = run(b, crimes, 0.0, 0.0, 0.0, 6, 5, periodic)
    np.testing.assert_array_equal(got, b)


@pytest.mark.parametrize("periodic", [False, True])
def test_update_b_crimes_add_theta_each(periodic):
    width, height = 5, 4
    b = np.zeros(width * height)
    crimes = np.zeros_like(b)
    crimes[[3, 7, 7 + width]] = [1.0, 2.0, 5.0]
    got = run(b, crimes, 0.3, 0.1, 0.25, width, height, periodic)
    np.testing.assert_array_equal(got, 0.25 * crimes)


@pytest.mark.parametrize("periodic", [False, True])
def test_update_b_stays_non_negative(periodic):
    for seed in SEEDS:
        args = random_inputs(seed, 7, 6)
        assert (run(*args, 7, 6, periodic) >= 0).all()


def test_update_b_empty_grid():
    out = np.zeros(0)
    update_b(np.zeros(0), np.zeros(0), 0.2, 0.1, 1.0, 0, 0, True, out)
    assert out.shape == (0,)


@pytest.mark.parametrize("periodic", [False, True])
def test_parallel_update_is_the_sequential_one_bit_for_bit(periodic):
    """prange over cells: every cell reads only the old field, so the same floats."""
    from sim.kernels.near_repeat import step_b, update_b_parallel

    rng = np.random.default_rng(5)
    width, height = 300, 220
    b = rng.random(width * height) * 3
    crimes = (rng.random(width * height) < 0.01).astype(np.float64)
    want, got = np.empty_like(b), np.empty_like(b)
    update_b(b, crimes, 0.2, 0.03, 1.5, width, height, periodic, want)
    update_b_parallel(b, crimes, 0.2, 0.03, 1.5, width, height, periodic, got)
    np.testing.assert_array_equal(got, want)
    b2, crimes2 = b.copy(), crimes.copy()
    step_b(b2, crimes2, 0.2, 0.03, 1.5, width, height, periodic, np.empty_like(b), True)
    np.testing.assert_array_equal(b2, want)
    assert not crimes2.any()
