"""sim.kernels.police_contacts against a plain-numpy reference written from the rule.

Rule (module docstring): every officer at a cell with n > 0 residents in public makes
min(n, int(per_hour) + [u < frac]) stops (the uniform drawn only if frac > 0); each
picks a resident uniformly (with replacement) and is fair with probability fair_share,
or fair_share * (1 - solicit_prob) for a corrupt officer. Fair: L += fair_gain (1 - L),
news[d] += 1; unfair: L -= min(1, bad_weight fair_gain) L, news[d] -= bad_weight. A
community officer then talks to min(community_extra, n) residents drawn the same way:
honest L += fair_gain (1 - L), corrupt L -= corruption_loss L; no news.
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np
import pytest

from sim.config import COMMUNITY_PATROL
from sim.kernels.police_contacts import check_params, police_contacts

INT = np.int64
SEEDS = range(8)


def make_world(seed, n_cells=6, n_res=40, n_officers=10):
    g = np.random.default_rng(1800 + seed)
    w = SimpleNamespace()
    r_pos = g.integers(0, n_cells, n_res)
    state = g.integers(0, 3, n_res)
    w.public_count, w.public_start, w.public_order = containers.public_buckets(r_pos, state,
                                                                               n_cells)
    w.cell_district = g.integers(0, 3, n_cells).astype(INT)
    w.officer_pos = g.integers(0, n_cells, n_officers).astype(INT)
    w.strategy = g.integers(0, 4, n_officers).astype(INT)
    w.corrupt = g.random(n_officers) < 0.3
    w.per_hour = float(g.uniform(0.0, 3.0))
    w.extra = int(g.integers(0, 3))
    w.fair_share = float(g.uniform(0.5, 1.0))
    w.solicit = float(g.uniform(0.0, 0.6))
    w.bad_weight = float(g.uniform(0.0, 14.0))
    w.fair_gain = float(g.uniform(0.0, 0.1))
    w.corruption_loss = float(g.uniform(0.0, 0.1))
    w.legitimacy = g.uniform(0.0, 1.0, n_res)
    return w


def run(w, rng):
    legitimacy = w.legitimacy.copy()
    news = np.zeros(3)
    tally = np.zeros(3, np.int64)
    police_contacts(w.officer_pos, w.strategy, w.corrupt, w.per_hour, w.extra, w.fair_share,
                    w.solicit, w.bad_weight, w.fair_gain, w.corruption_loss, w.public_count,
                    w.public_start, w.public_order, w.cell_district, legitimacy, news, tally, rng)
    return legitimacy, news, tally


def reference(w, rng):
    legitimacy = w.legitimacy.copy()
    news = np.zeros(3)
    tally = np.zeros(3, np.int64)
    base, frac = int(w.per_hour), w.per_hour - int(w.per_hour)
    for j in range(w.officer_pos.size):
        c = w.officer_pos[j]
        present = w.public_order[w.public_start[c]: w.public_start[c] + w.public_count[c]]
        if present.size == 0:
            continue
        k = base + (1 if frac > 0 and rng.random() < frac else 0)
        p_fair = w.fair_share * (1 - w.solicit) if w.corrupt[j] else w.fair_share
        for _ in range(min(k, present.size)):
            i = present[int(rng.random() * present.size)]
            if rng.random() < p_fair:
                legitimacy[i] = legitimacy[i] + w.fair_gain * (1 - legitimacy[i])
                news[w.cell_district[c]] += 1
                tally[0] += 1
            else:
                legitimacy[i] = legitimacy[i] * (1 - min(1.0, w.bad_weight * w.fair_gain))
                news[w.cell_district[c]] -= w.bad_weight
                tally[1] += 1
        if w.strategy[j] == COMMUNITY_PATROL:
            for _ in range(min(w.extra, present.size)):
                i = present[int(rng.random() * present.size)]
                if w.corrupt[j]:
                    legitimacy[i] = legitimacy[i] * (1 - w.corruption_loss)
                else:
                    legitimacy[i] = legitimacy[i] + w.fair_gain * (1 - legitimacy[i])
                tally[2] += 1
    return legitimacy, news, tally


@pytest.mark.parametrize("seed", SEEDS)
def test_matches_reference(seed):
    w = make_world(seed)
    rng, rng_ref = np.random.default_rng(seed), np.random.default_rng(seed)
    got = run(w, rng)
    ref = reference(w, rng_ref)
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got[1], ref[1], rtol=1e-12)
    np.testing.assert_array_equal(got[2], ref[2])
    assert rng.random() == rng_ref.random()  # the same number of draws
    assert ((got[0] >= 0) & (got[0] <= 1)).all()


def test_nobody_present_draws_nothing():
    w = make_world(0)
    w.public_count[:] = 0
    rng = np.random.default_rng(5)
    legitimacy, news, tally = run(w, rng)
    np.testing.assert_array_equal(legitimacy, w.legitimacy)
    assert tally.sum() == 0 and not news.any()
    assert rng.random() == np.random.default_rng(5).random()


def test_fair_share_of_honest_and_corrupt_contacts():
    """Over many contacts the fair shares are fair_share and fair_share (1 - solicit).

    Tolerance: 4 binomial standard errors of the observed share.
    """
    n_res = 50
    w = SimpleNamespace(
        public_order=np.arange(n_res, dtype=INT), public_count=np.array([n_res], INT),
        public_start=np.zeros(1, INT), cell_district=np.zeros(1, INT),
        officer_pos=np.zeros(200, INT), strategy=np.zeros(200, INT),
        corrupt=np.zeros(200, bool), per_hour=20.0, extra=0, fair_share=0.9, solicit=0.25,
        bad_weight=7.0, fair_gain=0.0, corruption_loss=0.0, legitimacy=np.full(n_res, 0.5))
    for corrupt, p in ((False, 0.9), (True, 0.9 * 0.75)):
        w.corrupt[:] = corrupt
        _, news, tally = run(w, np.random.default_rng(11))
        n = tally[:2].sum()
        assert n == 200 * 20
        share = tally[0] / n
        assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / n)
        assert news[0] == pytest.approx(tally[0] - 7.0 * tally[1])


def test_fractional_rate_gives_its_mean():
    """per_hour 0.3 with people present: contacts ~ Binomial(officers, 0.3); 4 SE."""
    n_off = 4000
    w = SimpleNamespace(
        public_order=np.arange(5, dtype=INT), public_count=np.array([5], INT),
        public_start=np.zeros(1, INT), cell_district=np.zeros(1, INT),
        officer_pos=np.zeros(n_off, INT), strategy=np.zeros(n_off, INT),
        corrupt=np.zeros(n_off, bool), per_hour=0.3, extra=0, fair_share=1.0, solicit=0.0,
        bad_weight=7.0, fair_gain=0.0, corruption_loss=0.0, legitimacy=np.full(5, 0.5))
    _, _, tally = run(w, np.random.default_rng(12))
    assert abs(tally[:2].sum() - 0.3 * n_off) < 4 * np.sqrt(n_off * 0.3 * 0.7)


def test_check_params_refuses_bad_values():
    check_params(0.1, 0.9, 0.25, 7.0, 0.03)
    for bad in ((-1, 0.9, 0.2, 7, 0.03), (0.1, 1.2, 0.2, 7, 0.03), (0.1, 0.9, -0.1, 7, 0.03),
                (0.1, 0.9, 0.2, -1, 0.03), (0.1, 0.9, 0.2, 7, 2.0)):
        with pytest.raises(ValueError):
            check_params(*bad)
