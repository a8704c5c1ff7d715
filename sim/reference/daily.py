"""The day's slow processes, run at the first tick of every day (docs/ODD.md §3.2).

Trust drifts back toward each resident's baseline and suffers from news of bribes;
programmes end; deprived youth are drawn into offending (Sampson et al. 1997;
Thornberry et al. 2003 on gangs) and offenders desist (Laub & Sampson 2003); gang
grievances and the crime analyst's map of reported crime fade; a survey year closes.
Then every day, day 0 included: everyone plans the day, standing guardianship is
recomputed, and the hot-spot list is refreshed. The fast engine's twin is
``sim/crime/daily.py`` with ``sim/kernels/flows.py``, ``services.py`` and ``legitimacy.py``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from sim.city.target import hot_spot_cells
from sim.config import FREE, HOTSPOT_PATROL, NO_GANG, YOUTH
from sim.crime.daily import HEAT_KEEP
from sim.reference.guardianship import standing_guardianship
from sim.reference.offenders import Offender
from sim.reference.residents import Resident
from sim.reference.space import cell_at

if TYPE_CHECKING:
    from sim.reference.model import ReferenceCrimeModel


def run_daily(model: ReferenceCrimeModel, day: int) -> None:
    """The daily tasks for ``day``, in the fast engine's order."""
    if day > 0:
        if model.residents:
            relax_legitimacy(model)
            model.enrolled -= close_programmes(model)
            model.day_counts["recruits"] += recruit(model)
        if model.p.flows.desistance_rate > 0:
            model.day_counts["desistances"] += desist(model)
        model.bribes[:] = [0] * len(model.bribes)
        keep = math.exp(-1.0 / model.p.flows.retaliation_days)
        model.grievance = [[g * keep for g in row] for row in model.grievance]
        model.city.reported_heat *= HEAT_KEEP
        if day % 365 == 0:
            model.close_survey_year()
    if model.residents:
        model.agents_of(Resident).do("plan_day", (day % 7) >= 5)
        model.measure_legitimacy()
    standing_guardianship(model)
    if model.officers:
        if day % model.p.police.hotspot_refresh_days == 0:
            model.hot_cells = hot_list(model)
        for officer in model.officers:  # each hot-spot officer picks a hot spot anew
            if officer.strategy == HOTSPOT_PATROL:
                officer.target = None


def relax_legitimacy(model: ReferenceCrimeModel) -> None:
    """Trust relaxes toward each resident's baseline, then falls with local bribes.

    Each bribe taken in a district yesterday costs its residents ``corruption_loss`` of
    their trust, scaled by 1000 / district residents (news spreads by neighbourhood).
    """
    keep = 0.5 ** (1.0 / model.p.legitimacy.reversion_days)
    loss = model.p.legitimacy.corruption_loss
    for person in model.residents:
        d = person.home.district
        bribes = model.bribes[d]
        news = min(1.0, loss * bribes * 1000.0 / max(model.residents_in_district[d], 1)) \
            if bribes > 0 else 0.0
        person.relax_legitimacy(keep, news)


def close_programmes(model: ReferenceCrimeModel) -> int:
    """End the programmes whose time is up, freeing the workers' caseload."""
    closed = 0
    for person in model.residents:
        if person.enrolled_by is not None and person.enrolled_until <= model.tick:
            person.enrolled_by.caseload -= 1
            person.enrolled_by = None
            closed += 1
    return closed


def recruitment_hazard(model: ReferenceCrimeModel, person: Resident) -> float:
    """Daily hazard of a young resident being drawn into offending (§7.16).

    ``rate * (1 + dep_gain * deprivation) * (1 - L) * (1 + gang_gain)^[gang territory]
    * (1 - programme effect)^[enrolled]``
    """
    fp = model.p.flows
    hz = fp.recruitment_rate * (1.0 + fp.recruitment_deprivation * person.home.deprivation)
    hz *= 1.0 - person.legitimacy
    if model.territory[person.home.district] != NO_GANG:
        hz *= 1.0 + fp.recruitment_gang
    if person.enrolled(model.tick):
        hz *= 1.0 - model.p.services.recruitment_effect
    return hz


def recruit(model: ReferenceCrimeModel) -> int:
    """Young residents who are not offenders may become one; returns how many did.

    A recruit is anchored at home with a fresh Gamma motivation and, in gang
    territory, joins the territory's gang with ``flows.gang_join``.
    """
    op, n = model.p.offenders, 0
    for person in model.residents:
        if person.age != YOUTH or person.offender is not None:
            continue
        if model.random.random() >= 1.0 - math.exp(-recruitment_hazard(model, person)):
            continue
        motivation = model.random.gammavariate(op.motivation_shape,
                                               op.motivation_mean / op.motivation_shape)
        gang = model.territory[person.home.district]
        if gang != NO_GANG and not model.random.random() < model.p.flows.gang_join:
            gang = NO_GANG
        Offender(model, person.home, person.home, motivation, gang, person)
        n += 1
    return n


def desist(model: ReferenceCrimeModel) -> int:
    """Free offenders stop offending with a daily probability; programmes speed it."""
    p_day = -math.expm1(-model.p.flows.desistance_rate)
    n = 0
    for offender in model.offenders:
        if offender.state != FREE:
            continue
        p = p_day
        if offender.resident is not None and offender.resident.enrolled(model.tick):
            p = min(1.0, p * model.p.services.desistance_boost)
        if model.random.random() < p:
            offender.leave()
            n += 1
    return n


def hot_list(model: ReferenceCrimeModel) -> list:
    """The crime analyst's map: the cells with the most reported crime (fading).

    ``police.hotspot_cells`` of them; ties, and cells never reported, are ranked by
    attractiveness.
    """
    city = model.city
    order = hot_spot_cells(city.reported_heat.ravel(), (city.a0 + city.b).ravel(),
                           model.p.police.hotspot_cells)
    return [cell_at(model.grid, int(c)) for c in order]
