"""sim.kernels.routines.plan_day against a plain-Python reference (placement: test_placement.py).

plan_day, from its docstring: resident ``i``'s uniforms ``u0 .. u5`` are draws 0-5 of its
counter stream under the day's key (sim.kernels.counter_rng; the twin: counter_twin.py).
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

import numba
import numpy as np
import pytest
from counter_twin import twin_uniforms
from day_plans import (
    EVENING_START,
    PLAN_KEYS,
    SCHOOL_END,
    SEEDS,
    WORK_END,
    WORK_START,
    assert_plans_equal,
    key_for,
    random_case,
    ref_plan_day,
    run_plan_day,
)

from sim.config import FEAR_SCALE, YOUTH
from sim.kernels.gravity import build_gravity
from sim.kernels.routines import PLAN_BLOCK


@pytest.mark.parametrize("weekend", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_matches_reference(seed, weekend):
    c = random_case(seed, n_night=3)
    key = key_for(seed + 10)
    assert_plans_equal(run_plan_day(c, weekend, key), ref_plan_day(c, weekend, key))


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_no_nightlife_and_no_nightlife_choice(seed):
    c = random_case(seed, n_night=0, choice=0.0)
    key = key_for(seed)
    assert_plans_equal(run_plan_day(c, False, key), ref_plan_day(c, False, key))


@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_all_nightlife(seed):
    c = random_case(seed, n_night=4, choice=1.0)
    c["evening_out"][:] = 1.0
    key = key_for(seed)
    got = run_plan_day(c, True, key)
    assert_plans_equal(got, ref_plan_day(c, True, key))
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
    key = key_for(seed)
    got = run_plan_day(c, True, key)
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
    key = key_for(seed)
    got = run_plan_day(c, True, key)
    hx, hy = c["home"] % width, c["home"] // width
    for key in ("day_cell", "eve_cell"):
        local = ~np.isin(got[key], c["nightlife_cells"]) if key == "eve_cell" else slice(None)
        x, y = got[key] % width, got[key] // width
        dist = np.maximum(np.abs(x - hx), np.abs(y - hy))[local]
        assert (dist <= c["radius"]).all(), key


def test_plan_day_properties():
    c = random_case(1, n=300, n_night=3)
    key = key_for(2)
    yesterday_cell, yesterday_end = c["eve_cell"].copy(), c["eve_end"].copy()
    got = run_plan_day(c, False, key)
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
    key = key_for(0)
    got = run_plan_day(c, True, key)
    np.testing.assert_array_equal(got["day_cell"], -1)
    np.testing.assert_array_equal(got["eve_cell"], -1)
    np.testing.assert_array_equal(got["early_cell"], -1)
    assert not got["day_public"].any()


def test_plan_day_empty_population():
    c = random_case(0, n=0)
    got = run_plan_day(c, False, key_for(0))
    for k in PLAN_KEYS:
        assert got[k].shape == (0,)


def test_plan_day_nightlife_choice_is_uniform_over_cells():
    n = 20_000
    c = random_case(5, n=n, n_night=5, choice=0.5)
    c["evening_out"][:] = 1.0
    key = key_for(3)
    got = run_plan_day(c, True, key)
    counts = np.array([(got["eve_cell"] == k).sum() for k in c["nightlife_cells"]])
    expected = n * 0.5 / 5
    # local outings can land on a nightlife cell too (nearest_public is random): allow that
    assert (counts >= expected - 5 * np.sqrt(expected)).all()
    np.testing.assert_allclose(counts.sum() / n, 0.5, atol=0.05)


# --- gravity destinations, routes and fear (the newer rules) ---------------------------
def gravity_case(seed, n=150):
    """A case with places of both kinds, their gravity tables, and the twin's inputs."""
    c = random_case(seed, n=n, n_night=3)
    rng = np.random.default_rng(seed + 50)
    n_cells = c["width"] * c["height"]
    c["female"] = rng.random(n) < 0.5
    c["marginalised"] = rng.random(n) < 0.2
    local = np.where(rng.random(n_cells) < 0.3, rng.uniform(0.5, 2.0, n_cells), 0.0)
    night = np.zeros(n_cells)
    night[c["nightlife_cells"]] = rng.uniform(0.5, 2.0, c["nightlife_cells"].shape[0])
    beta, d0 = float(rng.uniform(0.5, 3.0)), float(rng.uniform(0.3, 2.0))
    max_entries = int(rng.integers(1, 200))
    tables = tuple(build_gravity(a, c["width"], c["height"], beta, d0, max_entries)
                   for a in (local, night))
    return c, (local, night, beta, d0, tables[0].block), tables


@pytest.mark.parametrize("weekend", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_plan_day_gravity_routes_and_fear_match_reference(seed, weekend):
    c, twin, tables = gravity_case(seed)
    n = c["age"].shape[0]
    rng = np.random.default_rng(seed + 7)
    key = key_for(seed + 70)
    fear = rng.integers(0, 65536, n).astype(np.uint16)
    avoid = (float(rng.random()), float(rng.random()))
    avoided = np.zeros(7, np.int64)
    got = run_plan_day(c, weekend, key, gravity=True, tables=tables, routes=True, avoid=avoid,
                       fear=fear, avoided=avoided)
    want = ref_plan_day(c, weekend, key, gravity=twin, routes=True, fear=fear / FEAR_SCALE,
                        avoid=avoid)
    assert_plans_equal(got, want)
    np.testing.assert_array_equal(avoided, want["avoided"])


@pytest.mark.parametrize("seed", SEEDS)
def test_no_fear_or_no_avoidance_changes_nothing(seed):
    """avoid = 0 with fear, or fear = 0 with avoid: the first release's plans, no counts."""
    c = random_case(seed, n=200, n_night=3)
    key = key_for(seed)
    want = run_plan_day(c, False, key)
    fear = np.random.default_rng(seed).integers(0, 65536, 200).astype(np.uint16)
    for kwargs in ({"fear": fear}, {"avoid": (1.0, 1.0)}):
        avoided = np.zeros(7, np.int64)
        assert_plans_equal(run_plan_day(c, False, key, avoided=avoided, **kwargs), want)
        assert not avoided.any()


def test_avoided_outings_follow_fear():
    """Everyone afraid (fear 1), avoid 0.5: half the outings are skipped, and counted."""
    n = 20_000
    c = random_case(3, n=n, n_night=2)
    c["activity_cell"][:] = -1
    c["day_out"][:] = 0.6
    c["evening_out"][:] = 0.4
    c["female"] = np.arange(n) % 2 == 0
    key = key_for(4)
    avoided = np.zeros(7, np.int64)
    got = run_plan_day(c, True, key, fear=np.full(n, 65535, np.uint16), avoid=(0.5, 0.25),
                       avoided=avoided)
    day_share = (got["day_cell"] >= 0).mean()
    eve_share = (got["eve_cell"] >= 0).mean()
    for share, p in ((day_share, 0.3), (eve_share, 0.3)):
        assert abs(share - p) <= 4.5 * np.sqrt(p * (1 - p) / n)
    expected = n * (0.6 * 0.5 + 0.4 * 0.25)  # the outings in [p (1 - avoid), p)
    assert abs(avoided[0] - expected) <= 4.5 * np.sqrt(expected)
    assert avoided[0] == avoided[1:4].sum() == avoided[4] + avoided[5]
    assert avoided[6] == 0


def test_routes_lengthen_outings_by_the_two_journeys():
    c = random_case(2, n=300, n_night=2)
    key = key_for(5)
    plain = run_plan_day(c, True, key)
    routed = run_plan_day(c, True, key, routes=True)
    for name in ("day_cell", "eve_cell", "day_start", "eve_start"):
        np.testing.assert_array_equal(routed[name], plain[name])
    out = plain["day_cell"] >= 0
    np.testing.assert_array_equal(routed["day_end"][out], plain["day_end"][out] + 2)
    eve = plain["eve_cell"] >= 0
    np.testing.assert_array_equal(routed["eve_end"][eve], plain["eve_end"][eve] + 2)
    np.testing.assert_array_equal(routed["route_frac"],
                                  np.floor(twin_uniforms(key, 300, 7)[:, 6] * 65536))


# --- the parallel plan: blocks of PLAN_BLOCK residents, any thread count ---------------
def test_plans_over_several_blocks_match_reference_with_any_thread_count():
    """Three blocks and a bit: the plans and the avoided counts are the reference's
    (the counter stream keyed by the day and the resident), with 1 thread and with all."""
    n = 3 * PLAN_BLOCK + 17
    c, twin, tables = gravity_case(8, n=n)
    fear = np.random.default_rng(8).integers(0, 65536, n).astype(np.uint16)
    key = key_for(88)
    want = ref_plan_day(c, False, key, gravity=twin, routes=True, fear=fear / FEAR_SCALE,
                        avoid=(0.4, 0.6))
    threads = numba.get_num_threads()
    try:
        for t in sorted({1, threads}):
            numba.set_num_threads(t)
            avoided = np.zeros(7, np.int64)
            got = run_plan_day(c, False, key, gravity=True, tables=tables, routes=True,
                               avoid=(0.4, 0.6), fear=fear, avoided=avoided)
            assert_plans_equal(got, want)
            np.testing.assert_array_equal(avoided, want["avoided"])
    finally:
        numba.set_num_threads(threads)
    avoided = np.zeros(7, np.int64)
    got = run_plan_day(c, False, key, gravity=True, tables=tables, routes=True,
                       avoid=(0.4, 0.6), fear=fear, avoided=avoided, serial=True)
    assert_plans_equal(got, want)  # the serial kernel (small populations): the same
    np.testing.assert_array_equal(avoided, want["avoided"])
