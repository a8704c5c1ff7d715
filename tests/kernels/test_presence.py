"""sim.kernels.presence against a plain-numpy twin written from the module's rule.

The rule: every visit (an officer's ``1/speed`` of an hour in a cell, times the
officer's weight) is remembered with weight ``keep^age`` for ``rows`` ticks; the field
at cell ``c`` is ``deterrence * sum_visits w * keep^age * (1 - d / (R + cell))`` over
visits within Euclidean distance ``R`` (metres between cell centres), and 0 elsewhere.
The twin keeps every visit in a list and measures every distance directly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config import INDEX, RANDOM_PATROL
from sim.kernels.patrol import patrol
from sim.kernels.presence import presence_field, ring_rows, stencil


def twin_field(visits, tick, rows, keep, deterrence, radius_m, cell_m, width, height):
    """The field at ``tick`` from the list of (tick, cell, weight) visits."""
    out = np.zeros(width * height)
    for t, c, w in visits:
        age = tick - t
        if age >= rows:
            continue
        for cell in range(width * height):
            d = math.hypot(cell % width - c % width, cell // width - c // width) * cell_m
            if d <= radius_m:
                out[cell] += deterrence * w * keep ** age * (1.0 - d / (radius_m + cell_m))
    return out


@pytest.mark.parametrize(("radius_m", "cell_m"), [(0.0, 100.0), (100.0, 100.0),
                                                  (150.0, 100.0), (250.0, 50.0)])
@pytest.mark.parametrize("seed", range(4))
def test_presence_field_matches_twin(seed, radius_m, cell_m):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(3, 9)), int(rng.integers(3, 9))
    n_pol, speed = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    half_life, tick_min = float(rng.uniform(10, 90)), 60.0
    keep = 0.5 ** (tick_min / half_life)
    rows = ring_rows(half_life, tick_min)
    dx, dy, sw = stencil(radius_m, cell_m)
    weight = np.where(rng.random(n_pol) < 0.3, 0.5, 1.0)
    ring_cell = np.full((rows, n_pol * speed), -1, INDEX)
    ring_w = np.zeros((rows, n_pol * speed))
    field = np.zeros(width * height)
    head, visits = 0, []
    for tick in range(rows + 4):
        trail = rng.integers(0, width * height, (n_pol, speed)).astype(INDEX)
        for i in range(n_pol):
            for k in range(speed):
                visits.append((tick, int(trail[i, k]), weight[i] / speed))
        head = presence_field(trail, weight, ring_cell, ring_w, head, keep, 1.3, dx, dy, sw,
                              width, height, field)
        expected = twin_field(visits, tick, rows, keep, 1.3, radius_m, cell_m, width, height)
        np.testing.assert_allclose(field, expected, rtol=1e-12, atol=1e-12)


def test_ring_keeps_visits_until_they_fall_below_one_percent():
    for half_life in (5.0, 20.0, 60.0, 240.0):
        rows = ring_rows(half_life, 60.0)
        keep = 0.5 ** (60.0 / half_life)
        assert keep ** rows < 0.01 <= keep ** (rows - 1) or rows == 1


def test_stencil_of_zero_radius_is_the_officer_cell():
    dx, dy, sw = stencil(0.0, 100.0)
    assert list(dx) == [0] and list(dy) == [0] and list(sw) == [1.0]
    with pytest.raises(ValueError):
        stencil(-1.0, 100.0)


@pytest.mark.parametrize("seed", range(4))
def test_patrol_trail_records_the_cell_before_each_step_and_changes_nothing(seed):
    rng = np.random.default_rng(seed)
    width, height, n, speed = 7, 6, 5, 4
    pos = rng.integers(0, width * height, n)
    args = (np.full(n, RANDOM_PATROL), np.full(n, -1), np.zeros(n, np.int64),
            np.zeros(width * height, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64),
            0, speed, width, height)
    plain = pos.copy()
    patrol(plain, *args, np.random.default_rng(seed))
    traced, trail = pos.copy(), np.zeros((n, speed), INDEX)
    patrol(traced, *args, np.random.default_rng(seed), trail)
    np.testing.assert_array_equal(plain, traced)
    np.testing.assert_array_equal(trail[:, 0], pos)
    path = np.column_stack([trail, traced])
    steps = np.maximum(abs(np.diff(path % width, axis=1)), abs(np.diff(path // width, axis=1)))
    assert (steps <= 1).all()  # king's moves (or a forfeited move)
