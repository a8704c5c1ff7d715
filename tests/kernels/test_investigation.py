"""Investigations with capacity (sim.kernels.investigation) and arrest.respond with
capacity-limited justice on, against plain-numpy references written from the rule.

The rule (docs/ODD.md, capacity-limited justice): a case gets the share
``r = hours / sum_k demand_k effort_k`` of its standard effort (0 without hours, inf
without demand); it is solved with ``clearance_k (1 - e^-r) / (1 - e^-r_ref)``, times
``max(0, 1 + slope (L - L_ref))`` for the reporting victim's legitimacy L (the victim,
or a burgled household's first member), at most 1. CCTV leads to an arrest only with
investigators (factor > 0). Every arrest files a court case; the accused is remanded
(jailed, release = REMAND) with ``remand_share`` (one uniform after the arrest), else
bailed; no verdict is drawn in the tick.
"""

from __future__ import annotations

import math

import containers
import numpy as np
import pytest
from test_arrest import make_world

from sim.config import (
    BURGLARY,
    EV_ARRESTED,
    EV_BRIBED,
    EV_CELL,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_REPORTED,
    EV_SETTING,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    JAILED,
    N_CRIME,
    REL_FAMILY,
    REL_PARTNER,
    SET_HOME,
)
from sim.kernels.arrest import JC_CLEARED, JC_FILED, JC_REMANDED, respond
from sim.kernels.court import COUNT, REMAND, empty_court
from sim.kernels.investigation import capacity_factor, cooperation, effort_ratio

TICK = 100
SEEDS = range(8)


def ratio_ref(hours, demand, effort):
    if hours <= 0:
        return 0.0
    need = float(np.dot(demand, effort))
    return math.inf if need <= 0 else hours / need


@pytest.mark.parametrize("seed", SEEDS)
def test_effort_ratio_and_factor_match_the_rule(seed):
    g = np.random.default_rng(seed)
    demand, effort = g.uniform(0, 5, N_CRIME), g.uniform(1, 20, N_CRIME)
    hours = float(g.uniform(0, 100))
    r = effort_ratio(hours, demand, effort)
    assert r == pytest.approx(ratio_ref(hours, demand, effort), rel=1e-12)
    ref = float(g.uniform(0.2, 3))
    want = (1 - np.exp(-r)) / (1 - np.exp(-ref))
    assert capacity_factor(r, ref) == pytest.approx(want, rel=1e-12)


def test_no_hours_no_effort_and_no_demand_full_effort():
    assert effort_ratio(0.0, np.ones(N_CRIME), np.ones(N_CRIME)) == 0.0
    assert capacity_factor(0.0, 1.0) == 0.0
    assert effort_ratio(10.0, np.zeros(N_CRIME), np.ones(N_CRIME)) == math.inf
    # no demand: every case gets all the effort it could use, the solvability ceiling
    assert capacity_factor(math.inf, 1.0) == pytest.approx(1 / (1 - math.exp(-1)))


def test_clearance_rises_with_effort_and_saturates():
    rs = np.linspace(0, 20, 50)
    f = np.array([capacity_factor(r, 1.0) for r in rs])
    assert (np.diff(f) > 0).all()
    assert f[-1] == pytest.approx(1 / (1 - math.exp(-1)), rel=1e-6)


@pytest.mark.parametrize("legit", [0.0, 0.2, 0.5, 0.9, 1.0])
def test_cooperation_matches_the_rule(legit):
    for p, slope in [(0.2, 1.0), (0.5, 3.0), (0.9, 2.0), (0.1, 0.0)]:
        want = min(1.0, p * max(0.0, 1 + slope * (legit - 0.6)))
        assert cooperation(p, legit, 0.6, slope) == pytest.approx(want, rel=1e-12)


def justice_world(seed, n_res=40):
    w = make_world(seed)
    g = np.random.default_rng(900 + seed)
    w.legitimacy = g.uniform(0, 1, n_res)
    w.hh_first = (np.arange(n_res) // 3 * 3).astype(np.int32)  # households of three
    w.legit_ref = 0.5
    w.factor = float(g.uniform(0.0, 1.4))
    w.coop = float(g.uniform(0.0, 2.0))
    w.remand = float(g.uniform(0.0, 1.0))
    w.born = g.integers(0, 50, w.o_state.shape[0]).astype(np.int64)
    ev = w.events
    ev[:, EV_VICTIM] = g.integers(-1, n_res, ev.shape[0])
    private = g.random(ev.shape[0]) < 0.2
    ev[private, EV_SETTING] = SET_HOME
    ev[private, EV_RELATIONSHIP] = REL_PARTNER
    return w


def run_kernel(w, rng, factor=None):
    events = w.events.copy()
    o_state, o_release, o_arrests = w.o_state.copy(), w.o_release.copy(), w.o_arrests.copy()
    police = containers.police(pos=w.officer_pos, corrupt=w.corrupt)
    off = containers.offenders(state=o_state, release=o_release, arrests=o_arrests,
                               born=w.born)
    cells = containers.cells(cctv=w.cctv, district=w.district, width=w.width)
    rates = containers.rates(arrest=w.arrest_prob, clearance=w.clearance_prob,
                             jail_ticks=w.jail_ticks)
    bribes = np.zeros(3, np.int64)
    court = empty_court(max(64, w.n_events))  # room for every case (the caller's duty)
    jcounts = np.zeros(3, np.int64)
    f = w.factor if factor is None else factor
    jparams = np.array([1.0, f, w.coop, w.remand])
    respond(events, w.first, w.n_events, TICK, police, off, cells, rates, w.radius,
            w.detect_prob, w.bribe_prob, w.cctv_detection, w.conviction_prob, bribes, rng,
            w.legitimacy, w.hh_first, w.legit_ref, jparams, court, jcounts)
    return events, o_state, o_release, o_arrests, bribes, court, jcounts


def run_reference(w, rng):
    """The rule, written out with plain Python and numpy."""
    events = w.events.copy()
    o_state, o_release, o_arrests = w.o_state.copy(), w.o_release.copy(), w.o_arrests.copy()
    bribes = np.zeros(3, np.int64)
    cases, jcounts = [], np.zeros(3, np.int64)
    for e in range(w.first, w.n_events):
        row = events[e]
        c, k, off = row[EV_CELL], row[EV_TYPE], row[EV_OFFENDER]
        cx, cy = c % w.width, c // w.width
        arrested = bribed = False
        private = row[EV_SETTING] == SET_HOME and row[EV_RELATIONSHIP] in (REL_PARTNER,
                                                                           REL_FAMILY)
        for j, p in enumerate(w.officer_pos):
            if private:
                break
            if max(abs(p % w.width - cx), abs(p // w.width - cy)) > w.radius:
                continue
            if not rng.random() < w.detect_prob:
                continue
            if w.corrupt[j] and rng.random() < w.bribe_prob:
                bribed = True
                bribes[w.district[c]] += 1
                break
            if rng.random() < w.arrest_prob[k]:
                arrested = True
                break
        if not (arrested or bribed) and w.cctv[c] > 0 and not private and w.factor > 0:
            arrested = rng.random() < w.cctv_detection * w.cctv[c]
        if not (arrested or bribed) and row[EV_REPORTED]:
            p = w.clearance_prob[k] * w.factor
            v = row[EV_VICTIM]
            if v >= 0:
                who = w.hh_first[v] if k == BURGLARY else v
                p *= max(0.0, 1 + w.coop * (w.legitimacy[who] - w.legit_ref))
            arrested = rng.random() < min(p, 1.0)
            cleared = arrested
            if arrested and len(w.officer_pos) > 0:
                investigator = int(rng.random() * len(w.officer_pos))
                if w.corrupt[investigator] and rng.random() < w.bribe_prob:
                    arrested, bribed, cleared = False, True, False
                    bribes[w.district[c]] += 1
            jcounts[JC_CLEARED] += cleared
        row[EV_ARRESTED] = int(arrested)
        row[EV_BRIBED] = int(bribed)
        if arrested:
            o_arrests[off] += 1
            remanded = rng.random() < w.remand
            cases.append((off, w.born[off], k, TICK, remanded))
            jcounts[JC_FILED] += 1
            if remanded:
                jcounts[JC_REMANDED] += 1
                o_state[off] = JAILED
                o_release[off] = REMAND
    return events, o_state, o_release, o_arrests, bribes, cases, jcounts


@pytest.mark.parametrize("seed", SEEDS)
def test_respond_with_justice_matches_the_rule(seed):
    w = justice_world(seed)
    got = run_kernel(w, np.random.default_rng(seed))
    ref = run_reference(w, np.random.default_rng(seed))
    for a, b in zip(got[:5], ref[:5], strict=True):
        np.testing.assert_array_equal(a, b)
    court, cases = got[5], ref[5]
    n = int(court.meta[COUNT])
    assert n == len(cases)
    filed = list(zip(court.slot[:n], court.born[:n], court.kind[:n], court.tick[:n],
                     court.remanded[:n], strict=True))
    assert [tuple(int(x) for x in f) for f in filed] == [tuple(int(x) for x in c)
                                                         for c in cases]
    np.testing.assert_array_equal(got[6], ref[6])
    # no verdict in the tick: only the remanded are jailed, and they wait for the court
    assert ((got[1] == JAILED) == (got[2] == REMAND)).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_no_investigators_no_clearance_and_no_cctv_arrest(seed):
    w = justice_world(seed)
    w.officer_pos = w.officer_pos[:0]
    w.corrupt = w.corrupt[:0]
    events, *_, jcounts = run_kernel(w, np.random.default_rng(seed), factor=0.0)
    n = slice(w.first, w.n_events)
    assert events[n, EV_ARRESTED].sum() == 0
    assert jcounts[JC_CLEARED] == 0 and jcounts[JC_FILED] == 0


def test_clearance_frequency_is_the_capacity_scaled_probability():
    """Many reported crimes, no officers nearby: the solved share is p x factor.

    Victims at the reference legitimacy (cooperation 1); tolerance 4 binomial SEs.
    """
    w = justice_world(0)
    n_ev = 20_000
    w.events = np.zeros((n_ev, w.events.shape[1]), w.events.dtype)
    w.events[:, EV_TYPE] = 2
    w.events[:, EV_REPORTED] = 1
    w.events[:, EV_VICTIM] = -1
    w.events[:, EV_OFFENDER] = 0
    w.first, w.n_events = 0, n_ev
    w.officer_pos = np.array([0], np.int64)
    w.corrupt = np.zeros(1, bool)
    w.radius = 0
    w.detect_prob = 0.0
    w.cctv = np.zeros_like(w.cctv)
    w.clearance_prob = np.full(N_CRIME, 0.3)
    w.o_state = np.full(1, FREE, np.int8)
    w.o_release = np.zeros(1, np.int64)
    w.o_arrests = np.zeros(1, np.int64)
    w.born = np.zeros(1, np.int64)
    w.remand = 0.0
    w.factor = 0.5
    _, _, _, _, _, court, jcounts = run_kernel(w, np.random.default_rng(1), factor=0.5)
    p = 0.3 * 0.5
    se = math.sqrt(p * (1 - p) / n_ev)
    assert abs(jcounts[JC_CLEARED] / n_ev - p) < 4 * se
    assert int(court.meta[COUNT]) == jcounts[JC_FILED] == jcounts[JC_CLEARED]
