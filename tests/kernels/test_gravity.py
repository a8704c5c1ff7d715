"""sim.kernels.gravity: destinations drawn by the gravity rule.

The rule (module docstring): P(j | o) = a_j (d_oj + d0)^-beta / sum_k a_k (d_ok + d0)^-beta,
Euclidean distance in cells. The sampler: the grid is cut into square blocks. Places in
the 3 x 3 blocks around the origin's block are near, with exact mass
S = sum a_j w_oj; each far block ``b`` has the bound ``A_b W(b)`` (``A_b``: its total
attraction; ``W``: the decay weight at the smallest distance between a cell of the
origin's block and a cell of b), F their sum. An attempt draws u * (S + F): below S,
the near place where the running sum (block order, then cell order) passes u; else
the far block where the far blocks' running sum passes u - S, a place in it in
proportion to ``a_j``, accepted when a uniform times ``W(b)`` is below
``(d_oj + d0)^-beta``. After MAX_TRIES attempts the last proposal is kept.

With a fine level (blocks over twice ``fine`` cells a side), only the 3 x 3 fine blocks
around the origin's fine block are near; the other fine blocks of the 3 x 3 blocks are
*mid*: proposed in proportion to their attraction times the decay at the smallest
distance between the two fine blocks, then a place and its acceptance as for far ones.
"""

from __future__ import annotations

import numpy as np
import pytest
from counter_twin import TwinStream
from gravity_twin import ref_draw
from numba import njit

from sim.kernels.counter_rng import day_key, stream_seed
from sim.kernels.gravity import (
    FINE,
    block_side,
    build_gravity,
    draw_destination,
    empty_gravity,
)


def random_places(seed, width, height, share=0.15):
    rng = np.random.default_rng(seed)
    a = np.where(rng.random(width * height) < share, rng.uniform(0.2, 3.0, width * height), 0)
    if not (a > 0).any():
        a[0] = 1.0
    return a


@njit
def draw_many(origin, table, width, key, n):
    """One destination for each of n residents (resident i's stream under key)."""
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = draw_destination(origin, table, width, stream_seed(key, i), 0)[0]
    return out


def gravity_probs(origin, a, width, beta, d0):
    """The rule itself, over every place (what the sampler must reproduce)."""
    cells = np.flatnonzero(a > 0)
    d = np.hypot(cells % width - origin % width, cells // width - origin // width)
    w = a[cells] * (d + d0) ** -beta
    return cells, w / w.sum()


@pytest.mark.parametrize("seed", range(6))
def test_draws_match_the_twin_given_the_same_generator(seed):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(3, 25)), int(rng.integers(3, 25))
    a = random_places(seed, width, height)
    beta, d0 = float(rng.uniform(0, 3)), float(rng.uniform(0.2, 3))
    max_entries = int(rng.integers(1, 400))
    table = build_gravity(a, width, height, beta, d0, max_entries)
    origins = rng.integers(0, width * height, 30)
    key = day_key(np.random.default_rng(seed + 100))
    for i, o in enumerate(origins):  # resident i draws from its stream, from draw 5 on
        j, k = draw_destination(int(o), table, width, np.uint64(stream_seed(key, i)), 5)
        twin = TwinStream(key, i, 5)
        assert j == ref_draw(int(o), a, width, height, beta, d0, table.block, twin)
        assert k == twin.k  # the same number of draws


@pytest.mark.parametrize("seed", range(6))
def test_draws_with_a_fine_level_match_the_twin(seed):
    rng = np.random.default_rng(50 + seed)
    width, height = int(rng.integers(14, 40)), int(rng.integers(14, 40))
    a = random_places(seed, width, height, share=0.3)
    beta, d0 = float(rng.uniform(0, 3)), float(rng.uniform(0.2, 3))
    fine = int(rng.integers(1, 4))
    table = build_gravity(a, width, height, beta, d0, int(rng.integers(1, 30)), fine=fine)
    if not table.fine:
        pytest.skip("this grid's blocks are too small for a fine level")  # seeds chosen: none
    assert table.block % fine == 0 and table.block > 2 * fine
    origins = rng.integers(0, width * height, 40)
    key = day_key(np.random.default_rng(seed + 200))
    for i, o in enumerate(origins):
        j, k = draw_destination(int(o), table, width, np.uint64(stream_seed(key, i)), 3)
        twin = TwinStream(key, i, 3)
        assert j == ref_draw(int(o), a, width, height, beta, d0, table.block, twin, fine)
        assert k == twin.k


@pytest.mark.parametrize(("beta", "d0", "max_entries", "fine"),
                         [(2.0, 1.0, 64, 0), (1.0, 0.5, 1 << 20, 0), (3.0, 2.0, 20, 0),
                          (2.0, 1.0, 1, 2), (1.0, 0.5, 2, 1), (1.5, 0.8, 1, 3)])
def test_destinations_follow_the_gravity_rule(beta, d0, max_entries, fine):
    """Seeded; each place's count within 4.5 binomial standard errors of n P(j | o)."""
    width, height, n = 16, 12, 40_000
    a = random_places(7, width, height, share=0.12)
    table = build_gravity(a, width, height, beta, d0, max_entries, fine=fine)
    assert bool(table.fine) == bool(fine)
    for origin in (0, 5 * width + 7, width * height - 1):
        cells, p = gravity_probs(origin, a, width, beta, d0)
        draws = draw_many(origin, table, width, day_key(np.random.default_rng(11 + origin)), n)
        counts = np.array([(draws == c).sum() for c in cells])
        se = np.sqrt(n * p * (1 - p))
        assert (np.abs(counts - n * p) <= 4.5 * se + 1).all(), (origin, counts, n * p)


def test_block_bound_is_an_upper_bound_for_every_pair():
    width, height, beta, d0 = 13, 9, 2.5, 0.7
    a = np.ones(width * height)
    table = build_gravity(a, width, height, beta, d0, max_entries=30)
    side, nbx = table.block, table.nbx
    cells = np.arange(width * height)
    blk = (cells // width // side) * nbx + (cells % width) // side
    x, y = cells % width, cells // width
    w = (np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) + d0) ** -beta
    # the table's per-block weight is A_b W(z, b); A_b is the cell count here
    per_block = np.diff(table.zone_cum, prepend=0.0, axis=1) / np.bincount(blk)[None, :]
    bound = per_block[blk[:, None], blk[None, :]]
    assert (w <= bound * (1 + 1e-12)).all()


def test_fine_bound_is_an_upper_bound_for_every_pair():
    width, height, beta, d0, fine = 30, 24, 1.7, 0.6, 3
    table = build_gravity(np.ones(width * height), width, height, beta, d0, 1, fine=fine)
    assert table.fine == fine
    cells = np.arange(width * height)
    x, y = cells % width, cells // width
    w = (np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) + d0) ** -beta
    dx = np.abs(x[:, None] // fine - x[None, :] // fine)
    dy = np.abs(y[:, None] // fine - y[None, :] // fine)
    reach = table.fine_bound.shape[0]
    inside = (dx < reach) & (dy < reach)
    assert (w[inside] <= table.fine_bound[dx[inside], dy[inside]] * (1 + 1e-12)).all()


def test_near_and_mid_masses_are_the_sums_they_stand_for():
    width, height, beta, d0, fine = 33, 27, 2.0, 1.0, 2
    a = random_places(3, width, height, share=0.25)
    table = build_gravity(a, width, height, beta, d0, 1, fine=fine)
    side, per = table.block, table.block // fine
    assert table.fine == fine
    for o in (0, 17 * width + 9, width * height - 1, 5 * width + 30):
        ox, oy = o % width, o // width
        fx, fy = ox // fine, oy // fine
        places = np.flatnonzero(a > 0)
        px, py = places % width, places // width
        near = (np.abs(px // fine - fx) <= 1) & (np.abs(py // fine - fy) <= 1)
        w = a[places] * (np.hypot(px - ox, py - oy) + d0) ** -beta
        assert table.near_mass[o] == pytest.approx(w[near].sum(), rel=1e-12)
        # mid: fine blocks of the 3 x 3 blocks around o's block, less the near ones
        in_blocks = ((np.abs(px // side - ox // side) <= 1)
                     & (np.abs(py // side - oy // side) <= 1))
        mid = in_blocks & ~near
        gx, gy = np.abs(px // fine - fx), np.abs(py // fine - fy)
        sep_x = np.where(gx == 0, 0, (gx - 1) * fine + 1)
        sep_y = np.where(gy == 0, 0, (gy - 1) * fine + 1)
        bound = (np.hypot(sep_x, sep_y) + d0) ** -beta
        expected = (a[places] * bound)[mid].sum()
        assert table.mid_mass[fy * table.nfx + fx, 8] == pytest.approx(expected, rel=1e-12)
        # the running sums over the neighbour blocks, row by row
        per_block = [(a[places] * bound)[mid & (py // side - oy // side == dy)
                                          & (px // side - ox // side == dx)].sum()
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        np.testing.assert_allclose(table.mid_mass[fy * table.nfx + fx],
                                   np.cumsum(per_block), rtol=1e-12, atol=1e-300)
        assert per >= 3


def test_small_blocks_have_no_fine_level():
    """The baseline's 100 x 100 city (8-cell blocks): one level, as before the fine one."""
    table = build_gravity(random_places(1, 100, 100), 100, 100, 2.0, 1.0)
    assert table.block == 8 and table.fine == 0
    big = build_gravity(random_places(1, 600, 600, share=0.01), 600, 600, 2.0, 1.0)
    assert big.fine == FINE and big.block % FINE == 0


def test_block_side_keeps_the_table_small():
    for width, height, cap in [(10, 10, 1 << 20), (1000, 1000, 1 << 20), (7, 300, 50)]:
        side = block_side(width, height, cap)
        n_blocks = -(-width // side) * -(-height // side)
        assert n_blocks**2 <= cap
        if side > 1:
            bigger = -(-width // (side - 1)) * -(-height // (side - 1))
            assert bigger**2 > cap


def test_a_thousand_by_thousand_city_fits():
    a = np.zeros(1000 * 1000)
    a[::997] = 1.0
    table = build_gravity(a, 1000, 1000, 2.0, 1.0)
    assert table.zone_cum.nbytes <= 8 * (1 << 20)
    j, _ = draw_destination(500_500, table, 1000, np.uint64(stream_seed(np.uint64(7), 0)), 0)
    assert a[j] > 0


def test_no_places_gives_minus_one_and_draws_nothing():
    seed = np.uint64(stream_seed(np.uint64(3), 0))
    assert draw_destination(4, empty_gravity(), 5, seed, 9) == (-1, 9)
    assert draw_destination(4, build_gravity(np.zeros(25), 5, 5, 2.0, 1.0), 5, seed, 9) == (-1, 9)


def test_invalid_parameters_are_refused():
    with pytest.raises(ValueError):
        build_gravity(np.ones(4), 2, 2, 2.0, 0.0)
    with pytest.raises(ValueError):
        build_gravity(np.ones(5), 2, 2, 2.0, 1.0)
