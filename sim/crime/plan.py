"""The tick as data: the named phases of an hour and of a day, in ODD order.

A tick of :class:`sim.crime.model.CrimeModel` runs :data:`DAILY_PLAN` (at the first
tick of a day) and then :data:`HOURLY_PLAN`. Each :class:`Phase` names one step of
the ODD protocol's schedule (docs/ODD.md, the numbered list in
:mod:`sim.crime.model`) and the function that runs it, ``run(state, levers, clock)``.
The phase profiler (:mod:`sim.bench.phase_profile`), the invariant checker
(:mod:`sim.crime.invariants`) and the docs walk these tuples, so the order written
here is the order everyone sees.

The intervention hooks and the metrics bookkeeping are phases too: ``interventions``
(plug-ins' start, stop, daily and hourly hooks, step 0b), ``open row``, ``record``
(metrics row, tick counter), ``collect`` (Mesa's DataCollector and agent views) and
``analyzers`` (the run's analyzers, :mod:`sim.metrics.analyzers`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from sim.crime import daily, deterrence, fear, hourly, integration, justice, market

if TYPE_CHECKING:
    from sim.crime.levers import Levers
    from sim.crime.state import EngineState


@dataclass(slots=True)
class Clock:
    """Where the run is: the tick being run, its hour and day, its metrics row.

    Attributes:
        tick: The tick being run (ticks completed before it).
        hour: Tick within the day.
        day: Days completed.
        row: This tick's metrics row, opened by the ``open row`` phase.
        n_events: Crimes committed this tick (rows of ``state.scratch.events``), set by
            the ``offenders`` phase for ``consequences``.
        model: The model running the plan: the host of the plug-ins' hooks and of
            Mesa's DataCollector, which take the model.
    """

    tick: int
    hour: int
    day: int
    row: np.ndarray
    model: Any
    n_events: int = 0


#: A phase's function: reads and writes the state, reads the levers and the clock.
PhaseRun = Callable[["EngineState", "Levers", Clock], None]


class Phase(NamedTuple):
    """One step of the schedule: a name, its function and its ODD section."""

    name: str
    run: PhaseRun
    odd_section: str


#: The daily tasks, at the first tick of every day (ODD 0a), in order.
DAILY_PLAN: tuple[Phase, ...] = (
    Phase("tick limit", daily.check_tick_limit, "0a"),
    Phase("legitimacy drift", daily.drift_legitimacy, "0a"),
    Phase("programme ends", daily.end_programmes, "0a"),
    Phase("recruitment", daily.recruit, "0a"),
    Phase("desistance", daily.desist, "0a"),
    Phase("fading", daily.fade, "0a"),
    Phase("illicit market", market.run_market, "0a"),
    Phase("survey year", daily.survey_year, "0a"),
    Phase("offender pool", daily.ensure_free_slots, "0a"),
    Phase("fear", fear.update_fear, "0a"),
    Phase("residents' plans", daily.plan_residents_days, "0a"),
    Phase("legitimacy means", daily.measure_legitimacy, "0a"),
    Phase("guardianship", daily.refresh_guardianship, "0a"),
    Phase("hot spots", daily.refresh_hot_spots, "0a"),
    Phase("investigations and court", justice.daily_justice, "0a"),
    Phase("shared cases", integration.shared_cases, "0a"),
)

#: The hour, every tick, in order (ODD 0b to 10).
HOURLY_PLAN: tuple[Phase, ...] = (
    Phase("interventions", hourly.run_interventions, "0b"),
    Phase("open row", hourly.open_row, "10"),
    Phase("release", hourly.release, "1"),
    Phase("place residents", hourly.place_residents, "2"),
    Phase("patrol + police field", hourly.patrol, "3"),
    Phase("outreach", hourly.outreach, "4"),
    Phase("community contacts", hourly.community_contacts, "5"),
    Phase("offenders' hour", hourly.offenders, "6"),
    Phase("consequences", hourly.consequences, "7"),
    Phase("perceived risk", deterrence.learn, "7"),
    Phase("victims' fear", fear.victims_fear, "7"),
    Phase("justice cases", justice.count_cases, "7"),
    Phase("referrals", integration.refer, "7"),
    Phase("spawning", hourly.spawn, "8"),
    Phase("near-repeat field", hourly.near_repeat_field, "9"),
    Phase("fear measures", fear.record_fear, "10"),
    Phase("market measures", market.record_market, "10"),
    Phase("justice measures", justice.record_justice, "10"),
    Phase("record", hourly.record, "10"),
    Phase("collect", hourly.collect, "10"),
    Phase("analyzers", hourly.run_analyzers, "10"),
)


def tick_runs(daily_plan: tuple[Phase, ...], hourly_plan: tuple[Phase, ...],
              wrap: Callable[[Phase], PhaseRun] | None = None,
              ) -> tuple[tuple[PhaseRun, ...], tuple[PhaseRun, ...]]:
    """The functions of a day's first tick and of any other tick, in order.

    Plain tuples of functions, so the step's loop does no lookups. ``wrap(phase)``, if
    given, returns the function to run instead of ``phase.run`` (a timer, a tracer).
    """
    def run(ph: Phase) -> PhaseRun:
        return ph.run if wrap is None else wrap(ph)

    hours = tuple(run(ph) for ph in hourly_plan)
    return tuple(run(ph) for ph in daily_plan) + hours, hours


__all__ = ["DAILY_PLAN", "HOURLY_PLAN", "Clock", "Phase", "PhaseRun", "tick_runs"]
