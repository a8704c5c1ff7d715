"""Daily tasks of the crime model, run at the first tick of every day.

Slow processes -- plans for the day, legitimacy drifting, recruitment and desistance,
programmes ending, guardianship, the hot-spot list, gang grievances fading and the
yearly victimisation survey -- change on the scale of days, so running them once a
day keeps the hourly step cheap without changing what they mean.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.city.target import hot_spot_cells
from sim.config import FLOAT, HOTSPOT_PATROL, INT, MAX_TICKS
from sim.kernels import flows, legitimacy, routines, services, summary
from sim.metrics.prevalence import CountSnapshot, household_burglary_rate, prevalence_table

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: Reported-crime heat fades with a 30-day time constant (what a crime analyst maps).
HEAT_KEEP = math.exp(-1.0 / 30.0)
#: Deprivation at or above which a young resident counts as at risk for outreach.
AT_RISK_DEPRIVATION = 0.5
#: Residents planned per call of the plan kernel (bounds the uniforms' scratch: 3 MB).
PLAN_CHUNK = 1 << 16


def run_daily(model: CrimeModel, day: int) -> None:
    """Run the daily tasks for ``day`` (day 0 only plans and measures)."""
    p = model.p
    res, off = model.residents, model.offenders
    tick = model.tick
    if tick >= MAX_TICKS:  # residents' tick arrays are INDEX (sim.config)
        raise OverflowError(f"a run stops at tick {MAX_TICKS:,} (tick arrays are int32)")
    rng = model.rng
    if day > 0:
        if res.n:
            home_district = res.home_district  # read from the city: a new array
            legitimacy.daily_legitimacy(
                res.legitimacy, res.legitimacy_baseline, home_district, model._bribes,
                model._residents_by_district, p.legitimacy.corruption_loss, model._keep)
            model._enrolled -= services.expire_enrolments(tick, res.enrolled_until, res.enrolled_by,
                                       model.workers.caseload)
            model._day_counts[0] += flows.recruit(
                res.age, res.home, res.home_deprivation, home_district, res.legitimacy,
                res.enrolled_until, res.offender_of, model.territory, tick,
                p.flows.recruitment_rate, p.flows.recruitment_deprivation,
                p.flows.recruitment_gang, p.services.recruitment_effect, p.flows.gang_join,
                p.offenders.motivation_mean, p.offenders.motivation_shape, off.state, off.pos,
                off.home, off.motivation, off.gang, off.resident, off.born, off.arrests,
                off.free_stack, off.free_top, rng)
        if p.flows.desistance_rate > 0:
            model._day_counts[1] += flows.desist(
                off.state, off.resident, res.offender_of, res.enrolled_until, tick,
                -math.expm1(-p.flows.desistance_rate), p.services.desistance_boost,
                off.free_stack, off.free_top, rng)
        model._bribes[:] = 0
        model._grievance *= model._grievance_keep
        model.city.reported_heat *= HEAT_KEEP
        if day % 365 == 0:
            snapshot_year(model)
    if off.free_top[0] < max(16, off.capacity // 10):
        model._grow_offenders()
    if res.n:
        plan_days(model, day)
        summary.group_means(res.legitimacy, res.age, res.female, res.marginalised,
                            model._legit_means)
    refresh_guardianship(model)
    if model.police.n:
        q = model.levers
        if day % q.hotspot_refresh_days == 0:
            model._hot_cells = hot_cells(model, q.hotspot_cells)
        # Hot-spot officers draw a new hot spot from the list every day.
        pol = model.police
        pol.target[pol.strategy == HOTSPOT_PATROL] = -1


def plan_days(model: CrimeModel, day: int) -> None:
    """Draw every resident's plan for ``day``, ``PLAN_CHUNK`` residents at a time.

    Six uniforms per resident, drawn in resident order from the plans' own stream. In
    chunks, the scratch is 6 floats per chunk member rather than per resident (48 bytes
    a resident at once would be the largest transient of a big city), and the draws are
    the same numbers in the same order: a generator's stream does not depend on how
    the requests are split.
    """
    res, r, city = model.residents, model.p.routines, model.city
    weekend = (day % 7) >= 5
    for lo in range(0, res.n, PLAN_CHUNK):
        s = slice(lo, min(res.n, lo + PLAN_CHUNK))
        u = model._plan_rng.random((s.stop - s.start, 6))
        routines.plan_day(
            res.age[s], res.employed[s], res.home[s], res.activity_cell[s], weekend, u,
            r.work_start, r.work_end, r.school_end, r.evening_start, model._day_out,
            model._eve_out, model._eve_hours, model._night_choice, r.local_radius,
            model._nearest_public, model._nightlife, city.width, city.height, res.day_cell[s],
            res.day_start[s], res.day_end[s], res.day_public[s], res.eve_cell[s],
            res.eve_start[s], res.eve_end[s], res.early_cell[s], res.early_end[s])


def refresh_guardianship(model: CrimeModel) -> None:
    """Recompute standing guardianship per cell.

    Guards at their posts, CCTV, and residents' cooperation (collective efficacy: the
    mean legitimacy of the cell's residents, or of the district's where nobody lives;
    Sampson et al. 1997).
    """
    p = model.p
    city, res = model.city, model.residents
    n = city.n_cells
    g = np.zeros(n, FLOAT)
    if model.guards.n:
        g += p.security.guard_deterrence * np.bincount(model.guards.pos, minlength=n)
    g += p.security.cctv_deterrence * city.cctv.ravel()
    if res.n and p.guardianship.cooperation:
        sums = np.bincount(res.home, res.legitimacy, minlength=n)
        counts = np.bincount(res.home, minlength=n)
        dist = city.district.ravel()
        home_district = dist[res.home]
        d_sum = np.bincount(home_district, res.legitimacy, minlength=city.n_districts)
        d_cnt = np.bincount(home_district, minlength=city.n_districts)
        d_mean = d_sum / np.maximum(d_cnt, 1)
        cell_mean = np.where(counts > 0, sums / np.maximum(counts, 1), d_mean[dist])
        g += p.guardianship.cooperation * cell_mean
    city.guardianship.reshape(-1)[:] = g


def hot_cells(model: CrimeModel, k: int) -> np.ndarray:
    """Return the crime analyst's hot-spot list: the ``k`` hottest cells.

    Heat is reported crime, fading; ties (and the cells with no report yet) are ranked
    by attractiveness.
    """
    city = model.city
    return hot_spot_cells(city.reported_heat.ravel(), city.a0.ravel() + city.b.ravel(),
                          k).astype(INT)


def snapshot_year(model: CrimeModel) -> None:
    """Close a survey year: store prevalence by group and reset the counters' origin."""
    res = model.residents
    counts = model._year_start.since(res.victim_counts)
    model.yearly_prevalence.append({
        "year": len(model.yearly_prevalence) + 1,
        "groups": prevalence_table(counts, model._masks),
        "households_burgled": household_burglary_rate(counts, res.hh_first),
    })
    model._year_start = CountSnapshot(res.victim_counts)
    model._year_start_tick = model.tick
