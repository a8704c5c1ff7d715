"""Fear of crime in the crime engine: its levers, its three phases and its summary.

Residents who are victimised, or hear of crime near home, grow afraid; fear relaxes
back toward a baseline set by who they are (the surveys' groups), how dark their
street is and how much they trust the police (docs/ODD.md, fear of crime). Fear is an
outcome in its own right (``fear_<group>``), and it keeps residents in: the plan of
the day skips an outing with probability ``avoid x fear`` (the levers ``avoid_day``,
``avoid_evening`` read by ``routines.plan_day``), counting the skipped outings per
group into ``tallies.avoided`` (``avoided_outings_<group>``).

Interventions never write fear: street lighting changes the lighting layer and
procedural justice changes trust, and the daily update reads both.

The phases, in :mod:`sim.crime.plan`:

- ``fear`` (daily, before the residents' plans): :func:`update_fear`;
- ``victims' fear`` (hourly, after the consequences): :func:`victims_fear`;
- ``fear measures`` (hourly, before ``record``): :func:`record_fear`.

With ``fear.enabled`` off every phase returns at once: no draws, no arithmetic, the
fear columns stay 0 (the classic model, :mod:`sim.scenario.classic`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import AGE_GROUPS, FEAR_SCALE, GROUPS, INT
from sim.kernels import fear as fear_kernels
from sim.kernels import summary
from sim.metrics.recorder import COLUMN

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.model import CrimeModel
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

_FEAR_COL = COLUMN[f"fear_{GROUPS[0]}"]
_AVOID_COL = COLUMN[f"avoided_outings_{GROUPS[0]}"]
_N_GROUPS = len(GROUPS)


@dataclass(slots=True)
class FearLevers:
    """The rates of fear of crime (``[fear]`` keys; off by default).

    Attributes:
        enabled: ``fear.enabled``.
        baseline: Baseline fear of a man per age group (youth, adult, elderly).
        female_extra: Baseline added for women and girls.
        marginalised_extra: Baseline added for marginalised residents.
        keep: Daily share of the distance from baseline kept, ``0.5 ** (1 /
            fear.memory_days)``.
        victim_gain: Share of the way to 1 a victimisation moves fear.
        heard_gain: Share of the way to 1 each crime heard of moves fear.
        heard_radius: Half-side of the square around home whose crimes are heard of.
        lighting_effect: Baseline added per unit of darkness at home.
        trust_effect: Baseline removed per unit of legitimacy above the reference.
    """

    enabled: bool = False
    baseline: np.ndarray = field(default_factory=lambda: np.zeros(3))
    female_extra: float = 0.0
    marginalised_extra: float = 0.0
    keep: float = 1.0
    victim_gain: float = 0.0
    heard_gain: float = 0.0
    heard_radius: int = 0
    lighting_effect: float = 0.0
    trust_effect: float = 0.0


def fear_levers(p: Any) -> FearLevers:
    """The ``[fear]`` table as levers (all off when ``fear.enabled`` is false)."""
    f = p.fear
    if not f.enabled:
        return FearLevers()
    return FearLevers(
        enabled=True, baseline=np.array([getattr(f.baseline, a) for a in AGE_GROUPS]),
        female_extra=f.female_extra, marginalised_extra=f.marginalised_extra,
        keep=0.5 ** (1.0 / f.memory_days), victim_gain=f.victim_gain,
        heard_gain=f.heard_gain, heard_radius=f.heard_radius,
        lighting_effect=f.lighting_effect, trust_effect=f.trust_effect)


def avoidance(p: Any) -> tuple[float, float]:
    """``(avoid_day, avoid_evening)``: 0 when fear is off, so nobody stays in for it."""
    f = p.fear
    return (f.avoid_day, f.avoid_evening) if f.enabled else (0.0, 0.0)


@dataclass
class FearTallies:
    """What the fear phases keep between days.

    Attributes:
        origin: Crimes per cell (all types) when fear last heard of them; empty until
            the first daily update.
        means: Mean fear per group (GROUPS order), measured at midnight.
    """

    origin: np.ndarray = field(default_factory=lambda: np.zeros(0, INT))
    means: np.ndarray = field(default_factory=lambda: np.zeros(_N_GROUPS))


def heard_of(s: EngineState, radius: int) -> np.ndarray:
    """Crimes since the last call summed over the square around each cell (O(cells))."""
    c, ft = s.city.arrays, s.tallies.fear
    totals = c.crime_count.sum(axis=0)
    if ft.origin.shape != totals.shape:  # the first day: nothing heard of yet
        ft.origin = totals.copy()
    new = np.maximum(totals - ft.origin, 0)
    ft.origin[:] = totals
    return fear_kernels.box_sum(new, c.width, c.height, radius)


def update_fear(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Daily: fear relaxes toward each baseline, rises with crimes heard of; measured.

    On day 0 fear is set to the baseline (``keep = 0``): residents start the run as
    afraid as the surveys' groups are, not fearless.
    """
    fl, res = lv.fear, s.residents
    if not fl.enabled or not res.n:
        return
    heard = heard_of(s, fl.heard_radius)
    keep = fl.keep if clock.day > 0 else 0.0
    fear_kernels.daily_fear(
        res.fear, res.home, res.age, res.female, res.marginalised, res.legitimacy,
        s.city.arrays.lighting, heard, fl.baseline, fl.female_extra, fl.marginalised_extra,
        fl.lighting_effect, fl.trust_effect, lv.legit_ref, keep, fl.heard_gain)
    means = s.tallies.fear.means
    summary.group_means(res.fear, res.age, res.female, res.marginalised, means)
    means /= FEAR_SCALE


def victims_fear(s: EngineState, lv: Levers, clock: Clock) -> None:
    """After the consequences: this tick's victims grow afraid (O(events))."""
    fl, res = lv.fear, s.residents
    if fl.enabled and clock.n_events and res.n:
        fear_kernels.victims_fear(s.scratch.events, clock.n_events, res.fear, res.hh_first,
                                  res.hh_size, fl.victim_gain)


def record_fear(s: EngineState, lv: Levers, clock: Clock) -> None:
    """Write mean fear and the day's avoided outings per group into the row.

    Avoided outings are counted by the day's plan (first tick of the day), so they
    land in that tick's row and the tally starts again.
    """
    if not lv.fear.enabled:
        return
    row, t = clock.row, s.tallies
    row[_FEAR_COL:_FEAR_COL + _N_GROUPS] = t.fear.means
    row[_AVOID_COL:_AVOID_COL + _N_GROUPS] = t.avoided
    t.avoided[:] = 0


def fear_summary(model: CrimeModel) -> dict[str, Any]:
    """summary.json's fear figures: mean fear and avoided outings by group.

    ``mean``: fear per group averaged over the run's days (as measured at midnight);
    ``final``: the last measure; ``avoided_outings``: outings skipped for fear over the
    run; ``avoided_per_resident_per_year``: the same per member of the group.
    """
    levers = getattr(model, "levers", None)  # the reference engine has no fear
    if levers is None or not levers.fear.enabled:
        return {"enabled": False}
    res = model.results
    frame_days = res.column("hour") == 0
    masks = model.group_masks()
    days = max(model.tick / model.ticks_per_day, 1e-9)
    out: dict[str, Any] = {"enabled": True, "mean": {}, "final": {}, "avoided_outings": {},
                           "avoided_per_resident_per_year": {}}
    for g in GROUPS:
        daily = res.column(f"fear_{g}")[frame_days]
        out["mean"][g] = float(np.nanmean(daily)) if daily.size else None
        out["final"][g] = res.last(f"fear_{g}")
        n_avoided = int(res.column(f"avoided_outings_{g}").sum())
        members = int(masks[g].sum())
        out["avoided_outings"][g] = n_avoided
        out["avoided_per_resident_per_year"][g] = (n_avoided / members * 365 / days
                                                   if members else None)
    return out


__all__ = ["FearLevers", "FearTallies", "avoidance", "fear_levers", "fear_summary",
           "heard_of", "record_fear", "update_fear", "victims_fear"]
