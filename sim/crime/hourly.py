"""The phases of every tick (ODD steps 0b to 10), one function each.

Each phase is ``phase(state, levers, clock)`` (see :mod:`sim.crime.plan` for the order)
and makes its kernel call(s). They read rates from the levers every tick, so an
intervention that changes a lever takes effect at the next phase that reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

from sim.config import CRIME_TYPES, EV_CELL, EV_REPORTED, GROUPS, N_CRIME
from sim.crime import awareness, deterrence
from sim.crime.daily import AT_RISK_DEPRIVATION
from sim.kernels import consequences as consequence_kernels
from sim.kernels import (
    flows,
    legitimacy,
    near_repeat,
    offender_tick,
    police_contacts,
    routines,
    services,
    summary,
)
from sim.kernels import patrol as patrol_kernels
from sim.kernels.threads import use_parallel
from sim.metrics.recorder import COLUMN

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

_CRIME_COL0 = COLUMN[f"crimes_{CRIME_TYPES[0]}"]
_VICTIM_COL = COLUMN[f"victimisations_{GROUPS[0]}"]
_LEGIT_COL = COLUMN[f"legitimacy_{GROUPS[0]}"]
_COL_DAY, _COL_HOUR = COLUMN["day"], COLUMN["hour"]
_COL_RELEASES, _COL_PUBLIC = COLUMN["releases"], COLUMN["residents_in_public"]
_COL_ACTIVE, _COL_TOTAL = COLUMN["offenders_active"], COLUMN["crimes_total"]
_COL_REPORTED, _COL_ARRESTS, _COL_BRIBES = (COLUMN["reported_crimes"], COLUMN["arrests"],
                                            COLUMN["bribes"])
_COL_FREE, _COL_JAILED, _COL_GANG = (COLUMN["offenders_free"], COLUMN["offenders_jailed"],
                                     COLUMN["gang_members"])
_COL_ENROLLED, _COL_RECRUITS, _COL_DESIST = (COLUMN["enrolled"], COLUMN["recruits"],
                                             COLUMN["desistances"])
_COL_MEAN_B, _COL_MEAN_A = COLUMN["mean_b"], COLUMN["mean_attractiveness"]
#: Calls for service kept: the latest reported crimes' cells.
MAX_CALLS = 64


def run_interventions(s: EngineState, lv: Levers, clock: Clock) -> None:
    """0b. Interventions: start, stop, daily and hourly hooks (:mod:`sim.interventions`)."""
    model = clock.model
    if model.interventions.items:
        model.interventions.on_tick(model, clock.tick, clock.hour == 0)


def open_row(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Open this tick's metrics row (zeroed) and stamp its day and hour."""
    row = clock.row = s.results.row()
    row[_COL_DAY] = clock.day
    row[_COL_HOUR] = clock.hour


def release(s: EngineState, lv: Levers, clock: Clock) -> None:
    """1. Release offenders whose jail term ended."""
    off = s.offenders
    clock.row[_COL_RELEASES] = flows.release(off.state, off.release, clock.tick)


def place_residents(s: EngineState, lv: Levers, clock: Clock) -> None:
    """2. Routines: place every resident (home, sheltered activity, public space)."""
    res = s.residents
    if res.n:
        clock.row[_COL_PUBLIC] = routines.place_residents(
            clock.hour, res.home, res.household, res.hh_first, res.hh_size, s.packed_plan(),
            res.pos, res.state,
            res.public_count, res.household_home, res.public_start, res.public_order,
            lv.routes, res.travelling, s.city.arrays.width, numba.get_num_threads())


def patrol(s: EngineState, lv: Levers, clock: Clock) -> None:
    """3. Patrol: officers move by strategy; the police deterrence field is recast."""
    if lv.deterrence.enabled:  # presence with memory and visibility
        deterrence.patrol(s, lv, clock)
        return
    pol = s.police
    if pol.n:
        cells, j = s.city.arrays, s.justice
        patrol_kernels.patrol_and_field(
            pol.pos, pol.strategy, pol.target, pol.beat, cells.district, j.hot_cells,
            j.calls, j.calls.shape[0], lv.police_speed, cells.width, cells.height,
            s.fields.police_weight, lv.police_deterrence, lv.radius, s.fields.police_field,
            s.rng)
        j.calls = j.calls[j.calls >= 0]


def outreach(s: EngineState, lv: Levers, clock: Clock) -> None:
    """4. Services, in working hours on weekdays: workers walk and enrol at-risk youth."""
    wk, res = s.outreach.workers, s.residents
    if wk.n and res.n and 9 <= clock.hour < 17 and (clock.day % 7) < 5:
        cells, j, team = s.city.arrays, s.justice, s.outreach
        patrol_kernels.patrol(wk.pos, team.strategy, team.target, wk.district,
                              cells.district, j.hot_cells, j.calls, 0, 1, cells.width,
                              cells.height, s.rng)
        s.tallies.enrolled += services.outreach(
            wk.pos, wk.caseload, lv.capacity, lv.contacts, res.cell_res_start,
            res.cell_res_count, res.age, res.state, res.marginalised, res.home,
            res.cell_deprivation, res.offender_of, AT_RISK_DEPRIVATION, lv.enrol_prob,
            clock.tick, lv.programme_ticks, res.enrolled_until, res.enrolled_by, s.rng)


def community_contacts(s: EngineState, lv: Levers, clock: Clock) -> None:
    """5. Police contacts with residents in public (fair or unfair; the news spreads).

    With ``legitimacy.contacts_enabled`` every officer on patrol makes contacts
    (:mod:`sim.kernels.police_contacts`); off, only community officers do, as in the
    first release.
    """
    pol, res = s.police, s.residents
    if lv.contacts_on:
        if pol.n and res.n:
            j = s.justice
            police_contacts.check_params(lv.contacts_per_hour, lv.fair_share, lv.solicit_prob,
                                         lv.bad_weight, lv.fair_gain)
            police_contacts.police_contacts(
                pol.pos, pol.strategy, pol.corrupt, lv.contacts_per_hour,
                lv.community_contacts, lv.fair_share, lv.solicit_prob, lv.bad_weight,
                lv.fair_gain, lv.corruption_loss, res.public_count, res.public_start,
                res.public_order, s.city.arrays.district, res.legitimacy, j.contact_news,
                j.contact_tally, s.rng)
        return
    if pol.n and res.n and lv.community_contacts:
        legitimacy.community_contacts(
            pol.pos, pol.strategy, pol.corrupt, lv.community_contacts, res.public_count,
            res.public_start, res.public_order, res.legitimacy, lv.fair_gain,
            lv.corruption_loss, s.rng)


def offenders(s: EngineState, lv: Levers, clock: Clock) -> None:
    """6. Offenders: gang tension; who is out; then rounds of "try to offend, then walk"."""
    hour = clock.hour
    j = s.justice
    n_active, clock.n_events = offender_tick.offender_hour(
        clock.tick, lv.is_night(hour), lv.active_prob(hour), s.packed_offenders(),
        s.packed_residents(), s.city.packed, lv.packed_by_type, s.residents.n == 0, lv.dt,
        lv.moves, lv.always_active, lv.crowd, lv.compliance, lv.enrolled_effect, j.grievance,
        lv.retaliation, j.tension, lv.gang_radius, lv.neighbourhood, lv.home_decay,
        lv.awareness, lv.relationships, s.scratch.events, s.scratch.moving, s.rng,
        awareness.packed(s, lv, hour), lv.aw_enabled, lv.transit,
        lv.deterrence.sensitivity, lv.deterrence.avoidance, lv.deterrence.prior)
    clock.row[_COL_ACTIVE] = n_active


def consequences(s: EngineState, lv: Levers, clock: Clock) -> None:
    """7. Consequences: victims, reporting, arrest or bribery, victims' trust.

    Transient offenders leave after their crime (Short et al.); reported crimes join
    the calls for service; the events go to the event log.
    """
    n = clock.n_events
    if not n:
        return
    j, t = s.justice, s.tallies
    s.guard_victim_counts(n)
    t.group_victims[:] = 0
    counts = t.tick_counts
    counts[:] = 0
    events = s.scratch.events
    js = s.justice_state  # capacity-limited justice (sim.crime.justice): room for n cases
    court = js.packed_court(n) if lv.justice.enabled else js.packed_court(0)
    consequence_kernels.consequences(
        clock.tick, events, n, s.packed_offenders(), s.packed_residents(), s.packed_police(),
        s.city.packed, lv.packed_by_type, j.grievance, j.bribes, t.group_victims, counts,
        lv.transient, lv.gang_radius, lv.bystander_prob, lv.victim_loss, lv.report_slope,
        lv.legit_ref, lv.radius, lv.detect_prob, lv.bribe_prob, lv.cctv_detection,
        lv.conviction_prob, lv.fair_gain, lv.unanswered_loss, s.city.city.cell_size_m, s.rng,
        js.jparams, court, js.jcounts)
    if lv.contacts_on and lv.corrupt_case_loss > 0.0 and s.residents.n:
        res = s.residents
        legitimacy.corrupt_case(events, n, res.legitimacy, res.hh_first, res.hh_size,
                                lv.corrupt_case_loss)
    row = clock.row
    row[_CRIME_COL0:_CRIME_COL0 + N_CRIME] = counts[0]
    row[_COL_REPORTED] = counts[1, 0]
    row[_COL_ARRESTS] = counts[1, 1]
    row[_COL_BRIBES] = counts[1, 2]
    row[_VICTIM_COL:_VICTIM_COL + len(GROUPS)] = t.group_victims
    reported = events[:n, EV_REPORTED] != 0
    if reported.any():
        j.calls = np.concatenate([j.calls, events[:n, EV_CELL][reported]])[-MAX_CALLS:]
    awareness.remember(s, lv, n)
    s.events.append(events[:n])


def spawn(s: EngineState, lv: Levers, clock: Clock) -> None:
    """8. New transient offenders spawn (Short et al.'s Gamma, per cell)."""
    if lv.spawn_lambda > 0:
        rng, off = s.rng, s.offenders
        cells = rng.integers(0, s.city.city.n_cells, size=rng.poisson(lv.spawn_lambda))
        flows.spawn(cells, clock.tick, s.packed_offenders())
        if off.free_top[0] < max(16, off.capacity // 10):
            s.grow_offenders()


def near_repeat_field(s: EngineState, lv: Levers, clock: Clock) -> None:
    """9. The near-repeat field B takes this tick's crimes E, spreads and decays."""
    c = s.city.arrays
    near_repeat.step_b(c.b, c.e_field, lv.eta, lv.omega_dt, lv.theta, c.width, c.height,
                       c.periodic, s.fields.b_next, use_parallel(c.b.shape[0]))


def record(s: EngineState, lv: Levers, clock: Clock) -> None:
    """10. Metrics: fill and commit the row; the tick is complete."""
    row, off, t, c = clock.row, s.offenders, s.tallies, s.city.arrays
    row[_COL_TOTAL] = row[_CRIME_COL0:_CRIME_COL0 + N_CRIME].sum()
    row[_COL_FREE], row[_COL_JAILED], row[_COL_GANG] = summary.offender_counts(
        off.state, off.gang)
    row[_COL_ENROLLED] = t.enrolled
    row[_COL_RECRUITS] = t.day_counts[0]
    row[_COL_DESIST] = t.day_counts[1]
    t.day_counts[:] = 0
    row[_LEGIT_COL:_LEGIT_COL + len(GROUPS)] = t.legit_means
    mean_b = c.b.mean()
    row[_COL_MEAN_B] = mean_b
    row[_COL_MEAN_A] = c.a0.mean() + mean_b  # A0 may be changed in place
    s.results.commit(clock.tick)
    clock.model.tick = clock.tick + 1


def collect(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Mesa's DataCollector (every ``collect_every`` ticks) and the agent views."""
    model = clock.model
    if (clock.tick + 1) % lv.collect_every == 0:
        model.datacollector.collect(model)
    model.views.sync()


def run_analyzers(s: EngineState, lv: Levers, clock: Clock) -> None:
    """The run's analyzers take this tick's measures (:mod:`sim.metrics.analyzers`).

    Last in the hour, after ``record`` has counted the tick, so an analyzer reads
    ``model.tick`` as ticks completed. Analyzers only read: they draw no random numbers.
    """
    analyzers = clock.model.analyzers
    if analyzers:
        analyzers.step(clock.model)
