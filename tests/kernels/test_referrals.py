"""sim.kernels.referrals against plain-numpy twins written from the rules.

The rules (module docstring): police refer, with ``referral_prob`` (one uniform per
qualifying event, in event order), every arrest of a young offender (a youth case at
his home) and every reported crime at home by a partner or relative who is a domestic
abuser (a partner-violence case at the victim's home that scales the abuser's
motivation by ``1 - support_effect``); an open case of the same kind about the same
person is extended instead. Cases close once ``until <= tick``; a closing
partner-violence case gives the abuser back his motivation if the slot still holds
him. Services enrol a referred youth with the least-loaded worker with room in the
case's district, else in any district. Workers in the territory of a gang whose
largest grievance passes the threshold open one tension case per gang and district.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import (
    DOMESTIC_OFFENDER,
    EV_ARRESTED,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_REPORTED,
    EV_RESIDENT,
    EV_SETTING,
    EV_VICTIM,
    N_EVENT_FIELDS,
    REL_FAMILY,
    REL_PARTNER,
    SET_HOME,
    STREET_OFFENDER,
    YOUTH,
)
from sim.kernels import referrals as rf

TICK = 500
OPEN = 100


def make_events(g, n_events, n_res, n_off):
    ev = np.zeros((n_events, N_EVENT_FIELDS), np.int32)
    ev[:, EV_RESIDENT] = np.where(g.random(n_events) < 0.8, g.integers(0, n_res, n_events), -1)
    ev[:, EV_ARRESTED] = g.random(n_events) < 0.5
    ev[:, EV_REPORTED] = g.random(n_events) < 0.6
    ev[:, EV_SETTING] = np.where(g.random(n_events) < 0.5, SET_HOME, 1)
    ev[:, EV_RELATIONSHIP] = g.integers(0, 5, n_events)
    ev[:, EV_VICTIM] = np.where(g.random(n_events) < 0.9, g.integers(0, n_res, n_events), -1)
    ev[:, EV_OFFENDER] = g.integers(0, n_off, n_events)
    return ev


def twin_refer(tick, ev, age, home, kind, born, motivation, p, effect, open_ticks, cases,
               counts, rng):
    """The referral rule, event by event, on a dict-of-arrays case list."""
    def find(k, who):
        hit = np.flatnonzero((cases["until"] > tick) & (cases["kind"] == k) & (cases["who"] == who))
        return int(hit[0]) if hit.size else -1

    def open_(k, cell, who):
        free = np.flatnonzero(cases["until"] < 0)
        if not free.size:
            return -1
        c = int(free[0])
        cases["cell"][c], cases["kind"][c], cases["who"][c] = cell, k, who
        cases["born"][c], cases["saved"][c], cases["served"][c] = 0, 0.0, False
        cases["opened"][c], cases["until"][c] = tick, tick + open_ticks
        return c

    for row in ev:
        r = row[EV_RESIDENT]
        if row[EV_ARRESTED] and r >= 0 and age[r] == YOUTH and rng.random() < p:
            counts[0] += 1
            c = find(rf.CASE_YOUTH, r)
            if c >= 0:
                cases["until"][c] = tick + open_ticks
            elif open_(rf.CASE_YOUTH, home[r], r) < 0:
                counts[4] += 1
        o = row[EV_OFFENDER]
        kin = (row[EV_REPORTED] and row[EV_SETTING] == SET_HOME
               and row[EV_RELATIONSHIP] in (REL_PARTNER, REL_FAMILY) and row[EV_VICTIM] >= 0
               and kind[o] == DOMESTIC_OFFENDER)
        if kin and rng.random() < p:
            counts[1] += 1
            c = find(rf.CASE_PARTNER, o)
            if c >= 0:
                cases["until"][c] = tick + open_ticks
                continue
            c = open_(rf.CASE_PARTNER, home[row[EV_VICTIM]], o)
            if c < 0:
                counts[4] += 1
                continue
            cases["born"][c], cases["saved"][c], cases["served"][c] = born[o], motivation[o], True
            motivation[o] *= 1.0 - effect


def as_dict(cases):
    return {k: v.copy() for k, v in cases._asdict().items()}


@pytest.mark.parametrize("seed", range(8))
def test_refer_matches_twin(seed):
    g = np.random.default_rng(900 + seed)
    n_res, n_off = 30, 12
    age = g.integers(0, 3, n_res).astype(np.int8)
    home = g.integers(0, 50, n_res).astype(np.int32)
    kind = np.where(g.random(n_off) < 0.5, DOMESTIC_OFFENDER, STREET_OFFENDER).astype(np.int8)
    born = g.integers(0, 400, n_off).astype(np.int64)
    motivation = g.uniform(0.5, 2.0, n_off)
    ev = make_events(g, 60, n_res, n_off)
    p, effect = float(g.uniform(0.2, 0.9)), float(g.uniform(0.0, 0.9))
    cases = rf.empty_cases(int(g.integers(3, 20)))  # small: some referrals are dropped
    want = as_dict(cases)
    want_mot, want_counts = motivation.copy(), np.zeros(rf.N_COUNTS, np.int64)
    counts = np.zeros(rf.N_COUNTS, np.int64)
    rf.refer(TICK, ev, ev.shape[0], age, home, kind, born, motivation, p, effect, OPEN,
             tuple(cases), counts, np.random.default_rng(seed))
    twin_refer(TICK, ev, age, home, kind, born, want_mot, p, effect, OPEN, want, want_counts,
               np.random.default_rng(seed))
    np.testing.assert_array_equal(counts, want_counts)
    np.testing.assert_allclose(motivation, want_mot)
    for k, v in cases._asdict().items():
        np.testing.assert_array_equal(v, want[k], err_msg=k)


def test_referral_rate_is_binomial():
    """Arrested youth are referred at ``referral_prob`` (within 4 binomial SE)."""
    n, p = 4000, 0.3
    ev = np.zeros((n, N_EVENT_FIELDS), np.int32)
    ev[:, EV_ARRESTED] = 1
    ev[:, EV_RESIDENT] = np.arange(n)
    ev[:, EV_OFFENDER] = 0
    counts = np.zeros(rf.N_COUNTS, np.int64)
    rf.refer(TICK, ev, n, np.full(n, YOUTH, np.int8), np.zeros(n, np.int32),
             np.zeros(1, np.int8), np.zeros(1, np.int64), np.ones(1), p, 0.5, OPEN,
             tuple(rf.empty_cases(n)), counts, np.random.default_rng(5))
    assert abs(counts[0] - n * p) < 4 * np.sqrt(n * p * (1 - p))


def test_support_scales_and_close_restores_motivation():
    kind = np.array([DOMESTIC_OFFENDER, DOMESTIC_OFFENDER], np.int8)
    born = np.array([10, 20], np.int64)
    motivation = np.array([1.5, 0.8])
    ev = np.zeros((2, N_EVENT_FIELDS), np.int32)
    ev[:, EV_REPORTED], ev[:, EV_SETTING] = 1, SET_HOME
    ev[:, EV_RELATIONSHIP], ev[:, EV_VICTIM], ev[:, EV_RESIDENT] = REL_PARTNER, [3, 4], -1
    ev[:, EV_OFFENDER] = [0, 1]
    cases = rf.empty_cases(4)
    counts = np.zeros(rf.N_COUNTS, np.int64)
    rf.refer(TICK, ev, 2, np.zeros(5, np.int8), np.arange(5, dtype=np.int32) * 7, kind, born,
             motivation, 1.0, 0.6, OPEN, tuple(cases), counts, np.random.default_rng(0))
    np.testing.assert_allclose(motivation, [1.5 * 0.4, 0.8 * 0.4])
    assert sorted(cases.cell[cases.until > TICK]) == [21, 28]
    born[1] = 99  # slot 1 now holds someone else: his motivation is left alone
    motivation[1] = 2.0
    assert rf.close_cases(TICK + OPEN - 1, tuple(cases), kind, born, motivation) == 0
    assert rf.close_cases(TICK + OPEN, tuple(cases), kind, born, motivation) == 2
    np.testing.assert_allclose(motivation, [1.5, 2.0])
    assert (cases.until == -1).all()


def twin_enrol(tick, cases, wdist, caseload, capacity, cdist, until, by, prog):
    net = 0
    for c in range(cases["until"].size):
        if cases["until"][c] <= tick or cases["kind"][c] != rf.CASE_YOUTH or cases["served"][c]:
            continue
        r = cases["who"][c]
        if until[r] > tick:
            cases["served"][c] = True
            continue
        room = caseload < capacity
        here = room & (wdist == cdist[cases["cell"][c]])
        pool = here if here.any() else room
        if not pool.any():
            continue
        w = int(np.flatnonzero(pool)[np.argmin(caseload[pool])])  # first of the least loaded
        if by[r] >= 0:
            caseload[by[r]] -= 1
            net -= 1
        until[r], by[r] = tick + prog, w
        caseload[w] += 1
        net += 1
        cases["served"][c] = True
    return net


@pytest.mark.parametrize("seed", range(8))
def test_enrol_referred_matches_twin(seed):
    g = np.random.default_rng(700 + seed)
    n_res, n_w, n_cells, slots = 25, 4, 40, 16
    cases = rf.empty_cases(slots)
    opened = g.random(slots) < 0.7
    cases.until[:] = np.where(opened, TICK + g.integers(-5, 50, slots), -1)
    cases.kind[:] = g.integers(0, 3, slots)
    cases.who[:] = g.integers(0, n_res, slots)
    cases.cell[:] = g.integers(0, n_cells, slots)
    cases.served[:] = g.random(slots) < 0.2
    wdist = g.integers(0, 3, n_w).astype(np.int64)
    cdist = g.integers(0, 3, n_cells).astype(np.int64)
    capacity = int(g.integers(1, 4))
    caseload = g.integers(0, capacity + 1, n_w).astype(np.int64)
    by = np.where(g.random(n_res) < 0.2, g.integers(0, n_w, n_res), -1).astype(np.int64)
    until = np.where(by >= 0, TICK + g.integers(-10, 10, n_res), 0).astype(np.int32)
    want = as_dict(cases)
    w_caseload, w_until, w_by = caseload.copy(), until.copy(), by.copy()
    net = rf.enrol_referred(TICK, tuple(cases), wdist, caseload, capacity, cdist, until, by, 60)
    w_net = twin_enrol(TICK, want, wdist, w_caseload, capacity, cdist, w_until, w_by, 60)
    assert net == w_net
    np.testing.assert_array_equal(caseload, w_caseload)
    np.testing.assert_array_equal(until, w_until)
    np.testing.assert_array_equal(by, w_by)
    np.testing.assert_array_equal(cases.served, want["served"])


def test_tension_alerts():
    """Workers in a tense gang's territory alert once per gang and district."""
    grievance = np.array([[0.0, 0.9], [0.2, 0.0]])  # gang 0 is tense, gang 1 is not
    territory = np.array([0, 0, 1, -1])  # gang per district
    cell_district = np.repeat(np.arange(4), 10)  # cells 0-9: district 0, ...
    worker_pos = np.array([1, 3, 12, 25, 35], np.int64)
    worker_district = cell_district[worker_pos]
    cases = rf.empty_cases(8)
    alerts, extended, dropped = rf.alert_tension(TICK, grievance, 0.5, territory, worker_pos,
                                       worker_district, cell_district, OPEN, tuple(cases))
    # workers 0 and 1 share district 0 (one alert), worker 2 is in district 1 (one alert)
    assert (alerts, extended, dropped) == (2, 1, 0)  # worker 1 extends worker 0's case
    open_ = cases.until > TICK
    assert sorted(cases.cell[open_]) == [1, 12]
    assert (cases.kind[open_] == rf.CASE_TENSION).all() and (cases.who[open_] == 0).all()
    assert rf.alert_tension(TICK + 1, grievance, 0.5, territory, worker_pos, worker_district,
                            cell_district, OPEN, tuple(cases)) == (0, 3, 0)
    assert (cases.until[open_] == TICK + 1 + OPEN).all()  # extended
    np.testing.assert_array_equal(rf.open_cells(cases, TICK + 1), [1, 12])


def test_check_levers_refuses_bad_values():
    with pytest.raises(ValueError):
        rf.check_levers(1.5, 0.5, 10)
    with pytest.raises(ValueError):
        rf.check_levers(0.5, -0.1, 10)
    with pytest.raises(ValueError):
        rf.check_levers(0.5, 0.5, 0)
    with pytest.raises(ValueError):
        rf.empty_cases(0)
