"""sim.kernels.routes.route_cell: where on the way from home to a place a traveller is.

The rule (module docstring): the route is the king-move line from home to the place,
``L = max(|dx|, |dy|)`` steps; step ``k = floor(frac (L + 1) / 2^16)`` is at home plus
``(round(k dx / L), round(k dy / L))``, halves rounded up; ``L = 0``: home.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from numba import njit

from sim.kernels.routes import ROUTE_SCALE, route_cell


def ref_route_cell(home, place, frac, width):
    hx, hy = home % width, home // width
    dx, dy = place % width - hx, place // width - hy
    steps = max(abs(dx), abs(dy))
    if steps == 0:
        return home
    k = math.floor(Fraction(frac, ROUTE_SCALE) * (steps + 1))

    def half_up(q):
        return math.floor(q + Fraction(1, 2))

    return (hy + half_up(Fraction(k * dy, steps))) * width + hx + half_up(Fraction(k * dx, steps))


@njit
def _route_cells(home, place, frac, width):
    out = np.empty(home.shape[0], np.int64)
    for i in range(home.shape[0]):
        out[i] = route_cell(home[i], place[i], frac[i], width)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_route_cell_matches_the_twin(seed):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    n = 2000
    home = rng.integers(0, width * height, n)
    place = rng.integers(0, width * height, n)
    frac = rng.integers(0, ROUTE_SCALE, n).astype(np.uint16)
    frac[:3] = (0, ROUTE_SCALE - 1, ROUTE_SCALE // 2)
    got = _route_cells(home, place, frac, width)
    want = [ref_route_cell(int(h), int(p), int(f), width) for h, p, f in zip(home, place, frac,
                                                                          strict=True)]
    np.testing.assert_array_equal(got, want)


def test_the_route_runs_from_home_to_the_place_in_king_moves():
    width = 50
    rng = np.random.default_rng(9)
    for _ in range(200):
        home, place = (int(v) for v in rng.integers(0, width * 40, 2))
        steps = max(abs(place % width - home % width), abs(place // width - home // width))
        # one fraction per step of the line: k = 0 .. steps
        fracs = [min(ROUTE_SCALE - 1, -(-k * ROUTE_SCALE // (steps + 1))) for k in
                 range(steps + 1)]
        cells = _route_cells(np.full(len(fracs), home), np.full(len(fracs), place),
                             np.array(fracs, np.uint16), width)
        assert cells[0] == home and cells[-1] == place
        x, y = cells % width, cells // width
        assert (np.maximum(np.abs(np.diff(x)), np.abs(np.diff(y))) == 1).all()
        # within the bounding box of home and place
        assert x.min() >= min(home % width, place % width)
        assert x.max() <= max(home % width, place % width)


def test_every_step_of_the_route_is_equally_likely():
    """frac uniform over 0..2^16-1: step k has probability within 1/2^16 of 1/(L + 1)."""
    width, place = 100, 7 * 100 + 3  # from home 0: L = 7
    frac = np.arange(ROUTE_SCALE, dtype=np.uint16)
    cells = _route_cells(np.zeros(ROUTE_SCALE, np.int64), np.full(ROUTE_SCALE, place), frac,
                         width)
    counts = np.unique(cells, return_counts=True)[1]
    assert counts.size == 8
    assert (np.abs(counts - ROUTE_SCALE / 8) <= 1).all()
