"""Levers: every rate the crime model's tick reads, in one typed object.

The scenario's parameters are nested and validated; reading them every tick would cost
more than some kernels. :class:`Levers` copies them once, at set-up, into flat typed
attributes. It is also the one place interventions change rates: a plug-in sets
``model.levers.bribe_prob`` or scales ``model.levers.crime_rates`` in place, and the
next phase that reads the lever sees the new value. Nothing else caches a rate.

Per-crime-type rates are arrays in ``CRIME_TYPES`` order, gathered in
:class:`sim.kernels.arrays.TypeRates` (a named tuple of arrays the kernels take as
one argument). They are changed in place, never replaced, so the tuple always holds
the live arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.config import CRIME_TYPES, FLOAT, INT, N_CRIME
from sim.crime.deterrence import DeterrenceLevers, deterrence_levers
from sim.crime.fear import FearLevers, avoidance, fear_levers
from sim.crime.integration import IntegrationLevers, integration_levers
from sim.crime.justice import JusticeLevers, justice_levers
from sim.crime.market import MarketLevers, market_levers
from sim.kernels.arrays import TypeRates
from sim.kernels.domestic import check_params


@dataclass(slots=True)
class Levers:
    """The rates the tick reads, which interventions may change.

    Attributes are grouped by the part of the model that reads them; each is named
    after its scenario key (``police.detect_prob`` -> ``detect_prob``) unless noted.
    """

    # per crime type (arrays, changed in place)
    by_type: TypeRates
    # police
    police_speed: int
    police_deterrence: float
    radius: int  # police.deterrence_radius
    detect_prob: float
    bribe_prob: float
    conviction_prob: float
    community_contacts: int
    hotspot_cells: int
    hotspot_refresh_days: int
    corrupt_deterrence: float
    # outreach services
    capacity: int
    contacts: int
    enrol_prob: float
    enrolled_effect: float  # services.motivation_effect
    programme_ticks: int  # services.programme_days in ticks
    recruitment_effect: float
    desistance_boost: float
    # legitimacy
    fair_gain: float  # legitimacy.fair_contact_gain
    corruption_loss: float
    victim_loss: float
    unanswered_loss: float
    report_slope: float
    legit_ref: float  # residents.legitimacy_mean: the reporting curve's centre
    legit_keep: float  # daily reversion factor, from legitimacy.reversion_days
    contacts_on: bool  # legitimacy.contacts_enabled (sim.kernels.police_contacts)
    contacts_per_hour: float
    fair_share: float  # procedural justice training raises it
    solicit_prob: float
    bad_weight: float  # legitimacy.bad_contact_weight
    hearsay_weight: float
    corrupt_case_loss: float
    # routines
    night_start: int
    night_end: int
    work_start: int
    work_end: int
    school_end: int
    evening_start: int
    local_radius: int
    day_out: np.ndarray  # per age group
    eve_out: np.ndarray
    eve_hours: np.ndarray
    night_choice: np.ndarray
    gravity: bool  # routines.destination_rule == "gravity"
    routes: bool  # routines.route_exposure
    transit: float  # routines.transit_share when routes are on, else 1
    # offenders
    active_day: float
    active_evening: float
    active_night: float
    always_active: bool
    moves: int  # offenders.moves_per_tick
    home_decay: float
    awareness: float  # offenders.awareness_radius
    compliance: float
    transient: bool
    spawn_lambda: float  # expected transient offenders spawned per tick, city-wide
    motivation_mean: float
    motivation_shape: float
    # awareness space and repeat victimisation (sim.kernels.awareness)
    aw_enabled: bool  # awareness.enabled (never with always_active)
    aw_weights: np.ndarray  # anchor weight by node kind (NODE_KINDS order)
    aw_hours: int  # awareness.outing_hours
    aw_leisure_cells: float  # awareness.leisure_km in cells
    aw_family_cells: float  # awareness.family_km in cells
    aw_youth_reach: float
    repeat_enabled: bool  # repeat.enabled (and awareness on)
    repeat_days: int  # repeat.memory_days
    repeat_prob: float  # repeat.return_prob (0 when repeat is off)
    # flows: recruitment, desistance, gang violence
    recruitment_rate: float
    recruitment_deprivation: float
    recruitment_gang: float
    gang_join: float
    desistance_prob: float  # per day, from flows.desistance_rate
    retaliation: float
    grievance_keep: float  # daily fading, from flows.retaliation_days
    gang_radius: int
    bystander_prob: float
    # space, guardianship, near-repeat
    neighbourhood: int  # city.neighbourhood
    crowd: float  # guardianship.crowd
    cooperation: float  # guardianship.cooperation
    guard_deterrence: float  # security.guard_deterrence
    cctv_deterrence: float  # security.cctv_deterrence
    cctv_detection: float
    eta: float
    omega_dt: float
    theta: float
    dt: float
    # relationships: violence at home and among acquaintances (sim.kernels.domestic's
    # P_* layout: enabled, assault and sexual-violence rates, family sexual factor,
    # ex-partner contact, night factor, acquaintance weight); changed in place
    relationships: np.ndarray
    # metrics
    collect_every: int
    # fear of crime (sim/crime/fear.py; off unless fear.enabled)
    fear: FearLevers = field(default_factory=FearLevers)
    # routines: an outing is skipped with probability avoid x the resident's fear
    avoid_day: float = 0.0  # fear.avoid_day (0 when fear is off)
    avoid_evening: float = 0.0  # fear.avoid_evening (0 when fear is off)
    # the illicit market (sim/crime/market.py; off unless market.enabled)
    market: MarketLevers = field(default_factory=MarketLevers)
    # capacity-limited justice (sim/crime/justice.py; off unless justice.enabled)
    justice: JusticeLevers = field(default_factory=JusticeLevers)
    # integrated action of police and services (sim/crime/integration.py)
    integration: IntegrationLevers = field(default_factory=IntegrationLevers)
    # deterrence by perceived risk and police presence (sim/crime/deterrence.py)
    deterrence: DeterrenceLevers = field(default_factory=DeterrenceLevers)

    @property
    def packed_by_type(self) -> tuple[np.ndarray, ...]:
        """``by_type`` as a plain tuple, for the kernels called from Python."""
        return tuple(self.by_type)

    @property
    def crime_rates(self) -> np.ndarray:
        """Base hazard rate per crime type; change it in place."""
        return self.by_type.rate

    @property
    def darkness(self) -> np.ndarray:
        """Night-time lift per crime type where lighting is poor; in place."""
        return self.by_type.darkness

    @property
    def report_probs(self) -> np.ndarray:
        """Base reporting probability per crime type; in place."""
        return self.by_type.report

    @property
    def arrest_probs(self) -> np.ndarray:
        """Arrest probability per crime type when an officer detects it; in place."""
        return self.by_type.arrest

    @property
    def clearance_probs(self) -> np.ndarray:
        """Probability an investigation solves a reported crime, per type; in place."""
        return self.by_type.clearance

    @property
    def jail_ticks(self) -> np.ndarray:
        """Jail term per crime type, in ticks; in place."""
        return self.by_type.jail_ticks

    def active_prob(self, hour: int) -> float:
        """Probability an offender goes out at ``hour`` (night, evening or day rate)."""
        if hour < self.night_end or hour >= 18:
            return self.active_evening if hour >= 18 else self.active_night
        return self.active_day

    def outing_start_prob(self, hour: int) -> float:
        """Probability an offender at home starts an outing at ``hour``.

        An offender alternates spells at home (each hour ending with probability ``s``)
        and outings of mean length ``D``, so the share of hours out is
        ``sD / (1 + sD)``. Setting it to the hour's ``active_*`` share ``p`` gives
        ``s = p / (D (1 - p))``: offenders are out as often as with the hourly toss.
        """
        p = self.active_prob(hour)
        if p >= 1.0:
            return 1.0
        return min(1.0, p / (self.aw_hours * (1.0 - p)))

    def is_night(self, hour: int) -> bool:
        """Whether ``hour`` is dark (lighting matters then)."""
        return hour >= self.night_start or hour < self.night_end


def _per_type(crime: Any, key: str, scale: float = 1.0) -> np.ndarray:
    return np.array([getattr(crime[t], key) * scale for t in CRIME_TYPES], FLOAT)


def _clearance(p: Any) -> np.ndarray:
    """Clearance probability per crime type, as the consequences kernel reads it.

    While capacity-limited justice is on, ``justice.clearance`` (the clearance at the
    reference effort ratio, which sim/crime/justice.py scales by the day's capacity);
    otherwise the crime table's fixed ``clearance_prob`` (the classic model, the lattice).
    """
    if justice_levers(p).enabled:
        return np.array([getattr(p.justice.clearance, t) for t in CRIME_TYPES], FLOAT)
    return _per_type(p.crime, "clearance_prob")


def _repeat_boost(p: Any) -> np.ndarray:
    """Hazard multiplier per type near a remembered burglary (burglary only; 1: none)."""
    boost = np.ones(N_CRIME, FLOAT)
    if _awareness_levers(p)["repeat_enabled"]:
        boost[0] = p.repeat.boost
    return boost


def _awareness_levers(p: Any) -> dict[str, Any]:
    """The awareness space's and repeat victimisation's levers (off on the lattice)."""
    aw, rep = p.awareness, p.repeat
    on = aw.enabled and not p.offenders.always_active and p.residents.count > 0
    km = 1000.0 / p.city.cell_size_m
    weights = np.array([aw.weight_home, aw.weight_activity, aw.weight_leisure,
                        aw.weight_family, aw.weight_turf, 0.0], FLOAT)
    return dict(aw_enabled=on, aw_weights=weights, aw_hours=aw.outing_hours,
                aw_leisure_cells=aw.leisure_km * km, aw_family_cells=aw.family_km * km,
                aw_youth_reach=aw.youth_reach, repeat_enabled=on and rep.enabled,
                repeat_days=rep.memory_days,
                repeat_prob=rep.return_prob if on and rep.enabled else 0.0)


def levers_from_params(p: Any, n_cells: int) -> Levers:
    """Copy the scenario's rates into a :class:`Levers` (``p``: validated Params)."""
    tpd, dt = p.time.ticks_per_day, p.time.dt
    crime, pol, svc, leg, r = p.crime, p.police, p.services, p.legitimacy, p.routines
    off, flows = p.offenders, p.flows
    ages = ("youth", "adult", "elderly")
    near_repeat = (np.ones(N_CRIME, bool) if p.near_repeat.crime_types == "all"
                   else np.arange(N_CRIME) == 0)
    by_type = TypeRates(
        rate=_per_type(crime, "rate"), darkness=_per_type(crime, "darkness"),
        report=_per_type(crime, "report_prob"), arrest=_per_type(crime, "arrest_prob"),
        clearance=_clearance(p),
        jail_ticks=_per_type(crime, "jail_days", tpd), near_repeat=near_repeat,
        repeat_boost=_repeat_boost(p))
    return Levers(
        by_type=by_type,
        police_speed=pol.speed, police_deterrence=pol.deterrence,
        radius=pol.deterrence_radius, detect_prob=pol.detect_prob, bribe_prob=pol.bribe_prob,
        conviction_prob=pol.conviction_prob, community_contacts=pol.community_contacts,
        hotspot_cells=pol.hotspot_cells, hotspot_refresh_days=pol.hotspot_refresh_days,
        corrupt_deterrence=pol.corrupt_deterrence,
        capacity=svc.capacity, contacts=svc.contacts, enrol_prob=svc.enrol_prob,
        enrolled_effect=svc.motivation_effect, programme_ticks=svc.programme_days * tpd,
        recruitment_effect=svc.recruitment_effect, desistance_boost=svc.desistance_boost,
        fair_gain=leg.fair_contact_gain, corruption_loss=leg.corruption_loss,
        victim_loss=leg.victim_loss, unanswered_loss=leg.unanswered_loss,
        report_slope=leg.report_slope, legit_ref=p.residents.legitimacy_mean,
        legit_keep=0.5 ** (1.0 / leg.reversion_days),
        contacts_on=leg.contacts_enabled, contacts_per_hour=leg.contacts_per_hour,
        fair_share=leg.fair_share, solicit_prob=leg.solicit_prob,
        bad_weight=leg.bad_contact_weight, hearsay_weight=leg.hearsay_weight,
        corrupt_case_loss=leg.corrupt_case_loss,
        night_start=r.night_start, night_end=r.night_end, work_start=r.work_start,
        work_end=r.work_end, school_end=r.school_end, evening_start=r.evening_start,
        local_radius=r.local_radius,
        day_out=np.array([getattr(r.day_out, a) for a in ages]),
        eve_out=np.array([getattr(r.evening_out, a) for a in ages]),
        eve_hours=np.array([getattr(r.evening_hours, a) for a in ages], INT),
        night_choice=np.array([getattr(r.nightlife_choice, a) for a in ages]),
        gravity=r.destination_rule == "gravity", routes=r.route_exposure,
        transit=r.transit_share if r.route_exposure else 1.0,
        active_day=off.active_day, active_evening=off.active_evening,
        active_night=off.active_night, always_active=off.always_active,
        moves=off.moves_per_tick, home_decay=off.home_decay,
        awareness=float(off.awareness_radius), compliance=off.compliance,
        transient=off.transient, spawn_lambda=off.spawn_rate * dt * n_cells,
        motivation_mean=off.motivation_mean, motivation_shape=off.motivation_shape,
        **_awareness_levers(p),
        recruitment_rate=flows.recruitment_rate,
        recruitment_deprivation=flows.recruitment_deprivation,
        recruitment_gang=flows.recruitment_gang, gang_join=flows.gang_join,
        desistance_prob=-math.expm1(-flows.desistance_rate),
        retaliation=flows.retaliation, grievance_keep=math.exp(-1.0 / flows.retaliation_days),
        gang_radius=flows.gang_radius, bystander_prob=flows.bystander_prob,
        neighbourhood=p.city.neighbourhood, crowd=p.guardianship.crowd,
        cooperation=p.guardianship.cooperation,
        guard_deterrence=p.security.guard_deterrence,
        cctv_deterrence=p.security.cctv_deterrence, cctv_detection=p.security.cctv_detection,
        eta=p.near_repeat.eta, omega_dt=p.near_repeat.omega * dt, theta=p.near_repeat.theta,
        dt=dt, relationships=relationship_params(p.relationships),
        collect_every=p.metrics.collect_every,
        fear=fear_levers(p), avoid_day=avoidance(p)[0], avoid_evening=avoidance(p)[1],
        market=market_levers(p),
        justice=justice_levers(p),
        integration=integration_levers(p),
        deterrence=deterrence_levers(p),
    )


def relationship_params(rel: Any) -> np.ndarray:
    """The ``relationships`` table as the domestic kernel's parameter array (``P_*``)."""
    return check_params(np.array([
        1.0 if rel.enabled else 0.0, rel.assault_rate, rel.sexual_violence_rate,
        rel.family_sexual_factor, rel.ex_contact, rel.night_factor, rel.acquaintance_weight,
    ], FLOAT))


__all__ = ["Levers", "levers_from_params"]
