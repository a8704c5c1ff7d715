"""sim.kernels.legitimacy (report, after_response, community_contacts,
daily_legitimacy) against plain-numpy references written from the docstrings.

- report: p = report_prob_k * exp(slope * (L - L_ref)), capped at 1; L is the victim's,
  or for burglary the household's first member's; no resident victim -> report_prob_k.
- after_response: reporting victims (whole household for burglary) gain
  fair_gain * (1 - L) after an arrest, lose unanswered_loss * L otherwise.
- community_contacts: each community officer makes min(contacts, people present)
  contacts with residents in public at its cell (honest: + fair_gain * (1 - L);
  corrupt: - corruption_loss * L).
- daily_legitimacy: relax toward baseline (keep), then lose
  min(1, corruption_loss * bribes * 1000 / district residents) of trust; clip to [0, 1].
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim.config import (
    BURGLARY,
    COMMUNITY_PATROL,
    EV_ARRESTED,
    EV_REPORTED,
    EV_TYPE,
    EV_VICTIM,
    GANG_VIOLENCE,
    IN_PUBLIC,
    N_CRIME,
    N_EVENT_FIELDS,
)
from sim.kernels.legitimacy import after_response, community_contacts, daily_legitimacy, report

INT = np.int64
SEEDS = range(8)


def make_world(seed, n_res=40, n_events=40):
    g = np.random.default_rng(700 + seed)
    w = SimpleNamespace()
    sizes = []
    while sum(sizes) < n_res:
        sizes.append(int(min(g.integers(1, 5), n_res - sum(sizes))))
    w.hh_size = np.array(sizes, INT)
    w.hh_first = np.concatenate([[0], np.cumsum(w.hh_size)[:-1]]).astype(INT)
    w.legitimacy = g.uniform(0.0, 1.0, n_res)
    ev = np.zeros((n_events + 2, N_EVENT_FIELDS), INT)
    ev[:, EV_TYPE] = g.integers(0, N_CRIME, n_events + 2)
    ev[:, EV_VICTIM] = g.integers(0, n_res, n_events + 2)
    burg = ev[:, EV_TYPE] == BURGLARY
    ev[burg, EV_VICTIM] = g.integers(0, w.hh_size.size, burg.sum())
    ev[g.random(n_events + 2) < 0.2, EV_VICTIM] = -1
    ev[ev[:, EV_TYPE] == GANG_VIOLENCE, EV_VICTIM] = -1
    ev[:, EV_REPORTED] = g.random(n_events + 2) < 0.6
    ev[:, EV_ARRESTED] = g.random(n_events + 2) < 0.4
    w.events = ev
    w.first, w.n_events = 1, n_events + 1
    w.report_prob = g.uniform(0.05, 0.9, N_CRIME)
    w.slope = float(g.uniform(0.0, 4.0))
    w.legit_ref = float(g.uniform(0.3, 0.7))
    w.fair_gain = float(g.uniform(0.0, 0.3))
    w.loss = float(g.uniform(0.0, 0.3))
    return w


def members(k, v, w):
    """Residents a crime's victim entry stands for (household for burglary)."""
    if v < 0:
        return []
    if k == BURGLARY:
        return list(range(w.hh_first[v], w.hh_first[v] + w.hh_size[v]))
    return [v]


# --- report -----------------------------------------------------------------------------
def ref_report(w, events, legitimacy, rng):
    out = events.copy()
    has_residents = w.hh_first.size > 0
    for e in range(w.first, w.n_events):
        k, v = out[e, EV_TYPE], out[e, EV_VICTIM]
        p = w.report_prob[k]
        who = members(k, v, w) if has_residents else []
        if who:
            p = p * np.exp(w.slope * (legitimacy[who[0]] - w.legit_ref))
        out[e, EV_REPORTED] = rng.random() < min(p, 1.0)
    return out


def run_report(w, rng, events=None, legitimacy=None):
    events = (w.events if events is None else events).copy()
    legitimacy = w.legitimacy if legitimacy is None else legitimacy
    before = legitimacy.copy()
    report(events, w.first, w.n_events, legitimacy, w.hh_first, w.report_prob, w.slope,
           w.legit_ref, rng)
    np.testing.assert_array_equal(legitimacy, before)  # reporting changes no trust
    return events


@pytest.mark.parametrize("seed", SEEDS)
def test_report_matches_reference(seed):
    w = make_world(seed)
    rng = np.random.default_rng(seed)
    got = run_report(w, rng)
    rng_ref = np.random.default_rng(seed)
    ref = ref_report(w, w.events, w.legitimacy, rng_ref)
    np.testing.assert_array_equal(got, ref)
    assert rng.random() == rng_ref.random()  # one uniform per event


def test_report_without_residents_uses_the_reference_rate():
    w = make_world(0)
    w.hh_first = np.zeros(0, INT)
    w.hh_size = np.zeros(0, INT)
    w.events[:, EV_TYPE] = BURGLARY
    w.events[:, EV_VICTIM] = -1
    got = run_report(w, np.random.default_rng(1), legitimacy=np.zeros(0))
    ref = ref_report(w, w.events, np.zeros(0), np.random.default_rng(1))
    np.testing.assert_array_equal(got, ref)


def test_report_rate_at_reference_legitimacy_is_the_survey_rate():
    n = 40_000
    w = make_world(1, n_res=10, n_events=n)
    w.legitimacy[:] = w.legit_ref
    w.events[:, EV_TYPE] = np.arange(n + 2) % N_CRIME
    w.events[:, EV_VICTIM] = np.arange(n + 2) % w.hh_size.size  # valid for every type
    got = run_report(w, np.random.default_rng(2))[w.first:w.n_events]
    for k in range(N_CRIME):
        rows = got[got[:, EV_TYPE] == k]
        m, p = len(rows), w.report_prob[k]
        assert abs(rows[:, EV_REPORTED].sum() - m * p) < 5 * np.sqrt(m * p * (1 - p))


def test_report_probability_is_capped_and_zero_rate_never_reports():
    w = make_world(2)
    w.legitimacy[:] = 1.0
    w.slope = 50.0
    got = run_report(w, np.random.default_rng(3))[w.first:w.n_events]
    has_victim = got[:, EV_VICTIM] >= 0
    assert (got[has_victim, EV_REPORTED] == 1).all()
    w.report_prob[:] = 0.0
    got = run_report(w, np.random.default_rng(3))[w.first:w.n_events]
    assert (got[:, EV_REPORTED] == 0).all()


def test_report_touches_only_the_reported_column_of_new_rows():
    w = make_world(3)
    w.events[:, EV_REPORTED] = 7
    got = run_report(w, np.random.default_rng(4))
    np.testing.assert_array_equal(got[: w.first], w.events[: w.first])
    np.testing.assert_array_equal(got[w.n_events:], w.events[w.n_events:])
    other = [c for c in range(N_EVENT_FIELDS) if c != EV_REPORTED]
    np.testing.assert_array_equal(got[:, other], w.events[:, other])
    assert set(got[w.first:w.n_events, EV_REPORTED].tolist()) <= {0, 1}


# --- after_response ---------------------------------------------------------------------
def ref_after_response(w, legitimacy):
    out = legitimacy.copy()
    if w.hh_first.size == 0:
        return out
    for e in range(w.first, w.n_events):
        row = w.events[e]
        if not row[EV_REPORTED]:
            continue
        for i in members(row[EV_TYPE], row[EV_VICTIM], w):
            if row[EV_ARRESTED]:
                out[i] = out[i] + w.fair_gain * (1.0 - out[i])
            else:
                out[i] = out[i] * (1.0 - w.loss)
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_after_response_matches_reference(seed):
    w = make_world(seed)
    legitimacy = w.legitimacy.copy()
    events = w.events.copy()
    after_response(events, w.first, w.n_events, legitimacy, w.hh_first, w.hh_size,
                   w.fair_gain, w.loss)
    np.testing.assert_array_equal(events, w.events)
    ref = ref_after_response(w, w.legitimacy)
    np.testing.assert_allclose(legitimacy, ref, rtol=1e-12, atol=0)
    assert ((legitimacy >= 0) & (legitimacy <= 1)).all()
    assert not np.array_equal(legitimacy, w.legitimacy)


def test_after_response_without_residents_does_nothing():
    w = make_world(0)
    w.events[:, EV_VICTIM] = -1
    after_response(w.events, w.first, w.n_events, np.zeros(0), np.zeros(0, INT),
                   np.zeros(0, INT), 0.5, 0.5)


# --- community_contacts -----------------------------------------------------------------
def make_contacts_world(seed, n_cells=6, n_res=40, n_officers=10):
    g = np.random.default_rng(800 + seed)
    w = SimpleNamespace()
    r_pos = g.integers(0, n_cells, n_res)
    state = g.integers(0, 3, n_res)
    in_public = np.flatnonzero(state == IN_PUBLIC)
    w.public_order = np.zeros(n_res, INT)
    w.public_order[: in_public.size] = in_public[np.argsort(r_pos[in_public], kind="stable")]
    w.public_count = np.bincount(r_pos[in_public], minlength=n_cells).astype(INT)
    w.public_start = np.concatenate([[0], np.cumsum(w.public_count)[:-1]]).astype(INT)
    w.officer_pos = g.integers(0, n_cells, n_officers).astype(INT)
    w.strategy = g.integers(0, 4, n_officers).astype(INT)
    w.corrupt = g.random(n_officers) < 0.3
    w.contacts = int(g.integers(1, 5))
    w.legitimacy = g.uniform(0.0, 1.0, n_res)
    w.fair_gain = float(g.uniform(0.0, 0.3))
    w.corruption_loss = float(g.uniform(0.0, 0.3))
    return w


def ref_community_contacts(w, rng):
    legitimacy = w.legitimacy.copy()
    made = 0
    for j in range(w.officer_pos.size):
        if w.strategy[j] != COMMUNITY_PATROL:
            continue
        c = w.officer_pos[j]
        present = w.public_order[w.public_start[c]: w.public_start[c] + w.public_count[c]]
        for _ in range(min(w.contacts, present.size)):
            i = present[int(rng.random() * present.size)]  # uniformly, with replacement
            if w.corrupt[j]:
                legitimacy[i] *= 1.0 - w.corruption_loss
            else:
                legitimacy[i] += w.fair_gain * (1.0 - legitimacy[i])
            made += 1
    return made, legitimacy


def run_contacts(w, rng):
    legitimacy = w.legitimacy.copy()
    made = community_contacts(w.officer_pos, w.strategy, w.corrupt, w.contacts,
                              w.public_count, w.public_start, w.public_order, legitimacy,
                              w.fair_gain, w.corruption_loss, rng)
    return made, legitimacy


@pytest.mark.parametrize("seed", SEEDS)
def test_community_contacts_matches_reference(seed):
    w = make_contacts_world(seed)
    rng = np.random.default_rng(seed)
    made, legitimacy = run_contacts(w, rng)
    rng_ref = np.random.default_rng(seed)
    ref_made, ref_legitimacy = ref_community_contacts(w, rng_ref)
    assert made == ref_made
    np.testing.assert_allclose(legitimacy, ref_legitimacy, rtol=1e-12, atol=0)
    assert rng.random() == rng_ref.random()
    assert ((legitimacy >= 0) & (legitimacy <= 1)).all()


def test_no_community_officers_no_contacts():
    w = make_contacts_world(0)
    w.strategy[w.strategy == COMMUNITY_PATROL] = 0
    rng = np.random.default_rng(0)
    made, legitimacy = run_contacts(w, rng)
    assert made == 0
    np.testing.assert_array_equal(legitimacy, w.legitimacy)
    assert rng.random() == np.random.default_rng(0).random()


def test_honest_contacts_only_raise_and_corrupt_only_lower_trust():
    w = make_contacts_world(1)
    w.strategy[:] = COMMUNITY_PATROL
    w.corrupt[:] = False
    made, legitimacy = run_contacts(w, np.random.default_rng(1))
    assert made > 0 and (legitimacy >= w.legitimacy).all()
    w.corrupt[:] = True
    made, legitimacy = run_contacts(w, np.random.default_rng(1))
    assert made > 0 and (legitimacy <= w.legitimacy).all()


# --- daily_legitimacy -------------------------------------------------------------------
def ref_daily(legitimacy, baseline, homes, bribes, residents_by_district, loss, keep):
    home, cell_district = homes
    home_district = cell_district[home]
    x = baseline + (legitimacy - baseline) * keep
    nb = bribes[home_district]
    share = np.minimum(1.0, loss * nb * 1000.0 / np.maximum(residents_by_district[home_district],
                                                            1))
    x = np.where(nb > 0, x * (1.0 - share), x)
    return np.clip(x, 0.0, 1.0)


def make_daily(seed, n_res=60, n_districts=4):
    g = np.random.default_rng(900 + seed)
    legitimacy = g.uniform(-0.05, 1.05, n_res)  # slightly out of range: must be clipped
    baseline = g.uniform(0.0, 1.0, n_res)
    home = g.integers(0, 3 * n_districts, n_res).astype(INT)
    cell_district = g.integers(0, n_districts, 3 * n_districts).astype(INT)
    bribes = g.integers(0, 3, n_districts).astype(INT)
    home_district = cell_district[home]
    residents_by_district = np.bincount(home_district, minlength=n_districts).astype(INT)
    residents_by_district *= 100  # the model's districts are larger than the sample
    return legitimacy, baseline, (home, cell_district), bribes, residents_by_district


@pytest.mark.parametrize("seed", SEEDS)
def test_daily_legitimacy_matches_reference(seed):
    legitimacy, baseline, homes, bribes, res_d = make_daily(seed)
    loss, keep = 0.02 * (seed + 1), 0.9
    got = legitimacy.copy()
    daily_legitimacy(got, baseline, *homes, bribes, res_d, loss, keep)
    ref = ref_daily(legitimacy, baseline, homes, bribes, res_d, loss, keep)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15)
    assert ((got >= 0) & (got <= 1)).all()


def test_daily_legitimacy_relaxation_limits():
    legitimacy, baseline, homes, _, res_d = make_daily(0)
    legitimacy = np.clip(legitimacy, 0, 1)
    no_bribes = np.zeros(res_d.size, INT)
    got = legitimacy.copy()
    daily_legitimacy(got, baseline, *homes, no_bribes, res_d, 0.5, 1.0)
    np.testing.assert_allclose(got, legitimacy, rtol=1e-12)  # keep = 1: no change
    daily_legitimacy(got, baseline, *homes, no_bribes, res_d, 0.5, 0.0)
    np.testing.assert_allclose(got, baseline, rtol=1e-12)  # keep = 0: at baseline


def test_daily_legitimacy_bribe_effect_does_not_depend_on_sample_size():
    legitimacy, baseline, homes, bribes, res_d = make_daily(1)
    a = legitimacy.copy()
    b = legitimacy.copy()
    daily_legitimacy(a, baseline, *homes, bribes, res_d, 0.01, 0.8)
    daily_legitimacy(b, baseline, *homes, 2 * bribes, 2 * res_d, 0.01, 0.8)
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_daily_legitimacy_share_is_capped():
    legitimacy, baseline, homes, _, res_d = make_daily(2)
    bribes = np.full(res_d.size, 10**6, INT)
    got = legitimacy.copy()
    daily_legitimacy(got, baseline, *homes, bribes, res_d, 0.5, 0.7)
    np.testing.assert_array_equal(got, 0.0)
