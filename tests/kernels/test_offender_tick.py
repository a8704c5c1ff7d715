"""sim.kernels.offender_tick.offender_hour: the offenders' hour as its module docstring
composes it, from the packed containers the model passes.

The expected values come from the composed kernels called one by one (each tested
against its own plain-numpy reference: test_activity.py, test_offending.py,
test_movement.py) and from numpy for the gangs' tension, ``1 + retaliation *
grievance``: who is out (activate), then ``moves`` rounds of offend with hazard time
``dt / moves`` and a walk of those out who did not offend and are free.
"""

from __future__ import annotations

import containers
import numpy as np
import pytest
from offending_worlds import SEEDS, TICK, make_world

from sim.config import (
    AT_ACTIVITY,
    AT_HOME,
    DOMESTIC_OFFENDER,
    EV_RELATIONSHIP,
    FREE,
    N_EVENT_FIELDS,
    REL_FAMILY,
    REL_PARTNER,
    STREET_OFFENDER,
)
from sim.kernels.activity import activate
from sim.kernels.awareness import no_awareness
from sim.kernels.domestic import N_PARAMS, P_ACQUAINTANCE, domestic_hour
from sim.kernels.movement import walk
from sim.kernels.offender_tick import offender_hour
from sim.kernels.offending import offend

DT, P_ACTIVE, RETALIATION = 1.0, 0.6, 0.7
MOVES = (1, 3)


#: relationships off (the classic model): no domestic abusers' hour, strangers only.
CLASSIC_RELATIONS = np.zeros(N_PARAMS)
#: relationships on: domestic rates high enough that abusers offend in a few tries.
RELATIONS = np.array([1.0, 0.4, 0.2, 0.5, 0.5, 1.5, 3.0])


def with_relationships(w, seed):
    """The world with a third of the offenders domestic abusers, each with a target,
    and residents at home, at work or out (from a generator of its own)."""
    g = np.random.default_rng(800 + seed)
    n_off, n_res = w.o_pos.size, w.r_legitimacy.size
    w.o_kind = np.where(g.random(n_off) < 0.35, DOMESTIC_OFFENDER,
                        STREET_OFFENDER).astype(np.int8)
    w.o_resident = np.where(w.o_kind == DOMESTIC_OFFENDER, g.integers(0, n_res, n_off),
                            w.o_resident)
    w.o_target = np.where(w.o_kind == DOMESTIC_OFFENDER, g.integers(0, n_res, n_off), -1)
    w.o_relation = np.where(g.random(n_off) < 0.6, REL_PARTNER, REL_FAMILY).astype(np.int8)
    w.r_state = g.choice(np.array([AT_HOME, AT_HOME, AT_ACTIVITY], np.int8), n_res)
    return w


def containers_of(w):
    """The world's arrays as the kernels' named tuples (copies: each run gets its own)."""
    n_off = w.o_pos.size
    off = containers.offenders(
        pos=w.o_pos.copy(), state=w.o_state.copy(), active=w.o_active.copy(),
        acted=w.o_acted.copy(), motivation=w.o_motivation, gang=w.o_gang,
        resident=w.o_resident, home=np.where(w.o_home >= 0, w.o_home, 0),
        **({"kind": w.o_kind, "target": w.o_target, "relation": w.o_relation}
           if hasattr(w, "o_kind") else {}))
    res = containers.residents(
        vuln_table=w.r_vuln, vuln_group=np.arange(w.r_vuln.shape[0]),
        legitimacy=w.r_legitimacy, enrolled_until=w.r_enrolled_until,
        public_count=w.public_count, public_start=w.public_start,
        public_order=w.public_order, cell_hh_start=w.cell_hh_start,
        cell_hh_count=w.cell_hh_count, household_home=w.household_home,
        hh_vuln_table=w.hh_vuln, hh_group=np.arange(w.hh_vuln.size),
        household=w.r_household, activity_cell=w.r_activity, home=w.r_home,
        **({"state": w.r_state} if hasattr(w, "r_state") else {}))
    cells = containers.cells(
        land_use=w.land_use, a0=w.a0, b=w.b, lighting=w.lighting, guardianship=w.guardianship,
        police_field=w.police_field, width=w.width, height=w.a0.size // w.width,
        periodic=False)
    rates = containers.rates(rate=w.rate, darkness=w.darkness)
    events = np.zeros((n_off + 1, N_EVENT_FIELDS), np.int64)
    return off, res, cells, rates, events, np.zeros(n_off, np.bool_)


def run_hour(w, moves, grievance, seed, relations=CLASSIC_RELATIONS):
    off, res, cells, rates, events, moving = containers_of(w)
    tension = np.full_like(grievance, -9.0)  # garbage: the kernel must overwrite it
    n_active, n_events = offender_hour(
        TICK, True, P_ACTIVE, tuple(off), tuple(res), tuple(cells), tuple(rates), False, DT,
        moves, False, w.crowd, w.compliance, w.enrolled_effect, grievance, RETALIATION,
        tension, w.gang_radius, 4, 0.5, 3.0, relations, events, moving,
        np.random.default_rng(seed), no_awareness(), False)
    return n_active, events[:n_events], off, tension


def composed_hour(w, moves, grievance, seed, relations=None):
    off, res, cells, rates, events, moving = containers_of(w)
    rng = np.random.default_rng(seed)
    tension = 1.0 + RETALIATION * grievance
    n_active = activate(off.state, off.active, off.acted, off.pos, off.home, P_ACTIVE, False,
                        rng)
    n = 0
    extra = ()
    if relations is not None:  # abusers at home first, then street offenders who know
        n, n_in = domestic_hour(TICK, True, DT, off, res.state, res.home, res.legitimacy,
                                w.compliance, relations, events, 0, rng)
        n_active -= n_in
        extra = (relations[P_ACQUAINTANCE], True)
    for _ in range(moves):
        n = offend(TICK, True, DT / moves, off, res, cells, rates, False, w.crowd,
                   w.compliance, w.enrolled_effect, tension, w.gang_radius, events, n, rng,
                   *extra)
        moving[:] = off.active & ~off.acted & (off.state == FREE)
        walk(off.pos, off.home, moving, cells.a0, cells.b, cells.width, cells.height, False, 4,
             0.5, 3.0, rng)
    return n_active, events[:n], off, tension


@pytest.mark.parametrize("moves", MOVES)
@pytest.mark.parametrize("seed", SEEDS)
def test_offender_hour_is_its_composition(seed, moves):
    w = make_world(seed, width=4, height=3)
    grievance = np.random.default_rng(seed).uniform(0.0, 1.0, w.tension.shape)
    got = run_hour(w, moves, grievance, seed)
    want = composed_hour(w, moves, grievance, seed)
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], want[1])
    for name in ("pos", "state", "active", "acted"):
        np.testing.assert_array_equal(getattr(got[2], name), getattr(want[2], name), name)
    np.testing.assert_array_equal(got[3], want[3])  # tension, exactly numpy's


@pytest.mark.parametrize("seed", SEEDS)
def test_offender_hour_with_relationships_is_its_composition(seed):
    w = with_relationships(make_world(seed, width=4, height=3), seed)
    grievance = np.random.default_rng(seed).uniform(0.0, 1.0, w.tension.shape)
    got = run_hour(w, 2, grievance, seed, RELATIONS)
    want = composed_hour(w, 2, grievance, seed, RELATIONS)
    assert got[0] == want[0]
    np.testing.assert_array_equal(got[1], want[1])
    for name in ("pos", "state", "active", "acted"):
        np.testing.assert_array_equal(getattr(got[2], name), getattr(want[2], name), name)
    dom = w.o_kind == DOMESTIC_OFFENDER
    assert not got[2].active[dom].any()  # abusers never go out


def test_offender_hour_with_relationships_has_violence_at_home():
    rel = np.concatenate([run_hour(with_relationships(make_world(s, width=4, height=3), s), 2,
                                   np.zeros((3, 3)), s, RELATIONS)[1][:, EV_RELATIONSHIP]
                          for s in SEEDS])
    assert (rel == REL_PARTNER).any() and (rel == REL_FAMILY).any()


def test_offender_hour_commits_crimes_somewhere():
    total = sum(run_hour(make_world(s, width=4, height=3), 3, np.zeros((3, 3)), s)[1].shape[0]
                for s in SEEDS)
    assert total > 0
