"""Capacity-limited justice in the crime engine: investigations and the court.

Two mechanisms (docs/ODD.md, capacity-limited justice), both behind
``justice.enabled``:

- **Investigations with capacity** (:mod:`sim.kernels.investigation`): investigators
  are ``justice.investigator_share`` x the officers on the force (so a force of 0 has
  none and a bigger force has more), each with ``justice.investigator_hours`` of
  casework a day. Every day the reported crimes of the past days (a rolling mean over
  ``justice.demand_days``) times each type's standard effort
  (``justice.effort_hours.<type>``) are the hours demanded; hours given / hours
  demanded is the effort ratio ``r``, and a reported case is solved with
  ``justice.clearance.<type> x (1 - exp(-r)) / (1 - exp(-r_ref))`` (the levers'
  per-type clearance, which interventions may scale), times the victim's
  cooperation. Decisions stay in the tick of the crime, with the capacity of the days
  before: EV_ARRESTED keeps its meaning.
- **The court** (:mod:`sim.kernels.court`): every arrest files a case; the accused is
  remanded (jailed until the decision) with ``justice.remand_share`` or bailed; the
  court decides cases in order after ``justice.hearing_days``, at most
  ``justice.court_cases_per_100k`` a day per 100,000 residents; a conviction
  (``police.conviction_prob``) jails for the type's mean term.

The phases, in :mod:`sim.crime.plan`:

- ``investigations and court`` (daily): :func:`daily_justice`;
- ``justice cases`` (hourly, after the consequences): :func:`count_cases`;
- ``justice measures`` (hourly, before ``record``): :func:`record_justice`.

With ``justice.enabled`` off every phase returns at once (no draws), and the
consequences kernel decides arrests and convictions as the first release did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import CRIME_TYPES, EV_ARRESTED, EV_REPORTED, EV_TYPE, FLOAT, N_CRIME
from sim.kernels import court as court_kernels
from sim.kernels import investigation
from sim.kernels.arrest import JC_CLEARED
from sim.kernels.court import COUNT, CourtArrays
from sim.metrics.recorder import COLUMN

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.model import CrimeModel
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

_COL_CLEAR, _COL_BACKLOG, _COL_CONVICT = (COLUMN["clearances"], COLUMN["court_backlog"],
                                          COLUMN["convictions"])


@dataclass(slots=True)
class JusticeLevers:
    """The ``[justice]`` keys as levers (off by default; see the module docstring).

    Attributes:
        enabled: ``justice.enabled``.
        investigator_share: Investigators per officer on the force.
        investigator_hours: Casework hours per investigator a day.
        ref_ratio: Effort ratio at which clearance is the crime table's clearance_prob.
        demand_keep: Daily weight of the past in the rolling demand,
            ``exp(-1 / justice.demand_days)``.
        effort: Standard investigation hours per reported case, per crime type.
        cooperation_slope: Gain in a case's chance per unit of the victim's legitimacy
            above the reference (relative).
        remand_share: Share of the accused remanded in custody until the decision.
        wait_ticks: Preparation time of a case before the court can decide it.
        court_per_day: Cases the court decides a day at most.
    """

    enabled: bool = False
    investigator_share: float = 0.0
    investigator_hours: float = 0.0
    ref_ratio: float = 1.0
    demand_keep: float = 0.0
    effort: np.ndarray = field(default_factory=lambda: np.ones(N_CRIME))
    cooperation_slope: float = 0.0
    remand_share: float = 0.0
    wait_ticks: int = 0
    court_per_day: float = 0.0


def justice_levers(p: Any) -> JusticeLevers:
    """The ``[justice]`` table as levers (all off when ``justice.enabled`` is false).

    Off too on a city without residents or with transient offenders (Short et al.'s
    lattice), whose burglars leave after one crime and whose results are the paper's.
    """
    j = p.justice
    # Short et al.'s lattice (no residents, transient burglars) keeps its own rules.
    if not j.enabled or p.residents.count == 0 or p.offenders.transient:
        return JusticeLevers()
    return JusticeLevers(
        enabled=True, investigator_share=j.investigator_share,
        investigator_hours=j.investigator_hours, ref_ratio=j.reference_ratio,
        demand_keep=math.exp(-1.0 / j.demand_days),
        effort=np.array([getattr(j.effort_hours, t) for t in CRIME_TYPES], FLOAT),
        cooperation_slope=j.cooperation_slope, remand_share=j.remand_share,
        wait_ticks=int(round(j.hearing_days * p.time.ticks_per_day)),
        court_per_day=j.court_cases_per_100k * p.residents.count / 100_000)


@dataclass
class JusticeState:
    """What the justice phases keep between ticks.

    Attributes:
        court: The court's queue of cases (grows as needed).
        jparams: What the consequences kernel reads (``arrest.J_*``): on, capacity
            factor, cooperation slope, remand share.
        jcounts: Counts the consequences kernel adds to (``arrest.JC_*``), since the
            last metrics row.
        demand: Rolling mean of reported cases a day, per type.
        today: Reported cases today, per type.
        ratio: Today's effort ratio (hours given / hours demanded; inf: no demand).
        credit: The court's unused fraction of a case (its daily pace may be fractional).
        decided: Court totals since the start (``court.OUT_*``: decided, convicted,
            total wait in ticks, lapsed).
        day_convictions: Convictions of today's sitting, for the day's first row.
        backlog_sum: Sum of the daily backlog (for the run's mean).
        backlog_max: The largest daily backlog.
        days: Days measured.
        ratio_sum: Sum of the daily effort ratios (finite ones), for the run's mean.
    """

    court: CourtArrays = field(default_factory=court_kernels.empty_court)
    jparams: np.ndarray = field(default_factory=lambda: np.zeros(4, FLOAT))
    jcounts: np.ndarray = field(default_factory=lambda: np.zeros(3, np.int64))
    demand: np.ndarray = field(default_factory=lambda: np.zeros(N_CRIME, FLOAT))
    today: np.ndarray = field(default_factory=lambda: np.zeros(N_CRIME, FLOAT))
    ratio: float = 0.0
    credit: float = 0.0
    decided: np.ndarray = field(default_factory=lambda: np.zeros(4, np.int64))
    day_convictions: int = 0
    backlog_sum: int = 0
    backlog_max: int = 0
    days: int = 0
    ratio_sum: float = 0.0
    ratio_days: int = 0

    def packed_court(self, room: int) -> tuple[Any, ...]:
        """The court's queue, packed, with room for ``room`` more cases (grown if not)."""
        self.court = court_kernels.grown(self.court, room)
        return tuple(self.court)


def daily_justice(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Daily: the investigators' effort ratio for the day, then the court's sitting.

    Day 0 has no reports yet: clearance starts at the reference (``r = r_ref``) if
    there are investigators. One court sitting a day, before the hour's release: an
    acquitted remanded offender walks free in this tick.
    """
    jl = lv.justice
    if not jl.enabled:
        return
    js = s.justice_state
    hours = jl.investigator_share * s.police.n * jl.investigator_hours
    if clock.day > 0:
        investigation.update_demand(js.demand, js.today, jl.demand_keep, clock.day == 1)
        js.today[:] = 0.0
        js.ratio = investigation.effort_ratio(hours, js.demand, jl.effort)
    else:
        js.ratio = jl.ref_ratio if hours > 0 else 0.0
    if math.isfinite(js.ratio):
        js.ratio_sum += js.ratio
        js.ratio_days += 1
    factor = (investigation.capacity_factor(js.ratio, jl.ref_ratio) if math.isfinite(js.ratio)
              else 1.0 / -math.expm1(-jl.ref_ratio))
    js.jparams[:] = (1.0, factor, jl.cooperation_slope, jl.remand_share)
    js.credit += jl.court_per_day
    n_max = int(js.credit)
    out = np.zeros(4, np.int64)
    off = s.offenders
    court_kernels.decide(js.court, n_max, jl.wait_ticks, clock.tick, off.state, off.release,
                         off.born, lv.conviction_prob, lv.by_type.jail_ticks, s.rng, out)
    js.decided += out
    done = int(out[court_kernels.OUT_DECIDED] + out[court_kernels.OUT_LAPSED])
    js.credit = min(js.credit - done, 1.0)
    js.day_convictions = int(out[court_kernels.OUT_CONVICTED])
    backlog = int(js.court.meta[COUNT])
    js.backlog_sum += backlog
    js.backlog_max = max(js.backlog_max, backlog)
    js.days += 1


def count_cases(s: EngineState, lv: Levers, clock: Clock) -> None:
    """After the consequences: the tick's reported crimes join today's demand, by type."""
    n = clock.n_events
    if not lv.justice.enabled or not n:
        return
    ev = s.scratch.events[:n]
    kinds = ev[ev[:, EV_REPORTED] != 0, EV_TYPE]
    if kinds.size:
        s.justice_state.today += np.bincount(kinds, minlength=N_CRIME)


def record_justice(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Write clearances, the court backlog and the day's convictions into the row."""
    if not lv.justice.enabled:
        return
    js, row = s.justice_state, clock.row
    row[_COL_CLEAR] = js.jcounts[JC_CLEARED]
    row[_COL_BACKLOG] = js.court.meta[COUNT]
    row[_COL_CONVICT] = js.day_convictions
    js.jcounts[:] = 0
    js.day_convictions = 0


def clearance_by_type(events: np.ndarray | None) -> dict[str, float | None]:
    """Share of reported crimes of each type that led to an arrest (the clearance rate)."""
    if events is None or not len(events):
        return {t: None for t in CRIME_TYPES}
    rep = events[:, EV_REPORTED] != 0
    kinds = events[rep, EV_TYPE]
    arrested = events[rep, EV_ARRESTED] != 0
    out: dict[str, float | None] = {}
    for k, t in enumerate(CRIME_TYPES):
        n = int((kinds == k).sum())
        out[t] = float(arrested[kinds == k].sum() / n) if n else None
    return out


def justice_summary(model: CrimeModel) -> dict[str, Any]:
    """summary.json's justice figures: the court's backlog and wait, investigators' load.

    ``court_backlog`` (final), ``court_backlog_mean`` / ``_max`` (daily), cases
    ``decided``, ``convicted`` and ``lapsed`` (accused desisted while on bail),
    ``mean_wait_days`` (arrest to decision, decided cases), ``effort_ratio_mean``
    (investigator hours given / demanded, daily mean), and ``clearance_rate`` by type
    (reported crimes ending in an arrest, from the event log when it is kept).
    """
    levers = getattr(model, "levers", None)  # the reference engine has no justice
    if levers is None or not levers.justice.enabled:
        return {"enabled": False}
    js = model.state.justice_state
    dec = js.decided
    n_dec = int(dec[court_kernels.OUT_DECIDED])
    events = model.events.array if model.events.enabled else None
    return {
        "enabled": True,
        "court_backlog": int(js.court.meta[COUNT]),
        "court_backlog_mean": js.backlog_sum / js.days if js.days else None,
        "court_backlog_max": js.backlog_max,
        "decided": n_dec,
        "convicted": int(dec[court_kernels.OUT_CONVICTED]),
        "lapsed": int(dec[court_kernels.OUT_LAPSED]),
        "mean_wait_days": (float(dec[court_kernels.OUT_WAIT_TICKS]) / n_dec
                           / model.ticks_per_day if n_dec else None),
        "effort_ratio_mean": js.ratio_sum / js.ratio_days if js.ratio_days else None,
        "clearance_rate": clearance_by_type(events),
    }


__all__ = ["JusticeLevers", "JusticeState", "clearance_by_type", "count_cases",
           "daily_justice", "justice_levers", "justice_summary", "record_justice"]
