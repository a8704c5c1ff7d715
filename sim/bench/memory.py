"""Where a model's memory goes: bytes per agent, per cell and in the run's history.

The scaling benchmark's memory target is about the agents (bytes per agent with the
Mesa views off), but an honest figure must also say what else a model holds, so every
numpy array reachable from the model is counted once (views of one buffer count once)
and put in one of four bins:

- ``agents``: the populations' structure-of-arrays (residents with their households
  and their per-cell offsets, offender slots, officers, workers, guards);
- ``agent_buffers``: the engine state's arrays sized by the agents (the survey year's
  starting victim counts, the offenders' event buffer, ...);
- ``cells``: the city's layers and the state's per-cell buffers;
- ``history``: the per-tick metrics and the event log, which grow with run length.

Peak resident set size (``ru_maxrss``) is what the operating system saw, including the
interpreter, the imported libraries and numba's compiled code.
"""

from __future__ import annotations

import resource
import sys
from types import SimpleNamespace
from typing import Any

import numpy as np

#: Fields of :class:`sim.population.residents.Residents` indexed by cell, not resident.
RESIDENT_CELL_FIELDS = frozenset({"cell_hh_start", "cell_hh_count", "cell_res_start",
                                  "cell_res_count", "public_count", "public_start"})
#: Fields indexed by household.
RESIDENT_HOUSEHOLD_FIELDS = frozenset({"hh_home", "hh_first", "hh_size", "hh_vuln",
                                       "hh_group", "household_home"})
POPULATIONS = ("residents", "offenders", "police", "workers", "guards")
HISTORY = ("results", "events")
#: Engine-state fields sized by the agents whatever their shape (the survey year's start
#: counts are kept sparse: one row per resident ever victimised).
AGENT_BUFFERS = frozenset({"year_start", "events", "moving"})


def _root(a: np.ndarray) -> np.ndarray:
    """The array that owns ``a``'s buffer (a view counts as its base)."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _walk(obj: Any, depth: int = 0, seen: set[int] | None = None) -> list[np.ndarray]:
    """Every ndarray reachable from ``obj`` through sim objects and containers.

    Only crimesim's own objects, namespaces and builtin containers are entered, so the
    walk never wanders into Mesa's, numpy's or the random generator's internals.
    """
    seen = set() if seen is None else seen
    if id(obj) in seen or depth > 6:
        return []
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return [obj]
    out: list[np.ndarray] = []
    if isinstance(obj, dict):
        items: Any = obj.values()
    elif isinstance(obj, list | tuple):
        items = obj
    elif isinstance(obj, SimpleNamespace) or type(obj).__module__.startswith("sim."):
        items = (vars(obj).values() if hasattr(obj, "__dict__") else
                 [getattr(obj, n) for n in getattr(type(obj), "__slots__", ())])
    else:
        return out
    for v in items:
        out.extend(_walk(v, depth + 1, seen))
    return out


def _sum_unique(arrays: list[np.ndarray], counted: set[int]) -> int:
    """Bytes of the arrays' owners not yet in ``counted`` (which is updated)."""
    total = 0
    for a in arrays:
        r = _root(a)
        if id(r) not in counted:
            counted.add(id(r))
            total += r.nbytes
    return total


def resident_breakdown(residents: Any) -> dict[str, Any]:
    """Bytes of the resident arrays by what they are indexed by, and per field.

    Returns a dict with ``per_resident``, ``per_household``, ``per_cell`` and
    ``tables`` (lookup tables shared by groups) byte totals and ``fields``:
    ``{name: [dtype, bytes per row, total bytes]}``.
    """
    from sim.population.residents import CITY_LAYERS

    out: dict[str, Any] = {"per_resident": 0, "per_household": 0, "per_cell": 0,
                           "tables": 0, "fields": {}}
    for name, a in vars(residents).items():
        if not isinstance(a, np.ndarray) or name in CITY_LAYERS:
            continue  # the city's layers, seen through the homes, are the city's
        kind = ("tables" if name.endswith("_table") else
                "per_cell" if name in RESIDENT_CELL_FIELDS else
                "per_household" if name in RESIDENT_HOUSEHOLD_FIELDS else "per_resident")
        out[kind] += a.nbytes
        row = a.nbytes // a.shape[0] if a.shape and a.shape[0] else a.itemsize
        out["fields"][name] = [str(a.dtype), int(row), int(a.nbytes)]
    return out


def model_memory(model: Any) -> dict[str, Any]:
    """Count the bytes a crime model holds, by bin (see the module docstring).

    Args:
        model: A :class:`sim.crime.model.CrimeModel`.

    Returns:
        Byte totals ``agents``, ``agent_buffers``, ``cells``, ``history``, ``total``,
        the ``residents`` breakdown and ``agent_buffer_fields`` (name: bytes).
    """
    counted: set[int] = set()
    state = model.state
    # The city first: populations hold views of its layers (residents read deprivation
    # and district through their homes), which are the city's memory, not theirs.
    cells = _sum_unique(_walk(model.city), counted)
    pops = {name: _sum_unique(_walk(getattr(model, name)), counted) for name in POPULATIONS}
    history = sum(_sum_unique(_walk(getattr(model, name)), counted) for name in HISTORY)
    # The state's per-agent buffers: arrays whose first axis is sized by the agents.
    n_res = model.residents.n
    cap = model.offenders.capacity
    sized = {n_res, cap, cap + 1} - {model.city.n_cells}
    buffers: dict[str, int] = {}
    for part_name, part in vars(state).items():
        if part_name in POPULATIONS or part_name in HISTORY or not hasattr(part, "__dict__"):
            continue
        for name, v in vars(part).items():
            for a in _walk(v):
                if name in AGENT_BUFFERS or (a.ndim and a.shape[0] in sized and a.shape[0] > 0):
                    b = _sum_unique([a], counted)
                    if b:
                        buffers[name] = buffers.get(name, 0) + b
    for v in (state, model.levers, *vars(model).values()):  # the rest: per-cell, tables
        cells += _sum_unique(_walk(v), counted)
    agents = sum(pops.values())
    agent_buffers = sum(buffers.values())
    return {
        "agents": agents, "populations": pops, "agent_buffers": agent_buffers,
        "agent_buffer_fields": buffers, "cells": cells, "history": history,
        "total": agents + agent_buffers + cells + history,
        "residents": resident_breakdown(model.residents),
    }


def _status_kb(field: str) -> int | None:
    """A ``/proc/self/status`` figure in bytes (Linux), or None."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def current_rss_bytes() -> int:
    """Resident set size of this process now (Linux), or the peak where unknown."""
    now = _status_kb("VmRSS")
    return now if now is not None else peak_rss_bytes()


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes.

    The largest of ``ru_maxrss``, ``VmHWM`` and the current RSS: the kernel updates its
    high-water marks lazily, so either may briefly trail the current figure.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = int(peak if sys.platform == "darwin" else peak * 1024)
    return max(peak, _status_kb("VmHWM") or 0, _status_kb("VmRSS") or 0)


__all__ = ["current_rss_bytes", "model_memory", "peak_rss_bytes", "resident_breakdown"]
