"""sim.kernels.flows (release, desist, recruit, remove_transient, spawn) against
plain-numpy references written from the docstrings, and the free-slot stack invariant:
every DEAD slot is in ``free_stack[:free_top[0]]`` exactly once, and nothing else is.

- recruit: hazard ``rate * (1 + dep_gain * deprivation) * (1 + gang_gain * territory)
  * (1 - legitimacy) * (1 - programme effect)`` per day, p = 1 - exp(-hazard); draws:
  one uniform per eligible youth, then per recruit a gamma motivation (shape, mean /
  shape) and one uniform for gang joining (joins the district's gang with gang_join).
- desist: one uniform per free offender, p_day (times boost while enrolled, at most 1).
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np
import pytest

from sim.config import ADULT, DEAD, EV_OFFENDER, FREE, JAILED, N_EVENT_FIELDS, NO_GANG, YOUTH
from sim.kernels.flows import desist, recruit, release, remove_transient, spawn

INT = np.int64
SEEDS = range(8)
TICK = 240


# --- pool ---------------------------------------------------------------------------------
def make_pool(seed, capacity=30, n_res=60, n_districts=4, n_gangs=2):
    """A consistent offender pool and resident arrays (states, stack and links)."""
    g = np.random.default_rng(400 + seed)
    p = SimpleNamespace(capacity=capacity)
    p.o_state = g.choice(np.array([DEAD, FREE, FREE, JAILED], np.int8), capacity)
    p.o_pos = g.integers(0, 20, capacity).astype(INT)
    p.o_home = g.integers(-1, 20, capacity).astype(INT)
    p.o_motivation = g.uniform(0.1, 2.0, capacity)
    p.o_gang = g.integers(-1, n_gangs, capacity).astype(INT)
    p.o_resident = np.full(capacity, -1, INT)
    p.o_born = g.integers(0, TICK, capacity).astype(INT)
    p.o_arrests = g.integers(0, 4, capacity).astype(INT)  # reused slots must be reset
    p.o_release = TICK + g.integers(-5, 6, capacity).astype(INT)
    dead = np.flatnonzero(p.o_state == DEAD)
    p.free_stack = np.full(capacity, -99, INT)  # garbage above the top
    p.free_stack[: dead.size] = g.permutation(dead)
    p.free_top = np.array([dead.size], INT)
    # residents; some of the live offenders are residents
    p.age = g.choice(np.array([YOUTH, YOUTH, ADULT, 2], np.int8), n_res)
    p.home = g.integers(0, 20, n_res).astype(INT)
    p.cell_deprivation = g.uniform(0.0, 1.0, 20)  # the city's layers, read through homes
    p.cell_district = g.integers(0, n_districts, 20).astype(INT)
    p.home_deprivation = p.cell_deprivation[p.home]
    p.home_district = p.cell_district[p.home]
    p.legitimacy = g.uniform(0.0, 1.0, n_res)
    p.enrolled_until = np.where(g.random(n_res) < 0.3, TICK + 10, 0).astype(INT)
    p.offender_of = np.full(n_res, -1, INT)
    live = np.flatnonzero(p.o_state != DEAD)
    linked = live[g.random(live.size) < 0.6]
    who = g.choice(n_res, linked.size, replace=False)
    p.o_resident[linked] = who
    p.offender_of[who] = linked
    p.gang_of_district = np.array([0, NO_GANG, 1, NO_GANG][:n_districts], INT)
    return p


def pool_arrays(p):
    """The pool's arrays as the kernels' OffenderArrays (the same arrays, not copies)."""
    return containers.offenders(
        state=p.o_state, pos=p.o_pos, home=p.o_home, motivation=p.o_motivation, gang=p.o_gang,
        resident=p.o_resident, release=p.o_release, born=p.o_born, arrests=p.o_arrests,
        free_stack=p.free_stack, free_top=p.free_top)


def copy_pool(p):
    return SimpleNamespace(**{k: (v.copy() if isinstance(v, np.ndarray) else v)
                              for k, v in vars(p).items()})


def check_stack(p):
    stack = p.free_stack[: p.free_top[0]]
    assert 0 <= p.free_top[0] <= p.capacity
    assert np.unique(stack).size == stack.size, "a slot is on the free stack twice"
    np.testing.assert_array_equal(np.sort(stack), np.flatnonzero(p.o_state == DEAD))


def check_links(p):
    for slot in np.flatnonzero(p.o_resident >= 0):
        assert p.o_state[slot] != DEAD
        assert p.offender_of[p.o_resident[slot]] == slot
    for r in np.flatnonzero(p.offender_of >= 0):
        assert p.o_resident[p.offender_of[r]] == r


def pop(p):
    if p.free_top[0] == 0:
        return -1
    p.free_top[0] -= 1
    return p.free_stack[p.free_top[0]]


def push(p, slot):
    p.free_stack[p.free_top[0]] = slot
    p.free_top[0] += 1


def assert_pools_equal(a, b):
    for name in ("o_state", "o_pos", "o_home", "o_gang", "o_resident", "o_born", "o_arrests",
                 "o_release", "offender_of", "free_top"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.free_stack[: a.free_top[0]], b.free_stack[: b.free_top[0]])
    np.testing.assert_allclose(a.o_motivation, b.o_motivation, rtol=1e-12, atol=0)


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


# --- recruit ------------------------------------------------------------------------------
RECRUIT = dict(rate=0.4, dep_gain=1.5, gang_gain=0.8, programme_effect=0.5, gang_join=0.6,
               motivation_mean=1.2, motivation_shape=2.5)


def run_recruit(p, tick, rng, **kw):
    a = {**RECRUIT, **kw}
    got = copy_pool(p)
    n = recruit(got.age, got.home, got.cell_deprivation, got.cell_district, got.legitimacy,
                got.enrolled_until, got.offender_of, got.gang_of_district, tick, a["rate"],
                a["dep_gain"], a["gang_gain"], a["programme_effect"], a["gang_join"],
                a["motivation_mean"], a["motivation_shape"], pool_arrays(got), rng)
    return n, got


def recruit_hazard(p, i, tick, a):
    territory = p.gang_of_district[p.home_district[i]] != NO_GANG
    enrolled = p.enrolled_until[i] > tick
    return (a["rate"] * (1 + a["dep_gain"] * p.home_deprivation[i])
            * (1 + a["gang_gain"] * territory) * (1 - p.legitimacy[i])
            * (1 - a["programme_effect"] * enrolled))


def ref_recruit(p, tick, rng, **kw):
    a = {**RECRUIT, **kw}
    out = copy_pool(p)
    n = 0
    for i in range(p.age.size):
        if p.age[i] != YOUTH or out.offender_of[i] >= 0:
            continue
        if not rng.random() < 1.0 - np.exp(-recruit_hazard(p, i, tick, a)):
            continue
        slot = pop(out)
        if slot < 0:
            break
        g = p.gang_of_district[p.home_district[i]]
        out.o_state[slot] = FREE
        out.o_pos[slot] = out.o_home[slot] = p.home[i]
        out.o_motivation[slot] = rng.gamma(a["motivation_shape"],
                                           a["motivation_mean"] / a["motivation_shape"])
        # "in gang territory, one uniform for gang joining"
        joins = g != NO_GANG and rng.random() < a["gang_join"]
        out.o_gang[slot] = g if joins else NO_GANG
        out.o_resident[slot] = i
        out.o_born[slot] = tick
        out.o_arrests[slot] = 0
        out.offender_of[i] = slot
        n += 1
    return n, out


def compare_recruit(p, seed, **kw):
    rng = np.random.default_rng(seed)
    n, got = run_recruit(p, TICK, rng, **kw)
    rng_ref = np.random.default_rng(seed)
    ref_n, ref = ref_recruit(p, TICK, rng_ref, **kw)
    assert n == ref_n
    assert_pools_equal(got, ref)
    assert rng.random() == rng_ref.random()
    check_stack(got)
    check_links(got)
    return n


@pytest.mark.parametrize("seed", SEEDS)
def test_recruit_in_gang_territory_matches_reference(seed):
    p = make_pool(seed)
    p.gang_of_district = np.array([0, 1, 1, 0], INT)  # every district held by a gang
    assert compare_recruit(p, seed) > 0


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_recruit_matches_reference(seed):
    p = make_pool(seed)  # districts 1 and 3 hold no gang
    compare_recruit(p, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_recruit_outside_territory_properties(seed):
    p = make_pool(seed)
    p.gang_of_district[:] = NO_GANG
    n, got = run_recruit(p, TICK, np.random.default_rng(seed), rate=5.0)
    new = np.flatnonzero((got.offender_of >= 0) & (p.offender_of < 0))
    assert n == new.size > 0
    slots = got.offender_of[new]
    assert (p.age[new] == YOUTH).all()
    assert (p.o_state[slots] == DEAD).all()  # recruits take free slots
    assert (got.o_state[slots] == FREE).all()
    assert (got.o_gang[slots] == NO_GANG).all()
    np.testing.assert_array_equal(got.o_home[slots], p.home[new])
    np.testing.assert_array_equal(got.o_pos[slots], p.home[new])
    assert (got.o_born[slots] == TICK).all() and (got.o_motivation[slots] > 0).all()
    check_stack(got)
    check_links(got)


def test_recruitment_probability_is_one_minus_exp_hazard():
    n_res = 30_000
    p = make_pool(0, capacity=n_res, n_res=n_res)
    p.o_state[:] = DEAD
    p.free_stack = np.arange(n_res, dtype=INT)
    p.free_top[0] = n_res
    p.o_resident[:] = -1
    p.offender_of[:] = -1
    p.age[:] = YOUTH
    p.gang_of_district[:] = NO_GANG
    p.home_deprivation[:] = 0.5
    p.legitimacy[:] = 0.4
    p.enrolled_until[:] = 0
    n, _ = run_recruit(p, TICK, np.random.default_rng(1))
    prob = 1 - np.exp(-RECRUIT["rate"] * (1 + RECRUIT["dep_gain"] * 0.5) * 0.6)
    assert abs(n - n_res * prob) < 5 * np.sqrt(n_res * prob * (1 - prob))


def test_recruit_stops_quietly_when_the_pool_is_full():
    p = make_pool(1)
    p.free_top[0] = 0
    p.o_state[p.o_state == DEAD] = FREE
    n, got = run_recruit(p, TICK, np.random.default_rng(0), rate=50.0)
    assert n == 0
    assert_pools_equal(got, p)


def test_nobody_recruited_at_full_legitimacy_or_zero_rate():
    p = make_pool(2)
    n, _ = run_recruit(p, TICK, np.random.default_rng(0), rate=0.0)
    assert n == 0
    p.legitimacy[:] = 1.0
    n, _ = run_recruit(p, TICK, np.random.default_rng(0))
    assert n == 0


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
                a["dep_gain"], a["gang_gain"], a["programme_effect"], a["gang_join"],
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
