"""sim.kernels.movement.walk against a plain-Python reference.

The documented rule: an offender moves to neighbour ``n`` with probability
``A_n / sum A`` (Short et al. 2008), ``A = a0 + b``, weights multiplied by
``exp(-decay * d)`` with ``d`` the neighbour's distance from home, and zero beyond
the awareness radius. One uniform per mover, in offender order; the uniform ``u``
picks the first neighbour (in the grid module's neighbour order) whose cumulative
weight exceeds ``u * total``. Offenders with zero total weight stay.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.kernels.movement import walk

SEEDS = range(6)
OFFSETS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]


def cell_neighbours(c, width, height, periodic, n_neighbours):
    x, y = c % width, c // width
    out = []
    for dx, dy in OFFSETS[:n_neighbours]:
        nx, ny = x + dx, y + dy
        if periodic:
            out.append((ny % height) * width + nx % width)
        elif 0 <= nx < width and 0 <= ny < height:
            out.append(ny * width + nx)
        else:
            out.append(-1)
    return out


def euclid(a, b, width, height, periodic):
    dx = abs(a % width - b % width)
    dy = abs(a // width - b // width)
    if periodic:
        dx = min(dx, width - dx)
        dy = min(dy, height - dy)
    return math.sqrt(dx * dx + dy * dy)


def ref_walk(pos, home, moving, a0, b, width, height, periodic, n_neighbours, decay, awareness,
             rng):
    pos = pos.copy()
    for i in range(pos.shape[0]):
        if not moving[i]:
            continue
        cands = cell_neighbours(int(pos[i]), width, height, periodic, n_neighbours)
        weights = []
        for nb in cands:
            if nb < 0:
                weights.append(0.0)
                continue
            w = float(a0[nb] + b[nb])
            h = int(home[i])
            if h >= 0 and (decay > 0.0 or awareness > 0.0):
                d = euclid(nb, h, width, height, periodic)
                w = 0.0 if awareness > 0.0 and d > awareness else w * math.exp(-decay * d)
            weights.append(w)
        u = rng.random()  # drawn for every mover, even one that cannot move
        cum = np.cumsum(weights)
        total = cum[-1]
        if total <= 0.0:
            continue
        r = u * total
        hit = np.flatnonzero(r < cum)
        if hit.size:
            pos[i] = cands[hit[0]]
        else:  # rounding: last neighbour with positive weight
            pos[i] = cands[max(k for k, w in enumerate(weights) if w > 0.0)]
    return pos


def random_case(seed, anchored, n=40):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(2, 9)), int(rng.integers(2, 9))
    n_cells = width * height
    a0 = rng.random(n_cells)
    b = rng.exponential(1.0, n_cells) * (rng.random(n_cells) < 0.5)
    pos = rng.integers(0, n_cells, n)
    home = rng.integers(0, n_cells, n) if anchored else np.full(n, -1)
    moving = rng.random(n) < 0.8
    return pos, home, moving, a0, b, width, height


def run_both(seed, periodic, n_neighbours, anchored, decay, awareness):
    pos, home, moving, a0, b, width, height = random_case(seed, anchored)
    got = pos.copy()
    rk, rr = np.random.default_rng(100 + seed), np.random.default_rng(100 + seed)
    walk(got, home, moving, a0, b, width, height, periodic, n_neighbours, decay, awareness, rk)
    expected = ref_walk(pos, home, moving, a0, b, width, height, periodic, n_neighbours, decay,
                        awareness, rr)
    np.testing.assert_array_equal(got, expected)
    # both consumed the same number of uniforms
    assert rk.random() == rr.random()
    return pos, got, home, moving, width, height


@pytest.mark.parametrize("n_neighbours", [4, 8])
@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_walk_short_rule_matches_reference(seed, periodic, n_neighbours):
    pos, got, _, moving, width, height = run_both(seed, periodic, n_neighbours, False, 0.0, 0.0)
    np.testing.assert_array_equal(got[~moving], pos[~moving])


@pytest.mark.parametrize(
    ("decay", "awareness"), [(0.5, 0.0), (0.0, 2.5), (0.3, 3.0), (0.0, 0.0)]
)
@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_walk_home_anchor_matches_reference(seed, periodic, decay, awareness):
    run_both(seed, periodic, 8, True, decay, awareness)


@pytest.mark.parametrize("periodic", [False, True])
def test_walk_moves_exactly_one_step_and_stays_on_grid(periodic):
    pos, got, _, moving, width, height = run_both(11, periodic, 4, False, 0.0, 0.0)
    for p0, p1, m in zip(pos, got, moving, strict=True):
        if m:
            assert p1 in cell_neighbours(int(p0), width, height, periodic, 4)
        else:
            assert p1 == p0


def test_walk_empty_inputs():
    rng = np.random.default_rng(0)
    empty = np.zeros(0, np.int64)
    walk(empty, empty, np.zeros(0, np.bool_), np.ones(9), np.zeros(9), 3, 3, True, 4, 0.0, 0.0,
         rng)
    assert rng.random() == np.random.default_rng(0).random()


def test_walk_nobody_moving_draws_nothing():
    rng = np.random.default_rng(1)
    pos = np.array([0, 4, 8])
    walk(pos, np.full(3, -1), np.zeros(3, np.bool_), np.ones(9), np.zeros(9), 3, 3, True, 4,
         0.0, 0.0, rng)
    np.testing.assert_array_equal(pos, [0, 4, 8])
    assert rng.random() == np.random.default_rng(1).random()


def test_walk_zero_weight_stays_but_draws():
    rng = np.random.default_rng(2)
    pos = np.array([4, 4])
    walk(pos, np.full(2, -1), np.ones(2, np.bool_), np.zeros(9), np.zeros(9), 3, 3, False, 8,
         0.0, 0.0, rng)
    np.testing.assert_array_equal(pos, [4, 4])
    ref = np.random.default_rng(2)
    ref.random(2)
    assert rng.random() == ref.random()


def test_walk_bounded_corner_only_goes_on_grid():
    width, height = 5, 5
    n = 400
    pos = np.zeros(n, np.int64)  # corner (0, 0)
    walk(pos, np.full(n, -1), np.ones(n, np.bool_), np.ones(25), np.zeros(25), width, height,
         False, 4, 0.0, 0.0, np.random.default_rng(3))
    assert set(pos.tolist()) == {1, width}


def test_walk_torus_corner_wraps():
    width, height = 5, 4
    n = 400
    pos = np.zeros(n, np.int64)
    walk(pos, np.full(n, -1), np.ones(n, np.bool_), np.ones(20), np.zeros(20), width, height,
         True, 4, 0.0, 0.0, np.random.default_rng(4))
    assert set(pos.tolist()) == {1, width, width - 1, (height - 1) * width}


def test_walk_single_attractive_neighbour_is_certain():
    width, height = 5, 5
    a0 = np.zeros(25)
    a0[13] = 2.0  # the +x neighbour of cell 12
    pos = np.full(10, 12)
    walk(pos, np.full(10, -1), np.ones(10, np.bool_), a0, np.zeros(25), width, height, False, 8,
         0.0, 0.0, np.random.default_rng(5))
    np.testing.assert_array_equal(pos, 13)


@pytest.mark.parametrize("periodic", [False, True])
def test_walk_awareness_space_is_never_left(periodic):
    rng = np.random.default_rng(6)
    width, height, n = 15, 12, 30
    a0 = rng.random(width * height) + 0.1
    b = np.zeros(width * height)
    home = rng.integers(0, width * height, n)
    pos = home.copy()
    moving = np.ones(n, np.bool_)
    awareness = 2.0
    for _ in range(60):
        walk(pos, home, moving, a0, b, width, height, periodic, 8, 0.2, awareness, rng)
        d = [euclid(int(p), int(h), width, height, periodic) for p, h in zip(pos, home,
                                                                                strict=True)]
        assert max(d) <= awareness


def test_walk_short_rule_frequencies():
    """With home = -1 the move to neighbour n has probability A_n / sum A (binomial check)."""
    width, height = 5, 5
    n_cells = width * height
    rng = np.random.default_rng(2008)
    a0 = rng.random(n_cells) * 0.5
    b = rng.exponential(1.0, n_cells)
    c = 12
    n = 40_000
    pos = np.full(n, c)
    walk(pos, np.full(n, -1), np.ones(n, np.bool_), a0, b, width, height, True, 4, 0.0, 0.0,
         np.random.default_rng(99))
    nbs = cell_neighbours(c, width, height, True, 4)
    a = np.array([a0[k] + b[k] for k in nbs])
    p = a / a.sum()
    counts = np.array([(pos == k).sum() for k in nbs])
    assert counts.sum() == n
    expected = n * p
    sd = np.sqrt(n * p * (1 - p))
    assert (np.abs(counts - expected) <= 5 * sd).all(), (counts, expected)
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 25.0  # chi-square, 3 degrees of freedom: P(chi2 > 25) ~ 2e-5


def test_walk_home_decay_frequencies():
    """Uniform A: weights exp(-decay * d) by distance from home."""
    width, height = 9, 9
    n_cells = width * height
    home = 4 * width + 4
    c = home + 2  # two cells east of home
    decay = 0.7
    n = 40_000
    pos = np.full(n, c)
    walk(pos, np.full(n, home), np.ones(n, np.bool_), np.ones(n_cells), np.zeros(n_cells), width,
         height, False, 8, decay, 0.0, np.random.default_rng(5))
    nbs = cell_neighbours(c, width, height, False, 8)
    w = np.array([math.exp(-decay * euclid(k, home, width, height, False)) for k in nbs])
    p = w / w.sum()
    counts = np.array([(pos == k).sum() for k in nbs])
    expected = n * p
    sd = np.sqrt(n * p * (1 - p))
    assert (np.abs(counts - expected) <= 5 * sd).all(), (counts, expected)
