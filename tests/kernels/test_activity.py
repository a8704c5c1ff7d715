"""sim.kernels.activity.activate against a plain-Python reference.

Documented behaviour: every "offended this tick" flag is cleared; only free offenders
can be out; one uniform per free offender (in index order) unless ``always``; an
offender is out with probability ``p_active``; offenders who stay in are at home, and
one who goes out (was not out before) starts from home; the count out is returned.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import DEAD, FREE, JAILED
from sim.kernels.activity import activate

SEEDS = range(8)


def ref_activate(state, active, acted, pos, home, p_active, always, rng):
    active, acted, pos = active.copy(), acted.copy(), pos.copy()
    acted[:] = False
    for i in range(state.shape[0]):
        if state[i] != FREE:
            active[i] = False
            continue
        if always:
            active[i] = True
            continue
        was_out = bool(active[i])
        out = rng.random() < p_active
        active[i] = out
        stays_in = not out
        goes_out = out and not was_out
        if (stays_in or goes_out) and home[i] >= 0:
            pos[i] = home[i]
    return active, acted, pos, int(active.sum())


def random_offenders(seed, n=60, n_cells=50):
    rng = np.random.default_rng(seed)
    state = rng.choice(np.array([DEAD, FREE, JAILED], np.int8), n, p=[0.2, 0.6, 0.2])
    active = rng.random(n) < 0.5
    acted = rng.random(n) < 0.5
    pos = rng.integers(0, n_cells, n)
    home = np.where(rng.random(n) < 0.8, rng.integers(0, n_cells, n), -1)
    return state, active, acted, pos, home


def run_kernel(state, active, acted, pos, home, p, always, rng):
    active, acted, pos = active.copy(), acted.copy(), pos.copy()
    n_out = activate(state, active, acted, pos, home, p, always, rng)
    return active, acted, pos, n_out


@pytest.mark.parametrize("always", [False, True])
@pytest.mark.parametrize("p_active", [0.0, 0.3, 0.75, 1.0])
@pytest.mark.parametrize("seed", SEEDS)
def test_activate_matches_reference(seed, p_active, always):
    state, active, acted, pos, home = random_offenders(seed)
    rk, rr = np.random.default_rng(seed + 50), np.random.default_rng(seed + 50)
    got = run_kernel(state, active, acted, pos, home, p_active, always, rk)
    expected = ref_activate(state, active, acted, pos, home, p_active, always, rr)
    for g, e in zip(got[:3], expected[:3], strict=True):
        np.testing.assert_array_equal(g, e)
    assert got[3] == expected[3]
    assert rk.random() == rr.random()  # same number of draws


@pytest.mark.parametrize("seed", SEEDS)
def test_activate_properties(seed):
    state, active, acted, pos, home = random_offenders(seed)
    new_active, new_acted, new_pos, n_out = run_kernel(
        state, active, acted, pos, home, 0.5, False, np.random.default_rng(seed)
    )
    assert not new_acted.any()
    assert not new_active[state != FREE].any()
    assert n_out == new_active.sum()
    # non-free offenders do not move
    np.testing.assert_array_equal(new_pos[state != FREE], pos[state != FREE])
    # free offenders who stay in are at home (when they have one)
    stay_in = (state == FREE) & ~new_active & (home >= 0)
    np.testing.assert_array_equal(new_pos[stay_in], home[stay_in])
    # those newly out start from home; those who were out and stay out keep their cell
    new_out = (state == FREE) & new_active & ~active & (home >= 0)
    np.testing.assert_array_equal(new_pos[new_out], home[new_out])
    still_out = (state == FREE) & new_active & active
    np.testing.assert_array_equal(new_pos[still_out], pos[still_out])
    # no home anchor: position untouched
    np.testing.assert_array_equal(new_pos[home < 0], pos[home < 0])


def test_activate_always_draws_nothing_and_keeps_positions():
    state, active, acted, pos, home = random_offenders(3)
    rng = np.random.default_rng(9)
    new_active, _, new_pos, n_out = run_kernel(state, active, acted, pos, home, 0.0, True, rng)
    np.testing.assert_array_equal(new_active, state == FREE)
    np.testing.assert_array_equal(new_pos, pos)
    assert n_out == (state == FREE).sum()
    assert rng.random() == np.random.default_rng(9).random()


def test_activate_one_draw_per_free_offender():
    state, active, acted, pos, home = random_offenders(4)
    rng = np.random.default_rng(10)
    run_kernel(state, active, acted, pos, home, 0.4, False, rng)
    ref = np.random.default_rng(10)
    ref.random(int((state == FREE).sum()))
    assert rng.random() == ref.random()


def test_activate_extreme_probabilities():
    state, active, acted, pos, home = random_offenders(5)
    a0, _, p0, n0 = run_kernel(state, active, acted, pos, home, 0.0, False,
                               np.random.default_rng(0))
    assert n0 == 0 and not a0.any()
    free_home = (state == FREE) & (home >= 0)
    np.testing.assert_array_equal(p0[free_home], home[free_home])
    a1, _, _, n1 = run_kernel(state, active, acted, pos, home, 1.0, False,
                              np.random.default_rng(0))
    np.testing.assert_array_equal(a1, state == FREE)
    assert n1 == (state == FREE).sum()


def test_activate_rate():
    n = 20_000
    state = np.full(n, FREE, np.int8)
    active = np.zeros(n, np.bool_)
    p = 0.3
    a, _, _, n_out = run_kernel(state, active, active.copy(), np.zeros(n, np.int64),
                                np.zeros(n, np.int64), p, False, np.random.default_rng(1))
    assert abs(n_out - n * p) <= 5 * np.sqrt(n * p * (1 - p))


def test_activate_empty():
    e = np.zeros(0, np.int64)
    rng = np.random.default_rng(0)
    n = activate(np.zeros(0, np.int8), np.zeros(0, np.bool_), np.zeros(0, np.bool_), e, e, 0.5,
                 False, rng)
    assert n == 0
    assert rng.random() == np.random.default_rng(0).random()
