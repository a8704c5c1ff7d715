"""Where a tick's time goes: each phase of :meth:`CrimeModel.step`, timed apart.

``cProfile`` charges compiled kernels to ``CrimeModel.step`` as a whole, so the
scaling benchmark times each phase with ``time.perf_counter`` around its compiled
call instead: the step calls its kernels through their modules
(``routines.place_residents(...)``), so wrapping the module attribute for a while
times every call without touching the model. What no wrapper covers -- the step's
own Python, Mesa's scheduler, metrics bookkeeping -- is reported as ``other``. A
wrapper adds about a microsecond per call, negligible next to the phases.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: (module, attribute, label): the phases of a tick, in step order.
PHASES: tuple[tuple[str, str, str], ...] = (
    ("sim.crime.model", "run_daily", "daily tasks"),
    ("sim.kernels.flows", "release", "release"),
    ("sim.kernels.routines", "place_residents", "place residents"),
    ("sim.kernels.patrol", "patrol_and_field", "patrol + police field"),
    ("sim.kernels.patrol", "patrol", "outreach walk"),
    ("sim.kernels.services", "outreach", "outreach"),
    ("sim.kernels.legitimacy", "community_contacts", "community contacts"),
    ("sim.kernels.offender_tick", "offender_hour", "offenders' hour"),
    ("sim.kernels.consequences", "consequences", "consequences"),
    ("sim.kernels.near_repeat", "step_b", "near-repeat field"),
    ("sim.kernels.summary", "offender_counts", "offender counts"),
)


@contextmanager
def timed_phases(totals: dict[str, float]) -> Iterator[None]:
    """Add each phase's wall time to ``totals[label]`` while the block runs."""
    saved = []
    try:
        for mod_name, attr, label in PHASES:
            mod = importlib.import_module(mod_name)
            fn = getattr(mod, attr)
            saved.append((mod, attr, fn))
            setattr(mod, attr, _timer(fn, label, totals))
        yield
    finally:
        for mod, attr, fn in saved:
            setattr(mod, attr, fn)


def _timer(fn: Any, label: str, totals: dict[str, float]) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - t0
    return timed


def phase_profile(model: Any, ticks: int, agents: float) -> dict[str, float]:
    """Run ``ticks`` ticks of ``model`` and return ns per agent-step of each phase.

    ``other`` is the rest of the wall time; phases that did not run are left out.
    """
    totals: dict[str, float] = {}
    with timed_phases(totals):
        t0 = time.perf_counter()
        model.run_for(ticks)
        wall = time.perf_counter() - t0
    scale = 1e9 / (agents * ticks)
    out = {label: s * scale for label, s in sorted(totals.items(), key=lambda kv: -kv[1])}
    out["other"] = (wall - sum(totals.values())) * scale
    return out


__all__ = ["PHASES", "phase_profile", "timed_phases"]
