"""The awareness space in the engine: its tables, its kernel calls, the dashboard's view.

The kernels are in :mod:`sim.kernels.awareness`; this module builds the per-city tables
they read (each cell's nearest home, the gangs' turf cells), packs their arguments,
and holds the calls the tick makes (the daily nodes and fading memories, the hourly
outings through :func:`sim.kernels.offender_tick.offender_hour`, the memory of
burglaries after the consequences). With ``awareness.enabled = false`` none of these
calls draw a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import DEAD, INDEX, NO_GANG, RESIDENTIAL
from sim.kernels import awareness as kernels
from sim.kernels.grid import nearest_source

if TYPE_CHECKING:
    from sim.city import City
    from sim.crime.levers import Levers
    from sim.crime.state import EngineState


@dataclass
class AwarenessTables:
    """Per-city tables the node draws read.

    Attributes:
        nearest_home: Nearest residential cell of every cell (a friend's home).
        turf_cells: Cells of every gang's districts, gang after gang.
        turf_start: Offsets into ``turf_cells`` (gangs + 1).
    """

    nearest_home: np.ndarray
    turf_cells: np.ndarray
    turf_start: np.ndarray


def build_tables(city: City, territory: np.ndarray) -> AwarenessTables:
    """Nearest homes by breadth-first search; turf cells grouped by gang."""
    lu = city.land_use.ravel()
    homes = lu == RESIDENTIAL
    if homes.any():
        nearest = nearest_source(homes, city.width, city.height).astype(INDEX)
    else:
        nearest = np.arange(city.n_cells, dtype=INDEX)
    gangs = int(territory.max(initial=-1)) + 1
    gang_of_cell = territory[city.district.ravel()]
    order = np.argsort(gang_of_cell, kind="stable")
    held = order[gang_of_cell[order] != NO_GANG].astype(INDEX)
    counts = np.bincount(gang_of_cell[held], minlength=gangs) if gangs else np.zeros(0, int)
    start = np.zeros(max(gangs, 1) + 1, np.int64)
    start[1:gangs + 1] = np.cumsum(counts)
    return AwarenessTables(nearest, held, start)


def packed(s: EngineState, lv: Levers, hour: int) -> tuple[Any, ...]:
    """The hourly kernel's :class:`sim.kernels.awareness.AwarenessArrays`, packed."""
    off = s.offenders
    p_start = lv.outing_start_prob(hour) if lv.aw_enabled else 0.0
    return (off.aw_nodes, off.aw_anchor, off.aw_hours, off.mem_cell, off.mem_days,
            s.residents.activity_cell, lv.aw_weights, p_start, lv.aw_hours, lv.repeat_prob)


def daily(s: EngineState, lv: Levers, tick: int) -> None:
    """Nodes for the offenders created at ``tick``; memories lose a day."""
    if not lv.aw_enabled:
        return
    t, off, res, city = s.aw_tables, s.offenders, s.residents, s.city.city
    kernels.daily(tick, off.state, off.home, off.born, off.gang, off.kind, off.resident,
                  res.age, off.aw_nodes, off.aw_hours, off.mem_days, s.city.nearest_public,
                  t.nearest_home, t.turf_cells, t.turf_start, lv.aw_leisure_cells,
                  lv.aw_family_cells, lv.aw_youth_reach, city.width, city.height, s.rng)


def remember(s: EngineState, lv: Levers, n_events: int) -> None:
    """Offenders remember the cells they burgled this tick (repeat victimisation)."""
    if lv.repeat_enabled and n_events:
        off = s.offenders
        kernels.remember(s.scratch.events, n_events, off.home, off.mem_cell, off.mem_days,
                         lv.repeat_days)


def awareness_space(s: EngineState, lv: Levers, slot: int) -> dict[str, Any]:
    """One offender's awareness space, for the dashboard.

    Returns ``{"home", "nodes": [(kind, cell)], "anchor", "paths"}``: ``paths`` holds the
    cells of the straight king-move lines from home to each node. ``nodes`` is empty
    when the mechanism is off (or before the first day drew them).

    Raises:
        ValueError: If ``slot`` is out of range or holds no offender.
    """
    off = s.offenders
    if not 0 <= slot < off.capacity or off.state[slot] == DEAD:
        raise ValueError(f"offender slot {slot} holds no offender (free or out of range)")
    home = int(off.home[slot])
    nodes: list[tuple[str, int]] = []
    if lv.aw_enabled and home >= 0:
        r = int(off.resident[slot])
        act = int(s.residents.activity_cell[r]) if r >= 0 else -1
        third = "turf" if off.gang[slot] != NO_GANG else "leisure"
        for kind, cell in (("activity", act), ("leisure", off.aw_nodes[slot, 0]),
                           ("family", off.aw_nodes[slot, 1]), (third, off.aw_nodes[slot, 2])):
            if cell >= 0:
                nodes.append((kind, int(cell)))
    width = s.city.city.width
    path: list[int] = []
    for _, cell in nodes:
        length = kernels.line_length(home, cell, width)
        path.extend(kernels.line_point(home, cell, k, length, width) for k in range(length + 1))
    anchor = int(off.aw_anchor[slot]) if lv.aw_enabled and off.aw_hours[slot] > 0 else -1
    return {"home": home, "nodes": nodes, "anchor": anchor,
            "paths": np.unique(np.array(path, np.int64))}


__all__ = ["AwarenessTables", "awareness_space", "build_tables", "daily", "packed", "remember"]
