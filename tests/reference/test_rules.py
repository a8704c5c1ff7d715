"""Rule by rule, the reference computes what the fast engine computes, on the same world.

Both engines build the same city and people from one seed. A fast model is run for a
while, its state copied into a reference model (``reference_sync.sync``), and every
deterministic part of a rule is compared exactly: set-up, daily plans from the same
uniforms, hourly placement, offending hazards, walk weights, the fields B, P and G,
the daily drift of trust. What is left -- the draws -- is the statistical test's job
(test_equivalence.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference_sync import sync

from sim import CrimeModel, Scenario
from sim.config import (
    BURGLARY,
    DEAD,
    FREE,
    GANG_VIOLENCE,
    IN_PUBLIC,
    N_CRIME,
    NO_GANG,
    STREET_CRIMES,
)
from sim.kernels import legitimacy as legitimacy_kernels
from sim.kernels import near_repeat, patrol, routines
from sim.kernels.arrays import DayPlan
from sim.kernels.counter_rng import day_key, uniforms
from sim.kernels.grid import DX, DY
from sim.reference import ReferenceCrimeModel
from sim.reference.daily import relax_legitimacy
from sim.reference.guardianship import police_presence, standing_guardianship
from sim.reference.near_repeat import next_b
from sim.reference.space import flat, walking_neighbours

SMALL = {
    "city.width": 24, "city.height": 24, "city.districts": 3, "city.schools": 2,
    "residents.count": 800, "offenders.count": 80, "offenders.gang_share": 0.5,
    "police.count": 6, "police.hotspot": 0.25, "police.random": 0.25,
    "services.count": 2, "security.guards": 4, "agents.views": False,
    "crime.burglary.rate": 0.2, "crime.robbery.rate": 0.2, "crime.assault.rate": 0.3,
    "crime.sexual_violence.rate": 0.25, "crime.gang_violence.rate": 0.5,
    "offenders.active_evening": 0.6,
}
SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def scenario(baseline: Scenario) -> Scenario:
    return baseline.with_overrides(SMALL)


@pytest.fixture(scope="module", params=SEEDS)
def worlds(request, scenario):
    """A fast model after 1 day and 21 hours (an evening), and a reference synced to it."""
    fast = CrimeModel(scenario=scenario, rng=request.param)
    fast.run_for(24 + 21)
    ref = ReferenceCrimeModel(scenario=scenario, rng=request.param)
    by_slot = sync(fast, ref)
    return fast, ref, by_slot


def cell_index(cell, width):
    return -1 if cell is None else flat(cell, width)


# --- set-up ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_the_same_seed_builds_the_same_world(scenario, seed):
    fast = CrimeModel(scenario=scenario, rng=seed)
    ref = ReferenceCrimeModel(scenario=scenario, rng=seed)
    w = fast.city.width
    for name in ("land_use", "district", "deprivation", "lighting", "cctv", "a0", "b",
                 "guardianship"):
        np.testing.assert_allclose(getattr(ref.city, name), getattr(fast.city, name),
                                   rtol=1e-12, atol=1e-12, err_msg=name)
    res = fast.residents
    assert len(ref.residents) == res.n
    assert [flat(r.home, w) for r in ref.residents] == res.home.tolist()
    assert [r.age for r in ref.residents] == res.age.tolist()
    assert [r.female for r in ref.residents] == res.female.tolist()
    assert [r.household.index for r in ref.residents] == res.household.tolist()
    assert [r.legitimacy for r in ref.residents] == res.legitimacy.tolist()
    assert [cell_index(r.activity, w) for r in ref.residents] == res.activity_cell.tolist()
    off = fast.offenders
    live = np.flatnonzero(off.state != DEAD)
    assert [flat(o.home, w) for o in ref.offenders] == off.home[live].tolist()
    assert [o.motivation for o in ref.offenders] == off.motivation[live].tolist()
    assert [o.gang for o in ref.offenders] == off.gang[live].tolist()
    assert [o.resident.index for o in ref.offenders] == off.resident[live].tolist()
    assert all(o.resident.offender is o for o in ref.offenders)
    assert [flat(p.cell, w) for p in ref.officers] == fast.police.pos.tolist()
    assert [p.strategy for p in ref.officers] == fast.police.strategy.tolist()
    assert [p.corrupt for p in ref.officers] == fast.police.corrupt.tolist()
    assert [flat(k.cell, w) for k in ref.workers] == fast.workers.pos.tolist()
    assert [flat(g.cell, w) for g in ref.guards] == fast.guards.pos.tolist()


# --- routines ----------------------------------------------------------------------------
def test_plans_and_placement_match_the_routine_kernels(scenario):
    """Eight days of plans from the same uniforms, and where everyone is each hour."""
    fast = CrimeModel(scenario=scenario, rng=4)
    ref = ReferenceCrimeModel(scenario=scenario, rng=4)
    res, w, h = fast.residents, fast.city.width, fast.city.height
    r = fast.p.routines
    for day in range(8):
        key = day_key(np.random.default_rng(day))
        u = uniforms(key, res.n, 6)  # the plan kernel's draws 0-5 of each resident
        weekend = day % 7 >= 5
        layers = fast.state.city
        routines.plan_day(
            res.age, res.employed, res.female, res.marginalised, res.home, res.activity_cell,
            res.fear, weekend, key, r.work_start,
            r.work_end, r.school_end, r.evening_start, fast.levers.day_out, fast.levers.eve_out,
            fast.levers.eve_hours, fast.levers.night_choice, r.local_radius,
            layers.nearest_public, layers.nightlife, w, h, False, layers.gravity_local,
            layers.gravity_night, False, 0.0, 0.0, np.zeros(7, np.int64),
            DayPlan(*fast.state.packed_plan()))
        for i, person in enumerate(ref.residents):
            person.plan_day(weekend, u[i].tolist())
        got = np.array([[cell_index(p.plan.day_cell, w), p.plan.day_start, p.plan.day_end,
                         p.plan.day_public, cell_index(p.plan.eve_cell, w), p.plan.eve_start,
                         p.plan.eve_end, cell_index(p.plan.early_cell, w), p.plan.early_end]
                        for p in ref.residents])
        want = np.column_stack([res.day_cell, res.day_start, res.day_end, res.day_public,
                                res.eve_cell, res.eve_start, res.eve_end, res.early_cell,
                                res.early_end])
        np.testing.assert_array_equal(got, want, err_msg=f"day {day}")
        for hour in range(24):
            routines.place_residents(
                hour, res.home, res.household, res.hh_first, res.hh_size,
                fast.state.packed_plan(), res.pos, res.state,
                res.public_count, res.household_home, res.public_start, res.public_order,
                False, res.travelling, w, 1)
            ref.tick = day * 24 + hour
            for person in ref.residents:
                person.step()
            assert [flat(p.cell, w) for p in ref.residents] == res.pos.tolist()
            assert [p.where for p in ref.residents] == res.state.tolist()


# --- offending ---------------------------------------------------------------------------
def formula_hazards(fast: CrimeModel, slot: int, night: bool) -> np.ndarray:
    """h_k of one offender from the fast engine's arrays, as docs/ODD.md §7.4 writes it."""
    off, res, city = fast.offenders, fast.residents, fast.city
    q, w = fast.levers, city.width
    c = int(off.pos[slot])
    people = res.public_order[res.public_start[c]: res.public_start[c] + res.public_count[c]]
    s = np.zeros(N_CRIME)
    hh = np.arange(res.cell_hh_start[c], res.cell_hh_start[c] + res.cell_hh_count[c])
    s[BURGLARY] = res.hh_vuln[hh[res.household_home[hh] == 0]].sum()
    for k in STREET_CRIMES:
        s[k] = res.vulnerability[people, k].sum()
    g = off.gang[slot]
    if g != NO_GANG:
        rivals = [j for j in range(off.state.shape[0]) if off.gang[j] not in (NO_GANG, g)
                  and off.state[j] == FREE and off.active[j]
                  and max(abs(off.pos[j] % w - c % w), abs(off.pos[j] // w - c // w))
                  <= q.gang_radius]
        s[GANG_VIOLENCE] = sum(fast.state.justice.tension[g, off.gang[j]] for j in rivals)
    crowd = np.ones(N_CRIME)
    crowd[[*STREET_CRIMES, GANG_VIOLENCE]] = 1.0 / (1.0 + q.crowd * people.size)
    m = off.motivation[slot]
    r = off.resident[slot]
    if r >= 0:
        m *= 1.0 - q.compliance * res.legitimacy[r]
        if res.enrolled_until[r] > fast.tick - 1:
            m *= 1.0 - q.enrolled_effect
    a = city.a0.ravel()[c] + city.b.ravel()[c]
    deter = math.exp(-(fast.state.fields.police_field[c] + city.guardianship.ravel()[c]))
    dark = 1.0 + fast.levers.darkness * (1.0 - city.lighting.ravel()[c]) if night else 1.0
    return fast.levers.crime_rates * s * crowd * a * m * deter * dark


def test_hazards_are_the_fast_engines(worlds):
    fast, ref, by_slot = worlds
    ref.tick = fast.tick - 1  # the hour the fast engine just ran
    members = [o for o in by_slot.values() if o.gang != NO_GANG and o.state == FREE and o.out]
    compared = 0
    for slot, o in by_slot.items():
        if o.state == FREE and o.out:
            np.testing.assert_allclose(o.hazards(members), formula_hazards(fast, slot, True),
                                       rtol=1e-12, atol=0)
            compared += 1
    assert compared >= 10


def test_walk_weights_are_the_fast_engines(worlds):
    fast, ref, by_slot = worlds
    off, city, w = fast.offenders, fast.city, fast.city.width
    op = fast.p.offenders
    a = city.a0.ravel() + city.b.ravel()
    for slot, o in by_slot.items():
        got = {flat(c, w): o.pull(c) for c in walking_neighbours(o.cell, 8)}
        x, y, home = off.pos[slot] % w, off.pos[slot] // w, off.home[slot]
        want = {}
        for dx, dy in zip(DX, DY, strict=True):
            nx, ny = x + dx, y + dy
            if 0 <= nx < w and 0 <= ny < city.height:
                d = math.hypot(nx - home % w, ny - home // w)
                want[ny * w + nx] = (0.0 if d > op.awareness_radius
                                     else a[ny * w + nx] * math.exp(-op.home_decay * d))
        assert got.keys() == want.keys()
        for c in want:
            assert got[c] == pytest.approx(want[c], rel=1e-12)


def test_people_in_public_are_the_fast_engines_buckets(worlds):
    fast, ref, _ = worlds
    res, w = fast.residents, fast.city.width
    for c in np.flatnonzero(res.public_count):
        people = ref.people_in_public(ref.cells[c])
        bucket = res.public_order[res.public_start[c]: res.public_start[c] + res.public_count[c]]
        assert sorted(p.index for p in people) == sorted(bucket.tolist())
        assert all(p.where == IN_PUBLIC and flat(p.cell, w) == c for p in people)


# --- fields ------------------------------------------------------------------------------
@pytest.mark.parametrize("periodic", [False, True])
def test_near_repeat_field_is_the_kernels(periodic):
    g = np.random.default_rng(7)
    b = g.random((9, 13))
    crimes = (g.random((9, 13)) < 0.1).astype(float)
    out = np.empty(b.size)
    near_repeat.update_b(b.ravel(), crimes.ravel(), 0.07, 0.003, 1.5, 13, 9, periodic, out)
    np.testing.assert_allclose(next_b(b, crimes, 0.07, 0.003, 1.5, periodic),
                               out.reshape(9, 13), rtol=1e-13, atol=1e-15)


def test_police_field_is_the_kernels(worlds):
    fast, ref, _ = worlds
    police_presence(ref)
    want = np.empty(fast.city.n_cells)
    patrol.police_field(fast.police.pos, fast.state.fields.police_weight, fast.p.police.deterrence,
                        fast.p.police.deterrence_radius, fast.city.width, fast.city.height,
                        want)
    np.testing.assert_allclose(ref.police_field.ravel(), want, rtol=1e-13)
    assert want.sum() > 0
    cell = ref.cells[int(np.argmax(want))]
    assert cell.police == pytest.approx(want.max())  # what agents read is the field


def test_standing_guardianship_is_the_fast_engines(worlds):
    fast, ref, _ = worlds
    fast.refresh_guardianship()
    standing_guardianship(ref)
    np.testing.assert_allclose(ref.city.guardianship, fast.city.guardianship, rtol=1e-12)


def test_daily_drift_of_trust_is_the_kernels(worlds):
    fast, ref, _ = worlds
    res = fast.residents
    bribes = np.arange(fast.city.n_districts, dtype=np.int64) % 3  # some news everywhere
    ref.bribes = bribes.tolist()
    legit = res.legitimacy.copy()
    keep = 0.5 ** (1.0 / fast.p.legitimacy.reversion_days)
    legitimacy_kernels.daily_legitimacy(
        legit, res.legitimacy_baseline, res.home, res.cell_district, bribes,
        fast.state.city.residents_by_district, fast.p.legitimacy.corruption_loss, keep)
    relax_legitimacy(ref)
    np.testing.assert_allclose([r.legitimacy for r in ref.residents], legit, rtol=1e-12)
