"""Invariants checked every tick in debug mode: what must never happen, caught at once.

A kernel bug usually shows long after it happens, as an odd figure in a report. In
debug mode (``CrimeModel(..., check_invariants=True)``, ``crimesim run
--check-invariants`` or ``CRIMESIM_CHECK_INVARIANTS=1``) the model checks after every
tick that:

- the population is conserved: the number of residents never changes, households
  hold them all, and offenders appear or leave only through recorded recruitment and
  desistance (Short et al.'s transient burglars excepted);
- probabilities stay in [0, 1]: legitimacy, lighting, the per-type crime, arrest,
  report and clearance probabilities;
- counts are never negative and figures never NaN: victimisations, crimes per cell,
  the tick's metrics, the near-repeat field;
- everyone stands inside the city;
- jailed offenders never offend: every crime of the tick was committed by an
  offender who was free when offenders moved.

A failure raises :class:`InvariantError` naming the tick and what broke. The checks
cost a few array scans per tick (about a third more run time at the baseline city).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.config import DEAD, EV_OFFENDER, EV_TICK, FREE, JAILED
from sim.crime.plan import Clock, Phase

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.model import CrimeModel
    from sim.crime.state import EngineState


class InvariantError(AssertionError):
    """The model broke one of its invariants; the message names the tick and which."""


class InvariantChecker:
    """Checks one model's invariants tick by tick.

    Args:
        model: The model, already built (its initial state is the reference).
    """

    def __init__(self, model: CrimeModel):
        self.n_residents = model.residents.n
        self.alive = self._alive(model)
        self.state_before: np.ndarray | None = None
        self.events_before = len(model.events)
        self.checks = 0

    @staticmethod
    def _alive(model: CrimeModel) -> int:
        return int((model.offenders.state != DEAD).sum())

    def before_offending(self, model: CrimeModel) -> None:
        """Remember who is free just before offenders act (step 6)."""
        self.state_before = model.offenders.state.copy()

    def after_tick(self, model: CrimeModel) -> None:
        """Check every invariant at the end of a tick."""
        tick = model.tick - 1
        self._population(model, tick)
        self._probabilities(model, tick)
        self._counts(model, tick)
        self._positions(model, tick)
        self.check_offenders_free(model, tick)
        self.checks += 1

    # --- the checks ---------------------------------------------------------------
    def _fail(self, tick: int, what: str) -> None:
        raise InvariantError(f"tick {tick}: {what}")

    def _population(self, model: CrimeModel, tick: int) -> None:
        res = model.residents
        if res.n != self.n_residents:
            self._fail(tick, f"residents changed from {self.n_residents} to {res.n}")
        if res.n and int(res.hh_size.sum()) != res.n:
            self._fail(tick, f"households hold {int(res.hh_size.sum())} of {res.n} residents")
        state = model.offenders.state
        if not np.isin(state, (DEAD, FREE, JAILED)).all():
            self._fail(tick, "an offender slot has an unknown state")
        alive = self._alive(model)
        if not model.levers.transient:
            recruits = model.results.last("recruits")
            desist = model.results.last("desistances")
            if alive - self.alive != recruits - desist:
                self._fail(tick, f"offenders went from {self.alive} to {alive} but "
                                 f"{recruits:g} were recruited and {desist:g} desisted")
        self.alive = alive

    def _probabilities(self, model: CrimeModel, tick: int) -> None:
        arrays = {"resident legitimacy": model.residents.legitimacy,
                  "lighting": model.city.lighting,
                  "arrest probabilities": model.arrest_probs,
                  "report probabilities": model.report_probs,
                  "clearance probabilities": model.clearance_probs}
        for name, a in arrays.items():
            if a.size and not (np.all(a >= 0.0) and np.all(a <= 1.0)):
                bad = a[~((a >= 0.0) & (a <= 1.0))].ravel()[0]
                self._fail(tick, f"{name} outside [0, 1] (e.g. {bad})")
        if np.any(model.crime_rates < 0) or not np.all(np.isfinite(model.crime_rates)):
            self._fail(tick, "a crime rate is negative or not finite")

    def _counts(self, model: CrimeModel, tick: int) -> None:
        if model.residents.n and model.residents.victim_counts.min() < 0:
            self._fail(tick, "a victimisation count is negative")
        if model.city.crime_count.min() < 0:
            self._fail(tick, "a crime count per cell is negative")
        last = model.results.last_row()
        nan = np.isnan(last)
        if nan.any():
            # Legitimacy and fear of a group with no members are undefined (NaN),
            # nothing else is.
            names = [m for m, bad in zip(model.results.metrics, nan, strict=True) if bad]
            members = {g: int(mask.sum()) for g, mask in model.group_masks().items()}
            real = [m for m in names
                    if members.get(m.removeprefix("legitimacy_").removeprefix("fear_")) != 0]
            if real:
                self._fail(tick, f"metric {real[0]} is NaN")
        if (last[~nan] < 0).any():
            self._fail(tick, "a metric is negative")
        b = model.city.b
        if not np.all(np.isfinite(b)) or b.min() < 0:
            self._fail(tick, "the near-repeat field B is negative or not finite")

    def _positions(self, model: CrimeModel, tick: int) -> None:
        n = model.city.n_cells
        off = model.offenders
        live = off.state == FREE
        for name, pos in (("resident", model.residents.pos), ("offender", off.pos[live]),
                          ("officer", model.police.pos), ("guard", model.guards.pos)):
            if pos.size and (pos.min() < 0 or pos.max() >= n):
                self._fail(tick, f"a {name} stands outside the city")

    def check_offenders_free(self, model: CrimeModel, tick: int) -> None:
        """Fail if an offender who was not free before the offenders' hour offended."""
        events = model.events
        if not events.enabled or self.state_before is None:
            return
        new = events.array[self.events_before:]
        self.events_before = len(events)
        if not len(new):
            return
        if (new[:, EV_TICK] != tick).any():
            self._fail(tick, "a crime was logged with another tick")
        who = new[:, EV_OFFENDER]
        who = who[who >= 0]
        if who.size and (self.state_before[who] != FREE).any():
            self._fail(tick, "an offender who was not free committed a crime")


def _remember_free(state: EngineState, levers: Levers, clock: Clock) -> None:
    clock.model.invariants.before_offending(clock.model)


def _check_tick(state: EngineState, levers: Levers, clock: Clock) -> None:
    clock.model.invariants.after_tick(clock.model)


def with_invariant_checks(hourly_plan: tuple[Phase, ...]) -> tuple[Phase, ...]:
    """Add the checks to ``hourly_plan``.

    Who is free is remembered just before the offenders' hour; every invariant is checked
    after ``record``, when the tick is complete.
    """
    out: list[Phase] = []
    for phase in hourly_plan:
        if phase.name == "offenders' hour":
            out.append(Phase("check: who is free", _remember_free, phase.odd_section))
        out.append(phase)
        if phase.name == "record":
            out.append(Phase("check invariants", _check_tick, phase.odd_section))
    return tuple(out)
