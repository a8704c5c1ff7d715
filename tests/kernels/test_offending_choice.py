"""sim.kernels.offending: victim and type choice, properties, and rival_at.

Victims are drawn in proportion to vulnerability and the crime type in proportion to
the hazards (checked by frequencies over many draws); the properties hold for random
worlds; rival_at against its plain-numpy reference. Worlds: offending_worlds.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from offending_worlds import (
    INT,
    SEEDS,
    TICK,
    abstract_lattice,
    eligible,
    empty_households,
    make_world,
    people_in_public,
    ref_hazards,
    rivals_present,
    run_offend,
)

from sim.config import (
    BURGLARY,
    DEAD,
    EV_CELL,
    EV_HOME,
    EV_OFFENDER,
    EV_TICK,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    GANG_VIOLENCE,
    JAILED,
    N_CRIME,
    NO_GANG,
    ROBBERY,
)
from sim.kernels.offending import rival_at


# --- victim and type choice -------------------------------------------------------------
def one_cell_world(n_off, r_vuln=None, hh_vuln=None, household_home=None, rate=None):
    """All offenders at cell 0 of a 2-cell world; everyone in public is at cell 0."""
    w = abstract_lattice([50.0, 1.0], 0)
    w.abstract = False
    n_res = 0 if r_vuln is None else r_vuln.shape[0]
    w.r_vuln = np.zeros((0, N_CRIME)) if r_vuln is None else r_vuln
    w.r_legitimacy = np.zeros(n_res)
    w.r_enrolled_until = np.zeros(n_res, INT)
    w.public_count = np.array([n_res, 0], INT)
    w.public_start = np.zeros(2, INT)
    w.public_order = np.arange(n_res, dtype=INT)
    n_hh = 0 if hh_vuln is None else hh_vuln.size
    w.hh_vuln = np.zeros(0) if hh_vuln is None else hh_vuln
    w.household_home = np.zeros(n_hh, INT) if household_home is None else household_home
    w.cell_hh_count = np.array([n_hh, 0], INT)
    w.cell_hh_start = np.zeros(2, INT)
    w.crowd = 0.0
    w.rate = np.zeros(N_CRIME) if rate is None else rate
    w.o_pos = np.zeros(n_off, INT)
    w.o_state = np.full(n_off, FREE, np.int8)
    w.o_active = np.ones(n_off, np.bool_)
    w.o_acted = np.zeros(n_off, np.bool_)
    w.o_motivation = np.ones(n_off)
    w.o_gang = np.full(n_off, NO_GANG, INT)
    w.o_resident = np.full(n_off, -1, INT)
    w.o_home = np.zeros(n_off, INT)
    return w


def assert_frequencies(observed, weights, n):
    p = weights / weights.sum()
    sd = np.sqrt(n * p * (1 - p))
    assert np.all(np.abs(observed - n * p) <= 5 * sd + 1e-9), (observed, n * p)


def test_street_victim_follows_vulnerability():
    weights = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 0.5])
    r_vuln = np.zeros((weights.size, N_CRIME))
    r_vuln[:, ROBBERY] = weights
    rate = np.zeros(N_CRIME)
    rate[ROBBERY] = 1.0
    n = 30_000
    w = one_cell_world(n, r_vuln=r_vuln, rate=rate)
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(11))
    assert len(ev) == n  # the hazard is huge
    assert (ev[:, EV_TYPE] == ROBBERY).all()
    counts = np.bincount(ev[:, EV_VICTIM], minlength=weights.size)
    assert counts[0] == 0
    assert_frequencies(counts, weights, n)


def test_burglary_victim_is_an_empty_household_by_vulnerability():
    hh_vuln = np.array([1.0, 5.0, 2.0, 3.0, 0.0])
    household_home = np.array([0, 1, 0, 0, 0], INT)
    rate = np.zeros(N_CRIME)
    rate[BURGLARY] = 1.0
    n = 30_000
    w = one_cell_world(n, hh_vuln=hh_vuln, household_home=household_home, rate=rate)
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(12))
    assert len(ev) == n
    counts = np.bincount(ev[:, EV_VICTIM], minlength=hh_vuln.size)
    assert counts[1] == 0 and counts[4] == 0  # occupied; zero vulnerability
    assert_frequencies(counts, np.where(household_home == 0, hh_vuln, 0.0), n)


def test_crime_type_follows_hazards():
    r_vuln = np.tile([0.0, 1.0, 0.5, 0.25, 0.0], (4, 1))
    rate = np.array([1.0, 2.0, 1.0, 4.0, 1.0])
    hh_vuln = np.array([1.5, 0.5])
    n = 30_000
    w = one_cell_world(n, r_vuln=r_vuln, hh_vuln=hh_vuln, rate=rate)
    w.crowd = 0.5
    ev, _ = run_offend(w, False, 1.0, np.random.default_rng(13))
    h = ref_hazards(w, 0, False)
    assert h[GANG_VIOLENCE] == 0.0
    counts = np.bincount(ev[:, EV_TYPE], minlength=N_CRIME)
    assert counts[GANG_VIOLENCE] == 0
    assert_frequencies(counts, h, len(ev))


# --- properties ------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_zero_rate_means_no_crime(seed):
    w = make_world(seed)
    w.rate[:] = 0.0
    rng = np.random.default_rng(seed)
    ev, acted = run_offend(w, True, 1.0, rng)
    assert len(ev) == 0
    np.testing.assert_array_equal(acted, w.o_acted)
    n_try = sum(eligible(w, i, w.o_acted) for i in range(w.o_pos.shape[0]))
    expect = np.random.default_rng(seed)
    expect.random(n_try)
    assert rng.random() == expect.random()


@pytest.mark.parametrize("seed", SEEDS)
def test_only_free_active_unacted_offenders_offend(seed):
    w = make_world(seed)
    w.a0[:] = 1e6  # everyone who may offend and has a target does
    ev, acted = run_offend(w, False, 1.0, np.random.default_rng(seed))
    for i in ev[:, EV_OFFENDER]:
        assert eligible(w, i, w.o_acted)
    # acted: previously acted, plus exactly the offenders of new events
    np.testing.assert_array_equal(
        np.flatnonzero(acted & ~w.o_acted), np.sort(ev[:, EV_OFFENDER]))
    assert len(set(ev[:, EV_OFFENDER].tolist())) == len(ev)  # at most once each


@pytest.mark.parametrize("seed", SEEDS)
def test_jailed_offenders_never_offend(seed):
    w = make_world(seed)
    w.a0[:] = 1e6
    w.o_state[:] = JAILED
    rng = np.random.default_rng(seed)
    ev, acted = run_offend(w, True, 1.0, rng)
    assert len(ev) == 0
    np.testing.assert_array_equal(acted, w.o_acted)
    assert rng.random() == np.random.default_rng(seed).random()  # nobody drew


@pytest.mark.parametrize("seed", SEEDS)
def test_overwhelming_deterrence_prevents_crime(seed):
    w = make_world(seed)
    w.police_field[:] = 800.0  # exp(-800) underflows to 0
    ev, _ = run_offend(w, True, 1.0, np.random.default_rng(seed))
    assert len(ev) == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_events_name_a_valid_target(seed):
    w = make_world(seed)
    ev, _ = run_offend(w, True, 2.0, np.random.default_rng(seed))
    for row in ev:
        i, c, k, v = row[EV_OFFENDER], row[EV_CELL], row[EV_TYPE], row[EV_VICTIM]
        assert c == w.o_pos[i]
        assert row[EV_TICK] == TICK and row[EV_HOME] == w.o_home[i]
        if k == BURGLARY:
            assert v in empty_households(w, c) and w.hh_vuln[v] > 0
        elif k == GANG_VIOLENCE:
            assert v == -1
            rival = rival_at(i, w.o_pos, w.o_state, w.o_active, w.o_gang, w.gang_radius, w.width)
            assert rival >= 0
        else:
            assert v in people_in_public(w, c) and w.r_vuln[v, k] > 0


def test_full_event_buffer_is_not_overrun():
    w = abstract_lattice([100.0], 50)
    ev, acted = run_offend(w, False, 1.0, np.random.default_rng(0), capacity=10)
    assert len(ev) == 10
    np.testing.assert_array_equal(ev[:, EV_OFFENDER], np.arange(10))


# --- rival_at ----------------------------------------------------------------------------
def ref_rival_at(w, i):
    if w.o_gang[i] == NO_GANG:
        return -1
    rivals = rivals_present(w, i)
    return rivals[0] if rivals else -1


@pytest.mark.parametrize("seed", SEEDS)
def test_rival_at_matches_reference(seed):
    w = make_world(seed, width=3, height=3, n_off=40)
    found = 0
    for i in range(w.o_pos.shape[0]):
        got = rival_at(i, w.o_pos, w.o_state, w.o_active, w.o_gang, w.gang_radius, w.width)
        assert got == ref_rival_at(w, i)
        found += got >= 0
    assert found > 0


def test_rival_at_ignores_own_gang_jailed_inactive_and_distant():
    # a 3 x 3 grid; cells 0 and 4 are diagonal neighbours, 8 is two cells away
    o_pos = np.array([0, 0, 0, 0, 8, 0, 0, 4], INT)
    o_state = np.array([FREE, FREE, JAILED, FREE, FREE, DEAD, FREE, FREE], np.int8)
    o_active = np.array([True, True, True, False, True, True, True, False])
    o_gang = np.array([0, 0, 1, 1, 1, 1, NO_GANG, 2], INT)

    def rival(i, radius):
        return rival_at(i, o_pos, o_state, o_active, o_gang, radius, 3)

    assert rival(0, 0) == -1
    assert rival(0, 1) == -1  # offender 7 is inactive
    assert rival(0, 2) == 4
    assert rival(6, 5) == -1  # no gang, no rival
    o_active[3] = True
    o_active[7] = True
    assert rival(0, 0) == 3
    assert rival(3, 0) == 0
    assert rival(4, 1) == 7
    assert rival(4, 2) == 0
