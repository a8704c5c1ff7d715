"""sim.kernels.routines (plan_day, locate, bucket_public) against plain-Python references.

plan_day, from its docstring: six uniforms per resident, ``u[i] = (u0, ..., u5)``.
- A late evening from yesterday (``eve_end > 24``) is carried over to ``early_*``.
- Work/school day (weekday, has an activity cell, youth or employed): the daytime block
  is the activity cell from ``work_start`` to ``school_end`` (youth) or ``work_end``.
- Otherwise a daytime outing with probability ``day_out[age]`` (``u0``): a cell drawn
  uniformly from the square of side ``2 * local_radius + 1`` around home (``u1`` for x,
  ``u2`` for y), clamped to the grid, sent to its nearest public cell; it starts at
  ``10 + floor(6 u3)`` and lasts two hours, in public.
- An evening outing with probability ``evening_out[age]`` (``u4``). ``v = u5`` picks the
  destination: with ``v < nightlife_choice[age]`` (and nightlife cells to go to) the
  nightlife cell ``floor(v / choice * n_night)``; else a local outing, as by day, whose
  x uniform is ``v`` rescaled to [0, 1) and y uniform is ``u1``. It starts at
  ``evening_start + floor(2 u3)`` and lasts ``evening_hours[age]``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.config import ADULT, AT_ACTIVITY, AT_HOME, ELDERLY, IN_PUBLIC, YOUTH
from sim.kernels.arrays import DayPlan
from sim.kernels.routines import bucket_public, locate, plan_day

SEEDS = range(6)
WORK_START, WORK_END, SCHOOL_END, EVENING_START = 8, 17, 15, 19


def ref_near(home, radius, width, height, ux, uy):
    side = 2 * radius + 1
    x = min(max(home % width + math.floor(ux * side) - radius, 0), width - 1)
    y = min(max(home // width + math.floor(uy * side) - radius, 0), height - 1)
    return y * width + x


def ref_plan_day(c, weekend, u):
    """Reference plan for every resident; ``c`` is the case dict (inputs and yesterday)."""
    n = c["age"].shape[0]
    n_night = c["nightlife_cells"].shape[0]
    out = {k: [] for k in ("day_cell", "day_start", "day_end", "day_public", "eve_cell",
                           "eve_start", "eve_end", "early_cell", "early_end")}
    for i in range(n):
        g = int(c["age"][i])
        home = int(c["home"][i])
        u0, u1, u2, u3, u4, u5 = (float(v) for v in u[i])
        # carried-over late evening
        if c["eve_cell"][i] >= 0 and c["eve_end"][i] > 24:
            out["early_cell"].append(c["eve_cell"][i])
            out["early_end"].append(c["eve_end"][i] - 24)
        else:
            out["early_cell"].append(-1)
            out["early_end"].append(0)
        # daytime
        has_activity = c["activity_cell"][i] >= 0 and (g == YOUTH or c["employed"][i])
        if not weekend and has_activity:
            day = (c["activity_cell"][i], WORK_START,
                   SCHOOL_END if g == YOUTH else WORK_END, False)
        elif u0 < c["day_out"][g]:
            near = ref_near(home, c["radius"], c["width"], c["height"], u1, u2)
            start = 10 + math.floor(6 * u3)
            day = (c["nearest_public"][near], start, start + 2, True)
        else:
            day = (-1, 0, 0, False)
        for key, val in zip(("day_cell", "day_start", "day_end", "day_public"), day, strict=True):
            out[key].append(val)
        # evening
        if u4 < c["evening_out"][g]:
            choice = c["nightlife_choice"][g]
            if n_night > 0 and u5 < choice:
                cell = c["nightlife_cells"][math.floor(u5 / choice * n_night)]
            else:
                # Without nightlife streets every outing is local and u5 is uniform as is.
                ux = (u5 - choice) / (1 - choice) if n_night > 0 else u5
                near = ref_near(home, c["radius"], c["width"], c["height"], ux, u1)
                cell = c["nearest_public"][near]
            start = EVENING_START + math.floor(2 * u3)
            eve = (cell, start, start + c["evening_hours"][g])
        else:
            eve = (-1, 0, 0)
        for key, val in zip(("eve_cell", "eve_start", "eve_end"), eve, strict=True):
            out[key].append(val)
    return {k: np.array(v) for k, v in out.items()}


def random_case(seed, n=80, n_night=None, choice=None):
    rng = np.random.default_rng(seed)
    width, height = int(rng.integers(3, 15)), int(rng.integers(3, 15))
    n_cells = width * height
    if n_night is None:
        n_night = int(rng.integers(0, 6))
    nightlife_choice = rng.random(3) * 0.8 if choice is None else np.full(3, choice)
    return {
        "width": width,
        "height": height,
        "radius": int(rng.integers(0, 4)),
        "age": rng.choice(np.array([YOUTH, ADULT, ELDERLY], np.int64), n),
        "employed": rng.random(n) < 0.6,
        "home": rng.integers(0, n_cells, n),
        "activity_cell": np.where(rng.random(n) < 0.7, rng.integers(0, n_cells, n), -1),
        "day_out": rng.random(3),
        "evening_out": rng.random(3),
        "evening_hours": rng.integers(1, 8, 3),
        "nightlife_choice": nightlife_choice,
        "nearest_public": rng.integers(0, n_cells, n_cells),
        "nightlife_cells": rng.choice(n_cells, min(n_night, n_cells), replace=False),
        # yesterday's evening (some past midnight)
        "eve_cell": np.where(rng.random(n) < 0.5, rng.integers(0, n_cells, n), -1),
        "eve_end": rng.integers(18, 29, n),
    }


PLAN_KEYS = ("day_cell", "day_start", "day_end", "day_public", "eve_cell", "eve_start",
             "eve_end", "early_cell", "early_end")


def run_plan_day(c, weekend, u):
    n = c["age"].shape[0]
    out = {
        "day_cell": np.full(n, 99, np.int64), "day_start": np.full(n, 99, np.int64),
        "day_end": np.full(n, 99, np.int64), "day_public": np.ones(n, np.bool_),
        "eve_cell": c["eve_cell"].copy(), "eve_start": np.full(n, 99, np.int64),
        "eve_end": c["eve_end"].copy(), "early_cell": np.full(n, 99, np.int64),
        "early_end": np.full(n, 99, np.int64),
    }
    plan_day(c["age"], c["employed"], c["home"], c["activity_cell"], weekend, u, WORK_START,
             WORK_END, SCHOOL_END, EVENING_START, c["day_out"], c["evening_out"],
             c["evening_hours"], c["nightlife_choice"], c["radius"], c["nearest_public"],
             c["nightlife_cells"], c["width"], c["height"], DayPlan(**out))
    return out


def assert_plans_equal(got, expected):
    for k in PLAN_KEYS:
        np.testing.assert_array_equal(got[k], expected[k], err_msg=k)


@pytest.mark.parametrize("weekend", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_matches_reference(seed, weekend):
    c = random_case(seed, n_night=3)
    u = np.random.default_rng(seed + 10).random((c["age"].shape[0], 6))
    assert_plans_equal(run_plan_day(c, weekend, u), ref_plan_day(c, weekend, u))


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_no_nightlife_and_no_nightlife_choice(seed):
    c = random_case(seed, n_night=0, choice=0.0)
    u = np.random.default_rng(seed).random((c["age"].shape[0], 6))
    assert_plans_equal(run_plan_day(c, False, u), ref_plan_day(c, False, u))


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_all_nightlife(seed):
    c = random_case(seed, n_night=4, choice=1.0)
    c["evening_out"][:] = 1.0
    u = np.random.default_rng(seed).random((c["age"].shape[0], 6))
    got = run_plan_day(c, True, u)
    assert_plans_equal(got, ref_plan_day(c, True, u))
    assert np.isin(got["eve_cell"], c["nightlife_cells"]).all()


def no_nightlife_outings(seed, n=400):
    """Everybody goes out day and evening; no nightlife cells; every cell is public."""
    c = random_case(seed, n=n, n_night=0, choice=0.6)
    c["width"], c["height"], c["radius"] = 30, 30, 1
    c["home"] = np.random.default_rng(seed).integers(0, 900, n)
    c["activity_cell"][:] = -1
    c["nearest_public"] = np.arange(900)  # destination == the drawn cell
    c["eve_cell"][:] = -1
    c["evening_out"][:] = 1.0
    c["day_out"][:] = 1.0
    u = np.random.default_rng(seed).random((n, 6))
    got = run_plan_day(c, True, u)
    x, y = got["eve_cell"] % 30, got["eve_cell"] // 30
    hx, hy = c["home"] % 30, c["home"] // 30
    eve_dist = np.maximum(np.abs(x - hx), np.abs(y - hy))
    x, y = got["day_cell"] % 30, got["day_cell"] // 30
    day_dist = np.maximum(np.abs(x - hx), np.abs(y - hy))
    return day_dist, eve_dist


def test_plan_day_day_outings_stay_within_radius_without_nightlife():
    day_dist, _ = no_nightlife_outings(0)
    assert (day_dist <= 1).all()


def test_plan_day_evening_outings_stay_within_radius_without_nightlife():
    """Documented: "Local outings stay within this many cells of home"; with no nightlife
    cells every evening outing is local."""
    _, eve_dist = no_nightlife_outings(0)
    assert (eve_dist <= 1).all(), np.bincount(eve_dist)


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_local_outings_stay_within_radius_with_nightlife(seed):
    c = random_case(seed, n=200, n_night=2, choice=0.6)
    width = c["width"]
    c["nearest_public"] = np.arange(width * c["height"])
    c["activity_cell"][:] = -1
    c["evening_out"][:] = 1.0
    c["day_out"][:] = 1.0
    u = np.random.default_rng(seed).random((200, 6))
    got = run_plan_day(c, True, u)
    hx, hy = c["home"] % width, c["home"] // width
    for key in ("day_cell", "eve_cell"):
        local = ~np.isin(got[key], c["nightlife_cells"]) if key == "eve_cell" else slice(None)
        x, y = got[key] % width, got[key] // width
        dist = np.maximum(np.abs(x - hx), np.abs(y - hy))[local]
        assert (dist <= c["radius"]).all(), key


def test_plan_day_properties():
    c = random_case(1, n=300, n_night=3)
    u = np.random.default_rng(2).random((300, 6))
    yesterday_cell, yesterday_end = c["eve_cell"].copy(), c["eve_end"].copy()
    got = run_plan_day(c, False, u)
    # carry-over
    late = (yesterday_cell >= 0) & (yesterday_end > 24)
    np.testing.assert_array_equal(got["early_cell"][late], yesterday_cell[late])
    np.testing.assert_array_equal(got["early_end"][late], yesterday_end[late] - 24)
    np.testing.assert_array_equal(got["early_cell"][~late], -1)
    np.testing.assert_array_equal(got["early_end"][~late], 0)
    # workers and pupils on a weekday
    age, emp, act = c["age"], c["employed"], c["activity_cell"]
    works = (act >= 0) & ((age == YOUTH) | emp)
    np.testing.assert_array_equal(got["day_cell"][works], act[works])
    np.testing.assert_array_equal(got["day_start"][works], WORK_START)
    np.testing.assert_array_equal(got["day_end"][works & (age == YOUTH)], SCHOOL_END)
    np.testing.assert_array_equal(got["day_end"][works & (age != YOUTH)], WORK_END)
    assert not got["day_public"][works].any()
    # outings are two hours from 10-15, in public
    out = ~works & (got["day_cell"] >= 0)
    assert got["day_public"][out].all()
    assert ((got["day_start"][out] >= 10) & (got["day_start"][out] <= 15)).all()
    np.testing.assert_array_equal(got["day_end"][out] - got["day_start"][out], 2)
    stay = got["day_cell"] < 0
    assert not got["day_public"][stay].any()
    # evenings
    eve = got["eve_cell"] >= 0
    assert ((got["eve_start"][eve] == EVENING_START)
            | (got["eve_start"][eve] == EVENING_START + 1)).all()
    np.testing.assert_array_equal(got["eve_end"][eve] - got["eve_start"][eve],
                                  c["evening_hours"][age[eve]])
    np.testing.assert_array_equal(got["eve_end"][~eve], 0)


def test_plan_day_zero_rates_means_home_all_day():
    c = random_case(4, n=50, n_night=2)
    c["day_out"][:] = 0.0
    c["evening_out"][:] = 0.0
    c["eve_cell"][:] = -1
    u = np.random.default_rng(0).random((50, 6))
    got = run_plan_day(c, True, u)
    np.testing.assert_array_equal(got["day_cell"], -1)
    np.testing.assert_array_equal(got["eve_cell"], -1)
    np.testing.assert_array_equal(got["early_cell"], -1)
    assert not got["day_public"].any()


def test_plan_day_empty_population():
    c = random_case(0, n=0)
    got = run_plan_day(c, False, np.zeros((0, 6)))
    for k in PLAN_KEYS:
        assert got[k].shape == (0,)


def test_plan_day_nightlife_choice_is_uniform_over_cells():
    n = 20_000
    c = random_case(5, n=n, n_night=5, choice=0.5)
    c["evening_out"][:] = 1.0
    u = np.random.default_rng(3).random((n, 6))
    got = run_plan_day(c, True, u)
    counts = np.array([(got["eve_cell"] == k).sum() for k in c["nightlife_cells"]])
    expected = n * 0.5 / 5
    # local outings can land on a nightlife cell too (nearest_public is random): allow that
    assert (counts >= expected - 5 * np.sqrt(expected)).all()
    np.testing.assert_allclose(counts.sum() / n, 0.5, atol=0.05)


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
    u = np.random.default_rng(seed + 1).random((n, 6))
    plan = run_plan_day(c, weekend, u)
    n_households = max(n // 3, 1)
    household = np.sort(np.random.default_rng(seed).integers(0, n_households, n))
    return c, plan, household, n_households


def run_locate(hour, c, plan, household, n_households):
    n = c["age"].shape[0]
    n_cells = c["width"] * c["height"]
    pos = np.full(n, -7, np.int64)
    state = np.full(n, 9, np.int8)
    public_count = np.full(n_cells, 5, np.int64)  # garbage: must be cleared
    household_home = np.full(n_households, 5, np.int64)
    n_public = locate(hour, c["home"], household, DayPlan(**{k: plan[k] for k in PLAN_KEYS}),
                      pos, state, public_count, household_home)
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
    plan = DayPlan(e, e, e, np.zeros(0, np.bool_), e, e, e, e, e)
    n = locate(5, e, e, plan, e, np.zeros(0, np.int8), public_count, household_home)
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
