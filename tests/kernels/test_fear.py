"""The fear-of-crime kernels against plain-numpy twins (sim/kernels/fear.py).

The twins are written from the rules in the kernels' docstrings, not from the
kernels: crimes heard of are summed over the clipped square around each cell by
shifting the grid (no cumulative sums); fear relaxes toward a baseline made of the
group's level, darkness at home and trust, then each crime heard of moves it a share
of the way to 1; a victim's fear (every member of a burgled household) moves a share
of the way to 1. Stored fear is the 0..1 value in 16-bit steps, rounded to nearest,
so the twins agree to one step.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import (
    ASSAULT,
    BURGLARY,
    EV_TYPE,
    EV_VICTIM,
    FEAR,
    FEAR_SCALE,
    GANG_VIOLENCE,
    N_EVENT_FIELDS,
    ROBBERY,
)
from sim.kernels.fear import box_sum, daily_fear, victims_fear


def twin_box(counts: np.ndarray, w: int, h: int, r: int) -> np.ndarray:
    """Sum of every shift (dy, dx) in [-r, r]^2 that stays on the grid."""
    grid = counts.reshape(h, w).astype(np.int64)
    out = np.zeros((h, w), np.int64)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if abs(dy) >= h or abs(dx) >= w:
                continue  # a shift off the grid brings nothing
            src = np.zeros((h, w), np.int64)
            ys, yd = (slice(dy, h), slice(0, h - dy)) if dy >= 0 else (slice(0, h + dy),
                                                                       slice(-dy, h))
            xs, xd = (slice(dx, w), slice(0, w - dx)) if dx >= 0 else (slice(0, w + dx),
                                                                       slice(-dx, w))
            src[yd, xd] = grid[ys, xs]
            out += src
    return out.ravel()


@pytest.mark.parametrize(("w", "h", "r"), [(7, 5, 0), (7, 5, 1), (13, 9, 2), (6, 4, 9)])
def test_box_sum_matches_shifted_sums(w, h, r):
    rng = np.random.default_rng(w * 100 + r)
    counts = rng.poisson(0.7, w * h)
    np.testing.assert_array_equal(box_sum(counts, w, h, r), twin_box(counts, w, h, r))


def test_box_sum_of_one_crime_is_its_square():
    counts = np.zeros(25, np.int64)
    counts[12] = 1  # the centre of a 5x5 grid
    got = box_sum(counts, 5, 5, 1).reshape(5, 5)
    assert got.sum() == 9 and got[1:4, 1:4].min() == 1


def twin_daily(fear, home, age, female, marg, legit, lighting, heard, baseline, fx, mx, le,
               te, ref, keep, gain):
    t = (baseline[age] + fx * female + mx * marg + le * (1 - lighting[home])
         - te * (legit - ref))
    t = np.clip(t, 0.0, 1.0)
    f = t + (fear / FEAR_SCALE - t) * keep
    f = 1.0 - (1.0 - f) * (1.0 - gain) ** heard[home]
    return np.floor(np.clip(f, 0, 1) * FEAR_SCALE + 0.5)


def world(n: int, cells: int, seed: int):
    rng = np.random.default_rng(seed)
    return dict(
        fear=rng.integers(0, 65536, n).astype(FEAR), home=rng.integers(0, cells, n),
        age=rng.integers(0, 3, n).astype(np.int8), female=rng.random(n) < 0.5,
        marginalised=rng.random(n) < 0.2, legitimacy=rng.random(n),
        lighting=rng.random(cells), heard=rng.poisson(0.8, cells).astype(np.int64))


@pytest.mark.parametrize("keep", [0.0, 0.9, 1.0])
@pytest.mark.parametrize("gain", [0.0, 0.05])
def test_daily_fear_matches_the_rule(keep, gain):
    w = world(2000, 50, 3)
    baseline = np.array([0.14, 0.12, 0.2])
    args = (baseline, 0.34, 0.08, 0.15, 0.6, 0.6, keep, gain)
    want = twin_daily(w["fear"].astype(float), w["home"], w["age"], w["female"],
                      w["marginalised"], w["legitimacy"], w["lighting"], w["heard"], *args)
    fear = w["fear"].copy()
    daily_fear(fear, w["home"], w["age"], w["female"], w["marginalised"], w["legitimacy"],
               w["lighting"], w["heard"], *args)
    assert np.abs(fear.astype(float) - want).max() <= 1


def test_daily_fear_clips_the_baseline():
    w = world(500, 10, 4)
    fear = np.zeros(500, FEAR)
    daily_fear(fear, w["home"], w["age"], w["female"], w["marginalised"], w["legitimacy"],
               w["lighting"], np.zeros(10, np.int64), np.array([0.9, 0.9, 0.9]), 0.5, 0.5,
               0.0, 0.0, 0.6, 0.0, 0.0)
    assert (fear[w["female"]] == 65535).all()
    daily_fear(fear, w["home"], w["age"], w["female"], w["marginalised"], w["legitimacy"],
               w["lighting"], np.zeros(10, np.int64), np.zeros(3), 0.0, 0.0, 0.0, 5.0, 0.0,
               0.0, 0.0)
    assert (fear == 0).all()  # trust far above the reference: baseline clipped at 0


def test_daily_fear_refuses_bad_input():
    w = world(10, 4, 5)
    base = np.zeros(3)
    with pytest.raises(ValueError, match="fear"):
        daily_fear(w["fear"].astype(np.float64), w["home"], w["age"], w["female"],
                   w["marginalised"], w["legitimacy"], w["lighting"], w["heard"], base, 0, 0,
                   0, 0, 0.6, 0.5, 0.1)
    with pytest.raises(ValueError, match="keep"):
        daily_fear(w["fear"], w["home"], w["age"], w["female"], w["marginalised"],
                   w["legitimacy"], w["lighting"], w["heard"], base, 0, 0, 0, 0, 0.6, 1.5, 0.1)


def twin_victims(fear, events, n, hh_first, hh_size, gain):
    f = fear.astype(float) / FEAR_SCALE
    for e in range(n):
        v = events[e, EV_VICTIM]
        if v < 0:
            continue
        who = (range(hh_first[v], hh_first[v] + hh_size[v]) if events[e, EV_TYPE] == BURGLARY
               else [v])
        for i in who:
            f[i] = np.floor((f[i] + gain * (1 - f[i])) * FEAR_SCALE + 0.5) / FEAR_SCALE
    return np.round(f * FEAR_SCALE)


def test_victims_fear_matches_the_rule():
    rng = np.random.default_rng(6)
    hh_size = rng.integers(1, 5, 40)
    hh_first = np.concatenate([[0], np.cumsum(hh_size)[:-1]])
    n_res = int(hh_size.sum())
    fear = rng.integers(0, 65536, n_res).astype(FEAR)
    events = np.zeros((12, N_EVENT_FIELDS), np.int32)
    kinds = [BURGLARY, ROBBERY, ASSAULT, GANG_VIOLENCE, BURGLARY, ROBBERY, ASSAULT, BURGLARY,
             ROBBERY, GANG_VIOLENCE]
    for e, k in enumerate(kinds):
        events[e, EV_TYPE] = k
        events[e, EV_VICTIM] = rng.integers(0, 40) if k == BURGLARY else rng.integers(0, n_res)
    events[3, EV_VICTIM] = -1  # gang violence against no resident
    events[5, EV_VICTIM] = events[1, EV_VICTIM]  # robbed twice in a tick
    events[10, EV_VICTIM] = 0  # beyond n_events: not read
    want = twin_victims(fear, events, 10, hh_first, hh_size, 0.3)
    got = fear.copy()
    victims_fear(events, 10, got, hh_first, hh_size, 0.3)
    assert np.abs(got.astype(float) - want).max() <= 1
    assert (got >= fear).all() and (got > fear).sum() >= 8


def test_victims_fear_refuses_bad_gain():
    with pytest.raises(ValueError, match="gain"):
        victims_fear(np.zeros((1, N_EVENT_FIELDS), np.int32), 0, np.zeros(1, FEAR),
                     np.zeros(1, np.int32), np.ones(1, np.int32), 1.5)


def test_parallel_daily_fear_is_the_sequential_one():
    """Each resident alone: the parallel version stores the same 16-bit values."""
    from sim.kernels.fear import _daily_fear, _daily_fear_parallel

    rng = np.random.default_rng(9)
    n, cells = 70_000, 900
    args = (rng.integers(0, cells, n), rng.integers(0, 3, n), rng.random(n) < 0.5,
            rng.random(n) < 0.2, rng.random(n), rng.random(cells),
            rng.integers(0, 4, cells), np.array([0.2, 0.3, 0.4]), 0.1, 0.05, 0.2, 0.3,
            0.5, 0.8, 0.1)
    fear = rng.integers(0, 65536, n).astype(np.uint16)
    a, b = fear.copy(), fear.copy()
    _daily_fear(a, *args)
    _daily_fear_parallel(b, *args)
    np.testing.assert_array_equal(a, b)
    assert (a != fear).any()
