"""sim.kernels.flows (release, desist, remove_transient, spawn) against plain-numpy
references written from the docstrings, and the free-slot stack invariant: every DEAD
slot is in ``free_stack[:free_top[0]]`` exactly once, and nothing else is.

- desist: one uniform per free offender, p_day (times boost while enrolled, at most 1).

recruit is tested in test_recruit.py; the pool in offender_pool.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from offender_pool import (
    INT,
    RECRUIT,
    SEEDS,
    TICK,
    assert_pools_equal,
    check_links,
    check_stack,
    copy_pool,
    make_pool,
    pool_arrays,
    pop,
    push,
)

from sim.config import DEAD, DOMESTIC_OFFENDER, EV_OFFENDER, FREE, JAILED, N_EVENT_FIELDS, NO_GANG
from sim.kernels.flows import desist, recruit, release, remove_transient, spawn


# --- release ------------------------------------------------------------------------------
def ref_release(p, tick):
    out = copy_pool(p)
    done = (p.o_state == JAILED) & (p.o_release <= tick)
    out.o_state[done] = FREE
    return int(done.sum()), out


@pytest.mark.parametrize("seed", SEEDS)
def test_release_matches_reference(seed):
    p = make_pool(seed)
    got = copy_pool(p)
    n = release(got.o_state, got.o_release, TICK)
    ref_n, ref = ref_release(p, TICK)
    assert n == ref_n > 0
    assert_pools_equal(got, ref)
    still = got.o_state == JAILED
    assert (got.o_release[still] > TICK).all()


# --- desist -------------------------------------------------------------------------------
def ref_desist(p, tick, p_day, boost, rng):
    out = copy_pool(p)
    n = 0
    for i in range(p.capacity):
        if out.o_state[i] != FREE:
            continue
        r = out.o_resident[i]
        prob = p_day
        if r >= 0 and out.enrolled_until[r] > tick:
            prob = min(1.0, p_day * boost)
        if rng.random() < prob:
            out.o_state[i] = DEAD
            if r >= 0:
                out.offender_of[r] = -1
            out.o_resident[i] = -1
            push(out, i)
            n += 1
    return n, out


def run_desist(p, tick, p_day, boost, rng):
    got = copy_pool(p)
    n = desist(pool_arrays(got), got.offender_of, got.enrolled_until, tick, p_day, boost, rng)
    return n, got


@pytest.mark.parametrize("seed", SEEDS)
def test_desist_matches_reference(seed):
    p = make_pool(seed)
    p_day, boost = 0.3, 2.5
    rng = np.random.default_rng(seed)
    n, got = run_desist(p, TICK, p_day, boost, rng)
    rng_ref = np.random.default_rng(seed)
    ref_n, ref = ref_desist(p, TICK, p_day, boost, rng_ref)
    assert n == ref_n
    assert_pools_equal(got, ref)
    assert rng.random() == rng_ref.random()  # one uniform per free offender
    check_stack(got)
    check_links(got)


@pytest.mark.parametrize("seed", SEEDS)
def test_domestic_abusers_do_not_desist(seed):
    """Domestic abusers keep their slot (ODD 7.17, 7.22): no draw, no desistance; the
    street offenders desist as before, with the same draws in slot order."""
    p = make_pool(seed)
    free = np.flatnonzero(p.o_state == FREE)
    dom = free[::3]
    p.o_kind[dom] = DOMESTIC_OFFENDER
    n, got = run_desist(p, TICK, 1.0, 1.0, np.random.default_rng(seed))
    assert n == free.size - dom.size
    assert (got.o_state[dom] == FREE).all()
    np.testing.assert_array_equal(got.o_resident[dom], p.o_resident[dom])
    check_stack(got)


def test_desist_extremes():
    p = make_pool(0)
    n, got = run_desist(p, TICK, 0.0, 3.0, np.random.default_rng(0))
    assert n == 0
    assert_pools_equal(got, p)
    n, got = run_desist(p, TICK, 1.0, 3.0, np.random.default_rng(0))  # boost capped at 1
    assert n == (p.o_state == FREE).sum()
    assert not (got.o_state == FREE).any()
    np.testing.assert_array_equal(got.o_state == JAILED, p.o_state == JAILED)  # jailed stay
    check_stack(got)
    check_links(got)


# --- transient burglars -------------------------------------------------------------------
def ref_spawn(p, cells, tick):
    out = copy_pool(p)
    n = 0
    for c in cells:
        slot = pop(out)
        if slot < 0:
            break
        out.o_state[slot] = FREE
        out.o_pos[slot] = c
        out.o_home[slot] = -1
        out.o_motivation[slot] = 1.0
        out.o_gang[slot] = NO_GANG
        out.o_resident[slot] = -1
        out.o_born[slot] = tick
        out.o_arrests[slot] = 0
        n += 1
    return n, out


def run_spawn(p, cells, tick):
    got = copy_pool(p)
    n = spawn(cells, tick, tuple(pool_arrays(got)))  # packed, as the model passes it
    return n, got


@pytest.mark.parametrize("seed", SEEDS)
def test_spawn_matches_reference(seed):
    p = make_pool(seed)
    g = np.random.default_rng(seed)
    for size in (0, 3, p.free_top[0] + 4):  # none, some, more than fit
        cells = g.integers(0, 20, size).astype(INT)
        n, got = run_spawn(p, cells, TICK)
        ref_n, ref = ref_spawn(p, cells, TICK)
        assert n == ref_n == min(size, p.free_top[0])
        assert_pools_equal(got, ref)
        check_stack(got)
        check_links(got)


def ref_remove(p, events, first, n_events):
    out = copy_pool(p)
    n = 0
    for e in range(first, n_events):
        i = events[e, EV_OFFENDER]
        if out.o_state[i] != DEAD:
            out.o_state[i] = DEAD
            r = out.o_resident[i]
            if r >= 0:  # a resident offender becomes an ordinary resident again
                out.offender_of[r] = -1
                out.o_resident[i] = -1
            push(out, i)
            n += 1
    return n, out


@pytest.mark.parametrize("seed", SEEDS)
def test_remove_transient_matches_reference(seed):
    p = make_pool(seed)
    live = np.flatnonzero(p.o_state != DEAD)  # resident offenders included
    g = np.random.default_rng(seed)
    events = np.zeros((12, N_EVENT_FIELDS), INT)
    events[:, EV_OFFENDER] = g.choice(live, 12)  # repeats: removed once
    got = copy_pool(p)
    n = remove_transient(events, 2, 10, got.o_state, got.o_resident, got.offender_of,
                         got.free_stack, got.free_top)
    ref_n, ref = ref_remove(p, events, 2, 10)
    assert n == ref_n == np.unique(events[2:10, EV_OFFENDER]).size
    assert_pools_equal(got, ref)
    check_stack(got)
    check_links(got)


# --- the stack through a random sequence of flows --------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_free_stack_stays_consistent(seed):
    p = make_pool(seed, capacity=40, n_res=80)
    g = np.random.default_rng(seed)
    rng = np.random.default_rng(seed + 100)
    check_stack(p)
    check_links(p)
    for day in range(30):
        tick = TICK + 24 * day
        release(p.o_state, p.o_release, tick)
        check_stack(p)
        free = np.flatnonzero(p.o_state == FREE)
        jail = free[g.random(free.size) < 0.1]  # as respond does
        p.o_state[jail] = JAILED
        p.o_release[jail] = tick + g.integers(1, 72, jail.size)
        desist(pool_arrays(p), p.offender_of, p.enrolled_until, tick, 0.05, 2.0, rng)
        check_stack(p)
        check_links(p)
        a = RECRUIT
        recruit(p.age, p.home, p.cell_deprivation, p.cell_district, p.legitimacy,
                p.enrolled_until, p.offender_of, p.gang_of_district, tick, 0.05,
                a["dep_gain"], np.full(64, float(a["gang_gain"])), a["programme_effect"],
                a["gang_join"],
                a["motivation_mean"], a["motivation_shape"], pool_arrays(p), rng)
        check_stack(p)
        check_links(p)
        spawn(g.integers(0, 20, g.poisson(2)).astype(INT), tick, tuple(pool_arrays(p)))
        check_stack(p)
        check_links(p)
        transient = np.flatnonzero((p.o_state != DEAD) & (p.o_resident < 0))
        events = np.zeros((4, N_EVENT_FIELDS), INT)
        if transient.size:
            events[:, EV_OFFENDER] = g.choice(transient, 4)
            remove_transient(events, 0, 4, p.o_state, p.o_resident, p.offender_of,
                             p.free_stack, p.free_top)
        check_stack(p)
        check_links(p)
        assert (p.offender_of >= -1).all()
