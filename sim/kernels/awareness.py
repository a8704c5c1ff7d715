"""Offenders' awareness space: activity nodes, outings with an anchor, repeat returns.

Crime pattern theory (Brantingham & Brantingham 1993) places offending where an
offender's routine activity space meets suitable targets: around home, around the
places he goes to (school or work, leisure places, the homes of friends and family,
Bernasco 2010) and on the paths between them. Journeys to crime therefore have a
typical length of a kilometre or so, not the few hundred metres a walk from home
gives (Wiles & Costello 2000; Bernasco & Block 2009).

This module holds the kernels of that rule:

- :func:`draw_nodes`: each new street offender's activity nodes, drawn once (leisure
  places among shops, parks and nightlife, and a friend's or family home, at a
  distance drawn from an exponential around home; gang members' third node is a cell
  of their gang's turf, others' a second leisure place). Youth reach less far.
- :func:`start_hour`: replaces the hourly coin toss of :func:`activity.activate`. A
  street offender at home starts an *outing* with an hourly probability, draws its
  duration and its anchor (a node, by kind weights; or, while he remembers a
  burglary, that cell with ``return_prob``), travels there on the first hour along
  the straight king-move line and searches around the anchor until the outing ends.
- :func:`travel_round`: the travellers' step of one move round along their line.
- :func:`remember`: after a burglary the offender remembers the cell (repeat and
  near-repeat victimisation as optimal foraging, Johnson & Bowers 2004).
- :func:`daily`: new offenders' nodes, memories fading.

All draws come from the model's generator, in slot order; with the mechanism off no
kernel here is called, so the first release's draws are untouched.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from sim.config import (
    BURGLARY,
    EV_CELL,
    EV_OFFENDER,
    EV_TYPE,
    FREE,
    NO_GANG,
    STREET_OFFENDER,
    YOUTH,
)

#: Node kinds, in the order of :attr:`AwarenessArrays.weights`.
NODE_KINDS: tuple[str, ...] = ("home", "activity", "leisure", "family", "turf", "memory")
K_HOME, K_ACTIVITY, K_LEISURE, K_FAMILY, K_TURF, K_MEMORY = range(len(NODE_KINDS))
#: Columns of an offender's node table: leisure place, family home, turf or 2nd leisure.
N_NODES = 3


class AwarenessArrays(NamedTuple):
    """What the outing kernels read and write, passed packed as one plain tuple.

    Attributes:
        nodes: ``(slots, 3)`` int32: leisure place, friend's/family home, and gang
            turf (gang members) or a second leisure place (others); -1 if none.
        anchor: Current outing's anchor cell per slot (-1: none).
        hours: Hours left in the current outing per slot (0: at home), uint8.
        mem_cell: Remembered burglary cell per slot, int32.
        mem_days: Days the memory lasts still, uint8 (0: none).
        activity_cell: Each resident's school or work cell (-1: none).
        weights: Anchor weight by node kind (``NODE_KINDS`` order, memory unused).
        p_start: Probability a street offender at home starts an outing this hour.
        mean_hours: Mean outing length in hours (drawn uniformly in 1..2*mean-1).
        return_prob: Probability an outing goes back to the remembered cell.
    """

    nodes: np.ndarray
    anchor: np.ndarray
    hours: np.ndarray
    mem_cell: np.ndarray
    mem_days: np.ndarray
    activity_cell: np.ndarray
    weights: np.ndarray
    p_start: float
    mean_hours: int
    return_prob: float


@njit(cache=True, inline="always")
def displaced_cell(c: int, mean_cells: float, u1: float, u2: float, width: int,
                   height: int) -> int:
    """The cell at an exponential distance (mean ``mean_cells``) and uniform bearing.

    ``u1`` draws the distance ``-mean * log(1 - u1)``, ``u2`` the bearing; the point
    is rounded to a cell and clamped to the grid.
    """
    d = -mean_cells * np.log(1.0 - u1)
    a = 2.0 * np.pi * u2
    x = int(np.floor(c % width + 0.5 + d * np.cos(a)))
    y = int(np.floor(c // width + 0.5 + d * np.sin(a)))
    x = min(max(x, 0), width - 1)
    y = min(max(y, 0), height - 1)
    return y * width + x


@njit(cache=True, inline="always")
def line_length(a: int, b: int, width: int) -> int:
    """King moves on the straight line from ``a`` to ``b`` (Chebyshev distance)."""
    return max(abs(b % width - a % width), abs(b // width - a // width))


@njit(cache=True, inline="always")
def line_point(a: int, b: int, k: int, length: int, width: int) -> int:
    """Point ``k`` (0..length) of the straight king-move line from ``a`` to ``b``.

    Each coordinate advances in proportion, rounded half up, so successive points are
    one king move apart and point ``length`` is ``b``.
    """
    if length == 0:
        return a
    ax, ay = a % width, a // width
    dx, dy = b % width - ax, b // width - ay
    x = ax + int(np.floor(k * dx / length + 0.5))
    y = ay + int(np.floor(k * dy / length + 0.5))
    return y * width + x


@njit(cache=True)
def draw_nodes(
    slot: int, home: int, youth: bool, gang: int, nodes: np.ndarray,
    nearest_public: np.ndarray, nearest_home: np.ndarray, turf_cells: np.ndarray,
    turf_start: np.ndarray, leisure_cells: float, family_cells: float, youth_reach: float,
    width: int, height: int, rng: np.random.Generator,
) -> None:
    """Draw one offender's three activity nodes (6 uniforms, or 5 for a gang member).

    Leisure places are the nearest shop, park or nightlife cell to a point at an
    exponential distance from home; the friend's or family home is the nearest
    residential cell to such a point; a gang member's turf is a cell drawn uniformly
    from his gang's districts. Youth's distances are scaled by ``youth_reach``.
    """
    scale = youth_reach if youth else 1.0
    c = displaced_cell(home, leisure_cells * scale, rng.random(), rng.random(), width, height)
    nodes[slot, 0] = nearest_public[c]
    c = displaced_cell(home, family_cells * scale, rng.random(), rng.random(), width, height)
    nodes[slot, 1] = nearest_home[c]
    if gang != NO_GANG and turf_start[gang + 1] > turf_start[gang]:
        n = turf_start[gang + 1] - turf_start[gang]
        nodes[slot, 2] = turf_cells[turf_start[gang] + min(int(rng.random() * n), n - 1)]
    else:
        c = displaced_cell(home, leisure_cells * scale, rng.random(), rng.random(), width,
                           height)
        nodes[slot, 2] = nearest_public[c]


@njit(cache=True)
def daily(
    tick: int, o_state: np.ndarray, o_home: np.ndarray, o_born: np.ndarray,
    o_gang: np.ndarray, o_kind: np.ndarray, o_resident: np.ndarray, age: np.ndarray,
    nodes: np.ndarray, hours: np.ndarray, mem_days: np.ndarray,
    nearest_public: np.ndarray, nearest_home: np.ndarray, turf_cells: np.ndarray,
    turf_start: np.ndarray, leisure_cells: float, family_cells: float, youth_reach: float,
    width: int, height: int, rng: np.random.Generator,
) -> int:
    """The day's bookkeeping: nodes for offenders created this tick; memories fade.

    A slot filled at ``tick`` (the initial offenders at tick 0, today's recruits)
    gets its nodes and starts with no outing and no memory. Every memory loses a day.
    Returns how many offenders got nodes.
    """
    n = 0
    for i in range(o_state.shape[0]):
        if mem_days[i] > 0:
            mem_days[i] -= 1
        if o_state[i] != FREE or o_born[i] != tick:
            continue
        hours[i] = 0
        mem_days[i] = 0
        nodes[i, 0] = nodes[i, 1] = nodes[i, 2] = -1
        if o_home[i] < 0 or o_kind[i] != STREET_OFFENDER:
            continue
        r = o_resident[i]
        youth = r >= 0 and age[r] == YOUTH
        draw_nodes(i, o_home[i], youth, o_gang[i], nodes, nearest_public, nearest_home,
                   turf_cells, turf_start, leisure_cells, family_cells, youth_reach, width,
                   height, rng)
        n += 1
    return n


@njit(cache=True)
def choose_anchor(i: int, home: int, gang: int, activity: int, aw: AwarenessArrays,
                  rng: np.random.Generator) -> int:
    """Draw an outing's anchor: the remembered cell, else a node by kind weight.

    While a memory lasts, one uniform decides a return (``return_prob``); otherwise
    one uniform picks among home, the activity cell and the three nodes (missing
    ones weigh nothing; the third node weighs as turf for a gang member, as leisure
    for others).
    """
    if aw.mem_days[i] > 0 and rng.random() < aw.return_prob:
        return aw.mem_cell[i]
    w = aw.weights
    third = K_TURF if gang != NO_GANG else K_LEISURE
    cand = (np.int64(home), np.int64(activity), np.int64(aw.nodes[i, 0]),
            np.int64(aw.nodes[i, 1]), np.int64(aw.nodes[i, 2]))
    kinds = (K_HOME, K_ACTIVITY, K_LEISURE, K_FAMILY, third)
    total = 0.0
    for k in range(5):
        if cand[k] >= 0:
            total += w[kinds[k]]
    if total <= 0.0:
        return home
    r = rng.random() * total
    acc = 0.0
    last = home
    for k in range(5):
        if cand[k] >= 0 and w[kinds[k]] > 0.0:
            acc += w[kinds[k]]
            last = cand[k]
            if r < acc:
                return cand[k]
    return last


@njit(cache=True)
def start_hour(
    o_state: np.ndarray, o_active: np.ndarray, o_acted: np.ndarray, o_pos: np.ndarray,
    o_home: np.ndarray, o_gang: np.ndarray, o_kind: np.ndarray, o_resident: np.ndarray,
    p_active: float, aw: AwarenessArrays, travel: np.ndarray, rng: np.random.Generator,
) -> int:
    """Who is out this hour, by outings; clears "offended this tick"; returns the number out.

    For each free street offender with a home: one out continues (or, his hours
    spent, is back home and stays in this hour); one at home starts an outing with
    ``p_start`` (one uniform), then draws its length (one uniform) and its anchor
    (:func:`choose_anchor`) and is marked ``travel`` unless the anchor is home.
    Offenders without a home (transient burglars) keep the hourly coin toss with
    ``p_active`` and no anchor. Domestic offenders never go out here.
    """
    n = 0
    for i in range(o_state.shape[0]):
        o_acted[i] = False
        travel[i] = False
        if o_state[i] != FREE or o_kind[i] != STREET_OFFENDER:
            o_active[i] = False
            aw.hours[i] = 0
            continue
        h = o_home[i]
        if h < 0:
            aw.anchor[i] = -1
            o_active[i] = rng.random() < p_active
            if o_active[i]:
                n += 1
            continue
        if aw.hours[i] > 0:
            aw.hours[i] -= 1
            if aw.hours[i] == 0:
                o_pos[i] = h
                o_active[i] = False
            else:
                o_active[i] = True
                n += 1
            continue
        o_pos[i] = h
        o_active[i] = False
        if rng.random() >= aw.p_start:
            continue
        span = 2 * aw.mean_hours - 1
        aw.hours[i] = 1 + min(int(rng.random() * span), span - 1)
        r = o_resident[i]
        act = aw.activity_cell[r] if r >= 0 else -1
        a = choose_anchor(i, h, o_gang[i], act, aw, rng)
        aw.anchor[i] = a
        travel[i] = a != h
        o_active[i] = True
        n += 1
    return n


@njit(cache=True)
def travel_round(rnd: int, moves: int, o_pos: np.ndarray, o_home: np.ndarray,
                 anchor: np.ndarray, travel: np.ndarray, width: int) -> None:
    """Move every traveller to its line point for move round ``rnd`` (of ``moves``).

    The line from home to the anchor (``L`` king moves) is covered in the hour's
    rounds: round ``r`` stands at point ``min(L, max(r + 1, ceil((r + 1) L / moves)))``,
    so a long journey skips evenly along its line and a short one arrives early and
    searches for the rounds left. On arrival ``travel`` is cleared.
    """
    for i in range(o_pos.shape[0]):
        if not travel[i]:
            continue
        h, a = o_home[i], anchor[i]
        length = line_length(h, a, width)
        k = max(rnd + 1, -((-(rnd + 1) * length) // moves))
        if k >= length:
            k = length
            travel[i] = False
        o_pos[i] = line_point(h, a, k, length, width)


@njit(cache=True)
def remember(events: np.ndarray, n_events: int, o_home: np.ndarray, mem_cell: np.ndarray,
             mem_days: np.ndarray, days: int) -> int:
    """After a burglary its offender remembers the cell for ``days`` days; returns how many.

    No random draw. Offenders without a home (transient burglars) keep no memory.
    """
    n = 0
    for e in range(n_events):
        if events[e, EV_TYPE] != BURGLARY:
            continue
        i = events[e, EV_OFFENDER]
        if o_home[i] < 0:
            continue
        mem_cell[i] = events[e, EV_CELL]
        mem_days[i] = days
        n += 1
    return n


def no_awareness() -> tuple:
    """An empty :class:`AwarenessArrays`, packed: what a kernel gets with the mechanism off."""
    empty = np.zeros(0, np.int32)
    return (np.zeros((0, N_NODES), np.int32), empty, np.zeros(0, np.uint8), empty,
            np.zeros(0, np.uint8), empty, np.zeros(len(NODE_KINDS)), 0.0, 1, 0.0)


__all__ = ["K_ACTIVITY", "K_FAMILY", "K_HOME", "K_LEISURE", "K_MEMORY", "K_TURF", "N_NODES",
           "NODE_KINDS", "AwarenessArrays", "choose_anchor", "daily", "displaced_cell",
           "draw_nodes", "line_length", "line_point", "no_awareness", "remember", "start_hour",
           "travel_round"]
