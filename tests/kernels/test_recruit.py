"""sim.kernels.flows.recruit against a plain-numpy reference written from its docstring.

- recruit: hazard ``rate * (1 + dep_gain * deprivation) * (1 + gang_gain[g] * territory)
  * (1 - legitimacy) * (1 - programme effect)`` per day, p = 1 - exp(-hazard); draws:
  one uniform per eligible youth, then per recruit a gamma motivation (shape, mean /
  shape) and one uniform for gang joining (joins the district's gang with gang_join).
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
)

from sim.config import DEAD, FREE, NO_GANG, YOUTH
from sim.kernels.flows import recruit

# --- recruit ------------------------------------------------------------------------------


def run_recruit(p, tick, rng, **kw):
    a = {**RECRUIT, **kw}
    got = copy_pool(p)
    n = recruit(got.age, got.home, got.cell_deprivation, got.cell_district, got.legitimacy,
                got.enrolled_until, got.offender_of, got.gang_of_district, tick, a["rate"],
                a["dep_gain"], gains(a["gang_gain"]), a["programme_effect"], a["gang_join"],
                a["motivation_mean"], a["motivation_shape"], pool_arrays(got), rng)
    return n, got


def gains(gang_gain):
    """One gain per gang (gang ids < 64): a scalar is every gang's gain."""
    return np.broadcast_to(np.asarray(gang_gain, float), (64,)).copy()


def recruit_hazard(p, i, tick, a):
    g = p.gang_of_district[p.home_district[i]]
    territory = g != NO_GANG
    enrolled = p.enrolled_until[i] > tick
    gain = gains(a["gang_gain"])[g] if territory else 0.0
    return (a["rate"] * (1 + a["dep_gain"] * p.home_deprivation[i])
            * (1 + gain * territory) * (1 - p.legitimacy[i])
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


@pytest.mark.parametrize("seed", SEEDS)
def test_recruit_gain_is_each_gangs_own(seed):
    """The illicit market gives each gang its own gain (sim.crime.market.gains)."""
    p = make_pool(seed)
    p.gang_of_district = np.array([0, 1, 1, 0], INT)
    gain = np.zeros(64)
    gain[0], gain[1] = 0.1, 6.0
    compare_recruit(p, seed, gang_gain=gain)


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
