"""sim.kernels.legitimacy.hearsay and corrupt_case against plain-numpy references.

- hearsay: x = clip(weight * news[d] * 1000 / max(residents_d, 1), -1, 1) for a
  resident of district d; L += x L (1 - L); no news: unchanged.
- corrupt_case: for events with EV_REPORTED, EV_BRIBED and a resident victim, the victim
  (burglary: the whole household) loses ``loss`` of L.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import (
    BURGLARY,
    EV_BRIBED,
    EV_REPORTED,
    EV_TYPE,
    EV_VICTIM,
    N_CRIME,
    N_EVENT_FIELDS,
)
from sim.kernels.legitimacy import corrupt_case, hearsay

INT = np.int64
SEEDS = range(6)


@pytest.mark.parametrize("seed", SEEDS)
def test_hearsay_matches_reference(seed):
    g = np.random.default_rng(3000 + seed)
    n_res, n_d = 80, 5
    legitimacy = g.uniform(0, 1, n_res)
    home = g.integers(0, 15, n_res).astype(INT)
    cell_district = g.integers(0, n_d, 15).astype(INT)
    news = g.normal(0, 20, n_d)
    news[0] = 0.0
    by_d = (np.bincount(cell_district[home], minlength=n_d) * 50).astype(INT)
    weight = float(g.uniform(0, 0.01))
    got = legitimacy.copy()
    hearsay(got, home, cell_district, news, by_d, weight)
    d = cell_district[home]
    x = np.clip(weight * news[d] * 1000.0 / np.maximum(by_d[d], 1), -1, 1)
    ref = legitimacy + x * legitimacy * (1 - legitimacy)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    assert ((got >= 0) & (got <= 1)).all()
    np.testing.assert_array_equal(got[d == 0], legitimacy[d == 0])


def test_hearsay_extreme_news_is_capped():
    legitimacy = np.array([0.3, 0.7])
    hearsay(legitimacy, np.array([0, 1], INT), np.array([0, 1], INT), np.array([1e9, -1e9]),
            np.array([1, 1], INT), 1.0)
    np.testing.assert_allclose(legitimacy, [0.3 + 0.3 * 0.7, 0.7 - 0.7 * 0.3])
    assert ((legitimacy >= 0) & (legitimacy <= 1)).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_corrupt_case_matches_reference(seed):
    g = np.random.default_rng(3100 + seed)
    sizes = g.integers(1, 5, 12)
    hh_first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(INT)
    hh_size = sizes.astype(INT)
    n_res = int(sizes.sum())
    legitimacy = g.uniform(0, 1, n_res)
    n_ev = 30
    ev = np.zeros((n_ev + 3, N_EVENT_FIELDS), INT)
    ev[:, EV_TYPE] = g.integers(0, N_CRIME, n_ev + 3)
    ev[:, EV_VICTIM] = g.integers(0, n_res, n_ev + 3)
    burg = ev[:, EV_TYPE] == BURGLARY
    ev[burg, EV_VICTIM] = g.integers(0, sizes.size, burg.sum())
    ev[g.random(n_ev + 3) < 0.2, EV_VICTIM] = -1
    ev[:, EV_REPORTED] = g.random(n_ev + 3) < 0.6
    ev[:, EV_BRIBED] = g.random(n_ev + 3) < 0.5
    loss = float(g.uniform(0, 0.5))
    got = legitimacy.copy()
    hit = corrupt_case(ev, n_ev, got, hh_first, hh_size, loss)
    ref = legitimacy.copy()
    ref_hit = 0
    for e in range(n_ev):  # rows n_ev.. are beyond the tick's events: untouched
        v = ev[e, EV_VICTIM]
        if not (ev[e, EV_REPORTED] and ev[e, EV_BRIBED] and v >= 0):
            continue
        who = (range(hh_first[v], hh_first[v] + hh_size[v]) if ev[e, EV_TYPE] == BURGLARY
               else [v])
        for i in who:
            ref[i] = ref[i] * (1 - loss)
            ref_hit += 1
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    assert hit == ref_hit


def test_corrupt_case_without_residents_does_nothing():
    ev = np.zeros((2, N_EVENT_FIELDS), INT)
    ev[:, EV_REPORTED] = ev[:, EV_BRIBED] = 1
    assert corrupt_case(ev, 2, np.zeros(0), np.zeros(0, INT), np.zeros(0, INT), 0.5) == 0
