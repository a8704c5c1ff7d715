"""sim.kernels.patrol (patrol, police_field) against plain-Python references.

Patrol is on a bounded grid. Officers are handled in index order. Draws, in order:
a hot-spot officer without a target draws one uniform to pick a cell from the hot list;
then each of ``speed`` moves is either a king's move toward the target (no draw) or a
random move: one uniform picks one of the 8 Moore neighbours (grid module order); a move
off the grid, out of a community officer's beat, or (hot-spot officer) more than one
cell from the hot spot is forfeited. A reactive officer without a target takes the
oldest call still open (calls taken become -1); having reached it, the target is
cleared and the officer patrols at random again.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import COMMUNITY_PATROL, HOTSPOT_PATROL, RANDOM_PATROL, REACTIVE_PATROL
from sim.kernels.patrol import patrol, police_field

SEEDS = range(6)
STRATEGIES = [RANDOM_PATROL, HOTSPOT_PATROL, COMMUNITY_PATROL, REACTIVE_PATROL]
OFFSETS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]


def king(a, b, width):
    return max(abs(a % width - b % width), abs(a // width - b // width))


def ref_patrol(pos, strategy, target, beat, district, hot, calls, n_calls, speed, width, height,
               rng):
    pos, target, calls = pos.copy(), target.copy(), calls.copy()
    taken = 0
    for i in range(pos.shape[0]):
        s = strategy[i]
        if s == HOTSPOT_PATROL and len(hot) > 0 and target[i] < 0:
            target[i] = hot[int(np.floor(rng.random() * len(hot)))]
        elif s == REACTIVE_PATROL and target[i] < 0:
            open_calls = [j for j in range(n_calls) if calls[j] >= 0]
            if open_calls:
                oldest = open_calls[0]
                target[i] = calls[oldest]
                calls[oldest] = -1
                taken += 1
        for _ in range(speed):
            c, t = int(pos[i]), int(target[i])
            x, y = c % width, c // width
            near_hot = s == HOTSPOT_PATROL and t >= 0 and king(c, t, width) <= 1
            if t >= 0 and t != c and not near_hot:
                x += int(np.sign(t % width - x))
                y += int(np.sign(t // width - y))
                pos[i] = y * width + x
                continue
            if t >= 0 and s == REACTIVE_PATROL:
                target[i] = -1
            dx, dy = OFFSETS[int(np.floor(rng.random() * 8))]
            nx, ny = x + dx, y + dy
            if not (0 <= nx < width and 0 <= ny < height):
                continue
            nb = ny * width + nx
            if s == COMMUNITY_PATROL and district[nb] != beat[i]:
                continue
            if s == HOTSPOT_PATROL and t >= 0 and king(nb, t, width) > 1:
                continue
            pos[i] = nb
    return pos, target, calls, taken


def district_map(width, height, n_districts_x=2, n_districts_y=2):
    x = np.arange(width * height) % width
    y = np.arange(width * height) // width
    return (y * n_districts_y // height) * n_districts_x + x * n_districts_x // width


def random_force(seed, strategies=STRATEGIES, n=24):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(3, 12)), int(rng.integers(3, 12))
    n_cells = width * height
    district = district_map(width, height)
    strategy = rng.choice(np.array(strategies, np.int64), n)
    pos = rng.integers(0, n_cells, n)
    beat = district[pos]
    target = np.where(rng.random(n) < 0.3, rng.integers(0, n_cells, n), -1)
    # random and community officers carry no target
    target[(strategy == RANDOM_PATROL) | (strategy == COMMUNITY_PATROL)] = -1
    hot = rng.choice(n_cells, int(rng.integers(0, 6)), replace=False).astype(np.int64)
    n_calls = int(rng.integers(0, 10))
    calls = np.where(rng.random(n_calls + 3) < 0.25, -1, rng.integers(0, n_cells, n_calls + 3))
    speed = int(rng.integers(0, 4))
    return pos, strategy, target, beat, district, hot, calls, n_calls, speed, width, height


def run_kernel(pos, strategy, target, beat, district, hot, calls, n_calls, speed, width, height,
               rng):
    pos, target, calls = pos.copy(), target.copy(), calls.copy()
    taken = patrol(pos, strategy, target, beat, district, hot, calls, n_calls, speed, width,
                   height, rng)
    return pos, target, calls, taken


def compare(case, seed):
    rk, rr = np.random.default_rng(seed), np.random.default_rng(seed)
    got = run_kernel(*case, rk)
    expected = ref_patrol(*case, rr)
    for g, e in zip(got[:3], expected[:3], strict=True):
        np.testing.assert_array_equal(g, e)
    assert got[3] == expected[3]
    assert rk.random() == rr.random()
    return got


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("seed", SEEDS)
def test_patrol_single_strategy_matches_reference(seed, strategy):
    compare(random_force(seed, [strategy]), 1000 + seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_patrol_mixed_force_matches_reference_over_many_ticks(seed):
    case = list(random_force(seed))
    rk, rr = np.random.default_rng(seed), np.random.default_rng(seed)
    kpos, ktarget = case[0].copy(), case[2].copy()
    rpos, rtarget = case[0].copy(), case[2].copy()
    for _ in range(30):
        calls = case[6].copy()
        patrol(kpos, case[1], ktarget, case[3], case[4], case[5], calls, case[7], case[8],
               case[9], case[10], rk)
        rpos, rtarget, _, _ = ref_patrol(rpos, case[1], rtarget, *case[3:8], case[8], case[9],
                                         case[10], rr)
        np.testing.assert_array_equal(kpos, rpos)
        np.testing.assert_array_equal(ktarget, rtarget)


def test_patrol_random_walk_is_king_moves_on_grid():
    width, height, n, speed = 8, 6, 50, 2
    rng = np.random.default_rng(1)
    pos = rng.integers(0, width * height, n)
    strategy = np.full(n, RANDOM_PATROL)
    target = np.full(n, -1)
    district = np.zeros(width * height, np.int64)
    for _ in range(40):
        before = pos.copy()
        taken = patrol(pos, strategy, target, np.zeros(n, np.int64), district,
                       np.zeros(0, np.int64), np.zeros(0, np.int64), 0, speed, width, height, rng)
        assert taken == 0
        assert ((pos >= 0) & (pos < width * height)).all()
        assert max(king(int(a), int(b), width) for a, b in zip(before, pos, strict=True)) <= speed
        np.testing.assert_array_equal(target, -1)


def test_patrol_community_officers_never_leave_their_beat():
    width, height, n = 12, 10, 40
    district = district_map(width, height, 3, 2)
    rng = np.random.default_rng(2)
    pos = rng.integers(0, width * height, n)
    beat = district[pos]
    strategy = np.full(n, COMMUNITY_PATROL)
    target = np.full(n, -1)
    visited = set()
    for _ in range(200):
        patrol(pos, strategy, target, beat, district, np.zeros(0, np.int64),
               np.zeros(0, np.int64), 0, 3, width, height, rng)
        np.testing.assert_array_equal(district[pos], beat)
        visited.update(pos.tolist())
    assert len(visited) > n  # they do move


def test_patrol_reactive_takes_calls_oldest_first():
    width, height = 10, 10
    n = 5
    strategy = np.array([REACTIVE_PATROL, RANDOM_PATROL, REACTIVE_PATROL, REACTIVE_PATROL,
                         REACTIVE_PATROL])
    target = np.array([-1, -1, 77, -1, -1])  # officer 2 is busy
    pos = np.array([0, 0, 0, 0, 0])
    calls = np.array([-1, 55, 66, -1, 88, 99])  # the last one is beyond n_calls
    n_calls = 5
    taken = patrol(pos, strategy, target, np.zeros(n, np.int64),
                   np.zeros(width * height, np.int64), np.zeros(0, np.int64), calls, n_calls, 0,
                   width, height, np.random.default_rng(0))
    assert taken == 3
    np.testing.assert_array_equal(target, [55, -1, 77, 66, 88])
    np.testing.assert_array_equal(calls, [-1, -1, -1, -1, -1, 99])


def test_patrol_more_reactive_officers_than_calls():
    n = 6
    calls = np.array([12, 30])
    target = np.full(n, -1)
    taken = patrol(np.zeros(n, np.int64), np.full(n, REACTIVE_PATROL), target,
                   np.zeros(n, np.int64), np.zeros(36, np.int64), np.zeros(0, np.int64), calls,
                   2, 0, 6, 6, np.random.default_rng(0))
    assert taken == 2
    np.testing.assert_array_equal(target, [12, 30, -1, -1, -1, -1])
    np.testing.assert_array_equal(calls, [-1, -1])


def test_patrol_non_reactive_officers_take_no_calls():
    n = 3
    calls = np.array([5, 6, 7])
    target = np.full(n, -1)
    taken = patrol(np.zeros(n, np.int64),
                   np.array([RANDOM_PATROL, HOTSPOT_PATROL, COMMUNITY_PATROL]), target,
                   np.zeros(n, np.int64), np.zeros(36, np.int64), np.zeros(0, np.int64), calls,
                   3, 1, 6, 6, np.random.default_rng(0))
    assert taken == 0
    np.testing.assert_array_equal(calls, [5, 6, 7])


def test_patrol_reactive_officer_reaches_call_and_returns_to_patrol():
    width, height = 10, 10
    pos = np.array([0])
    target = np.array([-1])
    calls = np.array([3 * width + 4])  # king distance 4
    args = (np.array([REACTIVE_PATROL]), target, np.zeros(1, np.int64),
            np.zeros(100, np.int64), np.zeros(0, np.int64))
    taken = patrol(pos, *args, calls, 1, 4, width, height, np.random.default_rng(0))
    assert taken == 1
    assert pos[0] == 3 * width + 4
    assert target[0] == 3 * width + 4  # arrived, not yet cleared
    taken = patrol(pos, *args, calls, 1, 1, width, height, np.random.default_rng(0))
    assert taken == 0  # the call was already taken
    assert target[0] == -1
    assert king(int(pos[0]), 3 * width + 4, width) <= 1


def test_patrol_hotspot_officers_go_to_and_stay_at_hot_spots():
    width, height, n = 15, 12, 20
    rng = np.random.default_rng(4)
    hot = np.array([2 * width + 3, 9 * width + 11, 5 * width + 6])
    pos = rng.integers(0, width * height, n)
    target = np.full(n, -1)
    strategy = np.full(n, HOTSPOT_PATROL)
    district = np.zeros(width * height, np.int64)
    args = (np.zeros(n, np.int64), district, hot, np.zeros(0, np.int64), 0, 2, width, height)
    patrol(pos, strategy, target, *args, rng)
    assert np.isin(target, hot).all()
    for _ in range(20):
        patrol(pos, strategy, target, *args, rng)
    assert np.isin(target, hot).all()
    # after at most 14 king moves everybody is at (or next to) their hot spot
    assert max(king(int(p), int(t), width) for p, t in zip(pos, target, strict=True)) <= 1
    for _ in range(30):
        patrol(pos, strategy, target, *args, rng)
        assert max(king(int(p), int(t), width) for p, t in zip(pos, target, strict=True)) <= 1


def test_patrol_hotspot_without_hot_list_walks_at_random():
    case = list(random_force(3, [HOTSPOT_PATROL]))
    case[2][:] = -1
    case[5] = np.zeros(0, np.int64)
    got = compare(tuple(case), 7)
    np.testing.assert_array_equal(got[1], -1)


def test_patrol_hotspot_target_draw_is_uniform_over_hot_list():
    n = 30_000
    hot = np.array([3, 17, 25, 40])
    target = np.full(n, -1)
    patrol(np.zeros(n, np.int64), np.full(n, HOTSPOT_PATROL), target, np.zeros(n, np.int64),
           np.zeros(49, np.int64), hot, np.zeros(0, np.int64), 0, 0, 7, 7,
           np.random.default_rng(8))
    counts = np.array([(target == h).sum() for h in hot])
    p = 1 / len(hot)
    assert (np.abs(counts - n * p) <= 5 * np.sqrt(n * p * (1 - p))).all()


def test_patrol_speed_zero_and_empty_force():
    e = np.zeros(0, np.int64)
    taken = patrol(e, e, e, e, np.zeros(9, np.int64), e, np.array([4]), 1, 2, 3, 3,
                   np.random.default_rng(0))
    assert taken == 0
    pos = np.array([4, 5])
    rng = np.random.default_rng(0)
    patrol(pos, np.array([RANDOM_PATROL, COMMUNITY_PATROL]), np.full(2, -1),
           np.zeros(2, np.int64), np.zeros(9, np.int64), e, e, 0, 0, 3, 3, rng)
    np.testing.assert_array_equal(pos, [4, 5])
    assert rng.random() == np.random.default_rng(0).random()


# --- police_field ----------------------------------------------------------------------


def ref_police_field(pos, weight, deterrence, radius, width, height):
    out = np.zeros(width * height)
    for c in range(width * height):
        for p, w in zip(pos, weight, strict=True):
            if king(c, int(p), width) <= radius:
                out[c] += deterrence * w
    return out


@pytest.mark.parametrize("radius", [0, 1, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_police_field_matches_reference(seed, radius):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    n = int(rng.integers(0, 15))
    pos = rng.integers(0, width * height, n)
    weight = np.where(rng.random(n) < 0.3, rng.random(n), 1.0)
    deterrence = rng.random() * 2
    out = np.full(width * height, np.nan)
    police_field(pos, weight, deterrence, radius, width, height, out)
    np.testing.assert_allclose(out, ref_police_field(pos, weight, deterrence, radius, width,
                                                      height), rtol=1e-12, atol=1e-15)


def test_police_field_total_for_interior_officers():
    width, height, radius = 20, 20, 2
    pos = np.array([5 * width + 5, 12 * width + 14, 5 * width + 5])
    weight = np.array([1.0, 0.25, 1.0])
    out = np.empty(width * height)
    police_field(pos, weight, 0.5, radius, width, height, out)
    assert out.sum() == pytest.approx(0.5 * weight.sum() * (2 * radius + 1) ** 2)
    assert out[5 * width + 5] == pytest.approx(1.0)
    assert out[0] == 0.0


def test_police_field_clears_and_handles_no_officers():
    out = np.full(12, 7.0)
    police_field(np.zeros(0, np.int64), np.zeros(0), 1.0, 2, 4, 3, out)
    np.testing.assert_array_equal(out, 0.0)


def test_police_field_zero_deterrence_is_zero():
    out = np.full(12, 7.0)
    police_field(np.array([0, 5, 11]), np.ones(3), 0.0, 5, 4, 3, out)
    np.testing.assert_array_equal(out, 0.0)
