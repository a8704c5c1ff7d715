"""sim.kernels.routines (locate, bucket_public): placing residents from today's plan.

locate, from its docstring: a carried-over late evening first (``hour < early_end``),
then the daytime block (in public if it is an outing, or in its first and last hour:
commuting), then the evening outing, else at home; it counts residents in public per
cell and members at home per household. bucket_public: a counting sort of those in
public by cell, in resident order. Plans come from plan_day (day_plans.py).
"""


from __future__ import annotations

import numpy as np
import pytest
from day_plans import (
    PLAN_KEYS,
    SEEDS,
    WORK_END,
    WORK_START,
    key_for,
    random_case,
    run_plan_day,
)
from test_routes import ref_route_cell

from sim.config import ADULT, AT_ACTIVITY, AT_HOME, IN_PUBLIC
from sim.kernels.arrays import DayPlan
from sim.kernels.routines import (
    MIN_PLACE_BLOCK,
    bucket_public,
    locate,
    locate_and_bucket_parallel,
    place_residents,
)

# --- locate ---------------------------------------------------------------------------


def ref_locate(hour, home, household, plan, n_cells, n_households):
    n = home.shape[0]
    pos = np.empty(n, np.int64)
    state = np.empty(n, np.int8)
    for i in range(n):
        if hour < plan["early_end"][i]:
            pos[i], state[i] = plan["early_cell"][i], IN_PUBLIC
        elif plan["day_cell"][i] >= 0 and plan["day_start"][i] <= hour < plan["day_end"][i]:
            pos[i] = plan["day_cell"][i]
            commuting = hour in (plan["day_start"][i], plan["day_end"][i] - 1)
            state[i] = IN_PUBLIC if plan["day_public"][i] or commuting else AT_ACTIVITY
        elif plan["eve_cell"][i] >= 0 and plan["eve_start"][i] <= hour < plan["eve_end"][i]:
            pos[i], state[i] = plan["eve_cell"][i], IN_PUBLIC
        else:
            pos[i], state[i] = home[i], AT_HOME
    public = state == IN_PUBLIC
    public_count = np.bincount(pos[public], minlength=n_cells)
    household_home = np.bincount(household[state == AT_HOME], minlength=n_households)
    return pos, state, public_count, household_home, int(public.sum())


def planned_population(seed, n=120, weekend=False):
    c = random_case(seed, n=n, n_night=3)
    plan = run_plan_day(c, weekend, key_for(seed + 1))
    n_households = max(n // 3, 1)
    household = np.sort(np.random.default_rng(seed).integers(0, n_households, n))
    return c, plan, household, n_households


def ref_locate_routes(hour, home, household, plan, n_cells, n_households, width):
    """With route exposure: as ref_locate, but the first and last hour of each block
    away from home (and the last hour of a late evening carried over) are spent on the
    route (test_routes.ref_route_cell), travelling; everyone else is not travelling."""
    pos, state, _, _, _ = ref_locate(hour, home, household, plan, n_cells, n_households)
    travelling = np.zeros(home.shape[0], bool)
    for i in range(home.shape[0]):
        if hour < plan["early_end"][i]:
            travelling[i] = hour == plan["early_end"][i] - 1
        elif plan["day_cell"][i] >= 0 and plan["day_start"][i] <= hour < plan["day_end"][i]:
            travelling[i] = hour in (plan["day_start"][i], plan["day_end"][i] - 1)
        elif plan["eve_cell"][i] >= 0 and plan["eve_start"][i] <= hour < plan["eve_end"][i]:
            travelling[i] = hour in (plan["eve_start"][i], plan["eve_end"][i] - 1)
        if travelling[i]:
            pos[i] = ref_route_cell(int(home[i]), int(pos[i]), int(plan["route_frac"][i]),
                                    width)
            state[i] = IN_PUBLIC
    public = state == IN_PUBLIC
    public_count = np.bincount(pos[public], minlength=n_cells)
    household_home = np.bincount(household[state == AT_HOME], minlength=n_households)
    return pos, state, public_count, household_home, int(public.sum()), travelling


@pytest.mark.parametrize("seed", SEEDS)
def test_locate_with_routes_matches_reference_every_hour(seed):
    c = random_case(seed, n=150, n_night=3)
    plan = run_plan_day(c, seed % 2 == 0, key_for(seed + 1), routes=True)
    household = np.sort(np.random.default_rng(seed).integers(0, 50, 150))
    n_cells = c["width"] * c["height"]
    for hour in range(24):
        pos = np.full(150, -7, np.int64)
        state = np.full(150, 9, np.int8)
        public_count = np.full(n_cells, 5, np.int64)
        household_home = np.full(50, 5, np.int64)
        travelling = np.ones(150, np.bool_)
        n_public = locate(hour, c["home"], household,
                          DayPlan(**{k: plan[k] for k in PLAN_KEYS}), pos, state,
                          public_count, household_home, True, travelling, c["width"])
        want = ref_locate_routes(hour, c["home"], household, plan, n_cells, 50, c["width"])
        for g, e in zip((pos, state, public_count, household_home, n_public, travelling), want,
                        strict=True):
            np.testing.assert_array_equal(g, e)


def run_locate(hour, c, plan, household, n_households):
    n = c["age"].shape[0]
    n_cells = c["width"] * c["height"]
    pos = np.full(n, -7, np.int64)
    state = np.full(n, 9, np.int8)
    public_count = np.full(n_cells, 5, np.int64)  # garbage: must be cleared
    household_home = np.full(n_households, 5, np.int64)
    plan = {"route_frac": np.zeros(n, np.uint16), **plan}
    n_public = locate(hour, c["home"], household, DayPlan(**{k: plan[k] for k in PLAN_KEYS}),
                      pos, state, public_count, household_home, False,
                      np.zeros(n, np.bool_), c["width"])
    return pos, state, public_count, household_home, n_public


@pytest.mark.parametrize("weekend", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_locate_matches_reference_every_hour(seed, weekend):
    c, plan, household, n_households = planned_population(seed, weekend=weekend)
    n_cells = c["width"] * c["height"]
    for hour in range(24):
        got = run_locate(hour, c, plan, household, n_households)
        expected = ref_locate(hour, c["home"], household, plan, n_cells, n_households)
        for g, e in zip(got[:4], expected[:4], strict=True):
            np.testing.assert_array_equal(g, e)
        assert got[4] == expected[4]
        # consistency
        assert got[2].sum() == got[4] == (got[1] == IN_PUBLIC).sum()
        assert got[3].sum() == (got[1] == AT_HOME).sum()


def test_locate_worker_timeline():
    home, work = 3, 10
    plan = {
        "day_cell": np.array([work]), "day_start": np.array([WORK_START]),
        "day_end": np.array([WORK_END]), "day_public": np.array([False]),
        "eve_cell": np.array([20]), "eve_start": np.array([22]), "eve_end": np.array([26]),
        "early_cell": np.array([15]), "early_end": np.array([2]),
    }
    c = {"home": np.array([home]), "age": np.array([ADULT]), "width": 5, "height": 5}
    household = np.array([0])
    timeline = [run_locate(h, c, plan, household, 1)[:2] for h in range(24)]
    pos = [int(p[0]) for p, _ in timeline]
    state = [int(s[0]) for _, s in timeline]
    assert pos[:2] == [15, 15] and state[:2] == [IN_PUBLIC] * 2  # last night, past midnight
    assert pos[2:WORK_START] == [home] * (WORK_START - 2)
    assert state[2:WORK_START] == [AT_HOME] * (WORK_START - 2)
    assert pos[WORK_START:WORK_END] == [work] * (WORK_END - WORK_START)
    assert state[WORK_START] == IN_PUBLIC  # commuting
    assert state[WORK_START + 1:WORK_END - 1] == [AT_ACTIVITY] * (WORK_END - WORK_START - 2)
    assert state[WORK_END - 1] == IN_PUBLIC  # commuting
    assert pos[WORK_END:22] == [home] * (22 - WORK_END)
    assert pos[22:] == [20, 20] and state[22:] == [IN_PUBLIC] * 2


def test_locate_empty():
    e = np.zeros(0, np.int64)
    public_count = np.full(4, 3, np.int64)
    household_home = np.full(2, 3, np.int64)
    plan = DayPlan(e, e, e, np.zeros(0, np.bool_), e, e, e, e, e, np.zeros(0, np.uint16))
    n = locate(5, e, e, plan, e, np.zeros(0, np.int8), public_count, household_home, False,
               np.zeros(0, np.bool_), 4)
    assert n == 0
    np.testing.assert_array_equal(public_count, 0)
    np.testing.assert_array_equal(household_home, 0)


# --- bucket_public ----------------------------------------------------------------------


def ref_bucket(pos, state, n_cells):
    public = np.flatnonzero(state == IN_PUBLIC)
    count = np.bincount(pos[public], minlength=n_cells)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    order = public[np.argsort(pos[public], kind="stable")]
    return start, order


@pytest.mark.parametrize("seed", SEEDS)
def test_bucket_public_matches_reference(seed):
    rng = np.random.default_rng(seed)
    n, n_cells = int(rng.integers(0, 200)), int(rng.integers(1, 40))
    pos = rng.integers(0, n_cells, n)
    state = rng.choice(np.array([AT_HOME, AT_ACTIVITY, IN_PUBLIC], np.int8), n)
    public_count = np.bincount(pos[state == IN_PUBLIC], minlength=n_cells).astype(np.int64)
    start = np.full(n_cells, -1, np.int64)
    order = np.full(n, -1, np.int64)
    bucket_public(pos, state, public_count, start, order)
    exp_start, exp_order = ref_bucket(pos, state, n_cells)
    np.testing.assert_array_equal(start, exp_start)
    n_pub = exp_order.shape[0]
    np.testing.assert_array_equal(order[:n_pub], exp_order)
    # the documented access pattern
    for cell in range(n_cells):
        members = order[start[cell]:start[cell] + public_count[cell]]
        expected = np.flatnonzero((state == IN_PUBLIC) & (pos == cell))
        np.testing.assert_array_equal(members, expected)


@pytest.mark.parametrize("seed", SEEDS)
def test_locate_then_bucket(seed):
    c, plan, household, n_households = planned_population(seed)
    n = c["age"].shape[0]
    n_cells = c["width"] * c["height"]
    for hour in (0, WORK_START, 12, 20, 23):
        pos, state, public_count, _, n_public = run_locate(hour, c, plan, household,
                                                           n_households)
        start = np.zeros(n_cells, np.int64)
        order = np.full(n, -1, np.int64)
        bucket_public(pos, state, public_count, start, order)
        assert sorted(order[:n_public].tolist()) == np.flatnonzero(state == IN_PUBLIC).tolist()
        np.testing.assert_array_equal(order[n_public:], -1)
        for cell in np.flatnonzero(public_count):
            members = order[start[cell]:start[cell] + public_count[cell]]
            assert (pos[members] == cell).all()
            assert (np.diff(members) > 0).all()


def test_bucket_public_nobody_in_public():
    pos = np.array([0, 1, 2])
    state = np.full(3, AT_HOME, np.int8)
    start = np.full(3, -1, np.int64)
    order = np.full(3, -1, np.int64)
    bucket_public(pos, state, np.zeros(3, np.int64), start, order)
    np.testing.assert_array_equal(start, 0)
    np.testing.assert_array_equal(order, -1)


# --- the parallel placement -------------------------------------------------------------


def households_of(household, n_households):
    """hh_first, hh_size of a non-decreasing household array (members contiguous)."""
    size = np.bincount(household, minlength=n_households)
    return np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64), size


def run_parallel(hour, c, plan, household, n_households, routes, n_blocks):
    n = c["age"].shape[0]
    n_cells = c["width"] * c["height"]
    hh_first, hh_size = households_of(household, n_households)
    out = (np.full(n, -7, np.int64), np.full(n, 9, np.int8), np.full(n_cells, 5, np.int64),
           np.full(n_households, 5, np.int64), np.full(n_cells, -1, np.int64),
           np.full(n, -1, np.int64), np.zeros(n, np.bool_))
    pos, state, public_count, household_home, start, order, travelling = out
    n_public = locate_and_bucket_parallel(
        hour, c["home"], hh_first, hh_size, DayPlan(**{k: plan[k] for k in PLAN_KEYS}), pos,
        state, public_count, household_home, start, order, routes, travelling, c["width"],
        n_blocks)
    return out, n_public


@pytest.mark.parametrize("n_blocks", [1, 2, 3, 7])
@pytest.mark.parametrize("seed", SEEDS)
def test_parallel_placement_matches_the_numpy_twin(seed, n_blocks):
    """Any number of blocks: positions, counts, households at home and the stable order
    of those in public by cell (numpy: bincount, stable argsort) are the twin's."""
    routes = seed % 2 == 1
    n = 400
    c = random_case(seed, n=n, n_night=3)
    plan = run_plan_day(c, seed % 3 == 0, key_for(seed + 5), routes=routes)
    n_households = 150
    household = np.sort(np.random.default_rng(seed).integers(0, n_households, n))
    n_cells = c["width"] * c["height"]
    for hour in range(24):
        (pos, state, public_count, household_home, start, order, travelling), n_public = \
            run_parallel(hour, c, plan, household, n_households, routes, n_blocks)
        if routes:
            want = ref_locate_routes(hour, c["home"], household, plan, n_cells, n_households,
                                     c["width"])
            np.testing.assert_array_equal(travelling, want[5])
        else:
            want = ref_locate(hour, c["home"], household, plan, n_cells, n_households)
        for g, e in zip((pos, state, public_count, household_home, n_public), want[:5],
                        strict=True):
            np.testing.assert_array_equal(g, e)
        exp_start, exp_order = ref_bucket(pos, state, n_cells)
        np.testing.assert_array_equal(start, exp_start)
        np.testing.assert_array_equal(order[:n_public], exp_order)
        np.testing.assert_array_equal(order[n_public:], -1)


def test_place_residents_is_the_same_with_one_or_several_threads():
    """Above 2 * MIN_PLACE_BLOCK residents the model's kernel splits the work by thread
    count; the arrays must be those of the sequential kernels, bit for bit."""
    n = 2 * MIN_PLACE_BLOCK + 1234
    c = random_case(3, n=n, n_night=3)
    c["width"], c["height"] = 60, 50
    rng = np.random.default_rng(3)
    c["home"] = rng.integers(0, 3000, n)
    c["activity_cell"] = np.where(rng.random(n) < 0.7, rng.integers(0, 3000, n), -1)
    c["nearest_public"] = rng.integers(0, 3000, 3000)
    c["eve_cell"] = np.where(rng.random(n) < 0.5, rng.integers(0, 3000, n), -1)
    plan = run_plan_day(c, False, key_for(4), routes=True)
    packed = tuple(plan[k] for k in PLAN_KEYS)
    n_households = n // 3
    household = np.sort(rng.integers(0, n_households, n))
    hh_first, hh_size = households_of(household, n_households)
    results = []
    for threads in (1, 2, 3):
        outs = []
        for hour in (0, WORK_START, 12, 20):
            arrays = (np.zeros(n, np.int64), np.zeros(n, np.int8), np.zeros(3000, np.int64),
                      np.zeros(n_households, np.int64), np.zeros(3000, np.int64),
                      np.full(n, -1, np.int64), np.zeros(n, np.bool_))
            pos, state, count, at_home, start, order, travelling = arrays
            n_public = place_residents(hour, c["home"], household, hh_first, hh_size, packed,
                                       pos, state, count, at_home, start, order, True,
                                       travelling, c["width"], threads)
            outs.append((n_public, *arrays))
        results.append(outs)
    for outs in results[1:]:
        for got, want in zip(outs, results[0], strict=True):
            assert got[0] == want[0]
            for g, e in zip(got[1:], want[1:], strict=True):
                np.testing.assert_array_equal(g, e)
