"""The reference agents' steps, one behaviour at a time, on a tiny city.

Each test sets up a situation by hand (who is where, with what plan) and checks what
the step does, in the terms of docs/ODD.md: routines, going out, offending and victim
choice, patrols, outreach, the consequences of a crime, the daily flows.
"""

from __future__ import annotations

import pytest

from sim import Scenario
from sim.config import (
    AT_ACTIVITY,
    AT_HOME,
    BURGLARY,
    COMMUNITY_PATROL,
    FREE,
    GANG_VIOLENCE,
    HOTSPOT_PATROL,
    IN_PUBLIC,
    JAILED,
    NO_GANG,
    RANDOM_PATROL,
    REACTIVE_PATROL,
    ROBBERY,
    YOUTH,
)
from sim.reference import ReferenceCrimeModel
from sim.reference.consequences import (
    attack_rival,
    decide_reporting,
    police_response,
    record_victims,
    victims_hear_outcome,
)
from sim.reference.daily import close_programmes, desist, recruit
from sim.reference.guardians import OutreachWorker, PoliceOfficer
from sim.reference.offenders import Crime, Offender
from sim.reference.residents import Plan
from sim.reference.space import chebyshev

TINY = {
    "city.width": 12, "city.height": 12, "city.districts": 2, "city.schools": 1,
    "residents.count": 120, "offenders.count": 6, "police.count": 0, "services.count": 0,
    "security.guards": 0, "offenders.gangs": 2, "offenders.gang_share": 0.0,
}


@pytest.fixture
def model(baseline: Scenario) -> ReferenceCrimeModel:
    m = ReferenceCrimeModel(scenario=baseline.with_overrides(TINY), rng=5)
    m.run_for(1)  # day 0's tasks: plans, guardianship
    return m


def a_household(model, size: int = 2):
    return next(hh for hh in (r.household for r in model.residents) if len(hh.members) >= size)


def offender_at(model, cell, gang=NO_GANG, resident=None) -> Offender:
    o = Offender(model, cell, cell, 1.0, gang, resident)
    o.out = True
    return o


def clear_streets(model):
    for o in model.offenders:
        o.leave()
    for r in model.residents:
        r.go(r.home, AT_HOME)


# --- residents ---------------------------------------------------------------------------
def test_a_workers_day_commute_work_evening_and_home(model):
    person = model.residents[0]
    work, bar = model.cells[5], model.cells[17]
    person.plan = Plan(day_cell=work, day_start=8, day_end=17, eve_cell=bar, eve_start=19,
                       eve_end=23)
    seen = {}
    for hour in range(24):
        model.tick = 24 + hour
        person.step()
        seen[hour] = (person.cell, person.where)
    assert seen[3] == (person.home, AT_HOME)
    assert seen[8] == (work, IN_PUBLIC)  # the commute: first and last hour in public
    assert seen[12] == (work, AT_ACTIVITY)
    assert seen[16] == (work, IN_PUBLIC)
    assert seen[17] == (person.home, AT_HOME)
    assert seen[20] == (bar, IN_PUBLIC)
    assert seen[23] == (person.home, AT_HOME)


def test_a_late_evening_carries_past_midnight(model):
    person = model.residents[1]
    bar = model.cells[30]
    person.plan = Plan(eve_cell=bar, eve_start=20, eve_end=25)
    person.plan_day(False, [0.99] * 6)  # no outing today
    assert (person.plan.early_cell, person.plan.early_end) == (bar, 1)
    model.tick = 48
    person.step()
    assert (person.cell, person.where) == (bar, IN_PUBLIC)


def test_a_household_is_empty_only_when_nobody_is_home(model):
    hh = a_household(model)
    assert not hh.nobody_home()
    for m in hh.members:
        m.go(m.home, IN_PUBLIC)
    assert hh.nobody_home()


# --- offenders ---------------------------------------------------------------------------
def test_going_out_starts_from_home_and_the_jailed_stay_in(model):
    o = model.offenders[0]
    o.cell = model.cells[0] if o.home is not model.cells[0] else model.cells[1]
    o.out = False
    o.decide_to_go_out(1.0, False)
    assert o.out and o.cell is o.home  # a new outing starts at home
    far = model.cells[-1]
    o.cell = far
    o.decide_to_go_out(1.0, False)
    assert o.cell is far  # an outing goes on from where it is
    o.jail(100)
    o.decide_to_go_out(1.0, False)
    assert not o.out and o.state == JAILED


def test_no_target_no_crime(model):
    clear_streets(model)
    cell = next(c for c in model.cells if not model.households_at(c))
    o = offender_at(model, cell)
    assert sum(o.hazards([])) == 0.0
    assert all(o.try_to_offend(1.0, []) is None for _ in range(50))


def test_burglars_pick_empty_homes_by_vulnerability(model):
    clear_streets(model)
    hh = a_household(model)
    cell = hh.home
    for other in model.households_at(cell):
        for m in other.members:
            m.go(m.home, AT_HOME)
    for m in hh.members:
        m.go(model.cells[0] if cell is not model.cells[0] else model.cells[1], AT_ACTIVITY)
    model.crime_rates = [1e6, 0.0, 0.0, 0.0, 0.0]
    o = offender_at(model, cell)
    crime = o.try_to_offend(1.0, [])
    assert crime is not None and crime.kind == BURGLARY and crime.victim is hh
    assert o.offended and not o.can_act


def test_street_victims_are_drawn_by_vulnerability(model):
    clear_streets(model)
    square = model.cells[40]
    people = model.residents[:4]
    for p in people:
        p.go(square, IN_PUBLIC)
    people[0].vulnerability = (1.0, 0.0, 1.0, 1.0, 1.0)  # cannot be robbed
    model.crime_rates = [0.0, 1e6, 0.0, 0.0, 0.0]
    victims = set()
    for _ in range(60):
        o = offender_at(model, square)
        crime = o.try_to_offend(1.0, [])
        assert crime.kind == ROBBERY
        victims.add(crime.victim)
        o.leave()
    assert people[0] not in victims and victims <= set(people[1:])


def test_gang_members_see_only_rivals_in_range(model):
    clear_streets(model)
    a = offender_at(model, model.cells[0], gang=0)
    near = offender_at(model, model.cells[model.city.width * 2 + 2], gang=1)
    far = offender_at(model, model.cells[-1], gang=1)
    friend = offender_at(model, model.cells[1], gang=0)
    assert a.rivals_near([a, near, far, friend]) == [near]
    near.out = False
    assert a.rivals_near([a, near, far, friend]) == []


def test_the_walk_stays_inside_the_awareness_space(model):
    clear_streets(model)
    o = offender_at(model, model.cells[0])
    model.p.offenders.awareness_radius = 2
    for _ in range(200):
        o.walk()
        assert chebyshev(o.cell, o.home) <= 2


# --- guardians ---------------------------------------------------------------------------
def test_community_officers_never_leave_their_beat(model):
    start = model.cells[0]
    officer = PoliceOfficer(model, start, COMMUNITY_PATROL, start.district, False)
    for _ in range(50):
        officer.step()
        assert officer.cell.district == start.district


def test_hot_spot_officers_patrol_the_block_around_their_spot(model):
    spot = model.cells[5 * model.city.width + 5]
    model.hot_cells = [spot]
    officer = PoliceOfficer(model, model.cells[0], HOTSPOT_PATROL, 0, False)
    officer.step()
    assert officer.target is spot
    for _ in range(20):
        officer.step()
        assert chebyshev(officer.cell, spot) <= 1


def test_reactive_officers_answer_the_oldest_call(model):
    old, new = model.cells[3], model.cells[-1]
    model.calls = [old, new]
    officer = PoliceOfficer(model, model.cells[0], REACTIVE_PATROL, 0, False)
    officer.step()  # speed 6 covers the 3 cells to the call, then it is answered
    assert model.calls == [new] and officer.target is None


def test_outreach_enrols_only_at_risk_youth_at_home(model):
    youth = next(r for r in model.residents if r.age == YOUTH)
    for r in model.residents:
        r.go(r.home, AT_ACTIVITY)
    youth.go(youth.home, AT_HOME)
    youth.marginalised = True
    worker = OutreachWorker(model, youth.home, youth.home.district)
    model.p.services.enrol_prob = 1.0
    model.p.services.contacts = 200
    assert worker.visit_homes() == 1
    assert youth.enrolled_by is worker and youth.enrolled(model.tick)
    assert worker.caseload == 1
    assert worker.visit_homes() == 0  # nobody else qualifies; no one enrols twice
    model.tick = youth.enrolled_until
    assert close_programmes(model) == 1 and worker.caseload == 0


# --- consequences ------------------------------------------------------------------------
def test_a_burglary_hurts_every_member_and_costs_trust(model):
    hh = a_household(model, size=2)
    before = [m.legitimacy for m in hh.members]
    crime = Crime(BURGLARY, hh.home, offender_at(model, hh.home), hh)
    model.group_victims = [0] * 7
    record_victims(model, [crime])
    loss = model.p.legitimacy.victim_loss
    for m, l0 in zip(hh.members, before, strict=True):
        assert m.victimisations[BURGLARY] == 1
        assert m.legitimacy == pytest.approx(l0 * (1 - loss))
    assert model.group_victims[0] == len(hh.members)


def test_reporting_follows_trust(model):
    victim = model.residents[0]
    crimes = [Crime(ROBBERY, victim.home, offender_at(model, victim.home), victim)
              for _ in range(400)]
    victim.legitimacy = 1.0
    model.report_probs = [0.5] * 5
    decide_reporting(model, crimes)
    trusting = sum(c.reported for c in crimes) / len(crimes)
    victim.legitimacy = 0.0
    decide_reporting(model, crimes)
    distrusting = sum(c.reported for c in crimes) / len(crimes)
    slope, ref = model.p.legitimacy.report_slope, model.p.residents.legitimacy_mean
    assert trusting == pytest.approx(min(1.0, 0.5 * 2.718281828 ** (slope * (1 - ref))),
                                     abs=0.08)
    assert distrusting == pytest.approx(0.5 * 2.718281828 ** (-slope * ref), abs=0.08)


def test_an_honest_officer_on_the_spot_can_arrest_and_jail(model):
    cell = model.cells[50]
    model.officers.append(PoliceOfficer(model, cell, RANDOM_PATROL, 0, False))
    model.p.police.detect_prob = 1.0
    model.p.police.conviction_prob = 1.0
    model.arrest_probs = [1.0] * 5
    o = offender_at(model, cell)
    crime = Crime(ROBBERY, cell, o, model.residents[0], reported=True)
    police_response(model, [crime])
    assert crime.arrested and not crime.bribed
    assert o.state == JAILED and o.arrests == 1 and o.release > model.tick
    victim = model.residents[0]
    l0 = victim.legitimacy
    victims_hear_outcome(model, [crime])
    assert victim.legitimacy > l0  # an answered report is fair contact


def test_a_corrupt_officer_takes_the_bribe_and_the_district_hears(model):
    cell = model.cells[50]
    model.officers.append(PoliceOfficer(model, cell, RANDOM_PATROL, 0, True))
    model.p.police.detect_prob = 1.0
    model.p.police.bribe_prob = 1.0
    o = offender_at(model, cell)
    crime = Crime(ROBBERY, cell, o, model.residents[0])
    police_response(model, [crime])
    assert crime.bribed and not crime.arrested and o.state == FREE
    assert model.bribes[cell.district] == 1


def test_gang_violence_hits_the_rival_and_leaves_a_grievance(model):
    clear_streets(model)
    youth = [r for r in model.residents if r.offender is None][:1]
    attacker = offender_at(model, model.cells[0], gang=0)
    rival = offender_at(model, model.cells[1], gang=1, resident=youth[0])
    crime = Crime(GANG_VIOLENCE, attacker.cell, attacker)
    model.p.flows.bystander_prob = 0.0
    attack_rival(model, crime)
    assert crime.victim is rival.resident
    assert model.grievance[1][0] == 1.0 and model.grievance[0][1] == 0.0


# --- daily flows -------------------------------------------------------------------------
def test_recruits_are_youth_anchored_at_home(model):
    model.p.flows.recruitment_rate = 1e6
    before = {id(o) for o in model.offenders}
    n = recruit(model)
    new = [o for o in model.offenders if id(o) not in before]
    assert n == len(new) > 0
    assert all(o.resident.age == YOUTH and o.home is o.resident.home
               and o.resident.offender is o for o in new)


def test_desisters_leave_and_become_ordinary_residents(model):
    model.p.flows.desistance_rate = 1e6
    people = [o.resident for o in model.offenders]
    assert desist(model) == len(people)
    assert model.offenders == []
    assert all(p.offender is None for p in people)
