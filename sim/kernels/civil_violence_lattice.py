"""The civil-violence lattice: vision scans, counts of cops and actives seen, moves.

The lattice is a torus of ``width x height`` cells (``c = y * width + x``), each holding
at most one agent: ``kind[c]`` says what (``CV_*`` codes in :mod:`sim.config`) and
``occ[c]`` which agent. The tick that uses these is
:func:`sim.kernels.civil_violence.civil_violence_tick`.

Vision is given by ``half[dy + v]``: the half-width of row ``dy`` (``v - |dy|`` for
Von Neumann, ``v`` for Moore). Cells are scanned row by row from ``dy = -v`` and left
to right, the agent's own cell skipped; a random choice from a list picks entry
``int(U * n)``.

Two devices make a citizen's turn cost O(1) instead of a scan of its ~100 cells, the
bulk of the work: ``cops_seen[c]`` and ``actives_seen[c]`` count the cops and actives
within citizen vision of each cell, updated whenever a cop or an active moves or a
citizen changes state (:func:`add_seen`); and a move draws cells in vision until it
hits an empty one (:func:`random_empty_in_vision`), which is uniform over the empty
cells as a full list would be. Draws are ``rng.random()`` only, so a plain-Python
reference that follows the same order reproduces every draw (tests/civil_violence/).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_QUIET


@njit(cache=True)
def shuffle(order: np.ndarray, rng: np.random.Generator) -> None:
    """Fisher-Yates shuffle of ``order`` in place, from the last entry down."""
    for i in range(order.shape[0] - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        tmp = order[i]
        order[i] = order[j]
        order[j] = tmp


@njit(cache=True)
def scan(cell: int, kind: np.ndarray, occ: np.ndarray, half: np.ndarray, width: int,
         height: int, actives: np.ndarray, quiets: np.ndarray,
         empties: np.ndarray) -> tuple[int, int, int, int]:
    """Look around ``cell``: count cops, list actives, quiet citizens and empty cells.

    Returns ``(cops, n_active, n_quiet, n_empty)``; the first entries of ``actives`` and
    ``quiets`` receive agent ids, of ``empties`` cell indices, in scan order. Each
    buffer needs room for the whole neighbourhood.
    """
    x = cell % width
    y = cell // width
    v = (half.shape[0] - 1) // 2
    n_cops = 0
    n_act = 0
    n_quiet = 0
    n_empty = 0
    for r in range(half.shape[0]):
        dy = r - v
        yy = y + dy
        if yy < 0:
            yy += height
        elif yy >= height:
            yy -= height
        row = yy * width
        hw = half[r]
        for dx in range(-hw, hw + 1):
            if dx == 0 and dy == 0:
                continue
            xx = x + dx
            if xx < 0:
                xx += width
            elif xx >= width:
                xx -= width
            c = row + xx
            k = kind[c]
            o = occ[c]
            # Branch-free: write every entry, advance only the matching list. Cell kinds
            # are random, so branching on them mispredicts and costs ~5x the time.
            empties[n_empty] = c
            n_empty += k == CV_EMPTY
            n_cops += k == CV_COP
            actives[n_act] = o
            n_act += k == CV_ACTIVE
            quiets[n_quiet] = o
            n_quiet += k == CV_QUIET
    return n_cops, n_act, n_quiet, n_empty


@njit(cache=True)
def add_seen(seen: np.ndarray, cell: int, delta: int, half: np.ndarray, width: int,
             height: int) -> None:
    """Add ``delta`` to ``seen`` at every cell within vision ``half`` of ``cell``.

    Vision is symmetric, so ``seen[c]`` counts the agents of one kind that stand
    within vision of ``c`` (its own cell excluded) -- what a citizen at ``c`` sees.
    Keeping this count up to date as cops and actives move costs two neighbourhoods per
    move of a cop or active, and saves a neighbourhood scan per citizen per tick.
    """
    x = cell % width
    y = cell // width
    v = (half.shape[0] - 1) // 2
    for r in range(half.shape[0]):
        dy = r - v
        yy = y + dy
        if yy < 0:
            yy += height
        elif yy >= height:
            yy -= height
        row = yy * width
        hw = half[r]
        for dx in range(-hw, hw + 1):
            if dx == 0 and dy == 0:
                continue
            xx = x + dx
            if xx < 0:
                xx += width
            elif xx >= width:
                xx -= width
            seen[row + xx] += delta


@njit(cache=True)
def build_seen(kind: np.ndarray, code: int, half: np.ndarray, width: int, height: int,
               seen: np.ndarray) -> None:
    """Fill ``seen`` from scratch: per cell, the agents of ``code`` within vision."""
    seen[:] = 0
    for c in range(kind.shape[0]):
        if kind[c] == code:
            add_seen(seen, c, 1, half, width, height)


@njit(cache=True)
def move(agent: int, target: int, pos: np.ndarray, kind: np.ndarray, occ: np.ndarray,
         cops_seen: np.ndarray, actives_seen: np.ndarray, half: np.ndarray, width: int,
         height: int) -> None:
    """Move ``agent`` to the empty cell ``target``, taking its code along.

    A cop or an active citizen also moves its mark in the citizens' view counts.
    """
    c = pos[agent]
    k = kind[c]
    kind[target] = k
    occ[target] = agent
    kind[c] = CV_EMPTY
    occ[c] = -1
    pos[agent] = target
    if k == CV_COP:
        add_seen(cops_seen, c, -1, half, width, height)
        add_seen(cops_seen, target, 1, half, width, height)
    elif k == CV_ACTIVE:
        add_seen(actives_seen, c, -1, half, width, height)
        add_seen(actives_seen, target, 1, half, width, height)


@njit(cache=True)
def random_empty_cell(kind: np.ndarray, rng: np.random.Generator) -> int:
    """A uniformly drawn empty cell of the grid, by rejection.

    Some cell is empty while anyone is off the lattice, since the scenario keeps
    agents <= cells.
    """
    n = kind.shape[0]
    while True:
        c = int(rng.random() * n)
        if kind[c] == CV_EMPTY:
            return c


@njit(cache=True, inline="always")
def wrap(x: int, dx: int, size: int) -> int:
    """``(x + dx) mod size`` for ``|dx| < size``, without a division."""
    xx = x + dx
    if xx < 0:
        return xx + size
    if xx >= size:
        return xx - size
    return xx


@njit(cache=True)
def listed_empty_in_vision(cell: int, kind: np.ndarray, off_x: np.ndarray,
                           off_y: np.ndarray, width: int, height: int,
                           empties: np.ndarray, rng: np.random.Generator) -> int:
    """A uniform draw from the empty cells in vision listed in scan order, or -1."""
    x = cell % width
    y = cell // width
    n_empty = 0
    for j in range(off_x.shape[0]):
        c = wrap(y, off_y[j], height) * width + wrap(x, off_x[j], width)
        empties[n_empty] = c
        n_empty += kind[c] == CV_EMPTY
    if n_empty == 0:
        return -1
    return empties[int(rng.random() * n_empty)]


@njit(cache=True)
def random_empty_in_vision(cell: int, kind: np.ndarray, off_x: np.ndarray,
                           off_y: np.ndarray, width: int, height: int, tries: int,
                           empties: np.ndarray, rng: np.random.Generator) -> int:
    """A uniformly drawn empty cell within vision of ``cell``, or -1 if there is none.

    Up to ``tries`` draws of a cell in vision (offsets ``off_x``, ``off_y``, in scan
    order), accepting the first empty one; then, if all were taken, a draw from the
    listed empty cells. Both steps are uniform over the empty cells, so the choice is
    too, at about 1 / (empty share) draws instead of a full scan. The tick runs the same
    steps written out in its loop (see :func:`civil_violence_tick`).
    """
    x = cell % width
    y = cell // width
    n = off_x.shape[0]
    for _ in range(tries):
        j = int(rng.random() * n)
        c = wrap(y, off_y[j], height) * width + wrap(x, off_x[j], width)
        if kind[c] == CV_EMPTY:
            return c
    return listed_empty_in_vision(cell, kind, off_x, off_y, width, height, empties, rng)
