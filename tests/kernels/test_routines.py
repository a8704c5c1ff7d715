"""sim.kernels.routines.plan_day against a plain-Python reference (placement: test_placement.py).

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

import numpy as np
import pytest
from day_plans import (
    EVENING_START,
    PLAN_KEYS,
    SCHOOL_END,
    SEEDS,
    WORK_END,
    WORK_START,
    assert_plans_equal,
    random_case,
    ref_plan_day,
    run_plan_day,
)

from sim.config import YOUTH


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
