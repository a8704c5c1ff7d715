"""sim.kernels.arrest.respond against a plain-numpy reference (module docstring).

Per event, officers are taken in order; each within the deterrence radius (Chebyshev,
bounded grid, as in patrol.police_field) sees the crime with ``detect_prob``. An officer
who sees it takes a bribe if corrupt (``bribe_prob``: the offender walks, the bribe is
counted against the cell's district), else arrests with ``arrest_prob_k``. A crime not
yet solved may be solved by CCTV (``cctv_detection * cctv_c``) or, if reported, by an
investigation (``clearance_prob_k``). An arrest jails with ``conviction_prob`` for an
exponentially distributed term with mean ``jail_ticks_k`` (rounded, at least 1 tick).
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np
import pytest

from sim.config import (
    EV_ARRESTED,
    EV_BRIBED,
    EV_CELL,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_REPORTED,
    EV_SETTING,
    EV_TYPE,
    FREE,
    JAILED,
    N_CRIME,
    N_EVENT_FIELDS,
    REL_ACQUAINTANCE,
    REL_FAMILY,
    REL_PARTNER,
    REL_STRANGER,
    SET_HOME,
    SET_STREET,
)
from sim.kernels.arrest import justice_off, respond

INT = np.int64
SEEDS = range(10)
TICK = 100


def make_world(seed, width=6, height=5, n_officers=8, n_off=30, n_events=25):
    g = np.random.default_rng(300 + seed)
    n_cells = width * height
    w = SimpleNamespace(width=width, height=height)
    w.officer_pos = g.integers(0, n_cells, n_officers).astype(INT)
    w.corrupt = g.random(n_officers) < 0.4
    w.radius = int(seed % 3)
    w.detect_prob = float(g.uniform(0.3, 0.9))
    w.arrest_prob = g.uniform(0.2, 0.9, N_CRIME)
    w.bribe_prob = float(g.uniform(0.2, 0.8))
    w.cctv = np.where(g.random(n_cells) < 0.4, g.uniform(0.2, 1.0, n_cells), 0.0)
    w.cctv_detection = float(g.uniform(0.2, 0.8))
    w.clearance_prob = g.uniform(0.05, 0.5, N_CRIME)
    w.conviction_prob = float(g.uniform(0.4, 0.9))
    w.jail_ticks = g.uniform(0.5, 200.0, N_CRIME)
    w.district = g.integers(0, 3, n_cells).astype(INT)
    w.o_state = np.full(n_off, FREE, np.int8)
    w.o_release = np.zeros(n_off, INT)
    w.o_arrests = g.integers(0, 3, n_off).astype(INT)
    ev = np.zeros((n_events + 2, N_EVENT_FIELDS), INT)
    ev[:, EV_TYPE] = g.integers(0, N_CRIME, n_events + 2)
    ev[:, EV_CELL] = g.integers(0, n_cells, n_events + 2)
    ev[:, EV_OFFENDER] = g.permutation(n_off)[: n_events + 2]  # one crime per offender
    ev[:, EV_REPORTED] = g.random(n_events + 2) < 0.5
    ev[:, EV_ARRESTED] = 5  # sentinels: must be overwritten for new rows
    ev[:, EV_BRIBED] = 5
    ev[:, EV_SETTING] = SET_STREET  # crimes in public by strangers (private ones: below)
    ev[:, EV_RELATIONSHIP] = REL_STRANGER
    w.events = ev
    w.first, w.n_events = 1, n_events + 1
    return w


def run_respond(w, rng):
    out = SimpleNamespace(events=w.events.copy(), bribes=np.zeros(3, INT),
                          o_state=w.o_state.copy(), o_release=w.o_release.copy(),
                          o_arrests=w.o_arrests.copy())
    police = containers.police(pos=w.officer_pos, corrupt=w.corrupt)
    off = containers.offenders(state=out.o_state, release=out.o_release, arrests=out.o_arrests)
    cells = containers.cells(cctv=w.cctv, district=w.district, width=w.width)
    rates = containers.rates(arrest=w.arrest_prob, clearance=w.clearance_prob,
                             jail_ticks=w.jail_ticks)
    respond(out.events, w.first, w.n_events, TICK, police, off, cells, rates, w.radius,
            w.detect_prob, w.bribe_prob, w.cctv_detection, w.conviction_prob, out.bribes, rng,
            *justice_off())
    return out


def ref_respond(w, rng):
    out = SimpleNamespace(events=w.events.copy(), bribes=np.zeros(3, INT),
                          o_state=w.o_state.copy(), o_release=w.o_release.copy(),
                          o_arrests=w.o_arrests.copy())
    for e in range(w.first, w.n_events):
        row = out.events[e]
        c, k, off = row[EV_CELL], row[EV_TYPE], row[EV_OFFENDER]
        cx, cy = c % w.width, c // w.width
        arrested = bribed = False
        # a partner's or relative's crime at home: behind a closed door
        private = row[EV_SETTING] == SET_HOME and row[EV_RELATIONSHIP] in (REL_PARTNER,
                                                                           REL_FAMILY)
        for j, p in enumerate(w.officer_pos):
            if private:
                break  # no officer sees it
            if max(abs(p % w.width - cx), abs(p // w.width - cy)) > w.radius:
                continue  # out of range
            if not rng.random() < w.detect_prob:
                continue  # did not see it
            if w.corrupt[j] and rng.random() < w.bribe_prob:
                bribed = True
                out.bribes[w.district[c]] += 1
                break
            if rng.random() < w.arrest_prob[k]:
                arrested = True
                break
        if not (arrested or bribed) and w.cctv[c] > 0 and not private:
            arrested = rng.random() < w.cctv_detection * w.cctv[c]
        if not (arrested or bribed) and row[EV_REPORTED]:
            arrested = rng.random() < w.clearance_prob[k]
            if arrested and len(w.officer_pos) > 0:
                investigator = int(rng.random() * len(w.officer_pos))
                if w.corrupt[investigator] and rng.random() < w.bribe_prob:
                    arrested, bribed = False, True  # the case is sold
                    out.bribes[w.district[c]] += 1
        row[EV_ARRESTED] = int(arrested)
        row[EV_BRIBED] = int(bribed)
        if arrested:
            out.o_arrests[off] += 1
            if rng.random() < w.conviction_prob:
                term = -w.jail_ticks[k] * np.log1p(-rng.random())  # exponential by inversion
                out.o_state[off] = JAILED
                out.o_release[off] = TICK + max(1, round(term))
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_respond_matches_reference(seed):
    w = make_world(seed)
    rng = np.random.default_rng(seed)
    got = run_respond(w, rng)
    rng_ref = np.random.default_rng(seed)
    ref = ref_respond(w, rng_ref)
    np.testing.assert_array_equal(got.events, ref.events)
    np.testing.assert_array_equal(got.bribes, ref.bribes)
    np.testing.assert_array_equal(got.o_state, ref.o_state)
    np.testing.assert_array_equal(got.o_release, ref.o_release)
    np.testing.assert_array_equal(got.o_arrests, ref.o_arrests)
    assert rng.random() == rng_ref.random()


def private_world(seed):
    """A world where some crimes are violence at home by a partner or relative (and
    some at home by others, or by a partner in the street, which are not private)."""
    w = make_world(seed)
    g = np.random.default_rng(700 + seed)
    n = w.events.shape[0]
    w.events[:, EV_SETTING] = np.where(g.random(n) < 0.7, SET_HOME, SET_STREET)
    w.events[:, EV_RELATIONSHIP] = g.choice(
        np.array([REL_PARTNER, REL_FAMILY, REL_ACQUAINTANCE, REL_STRANGER]), n)
    w.detect_prob = 1.0  # every officer in range would see a crime in public
    w.radius = 2
    return w


@pytest.mark.parametrize("seed", SEEDS)
def test_violence_at_home_is_unseen_as_the_reference(seed):
    w = private_world(seed)
    got = run_respond(w, np.random.default_rng(seed))
    ref = ref_respond(w, np.random.default_rng(seed))
    np.testing.assert_array_equal(got.events, ref.events)
    np.testing.assert_array_equal(got.o_state, ref.o_state)
    np.testing.assert_array_equal(got.o_release, ref.o_release)


def test_violence_at_home_is_solved_only_through_reports():
    """Unreported private crimes are never solved, however many officers and cameras
    are around; reported ones can be (investigation)."""
    solved_unreported = solved_reported = 0
    for seed in SEEDS:
        w = private_world(seed)
        w.officer_pos[:] = w.events[1, EV_CELL]  # every officer on the spot of one crime
        w.cctv[:] = 1.0
        w.cctv_detection = 1.0
        w.clearance_prob[:] = 1.0
        got = run_respond(w, np.random.default_rng(seed))
        ev = got.events[w.first: w.n_events]
        private = (ev[:, EV_SETTING] == SET_HOME) & np.isin(ev[:, EV_RELATIONSHIP],
                                                             [REL_PARTNER, REL_FAMILY])
        solved = (ev[:, EV_ARRESTED] == 1) | (ev[:, EV_BRIBED] == 1)
        solved_unreported += int((private & solved & (ev[:, EV_REPORTED] == 0)).sum())
        solved_reported += int((private & solved & (ev[:, EV_REPORTED] == 1)).sum())
        assert (solved[~private]).all()  # camera everywhere, detection 1: all others solved
    assert solved_unreported == 0
    assert solved_reported > 0


def test_reference_exercises_every_branch():
    arrests = bribes = jailed = 0
    for seed in SEEDS:
        got = run_respond(make_world(seed), np.random.default_rng(seed))
        arrests += got.events[:, EV_ARRESTED].tolist().count(1)
        bribes += got.bribes.sum()
        jailed += (got.o_state == JAILED).sum()
    assert arrests > 0 and bribes > 0 and jailed > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_respond_properties(seed):
    w = make_world(seed)
    got = run_respond(w, np.random.default_rng(seed))
    new = got.events[w.first:w.n_events]
    # untouched rows and columns
    np.testing.assert_array_equal(got.events[: w.first], w.events[: w.first])
    np.testing.assert_array_equal(got.events[w.n_events:], w.events[w.n_events:])
    other = [c for c in range(N_EVENT_FIELDS) if c not in (EV_ARRESTED, EV_BRIBED)]
    np.testing.assert_array_equal(got.events[:, other], w.events[:, other])
    assert set(new[:, EV_ARRESTED].tolist()) <= {0, 1}
    assert set(new[:, EV_BRIBED].tolist()) <= {0, 1}
    assert not (new[:, EV_ARRESTED] & new[:, EV_BRIBED]).any()  # a bribe means no arrest
    assert got.bribes.sum() == new[:, EV_BRIBED].sum()
    assert (got.bribes >= 0).all()
    np.testing.assert_array_equal(got.o_arrests - w.o_arrests,
                                  np.bincount(new[:, EV_OFFENDER], new[:, EV_ARRESTED],
                                              minlength=w.o_state.size).astype(INT))
    jailed = got.o_state == JAILED
    arrested = np.zeros(w.o_state.size, bool)
    arrested[new[new[:, EV_ARRESTED] == 1, EV_OFFENDER]] = True
    assert (arrested[jailed]).all()  # only arrested offenders go to jail
    assert (got.o_release[jailed] >= TICK + 1).all()
    np.testing.assert_array_equal(got.o_release[~jailed], w.o_release[~jailed])


def test_bribes_only_come_from_corrupt_officers():
    w = make_world(1)
    w.corrupt[:] = False
    got = run_respond(w, np.random.default_rng(0))
    assert got.bribes.sum() == 0
    assert (got.events[:, EV_BRIBED][w.first:w.n_events] == 0).all()


def test_certain_bribe_means_no_arrest_by_the_briber():
    w = make_world(2)
    w.officer_pos[:] = w.officer_pos[0]
    w.events[:, EV_CELL] = w.officer_pos[0]
    w.corrupt[:] = True
    w.bribe_prob = 1.0
    w.detect_prob = 1.0
    got = run_respond(w, np.random.default_rng(0))
    new = got.events[w.first:w.n_events]
    assert (new[:, EV_BRIBED] == 1).all() and (new[:, EV_ARRESTED] == 0).all()
    assert got.bribes[w.district[w.officer_pos[0]]] == len(new)


def test_unseen_unreported_crime_without_cctv_is_never_solved():
    w = make_world(3)
    w.detect_prob = 0.0
    w.cctv[:] = 0.0
    w.events[:, EV_REPORTED] = 0
    rng = np.random.default_rng(5)
    got = run_respond(w, rng)
    assert (got.events[w.first:w.n_events, EV_ARRESTED] == 0).all()
    assert (got.o_state == FREE).all()
    # only the detection draws of officers in range were made
    in_range = 0
    for c in w.events[w.first:w.n_events, EV_CELL]:
        dx = np.abs(w.officer_pos % w.width - c % w.width)
        dy = np.abs(w.officer_pos // w.width - c // w.width)
        in_range += int((np.maximum(dx, dy) <= w.radius).sum())
    expect = np.random.default_rng(5)
    expect.random(in_range)
    assert rng.random() == expect.random()


def test_jail_terms_are_exponential_with_the_type_mean():
    n = 20_000
    w = make_world(4, n_off=n + 2, n_events=n)
    w.officer_pos = np.zeros(0, INT)
    w.corrupt = np.zeros(0, bool)
    w.cctv[:] = 0.0
    w.events[:, EV_REPORTED] = 1
    w.clearance_prob[:] = 1.0
    w.conviction_prob = 1.0
    w.jail_ticks[:] = 48.0
    got = run_respond(w, np.random.default_rng(6))
    new = got.events[w.first:w.n_events]
    assert (new[:, EV_ARRESTED] == 1).all()
    terms = got.o_release[new[:, EV_OFFENDER]] - TICK
    assert terms.min() >= 1
    # E[max(1, round(X))] for X ~ Exp(48) is 48 + O(1/48); SD of the mean 48 / sqrt(n)
    assert abs(terms.mean() - 48.0) < 5 * 48.0 / np.sqrt(n) + 0.1
    # P(term > 48) = exp(-48.5 / 48) for the rounded exponential
    p = np.exp(-48.5 / 48.0)
    assert abs((terms > 48).mean() - p) < 5 * np.sqrt(p * (1 - p) / n)
