"""sim.kernels.grid against plain-Python references (flat cells ``c = y * width + x``)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.kernels.grid import distance, nearest_source, neighbour, random_cell_near, step_toward

SEEDS = range(5)
SHAPES = [(1, 1), (1, 5), (5, 1), (2, 3), (4, 4), (7, 5), (9, 6)]

# The 8 Moore offsets in the order the module documents: first the 4 von Neumann ones.
OFFSETS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]


def ref_neighbour(c, k, width, height, periodic):
    x, y = c % width, c // width
    dx, dy = OFFSETS[k]
    nx, ny = x + dx, y + dy
    if periodic:
        return (ny % height) * width + (nx % width)
    if 0 <= nx < width and 0 <= ny < height:
        return ny * width + nx
    return -1


def ref_distance(a, b, width, height, periodic):
    dx = abs(a % width - b % width)
    dy = abs(a // width - b // width)
    if periodic:
        dx = min(dx, width - dx)
        dy = min(dy, height - dy)
    return math.sqrt(dx * dx + dy * dy)


def king(a, b, width):
    return max(abs(a % width - b % width), abs(a // width - b // width))


# --- neighbour -----------------------------------------------------------------------


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize(("width", "height"), SHAPES)
def test_neighbour_matches_reference(width, height, periodic):
    for c in range(width * height):
        for k in range(8):
            assert neighbour(c, k, width, height, periodic) == ref_neighbour(
                c, k, width, height, periodic
            )


def test_neighbour_first_four_are_von_neumann():
    width, height = 5, 5
    c = 2 * width + 2
    got = {neighbour(c, k, width, height, False) for k in range(4)}
    assert got == {c + 1, c - 1, c + width, c - width}
    got8 = {neighbour(c, k, width, height, False) for k in range(8)}
    expected = {(2 + dy) * width + 2 + dx for dx in (-1, 0, 1) for dy in (-1, 0, 1)} - {c}
    assert got8 == expected


def test_neighbour_bounded_corners_and_torus_wrap():
    width, height = 4, 3
    # bottom-left corner (0, 0): -x and -y are off the bounded grid
    assert neighbour(0, 1, width, height, False) == -1
    assert neighbour(0, 3, width, height, False) == -1
    assert neighbour(0, 7, width, height, False) == -1
    assert neighbour(0, 1, width, height, True) == width - 1
    assert neighbour(0, 3, width, height, True) == (height - 1) * width
    assert neighbour(0, 7, width, height, True) == width * height - 1
    # top-right corner
    last = width * height - 1
    assert neighbour(last, 0, width, height, False) == -1
    assert neighbour(last, 2, width, height, False) == -1
    assert neighbour(last, 4, width, height, True) == 0
    # bounded neighbour counts: corner 3, edge 5, interior 8
    def count(c):
        return sum(neighbour(c, k, width, height, False) >= 0 for k in range(8))

    assert count(0) == 3
    assert count(1) == 5
    assert count(width + 1) == 8


# --- distance --------------------------------------------------------------------------


@pytest.mark.parametrize("periodic", [False, True])
@pytest.mark.parametrize(("width", "height"), SHAPES)
def test_distance_matches_reference(width, height, periodic):
    n = width * height
    for a in range(n):
        for b in range(n):
            got = distance(a, b, width, height, periodic)
            assert got == ref_distance(a, b, width, height, periodic)


@pytest.mark.parametrize("periodic", [False, True])
def test_distance_properties(periodic):
    width, height = 7, 5
    n = width * height
    d = np.array([[distance(a, b, width, height, periodic) for b in range(n)] for a in range(n)])
    np.testing.assert_array_equal(np.diag(d), 0.0)
    np.testing.assert_array_equal(d, d.T)
    assert (d[~np.eye(n, dtype=bool)] >= 1.0).all()
    # triangle inequality
    assert (d[:, None, :] <= d[:, :, None] + d[None, :, :] + 1e-12).all()


def test_distance_torus_shortest_way_round():
    width, height = 10, 8
    a = 0
    b = 9 + 7 * width  # (9, 7): one step diagonally across both seams
    assert distance(a, b, width, height, True) == pytest.approx(math.sqrt(2.0))
    assert distance(a, b, width, height, False) == pytest.approx(math.hypot(9, 7))


# --- step_toward ---------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1, 1), (3, 1), (1, 4), (5, 4), (6, 6)])
def test_step_toward_matches_reference(width, height):
    n = width * height
    for c in range(n):
        for t in range(n):
            x, y = c % width, c // width
            tx, ty = t % width, t // width
            expected = (y + int(np.sign(ty - y))) * width + x + int(np.sign(tx - x))
            got = step_toward(c, t, width, height)
            assert got == expected
            # one king's move that brings the king distance down by exactly one
            assert king(got, c, width) <= 1
            if c == t:
                assert got == c
            else:
                assert king(got, t, width) == king(c, t, width) - 1


def test_step_toward_reaches_target_in_king_distance_steps():
    width, height = 9, 7
    rng = np.random.default_rng(3)
    for _ in range(50):
        c, t = (int(v) for v in rng.integers(0, width * height, 2))
        start = c
        steps = 0
        while c != t and steps <= width + height:
            c = step_toward(c, t, width, height)
            steps += 1
            assert 0 <= c < width * height
        assert c == t
        assert steps == king(start, t, width)


# --- nearest_source ------------------------------------------------------------------


def ref_nearest_king_distance(is_source, width, height):
    """Brute force: king distance from every cell to its nearest source (-1: no source)."""
    n = width * height
    src = np.flatnonzero(is_source)
    if src.size == 0:
        return np.full(n, -1)
    c = np.arange(n)
    dx = np.abs(c[:, None] % width - src[None, :] % width)
    dy = np.abs(c[:, None] // width - src[None, :] // width)
    return np.maximum(dx, dy).min(axis=1)


@pytest.mark.parametrize("density", [0.02, 0.1, 0.5])
@pytest.mark.parametrize("seed", SEEDS)
def test_nearest_source_matches_brute_force(seed, density):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(1, 15)), int(rng.integers(1, 15))
    is_source = rng.random(width * height) < density
    if not is_source.any():
        is_source[rng.integers(width * height)] = True
    got = nearest_source(is_source, width, height)
    best = ref_nearest_king_distance(is_source, width, height)
    assert got.shape == (width * height,)
    assert is_source[got].all()
    chosen = np.array([king(c, int(s), width) for c, s in enumerate(got)])
    np.testing.assert_array_equal(chosen, best)
    # sources are their own nearest source
    np.testing.assert_array_equal(got[is_source], np.flatnonzero(is_source))


def test_nearest_source_no_source_gives_minus_one():
    got = nearest_source(np.zeros(12, np.bool_), 4, 3)
    np.testing.assert_array_equal(got, np.full(12, -1))


def test_nearest_source_all_sources_is_identity():
    got = nearest_source(np.ones(12, np.bool_), 3, 4)
    np.testing.assert_array_equal(got, np.arange(12))


def test_nearest_source_does_not_wrap():
    # single source in the corner of a wide strip: the far end is width-1 king moves away
    width, height = 10, 2
    is_source = np.zeros(width * height, np.bool_)
    is_source[0] = True
    is_source[width - 1] = False
    got = nearest_source(is_source, width, height)
    np.testing.assert_array_equal(got, 0)
    # a second source at the far end captures the right half
    is_source[width - 1] = True
    got = nearest_source(is_source, width, height)
    np.testing.assert_array_equal(got[[0, 1, 2, 3, 4]], 0)
    np.testing.assert_array_equal(got[[5, 6, 7, 8, 9]], width - 1)


# --- random_cell_near ----------------------------------------------------------------


def ref_random_cell_near(c, radius, width, height, u1, u2):
    side = 2 * radius + 1
    x = c % width + math.floor(u1 * side) - radius
    y = c // width + math.floor(u2 * side) - radius
    return min(max(y, 0), height - 1) * width + min(max(x, 0), width - 1)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_cell_near_matches_reference(seed):
    rng = np.random.default_rng(seed)
    for _ in range(300):
        width, height = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        c = int(rng.integers(width * height))
        radius = int(rng.integers(0, 5))
        u1, u2 = rng.random(), rng.random()
        got = random_cell_near(c, radius, width, height, u1, u2)
        assert got == ref_random_cell_near(c, radius, width, height, u1, u2)


def test_random_cell_near_covers_square_uniformly():
    width, height, radius = 11, 9, 2
    side = 2 * radius + 1
    c = 4 * width + 5  # interior: the square fits on the grid
    us = (np.arange(side) + 0.5) / side
    cells = [random_cell_near(c, radius, width, height, u1, u2) for u1 in us for u2 in us]
    expected = {
        (4 + dy) * width + 5 + dx
        for dx in range(-radius, radius + 1)
        for dy in range(-radius, radius + 1)
    }
    assert len(cells) == side * side
    assert set(cells) == expected
    # extreme uniforms hit the corners of the square
    assert random_cell_near(c, radius, width, height, 0.0, 0.0) == c - radius * width - radius
    assert (
        random_cell_near(c, radius, width, height, np.nextafter(1.0, 0.0), np.nextafter(1.0, 0.0))
        == c + radius * width + radius
    )


def test_random_cell_near_clamps_to_bounded_grid():
    width, height, radius = 6, 5, 3
    rng = np.random.default_rng(7)
    for c in range(width * height):
        for _ in range(20):
            got = random_cell_near(c, radius, width, height, rng.random(), rng.random())
            assert 0 <= got < width * height
            assert king(got, c, width) <= radius


def test_random_cell_near_radius_zero_is_identity():
    for c in range(20):
        assert random_cell_near(c, 0, 5, 4, 0.3, 0.9) == c
