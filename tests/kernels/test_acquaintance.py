"""Street offenders who know some of the people present (sim.kernels.offending).

With ``relationships.enabled`` a resident offender knows the members of their
household (family), people of the same school or workplace and those living within
one cell (acquaintances). The victim of a street crime is then drawn with weight
``vulnerability * acquaintance_weight`` for people they know, and the event says who
the victim was. The reference (offending_worlds.ref_offend) is written from that rule.
"""

from __future__ import annotations

import numpy as np
import pytest
from offending_worlds import SEEDS, make_world, ref_offend, run_offend

from sim.config import (
    EV_RELATIONSHIP,
    EV_TYPE,
    EV_VICTIM,
    REL_ACQUAINTANCE,
    REL_FAMILY,
    STREET_CRIMES,
)


@pytest.mark.parametrize("acquaintance", [0.5, 3.0, 20.0])
@pytest.mark.parametrize("seed", SEEDS)
def test_known_victims_are_weighted_as_the_reference(seed, acquaintance):
    w = make_world(seed)
    ev, acted = run_offend(w, True, 0.7, np.random.default_rng(seed), know=True,
                           acquaintance=acquaintance)
    ref_ev, ref_acted = ref_offend(w, True, 0.7, np.random.default_rng(seed), know=True,
                                   acquaintance=acquaintance)
    np.testing.assert_array_equal(ev, ref_ev)
    np.testing.assert_array_equal(acted, ref_acted)


def test_the_worlds_hold_known_victims():
    """The equivalence above is not vacuous: family and acquaintances are picked."""
    rel = np.concatenate([
        run_offend(make_world(s), True, 0.7, np.random.default_rng(s), know=True,
                   acquaintance=3.0)[0][:, EV_RELATIONSHIP] for s in SEEDS])
    assert (rel == REL_FAMILY).any() and (rel == REL_ACQUAINTANCE).any()


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_one_chooses_exactly_the_classic_victims(seed):
    """acquaintance_weight 1: the very crimes and victims of the classic model (only
    the relationship column, new, differs)."""
    w = make_world(seed)
    classic, _ = run_offend(w, False, 0.7, np.random.default_rng(seed))
    known, _ = run_offend(w, False, 0.7, np.random.default_rng(seed), know=True,
                          acquaintance=1.0)
    cols = np.arange(classic.shape[1]) != EV_RELATIONSHIP
    np.testing.assert_array_equal(known[:, cols], classic[:, cols])
    off = run_offend(w, False, 0.7, np.random.default_rng(seed), know=False,
                     acquaintance=5.0)[0]
    np.testing.assert_array_equal(off, classic)  # switched off, the weight is not read


def test_share_of_known_victims_follows_the_weight():
    """One offender, one cell, many tries: P(known) = a K / (a K + S), K and S the
    vulnerability summed over known people and strangers; tolerance 4 binomial SEs."""
    w = make_world(3)
    c = int(np.argmax(w.public_count))
    people = w.public_order[w.public_start[c]: w.public_start[c] + w.public_count[c]]
    r = int(people[0])
    w.o_pos[:] = c
    w.o_state[:] = 1  # FREE
    w.o_active[:] = True
    w.o_acted[:] = False
    w.o_resident[:] = r
    w.o_gang[:] = -1
    w.rate[:] = 0.0
    k = STREET_CRIMES[1]
    w.rate[k] = 50.0  # every offender offends, always this type
    w.r_vuln[people, k] = g_vuln = np.random.default_rng(7).uniform(0.5, 1.5, people.size)
    assert g_vuln.min() > 0
    known = np.array([j != r and (w.r_household[j] == w.r_household[r]
                                  or (w.r_activity[r] >= 0 and w.r_activity[j] == w.r_activity[r])
                                  or max(abs(w.r_home[j] % w.width - w.r_home[r] % w.width),
                                         abs(w.r_home[j] // w.width - w.r_home[r] // w.width))
                                  <= 1) for j in people])
    assert known.any() and (~known).any()
    a = 2.0
    kv = w.r_vuln[people[known], k].sum()
    sv = w.r_vuln[people[~known], k].sum()
    p = a * kv / (a * kv + sv)
    hits = n = 0
    for rep in range(80):
        ev, _ = run_offend(w, False, 1.0, np.random.default_rng(1000 + rep), know=True,
                           acquaintance=a)
        victims = ev[:, EV_VICTIM]
        hits += int(np.isin(victims, people[known]).sum())
        n += len(victims)
    assert n > 800
    assert 0.1 < p < 0.9
    assert abs(hits / n - p) < 4 * np.sqrt(p * (1 - p) / n)


@pytest.mark.parametrize("transit", [0.3, 1.0])
@pytest.mark.parametrize("know", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_travellers_weigh_their_share_of_the_hour(seed, know, transit):
    """Routes: a resident on their way is a target for ``transit`` of the hour, in the
    hazard and in the victim choice alike (the reference weighs them so)."""
    w = make_world(seed)
    ev, acted = run_offend(w, True, 0.7, np.random.default_rng(seed), know=know,
                           acquaintance=3.0, transit=transit)
    ref_ev, ref_acted = ref_offend(w, True, 0.7, np.random.default_rng(seed), know=know,
                                   acquaintance=3.0, transit=transit)
    np.testing.assert_array_equal(ev, ref_ev)
    np.testing.assert_array_equal(acted, ref_acted)


def test_travellers_are_picked_less_often():
    """Hand check of the weighting: over all worlds, the share of street victims who
    were travelling falls when a journey counts for 0.3 of the hour."""
    shares = {}
    for transit in (1.0, 0.3):
        picked = []
        for s in SEEDS:
            w = make_world(s)
            ev, _ = run_offend(w, True, 2.0, np.random.default_rng(s), transit=transit)
            v = ev[np.isin(ev[:, EV_TYPE], STREET_CRIMES), EV_VICTIM]
            picked.append(w.r_travelling[v[v >= 0]])
        shares[transit] = np.concatenate(picked).mean()
    assert shares[0.3] < shares[1.0]
