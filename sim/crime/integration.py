"""Integrated action of police and services: the phases that run the partnership.

Two phases of :mod:`sim.crime.plan` (the mechanism and its kernels:
:mod:`sim.kernels.referrals`):

- ``referrals`` (hourly, after ``consequences``): police refer this tick's arrested
  youth and reported victims of violence at home to services;
- ``shared cases`` (daily, after ``hot spots``): cases whose time is up close;
  outreach workers in a tense gang's territory alert police; services enrol referred
  youth before any street outreach; and police take the open cases' cells onto the
  hot-spot list and the calls for service.

The mechanism runs only when ``integration.enabled`` and the city has both officers
and outreach workers (a partnership needs both partners). Off, neither phase draws
a random number or changes anything, so the classic model is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import INT
from sim.kernels import referrals

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

#: Calls for service kept (as :data:`sim.crime.hourly.MAX_CALLS`).
MAX_CALLS = 64


@dataclass(slots=True)
class IntegrationLevers:
    """The partnership's rates (scenario table ``integration``); interventions may change them.

    Attributes:
        on: ``integration.enabled`` and the city has officers and outreach workers.
        referral_prob: Probability police refer an arrested youth or a reported victim.
        support_effect: ``integration.victim_support_effect``.
        case_ticks: How long a case stays open, in ticks.
        tension_threshold: Grievance above which workers alert police.
        tension_ticks: How long a tension alert keeps its gang's cells on the list.
        shared_cases: Whether police read the case cells (hot list, calls).
        case_slots: Capacity of the case list.
    """

    on: bool = False
    referral_prob: float = 0.0
    support_effect: float = 0.0
    case_ticks: int = 1
    tension_threshold: float = 0.0
    tension_ticks: int = 1
    shared_cases: bool = False
    case_slots: int = 1


def integration_levers(p: Any) -> IntegrationLevers:
    """The partnership's levers from validated scenario parameters ``p``."""
    it = p.integration
    lv = IntegrationLevers(
        on=bool(it.enabled and p.police.count > 0 and p.services.count > 0
                and p.residents.count > 0),
        referral_prob=it.referral_prob, support_effect=it.victim_support_effect,
        case_ticks=it.case_days * p.time.ticks_per_day, tension_threshold=it.tension_threshold,
        tension_ticks=it.tension_days * p.time.ticks_per_day, shared_cases=it.shared_cases,
        case_slots=it.case_slots)
    referrals.check_levers(lv.referral_prob, lv.support_effect, lv.case_ticks)
    return lv


@dataclass
class SharedCases:
    """The case list and the partnership's running counts.

    Attributes:
        cases: The case list (:class:`sim.kernels.referrals.CaseList`).
        packed: ``cases`` as a plain tuple, for the kernels.
        counts: Youth referred, victims referred, youth enrolled from referrals,
            tension alerts, referrals dropped, cases closed, tension cases extended by
            a new day's alert (``referrals.N_*``).
        analyst_hot: The analyst's hot-spot list the case cells were added to.
        shared_hot: The list this phase last set (to notice a new analyst's list).
    """

    cases: referrals.CaseList
    packed: tuple[Any, ...]
    counts: np.ndarray = field(default_factory=lambda: np.zeros(referrals.N_COUNTS, INT))
    analyst_hot: np.ndarray = field(default_factory=lambda: np.zeros(0, INT))
    shared_hot: Any = None

    @classmethod
    def of(cls, slots: int) -> SharedCases:
        """An empty case list of ``slots`` slots."""
        cases = referrals.empty_cases(slots)
        return cls(cases, tuple(cases))

    def summary(self) -> dict[str, int]:
        """The running counts by name (for reports and experiments)."""
        names = ("youth_referred", "victims_referred", "youth_enrolled", "tension_alerts",
                 "dropped", "closed", "tension_extended")
        return {k: int(v) for k, v in zip(names, self.counts, strict=True)}


def _cases(s: EngineState, lv: Levers) -> SharedCases:
    if s.cases is None:
        s.cases = SharedCases.of(lv.integration.case_slots)
    return s.cases


def refer(s: EngineState, lv: Levers, clock: Clock) -> None:
    """7b. Police refer this tick's arrested youth and reported victims of home violence."""
    it = lv.integration
    if not it.on or not clock.n_events:
        return
    sc, res, off = _cases(s, lv), s.residents, s.offenders
    referrals.refer(clock.tick, s.scratch.events, clock.n_events, res.age, res.home, off.kind,
                    off.born, off.motivation, it.referral_prob, it.support_effect,
                    it.case_ticks, sc.packed, sc.counts, s.rng)


def shared_cases(s: EngineState, lv: Levers, clock: Clock) -> None:
    """0a. The day's case work: close, alert, enrol the referred, police read the list."""
    it = lv.integration
    if not it.on:
        return
    sc, off, res, j = _cases(s, lv), s.offenders, s.residents, s.justice
    wk, cells = s.outreach.workers, s.city.arrays
    sc.counts[referrals.N_CLOSED] += referrals.close_cases(
        clock.tick, sc.packed, off.kind, off.born, off.motivation)
    alerts, extended, dropped = referrals.alert_tension(
        clock.tick, j.grievance, it.tension_threshold, s.city.territory, wk.pos, wk.district,
        cells.district, it.tension_ticks, sc.packed)
    sc.counts[referrals.N_ALERTS] += alerts
    sc.counts[referrals.N_EXTENDED] += extended
    sc.counts[referrals.N_DROPPED] += dropped
    enrolled = referrals.enrol_referred(
        clock.tick, sc.packed, wk.district, wk.caseload, lv.capacity, cells.district,
        res.enrolled_until, res.enrolled_by, lv.programme_ticks)
    s.tallies.enrolled += enrolled
    sc.counts[referrals.N_ENROLLED] += enrolled
    if it.shared_cases:
        share_with_police(s, sc, clock.tick)


def share_with_police(s: EngineState, sc: SharedCases, tick: int) -> None:
    """Police take the open cases' cells onto the hot-spot list and the calls for service.

    The hot list becomes the analyst's list plus the case cells not on it (a new
    analyst's list, from the hot-spot refresh or a plug-in, is noticed and kept as the
    base); the case cells join the calls, so reactive officers visit them today.
    """
    j = s.justice
    if j.hot_cells is not sc.shared_hot:
        sc.analyst_hot = j.hot_cells
    cells = referrals.open_cells(sc.cases, tick).astype(INT)
    extra = cells[~np.isin(cells, sc.analyst_hot)]
    j.hot_cells = np.concatenate([sc.analyst_hot, extra]).astype(INT) if extra.size \
        else sc.analyst_hot
    sc.shared_hot = j.hot_cells
    if cells.size:
        j.calls = np.concatenate([j.calls, cells[:MAX_CALLS // 2]])[-MAX_CALLS:]


__all__ = ["IntegrationLevers", "SharedCases", "integration_levers", "refer", "share_with_police",
           "shared_cases"]
