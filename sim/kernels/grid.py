"""Grid geometry shared by the kernels: neighbours, distances, nearest sources.

Cells are flat indices ``c = y * width + x``. Edges either wrap (a torus, Short et al.
2008) or stop (a real city); every kernel asks this module instead of repeating the
arithmetic, so both kinds of edge behave the same everywhere.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Offsets of the 8 Moore neighbours; the first 4 are the von Neumann neighbours.
DX = np.array([1, -1, 0, 0, 1, 1, -1, -1], np.int64)
DY = np.array([0, 0, 1, -1, 1, -1, 1, -1], np.int64)


@njit(cache=True, inline="always")
def neighbour(c: int, k: int, width: int, height: int, periodic: bool) -> int:
    """Index of neighbour ``k`` (0-7) of cell ``c``, or -1 if it is off a bounded grid."""
    x = c % width + DX[k]
    y = c // width + DY[k]
    if periodic:
        x %= width
        y %= height
    elif x < 0 or x >= width or y < 0 or y >= height:
        return -1
    return y * width + x


@njit(cache=True, inline="always")
def distance(a: int, b: int, width: int, height: int, periodic: bool) -> float:
    """Euclidean distance between two cells, in cells (shortest way round on a torus)."""
    dx = abs(a % width - b % width)
    dy = abs(a // width - b // width)
    if periodic:
        dx = min(dx, width - dx)
        dy = min(dy, height - dy)
    return np.sqrt(dx * dx + dy * dy)


@njit(cache=True, inline="always")
def step_toward(c: int, target: int, width: int, height: int) -> int:
    """One king's move from ``c`` toward ``target`` on a bounded grid."""
    x = c % width
    y = c // width
    tx = target % width
    ty = target // width
    if tx > x:
        x += 1
    elif tx < x:
        x -= 1
    if ty > y:
        y += 1
    elif ty < y:
        y -= 1
    return y * width + x


@njit(cache=True)
def nearest_source(is_source: np.ndarray, width: int, height: int) -> np.ndarray:
    """For every cell, the nearest cell with ``is_source`` true (breadth-first, 8-way).

    Used once at start-up to send residents to the nearest shop, park or school
    without an all-pairs distance matrix. Cells unreachable from any source get -1.
    """
    n = width * height
    nearest = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int64)
    head = 0
    tail = 0
    for c in range(n):
        if is_source[c]:
            nearest[c] = c
            queue[tail] = c
            tail += 1
    while head < tail:
        c = queue[head]
        head += 1
        for k in range(8):
            nb = neighbour(c, k, width, height, False)
            if nb >= 0 and nearest[nb] < 0:
                nearest[nb] = nearest[c]
                queue[tail] = nb
                tail += 1
    return nearest


@njit(cache=True)
def random_cell_near(c: int, radius: int, width: int, height: int, u1: float, u2: float) -> int:
    """A cell drawn uniformly from the square of side 2*radius+1 around ``c`` (clamped)."""
    x = c % width + int(u1 * (2 * radius + 1)) - radius
    y = c // width + int(u2 * (2 * radius + 1)) - radius
    x = min(max(x, 0), width - 1)
    y = min(max(y, 0), height - 1)
    return y * width + x
