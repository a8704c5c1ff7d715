"""Daily tasks of the crime model, run at the first tick of every day (ODD step 0a).

Slow processes -- plans for the day, legitimacy drifting, recruitment and desistance,
programmes ending, guardianship, the hot-spot list, gang grievances fading and the
yearly victimisation survey -- change on the scale of days, so running them once a
day keeps the hourly step cheap without changing what they mean.

Each task is a phase ``task(state, levers, clock)`` of :data:`sim.crime.plan.DAILY_PLAN`,
in that order. Day 0 only plans and measures: the tasks that change the population
(drift, programme ends, recruitment, desistance, fading, the survey) start on day 1.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.city import City
from sim.city.target import hot_spot_cells
from sim.config import FLOAT, HOTSPOT_PATROL, INT, MAX_TICKS
from sim.crime import awareness, market
from sim.kernels import flows, legitimacy, routines, services, summary
from sim.kernels.arrays import DayPlan
from sim.kernels.counter_rng import day_key
from sim.kernels.threads import use_parallel
from sim.metrics.prevalence import (
    CountSnapshot,
    group_masks,
    household_burglary_rate,
    prevalence_table,
)

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

#: Reported-crime heat fades with a 30-day time constant (what a crime analyst maps).
HEAT_KEEP = math.exp(-1.0 / 30.0)
#: Deprivation at or above which a young resident counts as at risk for outreach.
AT_RISK_DEPRIVATION = 0.5


def check_tick_limit(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Refuse to run past the last tick the residents' tick arrays can hold."""
    if clock.tick >= MAX_TICKS:  # residents' tick arrays are INDEX (sim.config)
        raise OverflowError(f"a run stops at tick {MAX_TICKS:,} (tick arrays are int32)")


def drift_legitimacy(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Legitimacy reverts towards each resident's baseline; bribes in the district cost.

    With ``legitimacy.contacts_enabled``, the residents then hear of yesterday's police
    contacts in their district (:func:`sim.kernels.legitimacy.hearsay`).
    """
    res = s.residents
    if clock.day > 0 and res.n:
        legitimacy.daily_legitimacy(
            res.legitimacy, res.legitimacy_baseline, res.home, res.cell_district,
            s.justice.bribes, s.city.residents_by_district, lv.corruption_loss, lv.legit_keep)
    if lv.contacts_on:
        news = s.justice.contact_news
        if clock.day > 0 and res.n and lv.hearsay_weight > 0.0:
            legitimacy.hearsay(res.legitimacy, res.home, res.cell_district, news,
                               s.city.residents_by_district, lv.hearsay_weight)
        news[:] = 0.0


def end_programmes(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Close outreach programmes that have run their course, freeing caseload."""
    if clock.day > 0 and s.residents.n:
        res = s.residents
        s.tallies.enrolled -= services.expire_enrolments(
            clock.tick, res.enrolled_until, res.enrolled_by, s.outreach.workers.caseload)


def recruit(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Residents join the offender pool (deprivation, legitimacy, gang territory)."""
    res = s.residents
    if clock.day > 0 and res.n:
        s.tallies.day_counts[0] += flows.recruit(
            res.age, res.home, res.cell_deprivation, res.cell_district, res.legitimacy,
            res.enrolled_until, res.offender_of, s.city.territory, clock.tick,
            lv.recruitment_rate, lv.recruitment_deprivation,
            market.recruitment_gain(s, lv, s.city.territory.size),
            lv.recruitment_effect, lv.gang_join, lv.motivation_mean, lv.motivation_shape,
            s.offender_arrays(), s.rng)
    awareness.daily(s, lv, clock.tick)  # new offenders' activity nodes; memories fade


def desist(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Offenders leave the pool (more often while enrolled in a programme)."""
    if clock.day > 0 and lv.desistance_prob > 0:
        res = s.residents
        s.tallies.day_counts[1] += flows.desist(
            s.offender_arrays(), res.offender_of, res.enrolled_until, clock.tick,
            lv.desistance_prob, lv.desistance_boost, s.rng)


def fade(s: EngineState, lv: Levers, clock: Clock) -> None:
    """A new day: bribe news resets, grievances and reported-crime heat fade."""
    if clock.day > 0:
        s.justice.bribes[:] = 0
        s.justice.grievance *= lv.grievance_keep
        s.city.city.reported_heat *= HEAT_KEEP


def survey_year(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Every 365 days, close a survey year (prevalence by group)."""
    if clock.day > 0 and clock.day % 365 == 0:
        snapshot_year(s, clock.tick)


def ensure_free_slots(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Grow the offender pool before it runs out of free slots."""
    off = s.offenders
    if off.free_top[0] < max(16, off.capacity // 10):
        s.grow_offenders()


def plan_residents_days(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Draw every resident's plan for the day, in parallel (``routines.plan_day``).

    One 64-bit key a day from the plans' seeded generator keys a counter-based stream
    (:mod:`sim.kernels.counter_rng`): resident ``i``'s uniforms -- six or seven, and
    the gravity rule's variable number -- are a hash of the key, ``i`` and the draw's
    number. So the plans are the same whatever the number of threads or the way the
    residents are split among them, and no per-resident scratch of uniforms is needed.
    Small populations are planned on this thread alone (``plan_range`` over all
    residents: the same plans; waking the threads would cost more than it saves).
    """
    res, layers = s.residents, s.city
    if not res.n:
        return
    weekend = (clock.day % 7) >= 5
    w, h = layers.arrays.width, layers.arrays.height
    args = (
        res.age, res.employed, res.female, res.marginalised, res.home,
        res.activity_cell, res.fear, weekend, day_key(s.plan_rng),
        lv.work_start, lv.work_end, lv.school_end, lv.evening_start, lv.day_out,
        lv.eve_out, lv.eve_hours, lv.night_choice, lv.local_radius,
        layers.nearest_public, layers.nightlife, w, h, lv.gravity, layers.gravity_local,
        layers.gravity_night, lv.routes, lv.avoid_day, lv.avoid_evening,
        s.tallies.avoided, DayPlan(*s.packed_plan()))
    if use_parallel(res.n):
        routines.plan_day(*args)
    else:
        routines.plan_range(0, res.n, *args)


def measure_legitimacy(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Mean legitimacy per group, for the day's metrics rows."""
    res = s.residents
    if res.n:
        summary.group_means(res.legitimacy, res.age, res.female, res.marginalised,
                            s.tallies.legit_means)


def refresh_guardianship(s: EngineState, lv: Levers, clock: Clock | None = None) -> None:
    """Recompute standing guardianship per cell.

    Guards at their posts, CCTV, and residents' cooperation (collective efficacy: the
    mean legitimacy of the cell's residents, or of the district's where nobody lives;
    Sampson et al. 1997).
    """
    city, res = s.city.city, s.residents
    n = city.n_cells
    g = np.zeros(n, FLOAT)
    if s.guards.n:
        g += lv.guard_deterrence * np.bincount(s.guards.pos, minlength=n)
    g += lv.cctv_deterrence * city.cctv.ravel()
    if res.n and lv.cooperation:
        sums = np.bincount(res.home, res.legitimacy, minlength=n)
        counts = np.bincount(res.home, minlength=n)
        dist = city.district.ravel()
        home_district = dist[res.home]
        d_sum = np.bincount(home_district, res.legitimacy, minlength=city.n_districts)
        d_cnt = np.bincount(home_district, minlength=city.n_districts)
        d_mean = d_sum / np.maximum(d_cnt, 1)
        cell_mean = np.where(counts > 0, sums / np.maximum(counts, 1), d_mean[dist])
        g += lv.cooperation * cell_mean
    city.guardianship.reshape(-1)[:] = g


def refresh_hot_spots(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Re-map the hot-spot list on refresh days; hot-spot officers draw a new target."""
    pol = s.police
    if pol.n:
        if clock.day % lv.hotspot_refresh_days == 0:
            s.justice.hot_cells = hot_cells(s.city.city, lv.hotspot_cells)
        pol.target[pol.strategy == HOTSPOT_PATROL] = -1


def hot_cells(city: City, k: int) -> np.ndarray:
    """Return the crime analyst's hot-spot list: the ``k`` hottest cells.

    Heat is reported crime, fading; ties (and the cells with no report yet) are ranked
    by attractiveness.
    """
    return hot_spot_cells(city.reported_heat.ravel(), city.a0.ravel() + city.b.ravel(),
                          k).astype(INT)


def snapshot_year(s: EngineState, tick: int) -> None:
    """Close a survey year: store prevalence by group and reset the counters' origin."""
    res, t = s.residents, s.tallies
    counts = t.year_start.since(res.victim_counts)
    t.yearly_prevalence.append({
        "year": len(t.yearly_prevalence) + 1,
        "groups": prevalence_table(counts, group_masks(res.age, res.female, res.marginalised)),
        "households_burgled": household_burglary_rate(counts, res.hh_first),
    })
    t.year_start = CountSnapshot(res.victim_counts)
    t.year_start_tick = tick
