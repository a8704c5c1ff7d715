"""Random residents, the plain-Python reference of plan_day, and a plan runner.

Shared by test_routines.py (plan_day) and test_placement.py (locate, bucket_public,
which place residents from a plan). The reference follows plan_day's docstring (see
test_routines.py).
"""


from __future__ import annotations

import math
from functools import partial

import numpy as np
from counter_twin import TwinStream, twin_uniforms
from gravity_twin import ref_draw

from sim.config import ADULT, ELDERLY, YOUTH
from sim.kernels.arrays import DayPlan
from sim.kernels.counter_rng import day_key
from sim.kernels.gravity import empty_gravity
from sim.kernels.routines import K_GRAVITY, K_ROUTE, plan_day, plan_range

SEEDS = range(6)
WORK_START, WORK_END, SCHOOL_END, EVENING_START = 8, 17, 15, 19


def ref_near(home, radius, width, height, ux, uy):
    side = 2 * radius + 1
    x = min(max(home % width + math.floor(ux * side) - radius, 0), width - 1)
    y = min(max(home // width + math.floor(uy * side) - radius, 0), height - 1)
    return y * width + x


def key_for(seed):
    """A day's key, drawn from a seeded generator as the model draws it."""
    return day_key(np.random.default_rng(seed))


def ref_plan_day(c, weekend, key, gravity=None, routes=False, fear=None, avoid=(0.0, 0.0)):
    """Reference plan for every resident; ``c`` is the case dict (inputs and yesterday).

    Resident ``i``'s uniforms are its counter stream under ``key`` (counter_twin.py):
    ``u0 .. u5`` draws 0-5, the route draw 6. ``gravity``: None (the nearest rule) or
    ``(local attraction, nightlife attraction, beta, d0, block side)``: outings' places
    drawn by the gravity twin from the resident's stream from draw 7 on (day outing,
    then evening). ``routes``: outings last two
    hours more and ``route_frac = floor(u6 * 2^16)``. ``fear`` (0..1 per resident) and
    ``avoid`` (day, evening): an outing happens if its uniform is below
    ``p * (1 - avoid * fear)``, and is counted avoided (every group of the resident) if
    it is between that and ``p``. Returns the plan (and ``avoided``, GROUPS order).
    """
    n = c["age"].shape[0]
    n_night = c["nightlife_cells"].shape[0]
    journey = 2 if routes else 0
    fear = np.zeros(n) if fear is None else fear
    female = c.get("female", np.zeros(n, bool))
    marginalised = c.get("marginalised", np.zeros(n, bool))
    avoided = np.zeros(7, np.int64)
    u = twin_uniforms(key, n, K_ROUTE + 1)

    def count(i, g):
        avoided[0] += 1
        avoided[1 + g] += 1
        avoided[4 if female[i] else 5] += 1
        avoided[6] += bool(marginalised[i])

    def place(home, a, fallback, stream):
        if gravity is None or not (a > 0).any():
            return fallback()
        _, _, beta, d0, side = gravity
        return ref_draw(home, a, c["width"], c["height"], beta, d0, side, stream)

    out = {k: [] for k in ("day_cell", "day_start", "day_end", "day_public", "eve_cell",
                           "eve_start", "eve_end", "early_cell", "early_end", "route_frac")}
    for i in range(n):
        stream = TwinStream(key, i, K_GRAVITY)
        out["route_frac"].append(math.floor(u[i][K_ROUTE] * 65536) if routes else 0)
        local_a = gravity[0] if gravity is not None else None
        night_a = gravity[1] if gravity is not None else None
        g = int(c["age"][i])
        home = int(c["home"][i])
        u0, u1, u2, u3, u4, u5 = (float(v) for v in u[i][:6])
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
        elif u0 < c["day_out"][g] * (1 - avoid[0] * fear[i]):
            near = ref_near(home, c["radius"], c["width"], c["height"], u1, u2)
            start = 10 + math.floor(6 * u3)
            cell = place(home, local_a, lambda near=near: c["nearest_public"][near], stream)
            day = (cell, start, start + 2 + journey, True)
        else:
            if u0 < c["day_out"][g]:
                count(i, g)
            day = (-1, 0, 0, False)
        for name, val in zip(("day_cell", "day_start", "day_end", "day_public"), day, strict=True):
            out[name].append(val)
        # evening
        if u4 < c["evening_out"][g] * (1 - avoid[1] * fear[i]):
            choice = c["nightlife_choice"][g]
            if n_night > 0 and u5 < choice:
                uniform = c["nightlife_cells"][math.floor(u5 / choice * n_night)]
                cell = place(home, night_a, lambda uniform=uniform: uniform, stream)
            else:
                # Without nightlife streets every outing is local and u5 is uniform as is.
                ux = (u5 - choice) / (1 - choice) if n_night > 0 else u5
                near = ref_near(home, c["radius"], c["width"], c["height"], ux, u1)
                cell = place(home, local_a, lambda near=near: c["nearest_public"][near],
                             stream)
            start = EVENING_START + math.floor(2 * u3)
            eve = (cell, start, start + c["evening_hours"][g] + journey)
        else:
            if u4 < c["evening_out"][g]:
                count(i, g)
            eve = (-1, 0, 0)
        for name, val in zip(("eve_cell", "eve_start", "eve_end"), eve, strict=True):
            out[name].append(val)
    return {k: np.array(v) for k, v in out.items()} | {"avoided": avoided}


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
             "eve_end", "early_cell", "early_end", "route_frac")


def run_plan_day(c, weekend, key, gravity=False, tables=None, routes=False,
                 avoid=(0.0, 0.0), fear=None, avoided=None, serial=False):
    """Run plan_day on case ``c``; by default the first release's rules (no gravity,
    no routes, no fear). ``tables``: (local, nightlife) gravity tables; ``serial``: the
    one-thread kernel (plan_range over every resident) instead of the parallel one."""
    n = c["age"].shape[0]
    out = {
        "day_cell": np.full(n, 99, np.int64), "day_start": np.full(n, 99, np.int64),
        "day_end": np.full(n, 99, np.int64), "day_public": np.ones(n, np.bool_),
        "eve_cell": c["eve_cell"].copy(), "eve_start": np.full(n, 99, np.int64),
        "eve_end": c["eve_end"].copy(), "early_cell": np.full(n, 99, np.int64),
        "early_end": np.full(n, 99, np.int64), "route_frac": np.zeros(n, np.uint16),
    }
    tables = tables or (empty_gravity(), empty_gravity())
    female = c.get("female", np.zeros(n, np.bool_))
    marginalised = c.get("marginalised", np.zeros(n, np.bool_))
    fear = np.zeros(n, np.uint16) if fear is None else fear
    avoided = np.zeros(7, np.int64) if avoided is None else avoided
    kernel = partial(plan_range, 0, n) if serial else plan_day
    kernel(c["age"], c["employed"], female, marginalised, c["home"], c["activity_cell"],
             fear, weekend, key, WORK_START, WORK_END, SCHOOL_END, EVENING_START, c["day_out"],
             c["evening_out"], c["evening_hours"], c["nightlife_choice"], c["radius"],
             c["nearest_public"], c["nightlife_cells"], c["width"], c["height"], gravity,
             tables[0], tables[1], routes, avoid[0], avoid[1], avoided, DayPlan(**out))
    return out


def assert_plans_equal(got, expected):
    for k in PLAN_KEYS:
        if k not in expected:
            continue
        np.testing.assert_array_equal(got[k], expected[k], err_msg=k)
