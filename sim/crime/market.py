"""The illicit market in the crime engine: its levers, its state and its phases.

Gangs hold districts (``city.territory``). With ``market.enabled`` they sell protection
to the businesses there (commercial and nightlife cells, ``market.businesses_*`` each),
the payments are each gang's revenue, revenue buys officers standing in the gang's
territory, and revenue per member funds recruitment (docs/ODD.md, the illicit market;
kernels in :mod:`sim.kernels.illicit_market`).

The phases, in :mod:`sim.crime.plan`:

- ``illicit market`` (daily, after ``fading``, before the hot spots): :func:`run_market`
  -- the revenue stock decays, businesses are approached, pay or refuse and report,
  reported cases may jail a member, officers are bought or leave corruption;
- ``recruitment`` reads :func:`recruitment_gain` (each gang's gain);
- ``market measures`` (hourly, before ``record``): :func:`record_market`.

With ``market.enabled`` off (the classic model), or without gangs, every phase returns
at once: no draws, no arithmetic, and recruitment's gain is ``flows.recruitment_gang``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import COMMERCIAL, FLOAT, FREE, INT, NIGHTLIFE, NO_GANG
from sim.kernels import illicit_market as kernels
from sim.metrics.recorder import COLUMN

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.model import CrimeModel
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

_COL_ATTEMPTS = COLUMN["extortion_attempts"]
_COL_PAYMENTS = COLUMN["extortion_payments"]
_COL_REPORTED = COLUMN["extortion_reported"]
_COL_ARRESTS = COLUMN["extortion_arrests"]
_COL_CORRUPT = COLUMN["officers_corrupt"]
_COL_REVENUE = COLUMN["gang_revenue"]


@dataclass(slots=True)
class MarketLevers:
    """The ``[market]`` rates (off by default; see the schema's help for each).

    Attributes:
        enabled: ``market.enabled``.
        businesses_commercial: Businesses per commercial cell.
        businesses_nightlife: Businesses per nightlife cell.
        approach_rate: Daily approach hazard per unit of the gang's strength on turf.
        pay_prob: Payment probability with no trust and no officer.
        police_effect: Payment / (1 + police_effect x honest officers in the district).
        trust_refusal: Payment x (1 - trust_refusal x district legitimacy).
        report_gain: A refusal is reported with min(1, report_gain x legitimacy).
        clearance: A reported extortion is cleared with this probability.
        jail_ticks: Mean jail term in ticks.
        payment: Revenue per payment.
        revenue_keep: Daily share of the revenue stock kept, ``exp(-1 / revenue_days)``.
        corruption_rate: Daily corruption hazard per 1,000 of revenue.
        exit_prob: Daily probability a corrupt officer leaves corruption.
        recruitment_revenue: Share of the recruitment gain scaled by revenue per member.
        reference_revenue: Revenue per member at which the gain is the scenario's.
    """

    enabled: bool = False
    businesses_commercial: int = 0
    businesses_nightlife: int = 0
    approach_rate: float = 0.0
    pay_prob: float = 0.0
    police_effect: float = 0.0
    trust_refusal: float = 0.0
    report_gain: float = 0.0
    clearance: float = 0.0
    jail_ticks: float = 0.0
    payment: float = 0.0
    revenue_keep: float = 1.0
    corruption_rate: float = 0.0
    exit_prob: float = 0.0
    recruitment_revenue: float = 0.0
    reference_revenue: float = 1.0


def market_levers(p: Any) -> MarketLevers:
    """The ``[market]`` table as levers (all off when ``market.enabled`` is false)."""
    m = p.market
    if not m.enabled:
        return MarketLevers()
    return MarketLevers(
        enabled=True, businesses_commercial=m.businesses_commercial,
        businesses_nightlife=m.businesses_nightlife, approach_rate=m.approach_rate,
        pay_prob=m.pay_prob, police_effect=m.police_effect, trust_refusal=m.trust_refusal,
        report_gain=m.report_gain, clearance=m.clearance,
        jail_ticks=m.jail_days * p.time.ticks_per_day, payment=m.payment,
        revenue_keep=math.exp(-1.0 / m.revenue_days), corruption_rate=m.corruption_rate,
        exit_prob=-math.expm1(-1.0 / m.exit_days),
        recruitment_revenue=m.recruitment_revenue, reference_revenue=m.reference_revenue)


@dataclass
class MarketState:
    """What the market keeps between days (empty when the market is off).

    Attributes:
        active: The market runs (enabled, with gangs and residents).
        business_cells: Cells with businesses, ascending.
        businesses: Businesses in each of those cells.
        revenue: Each gang's revenue stock (scenario currency).
        gang_gain: Each gang's recruitment gain in its territory, for ``recruitment``.
        day: The day's counts (:data:`sim.kernels.illicit_market.ATTEMPTS` ...), then
            officers corrupted and officers leaving corruption.
        totals: The run's counts, in the same order.
    """

    active: bool = False
    business_cells: np.ndarray = field(default_factory=lambda: np.zeros(0, INT))
    businesses: np.ndarray = field(default_factory=lambda: np.zeros(0, INT))
    revenue: np.ndarray = field(default_factory=lambda: np.zeros(0, FLOAT))
    gang_gain: np.ndarray = field(default_factory=lambda: np.zeros(0, FLOAT))
    day: np.ndarray = field(default_factory=lambda: np.zeros(kernels.N_COUNTS + 2, INT))
    totals: np.ndarray = field(default_factory=lambda: np.zeros(kernels.N_COUNTS + 2, INT))


def businesses_by_cell(land_use: np.ndarray, commercial: int,
                       nightlife: int) -> tuple[np.ndarray, np.ndarray]:
    """Cells with businesses (ascending) and how many each holds, from land use."""
    per = np.zeros(land_use.shape, INT)
    per[land_use == COMMERCIAL] = commercial
    per[land_use == NIGHTLIFE] = nightlife
    cells = np.flatnonzero(per > 0).astype(INT)
    return cells, per[cells]


def setup(s: EngineState, lv: Levers) -> None:
    """Build the market's state; revenue starts at its expected level (no draws)."""
    ml = lv.market
    gangs = int(s.city.territory.max(initial=NO_GANG)) + 1
    if not ml.enabled or gangs <= 0 or not s.residents.n:
        return
    if s.city.territory.shape != (s.city.city.n_districts,):
        raise ValueError("the market needs one territory entry (gang or -1) per district")
    cells, per = businesses_by_cell(s.city.arrays.land_use, ml.businesses_commercial,
                                    ml.businesses_nightlife)
    m = s.market
    m.active = True
    m.business_cells, m.businesses = cells, per
    m.revenue = np.zeros(gangs, FLOAT)
    m.gang_gain = np.full(gangs, lv.recruitment_gang, FLOAT)
    _, _, strength = turf(s)
    honest, legit = district_conditions(s)
    d = s.city.arrays.district[cells]
    g = s.city.territory[d]
    held = g != NO_GANG
    p_pay = ml.pay_prob * (1.0 - ml.trust_refusal * legit[d]) / (
        1.0 + ml.police_effect * honest[d])
    daily = per * -np.expm1(-ml.approach_rate * strength[d]) * p_pay * ml.payment
    m.revenue[:] = np.bincount(g[held], daily[held], minlength=gangs) / (
        1.0 - ml.revenue_keep)
    m.gang_gain[:] = gains(s, lv)


def turf(s: EngineState) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The free gang members on their own turf by district (CSR) and their strength."""
    off, n_d = s.offenders, s.city.city.n_districts
    start = np.zeros(n_d + 1, INT)
    members = np.zeros(off.capacity, INT)
    strength = np.zeros(n_d, FLOAT)
    kernels.gang_turf(off.state, off.gang, off.pos, off.motivation, s.city.arrays.district,
                      s.city.territory, start, members, strength)
    return start, members, strength


def district_conditions(s: EngineState) -> tuple[np.ndarray, np.ndarray]:
    """Honest officers standing in each district now; residents' mean legitimacy there."""
    pol, res, n_d = s.police, s.residents, s.city.city.n_districts
    district = s.city.arrays.district
    honest = np.bincount(district[pol.pos[~pol.corrupt]], minlength=n_d).astype(FLOAT)
    home_d = res.cell_district[res.home]
    legit = np.bincount(home_d, res.legitimacy, minlength=n_d) / np.maximum(
        np.bincount(home_d, minlength=n_d), 1)
    return honest, legit


def gains(s: EngineState, lv: Levers) -> np.ndarray:
    """Each gang's recruitment gain: ``recruitment_gang x (1 - w + w x rpm / reference)``.

    ``rpm`` is the gang's revenue per free member (an assumption: money buys recruits,
    Levitt & Venkatesh 2000 on wages as the draw of a drug-selling gang).
    """
    ml, m, off = lv.market, s.market, s.offenders
    free = (off.state == FREE) & (off.gang != NO_GANG)
    n_free = np.bincount(off.gang[free], minlength=m.revenue.size)[:m.revenue.size]
    rpm = m.revenue / np.maximum(n_free, 1)
    w = ml.recruitment_revenue
    return np.maximum(lv.recruitment_gang * (1.0 - w + w * rpm / ml.reference_revenue), 0.0)


def recruitment_gain(s: EngineState, lv: Levers, gangs: int) -> np.ndarray:
    """The gain ``flows.recruit`` applies in each gang's territory (one per gang).

    ``gangs``: entries wanted when the market is off, at least one per gang (the
    districts' count bounds the gangs).

    With the market off: ``flows.recruitment_gang`` for every gang (the same arithmetic
    as the scalar gain it replaces).
    """
    if s.market.active:
        return s.market.gang_gain
    return np.full(max(gangs, 1), lv.recruitment_gang, FLOAT)


def run_market(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Daily: revenue decays; extortion; officers bought or leaving; gains for recruitment."""
    m, ml = s.market, lv.market
    if not m.active or clock.day == 0:
        return
    m.revenue *= ml.revenue_keep
    start, members, strength = turf(s)
    honest, legit = district_conditions(s)
    off, pol = s.offenders, s.police
    counts = np.zeros(kernels.N_COUNTS, INT)
    kernels.extort(
        m.business_cells, m.businesses, s.city.arrays.district, s.city.territory, start,
        members, strength, honest, legit, pol.corrupt, off.state, off.release, off.arrests,
        off.motivation, clock.tick, ml.approach_rate, ml.pay_prob, ml.police_effect,
        ml.trust_refusal, ml.report_gain, ml.clearance, lv.bribe_prob, lv.conviction_prob,
        ml.jail_ticks, ml.payment, m.revenue, s.justice.bribes, counts, s.rng)
    new, left = (kernels.corrupt_officers(
        pol.pos, pol.corrupt, s.city.arrays.district, s.city.territory, m.revenue,
        ml.corruption_rate, ml.exit_prob, s.rng) if pol.n else (0, 0))
    if new or left:
        s.fields.police_weight[:] = pol.deterrence_weight(lv.corrupt_deterrence)
    m.day[:kernels.N_COUNTS] += counts
    m.day[kernels.N_COUNTS:] += (new, left)
    m.totals[:kernels.N_COUNTS] += counts
    m.totals[kernels.N_COUNTS:] += (new, left)
    m.gang_gain[:] = gains(s, lv)


def record_market(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Write the day's extortion counts (first tick of a day) and the market's stocks."""
    m = s.market
    if not m.active:
        return
    row = clock.row
    row[_COL_ATTEMPTS] = m.day[kernels.ATTEMPTS]
    row[_COL_PAYMENTS] = m.day[kernels.PAYMENTS]
    row[_COL_REPORTED] = m.day[kernels.REPORTED]
    row[_COL_ARRESTS] = m.day[kernels.ARRESTS]
    m.day[:] = 0
    row[_COL_CORRUPT] = s.police.corrupt.sum()
    row[_COL_REVENUE] = m.revenue.sum()


def market_summary(model: CrimeModel) -> dict[str, Any]:
    """The run's market figures: counts, revenue by gang, the corrupt share now."""
    state = getattr(model, "state", None)
    m = getattr(state, "market", None)
    if m is None or not m.active:
        return {"enabled": False}
    names = ("attempts", "payments", "reported", "cleared", "bribed", "arrests", "jailings",
             "officers_corrupted", "officers_left_corruption")
    pol = state.police
    return {"enabled": True, **{k: int(v) for k, v in zip(names, m.totals, strict=True)},
            "revenue_by_gang": [float(r) for r in m.revenue],
            "corrupt_share": float(pol.corrupt.mean()) if pol.n else 0.0}


__all__ = ["MarketLevers", "MarketState", "businesses_by_cell", "district_conditions",
           "gains", "market_levers", "market_summary", "record_market", "recruitment_gain",
           "run_market", "setup", "turf"]
