"""Deterrence by perceived risk, and police presence with memory (``[deterrence]``).

Two phases and their levers:

- ``patrol`` replaces the classic patrol phase when ``deterrence.enabled``: officers
  move as before, recording their paths, and the police field is cast from a
  decaying, visible presence (:mod:`sim.kernels.presence`);
- ``learn`` (after the consequences of the tick's crimes) moves every offender's
  perceived risk of arrest from his crimes' outcomes and the police he sees, and
  lets it drift back toward the prior (:mod:`sim.kernels.perceived_risk`).

The offending hazard reads the perceived risk (``sensitivity``) and the walk avoids
police presence (``avoidance``): both 0 when the mechanism is off, so with
``deterrence.enabled = false`` the classic model runs unchanged (no draw, no
arithmetic). Off on Short et al.'s lattice (no residents, no police).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import FLOAT, FREE, INDEX, STREET_OFFENDER
from sim.kernels import patrol as patrol_kernels
from sim.kernels import perceived_risk, presence
from sim.metrics.recorder import COLUMN

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.plan import Clock
    from sim.crime.state import EngineState

_COL_RISK = COLUMN["perceived_risk_mean"]


@dataclass(slots=True)
class DeterrenceLevers:
    """The ``[deterrence]`` keys as the phases read them (all off by default).

    Attributes:
        enabled: ``deterrence.enabled`` (and residents present).
        keep_presence: A visit's weight one tick on, ``0.5 ** (tick / half-life)``.
        rows: Ticks a visit is remembered (:func:`presence.ring_rows`).
        dx: Visibility stencil, column offsets (:func:`presence.stencil`).
        dy: Row offsets.
        sw: Weights.
        prior: ``deterrence.prior_risk``.
        learning: ``deterrence.learning``.
        bribe_learning: ``deterrence.bribe_learning``.
        sighting: ``deterrence.sighting_weight``.
        keep_risk: Hourly share of the distance from the prior kept, from
            ``deterrence.drift_days``.
        sensitivity: ``deterrence.sensitivity`` (0 when off).
        avoidance: ``deterrence.avoidance`` (0 when off).
    """

    enabled: bool = False
    keep_presence: float = 0.0
    rows: int = 1
    dx: np.ndarray = field(default_factory=lambda: np.zeros(1, INDEX))
    dy: np.ndarray = field(default_factory=lambda: np.zeros(1, INDEX))
    sw: np.ndarray = field(default_factory=lambda: np.ones(1, FLOAT))
    prior: float = 0.0
    learning: float = 0.0
    bribe_learning: float = 0.0
    sighting: float = 0.0
    keep_risk: float = 1.0
    sensitivity: float = 0.0
    avoidance: float = 0.0


@dataclass
class PresenceRing:
    """The remembered visits of the last ``rows`` ticks (:func:`presence.presence_field`)."""

    trail: np.ndarray
    cell: np.ndarray
    w: np.ndarray
    head: int = 0


def deterrence_levers(p: Any) -> DeterrenceLevers:
    """The ``[deterrence]`` table as levers (all off when disabled or on the lattice)."""
    d = p.deterrence
    if not d.enabled or p.residents.count == 0:
        return DeterrenceLevers()
    tick_min = 24 * 60 / p.time.ticks_per_day
    dx, dy, sw = presence.stencil(d.visibility_m, p.city.cell_size_m)
    keep_risk = 0.5 ** (1.0 / (d.drift_days * p.time.ticks_per_day))
    perceived_risk.check_params(d.prior_risk, d.learning, d.bribe_learning,
                                d.sighting_weight, keep_risk)
    return DeterrenceLevers(
        enabled=True, keep_presence=0.5 ** (tick_min / d.presence_half_life_min),
        rows=presence.ring_rows(d.presence_half_life_min, tick_min), dx=dx, dy=dy, sw=sw,
        prior=d.prior_risk, learning=d.learning, bribe_learning=d.bribe_learning,
        sighting=d.sighting_weight, keep_risk=keep_risk, sensitivity=d.sensitivity,
        avoidance=d.avoidance)


def start(s: EngineState, lv: Levers) -> None:
    """Give every offender slot the prior belief (at set-up; no draws)."""
    if lv.deterrence.enabled:
        s.offenders.risk[:] = lv.deterrence.prior


def _ring(s: EngineState, lv: Levers) -> PresenceRing:
    """The ring of visits, (re)made when the officers or their speed change."""
    n, speed, rows = s.police.n, lv.police_speed, lv.deterrence.rows
    ring = s.presence
    if ring is None or ring.trail.shape != (n, speed) or ring.cell.shape[0] != rows:
        ring = PresenceRing(np.zeros((n, speed), INDEX), np.full((rows, n * speed), -1, INDEX),
                            np.zeros((rows, n * speed), FLOAT))
        s.fields.police_field[:] = 0.0
        s.presence = ring
    return ring


def patrol(s: EngineState, lv: Levers, clock: Clock) -> None:
    """3. Patrol with presence: officers move; the field is cast from recent paths."""
    pol = s.police
    if not pol.n:
        if s.presence is not None:  # the force was withdrawn: no presence is left
            s.fields.police_field[:] = 0.0
            s.presence = None
        return
    cells, j, d = s.city.arrays, s.justice, lv.deterrence
    ring = _ring(s, lv)
    patrol_kernels.patrol(pol.pos, pol.strategy, pol.target, pol.beat, cells.district,
                          j.hot_cells, j.calls, j.calls.shape[0], lv.police_speed,
                          cells.width, cells.height, s.rng, ring.trail)
    j.calls = j.calls[j.calls >= 0]
    ring.head = presence.presence_field(
        ring.trail, s.fields.police_weight, ring.cell, ring.w, ring.head, d.keep_presence,
        lv.police_deterrence, d.dx, d.dy, d.sw, cells.width, cells.height,
        s.fields.police_field)


def learn(s: EngineState, lv: Levers, clock: Clock) -> None:
    """7b. Perceived risk: outcomes of the tick's crimes, sightings, drift (no draws)."""
    d = lv.deterrence
    if not d.enabled:
        return
    off = s.offenders
    if clock.n_events:
        perceived_risk.learn(s.scratch.events, clock.n_events, off.risk, d.learning,
                             d.bribe_learning)
    perceived_risk.see_and_drift(off.state, off.active, off.kind, off.pos,
                                 s.fields.police_field, off.risk, d.sighting, d.prior,
                                 d.keep_risk)
    street = (off.state == FREE) & (off.kind == STREET_OFFENDER)
    if street.any():
        clock.row[_COL_RISK] = float(off.risk[street].mean())


__all__ = ["DeterrenceLevers", "PresenceRing", "deterrence_levers", "learn", "patrol",
           "start"]
