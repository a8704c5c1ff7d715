"""The Knox table on synthetic events: a planted near-repeat pattern against none."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.validation.near_repeat import (
    DISTANCE_EDGES,
    TIME_EDGES,
    KnoxTable,
    _bin_pairs,
    knox_table,
)


def background(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Events scattered over a 5 km square and a year, no space-time link."""
    return rng.uniform(0, 5000, n), rng.uniform(0, 5000, n), rng.uniform(0, 365, n)


def planted(rng: np.random.Generator, n: int, repeats: int) -> tuple[np.ndarray, ...]:
    """Background plus ``repeats`` follow-ups within 80 m and 6 days of an earlier event."""
    x, y, t = background(rng, n)
    src = rng.choice(n, repeats, replace=False)
    ang = rng.uniform(0, 2 * np.pi, repeats)
    r = rng.uniform(10, 80, repeats)
    return (np.concatenate([x, x[src] + r * np.cos(ang)]),
            np.concatenate([y, y[src] + r * np.sin(ang)]),
            np.concatenate([t, t[src] + rng.uniform(0, 6, repeats)]))


def test_bands_are_left_closed():
    d_edges = np.asarray(DISTANCE_EDGES)
    t_edges = np.asarray(TIME_EDGES)
    dist = np.array([0.0, 50.0, 100.0, 101.0, 1e6, 10.0])
    dt = np.array([0.0, 6.99, 7.0, 13.0, 1.0, 60.0])  # the last is beyond 56 days
    counts = _bin_pairs(dist, dt, d_edges, t_edges)
    assert counts.sum() == 5
    assert counts[0, 0] == 1  # same cell, same day
    assert counts[1, 0] == 1  # 50 m, 6.99 days
    assert counts[1, 1] == 1  # 100 m, 7 days: the 7-14 day band
    assert counts[2, 1] == 1  # 101 m, 13 days
    assert counts[-1, 0] == 1  # far apart


def test_planted_near_repeats_are_found():
    rng = np.random.default_rng(11)
    x, y, t = planted(rng, 300, 60)
    k = knox_table(x, y, t, np.random.default_rng(12), permutations=49)
    # Under the null about 0.13% of pairs lie within 100 m and ~3.8% within 7 days:
    # some 2.5 of ~64,000 pairs; the 60 planted ones stand far above that.
    assert k.observed[1, 0] >= 50
    assert k.ratio[1, 0] > 5
    assert k.p_value[1, 0] == pytest.approx(0.02)  # no permutation reaches it (1 / 50)
    # Far apart and long after, nothing is planted: no excess there.
    assert k.ratio[-1, -1] == pytest.approx(1.0, abs=0.15)


def test_shuffled_times_show_no_near_repeat():
    rng = np.random.default_rng(11)
    x, y, t = planted(rng, 300, 60)
    t = t[np.random.default_rng(13).permutation(t.size)]  # break the space-time link
    k = knox_table(x, y, t, np.random.default_rng(12), permutations=49)
    near = k.observed[:3, :2].sum()
    expected = k.expected[:3, :2].sum()
    # Pair counts in a cell are close to Poisson under the null: within 4 sd.
    assert abs(near - expected) < 4 * np.sqrt(expected) + 2, (near, expected)
    assert k.ratio[1, 0] < 3


def test_tables_pool_by_adding_counts():
    rng = np.random.default_rng(5)
    a = knox_table(*background(rng, 80), np.random.default_rng(6), permutations=19)
    b = knox_table(*background(rng, 60), np.random.default_rng(7), permutations=19)
    pooled = a + b
    assert pooled.n_events == 140
    np.testing.assert_array_equal(pooled.observed, a.observed + b.observed)
    np.testing.assert_array_equal(pooled.permuted, a.permuted + b.permuted)
    c = knox_table(*background(rng, 50), np.random.default_rng(8), permutations=9)
    with pytest.raises(ValueError):
        a + c  # noqa: B018 - different numbers of permutations


def test_p_value_and_null_band_from_hand_made_permutations():
    edges = np.array([0.0, 1.0])
    obs = np.array([[5]])
    perm = np.array([[[1]], [[5]], [[2]], [[7]]])
    k = KnoxTable(edges, edges, obs, perm, n_events=10)
    assert k.expected[0, 0] == pytest.approx(3.75)
    assert k.ratio[0, 0] == pytest.approx(5 / 3.75)
    assert k.p_value[0, 0] == pytest.approx((1 + 2) / 5)  # 5 and 7 reach 5
    lo, hi = k.null_ratio_band(0.5)
    assert lo[0, 0] < 1 < hi[0, 0]


def test_window_sums_the_near_and_soon_bands():
    rng = np.random.default_rng(11)
    x, y, t = planted(rng, 300, 60)
    k = knox_table(x, y, t, np.random.default_rng(12), permutations=49)
    w = k.window(200.0, 14.0)
    assert w["observed"] == k.observed[:3, :2].sum()
    assert w["expected"] == pytest.approx(k.expected[:3, :2].sum())
    # About 31 pairs are expected in the window by chance (shuffled, the planted events
    # still cluster in space); the 60 planted pairs come on top.
    assert w["ratio"] > 2 and w["p"] == pytest.approx(0.02)
    x, y, t = background(np.random.default_rng(21), 300)
    null = knox_table(x, y, t, np.random.default_rng(22), permutations=49).window(200.0, 14.0)
    assert null["p"] > 0.02
    assert abs(null["observed"] - null["expected"]) < 4 * np.sqrt(null["expected"]) + 2
