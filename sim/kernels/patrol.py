"""Police patrol and the deterrence field they cast.

Four strategies (Jones, Brantingham & Chayes 2010 compare the first two; Braga et al.
2019 review hot-spot policing; Tyler 2004 community policing):

- random: a random walk of ``speed`` king's moves per tick;
- hotspot: head for a cell drawn from the hot list (top cells by reported crime),
  then patrol the hot spot and its eight neighbours until reassigned;
- community: a random walk that never leaves the officer's beat district;
- reactive: answer the oldest unanswered call (a reported crime), else walk at random.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import COMMUNITY_PATROL, HOTSPOT_PATROL, REACTIVE_PATROL
from sim.kernels.grid import neighbour, step_toward


@njit(cache=True)
def patrol(
    pos: np.ndarray,
    strategy: np.ndarray,
    target: np.ndarray,
    beat: np.ndarray,
    district: np.ndarray,
    hot_cells: np.ndarray,
    calls: np.ndarray,
    n_calls: int,
    speed: int,
    width: int,
    height: int,
    rng: np.random.Generator,
    trail: np.ndarray | None = None,
) -> int:
    """Move every officer for one tick; returns how many calls were taken.

    Args:
        pos: Officer cells (updated).
        strategy: Patrol strategy code per officer.
        target: Cell each officer is heading for, -1 for none (updated).
        beat: Beat district per officer (community officers stay inside it).
        district: District per cell (flat).
        hot_cells: Cells on the hot-spot list (may be empty).
        calls: Cells of unanswered calls, oldest first; taken calls are set to -1.
        n_calls: Number of valid entries in ``calls``.
        speed: King's moves per tick.
        width: Grid width.
        height: Grid height.
        rng: The model's generator.
        trail: ``(officers, speed)``: where each officer spends each ``1/speed`` of the
            hour (the cell before each step; police presence,
            :mod:`sim.kernels.presence`); None (the default): not recorded.
    """
    taken = 0
    next_call = 0
    for i in range(pos.shape[0]):
        s = strategy[i]
        if s == HOTSPOT_PATROL and hot_cells.shape[0] > 0 and target[i] < 0:
            target[i] = hot_cells[int(rng.random() * hot_cells.shape[0])]
        elif s == REACTIVE_PATROL and target[i] < 0:
            while next_call < n_calls and calls[next_call] < 0:
                next_call += 1
            if next_call < n_calls:
                target[i] = calls[next_call]
                calls[next_call] = -1
                taken += 1
        for step in range(speed):
            c = pos[i]
            if trail is not None:
                trail[i, step] = c
            t = target[i]
            near_hot = (s == HOTSPOT_PATROL and t >= 0
                        and abs(c % width - t % width) <= 1 and abs(c // width - t // width) <= 1)
            if t >= 0 and t != c and not near_hot:
                pos[i] = step_toward(c, t, width, height)
                continue
            if t >= 0 and s == REACTIVE_PATROL:
                target[i] = -1  # call answered: back to patrol
            k = int(rng.random() * 8.0)
            nb = neighbour(c, k, width, height, False)
            if nb < 0:
                continue
            if s == COMMUNITY_PATROL and district[nb] != beat[i]:
                continue
            if s == HOTSPOT_PATROL and t >= 0:
                # Patrol the hot spot and its immediate surroundings.
                dx = abs(nb % width - t % width)
                dy = abs(nb // width - t // width)
                if dx > 1 or dy > 1:
                    continue
            pos[i] = nb
    return taken


@njit(cache=True)
def police_field(
    pos: np.ndarray, weight: np.ndarray, deterrence: float, radius: int,
    width: int, height: int, out: np.ndarray,
) -> None:
    """Deterrence per cell: ``deterrence * sum of weights of officers within radius``.

    ``weight`` is 1 for an honest officer and lower for a corrupt one, whose presence
    offenders learn to discount. Chebyshev radius on a bounded grid.
    """
    out[:] = 0.0
    for i in range(pos.shape[0]):
        x0 = pos[i] % width
        y0 = pos[i] // width
        w = deterrence * weight[i]
        for y in range(max(0, y0 - radius), min(height, y0 + radius + 1)):
            for x in range(max(0, x0 - radius), min(width, x0 + radius + 1)):
                out[y * width + x] += w


@njit(cache=True)
def patrol_and_field(
    pos: np.ndarray,
    strategy: np.ndarray,
    target: np.ndarray,
    beat: np.ndarray,
    district: np.ndarray,
    hot_cells: np.ndarray,
    calls: np.ndarray,
    n_calls: int,
    speed: int,
    width: int,
    height: int,
    weight: np.ndarray,
    deterrence: float,
    radius: int,
    field: np.ndarray,
    rng: np.random.Generator,
) -> int:
    """:func:`patrol` then :func:`police_field` in one call (the model's hourly step)."""
    taken = patrol(pos, strategy, target, beat, district, hot_cells, calls, n_calls, speed,
                   width, height, rng)
    police_field(pos, weight, deterrence, radius, width, height, field)
    return taken
