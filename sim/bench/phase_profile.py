"""Where a tick's time goes: each phase of the crime model's plan, timed apart.

``cProfile`` charges compiled kernels to ``CrimeModel.step`` as a whole, so the
scaling benchmark times each phase of the model's plan (:mod:`sim.crime.plan`) with
``time.perf_counter`` around it instead: :meth:`CrimeModel.instrument` runs every
phase through a timer for a while, then the plain plan again. What no phase covers --
Mesa's scheduler and the step's own loop -- is reported as ``other``. A timer adds
well under a microsecond per phase, negligible next to the phases.
"""

from __future__ import annotations

import time
from typing import Any

#: Label of the daily tasks, timed together unless ``daily_detail`` is asked for.
DAILY_LABEL = "daily tasks"


def _timer(run: Any, label: str, totals: dict[str, float]) -> Any:
    clock = time.perf_counter

    def timed(state: Any, levers: Any, tick_clock: Any) -> None:
        t0 = clock()
        try:
            run(state, levers, tick_clock)
        finally:
            totals[label] = totals.get(label, 0.0) + clock() - t0
    return timed


def phase_labels(model: Any, daily_detail: bool = False) -> list[str]:
    """The labels :func:`phase_profile` can report for ``model``, in plan order."""
    daily_plan, hourly_plan = model.plan
    daily = ([f"daily: {ph.name}" for ph in daily_plan] if daily_detail else [DAILY_LABEL])
    return [*daily, *(ph.name for ph in hourly_plan)]


def phase_profile(model: Any, ticks: int, agents: float,
                  daily_detail: bool = False) -> dict[str, float]:
    """Run ``ticks`` ticks of ``model`` and return ns per agent-step of each phase.

    Daily tasks are one phase, ``daily tasks``, unless ``daily_detail`` (then each is
    ``daily: <name>``). ``other`` is the rest of the wall time; phases that did not
    run are left out. The model runs its plain plan again afterwards.
    """
    totals: dict[str, float] = {}
    daily = {ph.name for ph in model.plan[0]}

    def wrap(phase: Any) -> Any:
        label = phase.name
        if label in daily:
            label = f"daily: {label}" if daily_detail else DAILY_LABEL
        return _timer(phase.run, label, totals)

    model.instrument(wrap)
    try:
        t0 = time.perf_counter()
        model.run_for(ticks)
        wall = time.perf_counter() - t0
    finally:
        model.instrument(None)
    scale = 1e9 / (agents * ticks)
    out = {label: s * scale for label, s in sorted(totals.items(), key=lambda kv: -kv[1])}
    out["other"] = (wall - sum(totals.values())) * scale
    return out


__all__ = ["DAILY_LABEL", "phase_labels", "phase_profile"]
