"""What follows a tick's crimes: victims, reporting, the police response, trust.

Step 7 of the hourly order (docs/ODD.md §3.1), in the fast engine's phases
(``sim/kernels/consequences.py``): first every crime's victims are recorded, then
every victim decides whether to report, then the police and CCTV respond to every
crime, then the victims who reported learn the outcome; transient burglars leave;
finally the crimes are counted on the city's layers.

- **Victims** (§7.5-§7.7): a burglary hurts every member of the household; gang
  violence hurts the rival found nearby (whose gang now holds a grievance:
  retaliation, Decker 1996) and, with ``flows.bystander_prob``, a bystander.
- **Reporting** (§7.12): ``p = report_prob * exp(slope * (L - L_ref))`` -- trust in the
  police brings crime out of the dark figure (Tyler 2004).
- **Response** (§7.11): each officer within the deterrence radius may see the crime;
  an honest one may arrest, a corrupt one may take a bribe. Failing that, CCTV may
  identify the offender, and a reported crime may be solved by investigation. An
  arrest may end in jail for an exponentially distributed term.
- **Trust** (§7.13): an arrest after a report is fair contact; silence costs trust.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.config import GANG_VIOLENCE, N_CRIME
from sim.reference.offenders import Crime, Offender
from sim.reference.residents import Household, Resident
from sim.reference.space import chebyshev

if TYPE_CHECKING:
    from sim.reference.model import ReferenceCrimeModel

#: Calls for service the reactive officers remember (the newest).
CALL_QUEUE = 64


def victims_of(crime: Crime) -> list[Resident]:
    """The residents hurt by a crime: the household's members, or the one victim."""
    if isinstance(crime.victim, Household):
        return list(crime.victim.members)
    return [crime.victim] if isinstance(crime.victim, Resident) else []


def reporter_of(crime: Crime) -> Resident | None:
    """Who decides whether to report: the victim, or a burgled household's first member."""
    if isinstance(crime.victim, Household):
        return crime.victim.members[0]
    return crime.victim if isinstance(crime.victim, Resident) else None


def record_victims(model: ReferenceCrimeModel, crimes: list[Crime]) -> None:
    """Find gang violence's victims, and count every victim of every crime."""
    if not model.residents:
        return  # Short et al.'s lattice: nobody to count
    for crime in crimes:
        if crime.kind == GANG_VIOLENCE:
            attack_rival(model, crime)
        for person in victims_of(crime):
            person.victimised(crime.kind)


def attack_rival(model: ReferenceCrimeModel, crime: Crime) -> None:
    """Gang violence: the first rival out within range is hit, maybe a bystander too.

    The rival's gang then holds a grievance against the attacker's (it fades daily).
    The rival's resident record is the crime's victim; a bystander drawn uniformly from
    the people in public is also hurt, but is not the one who reports.
    """
    attacker = crime.offender
    rival = next(iter(attacker.rivals_near(model.offenders)), None)
    if rival is not None:
        model.grievance[rival.gang][attacker.gang] = 1.0
        crime.victim = rival.resident
    if model.random.random() < model.p.flows.bystander_prob:
        people = model.people_in_public(crime.cell)
        if people:
            people[int(model.random.random() * len(people))].victimised(crime.kind)


def decide_reporting(model: ReferenceCrimeModel, crimes: list[Crime]) -> None:
    """Each crime is reported with ``min(1, report_prob * exp(slope * (L - L_ref)))``.

    With no resident victim, a witness reports at the crime type's base rate.
    """
    slope = model.p.legitimacy.report_slope
    ref = model.p.residents.legitimacy_mean
    for crime in crimes:
        p = model.report_probs[crime.kind]
        who = reporter_of(crime)
        if who is not None:
            p *= math.exp(slope * (who.legitimacy - ref))
        crime.reported = model.random.random() < min(p, 1.0)


def police_response(model: ReferenceCrimeModel, crimes: list[Crime]) -> None:
    """Arrest, bribe or nothing, for each crime in turn; convicted offenders go to jail."""
    pp = model.p.police
    for crime in crimes:
        for officer in model.officers:
            if chebyshev(officer.cell, crime.cell) > pp.deterrence_radius:
                continue
            if model.random.random() >= pp.detect_prob:
                continue  # this officer did not see it
            if officer.corrupt and model.random.random() < pp.bribe_prob:
                take_bribe(model, crime)
                break
            if model.random.random() < model.arrest_probs[crime.kind]:
                crime.arrested = True
                break
        if not crime.arrested and not crime.bribed and crime.cell.cctv > 0.0:
            crime.arrested = (model.random.random()
                              < model.p.security.cctv_detection * crime.cell.cctv)
        if not crime.arrested and not crime.bribed and crime.reported:
            investigate(model, crime)
        if crime.arrested:
            arrest(model, crime.offender, crime.kind)


def investigate(model: ReferenceCrimeModel, crime: Crime) -> None:
    """Investigation: a reported crime is solved with ``clearance_prob``.

    The case falls to one officer, and a corrupt one may sell the offender the case.
    """
    crime.arrested = model.random.random() < model.clearance_probs[crime.kind]
    officers = list(model.officers)
    if crime.arrested and officers:
        officer = officers[int(model.random.random() * len(officers))]
        if officer.corrupt and model.random.random() < model.p.police.bribe_prob:
            crime.arrested = False
            take_bribe(model, crime)


def take_bribe(model: ReferenceCrimeModel, crime: Crime) -> None:
    """The offender walks; the district's residents will hear of it tomorrow."""
    crime.bribed = True
    model.bribes[crime.cell.district] += 1


def arrest(model: ReferenceCrimeModel, offender: Offender, kind: int) -> None:
    """An arrest; with ``police.conviction_prob`` a jail term of mean ``jail_days``."""
    offender.arrests += 1
    if model.random.random() < model.p.police.conviction_prob:
        mean_ticks = model.jail_days[kind] * model.ticks_per_day
        term = max(1, int(-math.log(1.0 - model.random.random()) * mean_ticks + 0.5))
        offender.jail(term)


def victims_hear_outcome(model: ReferenceCrimeModel, crimes: list[Crime]) -> None:
    """Victims who reported: an arrest is fair contact, silence costs trust."""
    for crime in crimes:
        if not crime.reported:
            continue
        for person in victims_of(crime):
            if crime.arrested:
                person.fair_contact()
            else:
                person.lose_trust(model.p.legitimacy.unanswered_loss)


def count_crimes(model: ReferenceCrimeModel, crimes: list[Crime]) -> dict[str, int]:
    """Add the crimes to the city's layers and the call queue; return the tick's counts.

    Crime counts per cell and type, the near-repeat input E, the reported-crime heat
    hot-spot policing follows, and the calls reactive officers answer.
    """
    city = model.city
    counts = {"reported": 0, "arrests": 0, "bribes": 0, "by_type": [0] * N_CRIME}
    for crime in crimes:
        x, y = crime.cell.coordinate
        counts["by_type"][crime.kind] += 1
        city.crime_count[crime.kind, y, x] += 1
        if model.near_repeat_types[crime.kind]:
            model.e_field[y, x] += 1.0
        if crime.reported:
            counts["reported"] += 1
            city.reported_heat[y, x] += 1.0
            model.calls.append(crime.cell)
        counts["arrests"] += crime.arrested
        counts["bribes"] += crime.bribed
    del model.calls[:-CALL_QUEUE]
    model.log_events(crimes)
    return counts


def consequences(model: ReferenceCrimeModel, crimes: list[Crime]) -> dict[str, int]:
    """Step 7: everything that follows this tick's crimes, in the fast engine's phases."""
    record_victims(model, crimes)
    decide_reporting(model, crimes)
    police_response(model, crimes)
    victims_hear_outcome(model, crimes)
    counts = count_crimes(model, crimes)
    if model.p.offenders.transient:  # Short et al.: a burglar leaves after one burglary
        for crime in crimes:
            crime.offender.leave()
    return counts
