"""An offender pool with residents, and its invariants, for the flows kernels' tests.

Shared by test_flows.py and test_recruit.py: a consistent pool (states, free-slot
stack, links between offenders and residents), copies, and the checks that every DEAD
slot is on the free stack exactly once and that the links agree both ways.
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np

from sim.config import ADULT, DEAD, FREE, JAILED, NO_GANG, STREET_OFFENDER, YOUTH

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
    p.o_kind = np.full(capacity, STREET_OFFENDER, np.int8)  # tests may make some domestic
    return p


def pool_arrays(p):
    """The pool's arrays as the kernels' OffenderArrays (the same arrays, not copies)."""
    return containers.offenders(
        state=p.o_state, pos=p.o_pos, home=p.o_home, motivation=p.o_motivation, gang=p.o_gang,
        resident=p.o_resident, release=p.o_release, born=p.o_born, arrests=p.o_arrests,
        free_stack=p.free_stack, free_top=p.free_top, kind=p.o_kind)


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


#: Recruitment rates of the recruit tests (and of the random sequence of flows).
RECRUIT = dict(rate=0.4, dep_gain=1.5, gang_gain=0.8, programme_effect=0.5, gang_join=0.6,
               motivation_mean=1.2, motivation_shape=2.5)
