"""The civil-violence helper kernels against plain numpy/Python references."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from cv_reference import arrest_probability as ref_probability
from cv_reference import neighbours

from sim.civil_violence.world import vision_offsets, vision_rows, vision_size
from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_JAILED, CV_QUIET, CV_ROUNDING
from sim.kernels.civil_violence import arrest_probability, count_states, relax_trust
from sim.kernels.civil_violence_lattice import (
    add_seen,
    build_seen,
    listed_empty_in_vision,
    random_empty_in_vision,
    scan,
    shuffle,
)

INT = np.int64
SHAPES = ["Von Neumann", "Moore"]


def random_kinds(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    g = np.random.default_rng(seed)
    kind = g.choice([CV_EMPTY, CV_QUIET, CV_ACTIVE, CV_COP, CV_JAILED], n,
                    p=[0.3, 0.35, 0.15, 0.1, 0.1]).astype(np.int8)
    occ = np.where(kind == CV_EMPTY, -1, g.permutation(n)).astype(INT)
    return kind, occ


@pytest.mark.parametrize("rounding", CV_ROUNDING)
def test_arrest_probability_matches_the_formula(rounding):
    code = CV_ROUNDING.index(rounding)
    for cops in range(0, 9):
        for actives in range(1, 9):  # includes the ties 1/2, 3/2, 5/2: half to even
            got = arrest_probability(cops, actives, 2.3, code)
            assert got == ref_probability(cops, actives, 2.3, rounding), (cops, actives)
    assert arrest_probability(0, 1, 2.3, code) == 0.0
    # Epstein's k = 2.3 makes one cop per active an arrest probability of about 0.9
    assert arrest_probability(1, 1, 2.3, code) == pytest.approx(0.8997, abs=1e-4)


def test_floor_and_round_differ_as_documented():
    floor, rnd = CV_ROUNDING.index("floor"), CV_ROUNDING.index("round")
    assert arrest_probability(2, 3, 2.3, floor) == 0.0  # floor(0.67) = 0: no risk
    assert arrest_probability(2, 3, 2.3, rnd) > 0.89  # round(0.67) = 1
    assert arrest_probability(1, 2, 2.3, rnd) == 0.0  # round(0.5) = 0, half to even
    assert arrest_probability(3, 2, 2.3, rnd) == pytest.approx(1 - math.exp(-4.6))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("vision", [1, 2, 5])
def test_vision_is_mesas_neighbourhood(shape, vision):
    """The same cells as Mesa's example sees with get_neighborhood(radius=vision)."""
    from mesa.discrete_space import OrthogonalMooreGrid, OrthogonalVonNeumannGrid

    width, height = 15, 13
    grid_class = OrthogonalMooreGrid if shape == "Moore" else OrthogonalVonNeumannGrid
    grid = grid_class((width, height), torus=True, random=random.Random(0))
    half = vision_rows(vision, shape)
    off_x, off_y = vision_offsets(half)
    assert vision_size(half) == len(off_x)
    for x, y in [(0, 0), (7, 6), (14, 12), (3, 11)]:
        mesa_cells = {c.coordinate for c in grid._cells[(x, y)].get_neighborhood(radius=vision)}
        ours = {((x + dx) % width, (y + dy) % height) for dx, dy in zip(off_x, off_y,
                                                                        strict=True)}
        assert ours == mesa_cells
    expected = 2 * vision * (vision + 1) if shape == "Von Neumann" else (2 * vision + 1) ** 2 - 1
    assert len(off_x) == expected


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("shape", SHAPES)
def test_scan_lists_what_is_in_vision(seed, shape):
    width, height, vision = 11, 9, 1 + seed % 4
    kind, occ = random_kinds(seed, width * height)
    half = vision_rows(vision, shape)
    room = vision_size(half)
    bufs = [np.full(room, -7, INT) for _ in range(3)]
    for cell in range(0, width * height, 7):
        cops, n_act, n_quiet, n_empty = scan(cell, kind, occ, half, width, height, *bufs)
        seen = neighbours(cell, vision, shape, width, height)
        assert cops == sum(kind[s] == CV_COP for s in seen)
        assert list(bufs[0][:n_act]) == [occ[s] for s in seen if kind[s] == CV_ACTIVE]
        assert list(bufs[1][:n_quiet]) == [occ[s] for s in seen if kind[s] == CV_QUIET]
        assert list(bufs[2][:n_empty]) == [s for s in seen if kind[s] == CV_EMPTY]


def torus_distance(width: int, height: int, cell: int, shape: str) -> np.ndarray:
    """Distance of every cell from ``cell`` on the torus, Manhattan or Chebyshev."""
    ys, xs = np.divmod(np.arange(width * height), width)
    dx = np.abs(xs - cell % width)
    dy = np.abs(ys - cell // width)
    dx, dy = np.minimum(dx, width - dx), np.minimum(dy, height - dy)
    return np.maximum(dx, dy) if shape == "Moore" else dx + dy


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(3))
def test_build_seen_counts_each_kind_within_vision(shape, seed):
    width, height, vision = 16, 14, 2 + seed
    kind, _ = random_kinds(seed, width * height)
    half = vision_rows(vision, shape)
    for code in (CV_COP, CV_ACTIVE):
        seen = np.full(kind.size, 99, np.int32)
        build_seen(kind, code, half, width, height, seen)
        expect = np.zeros(kind.size, np.int32)
        for c in np.nonzero(kind == code)[0]:
            near = torus_distance(width, height, c, shape) <= vision
            near[c] = False
            expect += near
        np.testing.assert_array_equal(seen, expect)


def test_add_seen_then_remove_restores_the_counts():
    width, height = 10, 12
    half = vision_rows(3, "Von Neumann")
    seen = np.random.default_rng(1).integers(0, 5, width * height).astype(np.int32)
    before = seen.copy()
    add_seen(seen, 37, 1, half, width, height)
    assert seen.sum() - before.sum() == vision_size(half)
    assert seen[37] == before[37]  # the agent's own cell is not in its vision
    add_seen(seen, 37, -1, half, width, height)
    np.testing.assert_array_equal(seen, before)


def test_random_empty_in_vision_is_uniform_over_the_empty_cells():
    width, height, vision = 12, 12, 2
    kind, _ = random_kinds(3, width * height)
    half = vision_rows(vision, "Von Neumann")
    off_x, off_y = vision_offsets(half)
    cell = 5 * width + 6
    empty = [s for s in neighbours(cell, vision, "Von Neumann", width, height)
             if kind[s] == CV_EMPTY]
    assert len(empty) >= 3
    buf = np.zeros(len(off_x), INT)
    for tries in (0, 1, 16):  # listed only, mostly listed, mostly by rejection
        rng = np.random.default_rng(tries)
        n = 6000
        draws = [random_empty_in_vision(cell, kind, off_x, off_y, width, height, tries, buf,
                                        rng) for _ in range(n)]
        counts = np.array([draws.count(s) for s in empty])
        assert counts.sum() == n  # only empty cells in vision are ever chosen
        # chi-square against uniform, df = len(empty) - 1; 0.1% critical value
        chi2 = ((counts - n / len(empty)) ** 2 / (n / len(empty))).sum()
        from scipy.stats import chi2 as chi2_dist

        assert chi2 < chi2_dist.ppf(0.999, len(empty) - 1), (tries, counts)


def test_no_empty_cell_in_vision_means_no_move():
    width, height = 9, 9
    kind = np.full(width * height, CV_QUIET, np.int8)
    kind[0] = CV_EMPTY  # far from cell 40's vision of 2
    half = vision_rows(2, "Moore")
    off_x, off_y = vision_offsets(half)
    buf = np.zeros(len(off_x), INT)
    rng = np.random.default_rng(0)
    assert random_empty_in_vision(40, kind, off_x, off_y, width, height, 4, buf, rng) == -1
    assert listed_empty_in_vision(40, kind, off_x, off_y, width, height, buf, rng) == -1


def test_shuffle_is_reference_fisher_yates():
    order = np.arange(50, dtype=INT)
    ref = list(range(50))
    rng, rng_ref = np.random.default_rng(4), np.random.default_rng(4)
    shuffle(order, rng)
    for i in range(49, 0, -1):
        j = int(rng_ref.random() * (i + 1))
        ref[i], ref[j] = ref[j], ref[i]
    assert list(order) == ref
    assert sorted(order) == list(range(50))


def test_shuffle_gives_every_position_equally():
    rng = np.random.default_rng(5)
    n, reps = 6, 12000
    first = np.zeros(n, int)
    order = np.arange(n, dtype=INT)
    for _ in range(reps):
        shuffle(order, rng)
        first[order[0]] += 1
    expect = reps / n
    assert np.all(np.abs(first - expect) < 5 * math.sqrt(expect * (1 - 1 / n)))


def test_relax_trust_halves_the_loss_in_the_half_life():
    trust = np.array([0.2, 0.6, 1.0])
    keep = 0.5 ** (1 / 10)
    for _ in range(10):
        mean = relax_trust(trust, keep)
    np.testing.assert_allclose(trust, [0.6, 0.8, 1.0])
    assert mean == pytest.approx(trust.mean())


def test_count_states():
    state = np.array([CV_QUIET, CV_ACTIVE, CV_JAILED, CV_ACTIVE, CV_QUIET, CV_QUIET], np.int8)
    assert count_states(state) == (2, 3, 1)
