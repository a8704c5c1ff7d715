"""Epstein's (2002) civil violence, Model I: one tick of asynchronous activation.

The lattice is a torus of ``width x height`` cells (``c = y * width + x``), each holding
at most one agent: ``kind[c]`` says what (``CV_*`` codes in :mod:`sim.config`) and
``occ[c]`` which agent. Agents ``0 .. n_citizens - 1`` are citizens, the rest cops.
Each tick every agent acts once, in a fresh random order (or a fixed one), and sees the
effects of those who acted before it, as in Epstein's model and Mesa's example:

- **Citizen** (rule A). A jailed citizen counts its term down and does nothing else;
  at term 0 it is released (back on a random empty cell if it had left the lattice)
  and acts. It counts cops ``C`` and actives ``A`` in vision (``A`` counts itself) and
  estimates the arrest probability ``P = 1 - exp(-k round(C / A))``. With grievance
  ``G = H (1 - L_i)`` (hardship ``H``, perceived legitimacy ``L_i = L f_i``) and net
  risk ``N = R P`` (risk aversion ``R``) it is active iff ``G - N > T``. Then it moves
  to a random empty cell in vision (rule M).
- **Cop** (rule C). Arrests a random active citizen in vision: jail for a term drawn
  uniformly from ``0 .. max_jail_term``; the citizen leaves the lattice (Epstein) or
  keeps its cell (Mesa's example, ``jail_on_grid``). A corrupt cop then extorts a
  random quiet citizen in vision, whose legitimacy factor ``f_i`` falls by the share
  ``corruption_loss`` (the link to the crime model's corruption; docs/ODD.md §11).
  Then it moves to a random empty cell in its vision.

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

from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_FLOOR, CV_JAILED, CV_QUIET, CV_ROUND


@njit(cache=True, inline="always")
def arrest_probability(cops: int, actives: int, k: float, rounding: int) -> float:
    """A citizen's estimate of its arrest probability if it rebels.

    Args:
        cops: Cops in vision (C).
        actives: Actives in vision, counting the citizen itself (A >= 1).
        k: Epstein's constant (2.3 makes P = 0.9 at C/A = 1).
        rounding: CV_FLOOR, CV_ROUND (half to even, as Python's ``round`` in Mesa's
            example) or CV_NO_ROUNDING.
    """
    ratio = cops / actives
    if rounding == CV_FLOOR:
        ratio = np.floor(ratio)
    elif rounding == CV_ROUND:
        ratio = np.rint(ratio)
    return 1.0 - np.exp(-k * ratio)


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


@njit(cache=True)
def cop_act(a: int, corrupt: bool, pos: np.ndarray, kind: np.ndarray, occ: np.ndarray,
            cops_seen: np.ndarray, actives_seen: np.ndarray, state: np.ndarray,
            jail: np.ndarray, trust: np.ndarray, max_jail: int, jail_on_grid: bool,
            corruption_loss: float, movement: bool, half_cop: np.ndarray,
            half_citizen: np.ndarray, width: int, height: int, actives: np.ndarray,
            quiets: np.ndarray, empties: np.ndarray,
            rng: np.random.Generator) -> tuple[int, int]:
    """Cop ``a`` acts: arrest (rule C), extort if corrupt, move. Returns the counts."""
    c = pos[a]
    _, n_act, n_quiet, n_empty = scan(c, kind, occ, half_cop, width, height, actives, quiets,
                                      empties)
    arrested = 0
    if n_act > 0:
        who = actives[int(rng.random() * n_act)]
        cell = pos[who]
        add_seen(actives_seen, cell, -1, half_citizen, width, height)
        state[who] = CV_JAILED
        jail[who] = int(rng.random() * (max_jail + 1))
        if jail_on_grid:
            kind[cell] = CV_JAILED
        else:  # off the lattice: the cell is free, and within this cop's vision
            kind[cell] = CV_EMPTY
            occ[cell] = -1
            pos[who] = -1
            empties[n_empty] = cell
            n_empty += 1
        arrested = 1
    extorted = 0
    if corrupt and n_quiet > 0:
        victim = quiets[int(rng.random() * n_quiet)]
        trust[victim] *= 1.0 - corruption_loss
        extorted = 1
    if movement and n_empty > 0:
        move(a, empties[int(rng.random() * n_empty)], pos, kind, occ, cops_seen,
             actives_seen, half_citizen, width, height)
    return arrested, extorted


@njit(cache=True)
def civil_violence_tick(order: np.ndarray, shuffle_order: bool, n_citizens: int,
                        pos: np.ndarray, kind: np.ndarray, occ: np.ndarray,
                        cops_seen: np.ndarray, actives_seen: np.ndarray,
                        hardship: np.ndarray, risk: np.ndarray, state: np.ndarray,
                        jail: np.ndarray, trust: np.ndarray, corrupt: np.ndarray,
                        legitimacy: float, threshold: float, k: float, rounding: int,
                        max_jail: int, jail_on_grid: bool, corruption_loss: float,
                        movement: bool, half_citizen: np.ndarray, half_cop: np.ndarray,
                        off_x: np.ndarray, off_y: np.ndarray, width: int, height: int,
                        tries: int, actives: np.ndarray, quiets: np.ndarray,
                        empties: np.ndarray, rng: np.random.Generator) -> tuple[int, int]:
    """One tick: every agent acts once, in ``order`` (shuffled first if asked).

    ``cops_seen`` and ``actives_seen`` must hold, per cell, the cops and actives within
    citizen vision (:func:`build_seen`); they are kept so. ``off_x``, ``off_y`` list the
    citizen vision's offsets in scan order. Returns ``(arrests, extortions)`` made this
    tick. The buffers ``actives``, ``quiets`` and ``empties`` need room for the larger
    vision plus one.

    A citizen's turn -- 95% of the agents -- is written out here rather than called:
    each call of a helper that takes arrays costs reference-count updates that, at
    30,000 citizens a tick, tripled the time of the turn itself. It is rule A and the
    draw of :func:`random_empty_in_vision`, step for step.
    """
    if shuffle_order:
        shuffle(order, rng)
    arrests = 0
    extortions = 0
    n_off = off_x.shape[0]
    for idx in range(order.shape[0]):
        i = order[idx]
        if i >= n_citizens:
            got, took = cop_act(i, corrupt[i - n_citizens], pos, kind, occ, cops_seen,
                                actives_seen, state, jail, trust, max_jail, jail_on_grid,
                                corruption_loss, movement, half_cop, half_citizen, width,
                                height, actives, quiets, empties, rng)
            arrests += got
            extortions += took
            continue
        old = state[i]
        if old == CV_JAILED:
            if jail[i] > 0:
                jail[i] -= 1
                continue
            if pos[i] < 0:  # released from off the lattice: back on a random empty cell
                c = random_empty_cell(kind, rng)
                pos[i] = c
                occ[c] = i
        c = pos[i]
        # rule A: rebel iff grievance - net risk > threshold
        p = arrest_probability(cops_seen[c], actives_seen[c] + 1, k, rounding)
        grievance = hardship[i] * (1.0 - legitimacy * trust[i])
        new = CV_ACTIVE if grievance - risk[i] * p > threshold else CV_QUIET
        if new != old:
            if old == CV_ACTIVE:
                add_seen(actives_seen, c, -1, half_citizen, width, height)
            elif new == CV_ACTIVE:
                add_seen(actives_seen, c, 1, half_citizen, width, height)
            state[i] = new
        kind[c] = new
        if not movement:
            continue
        # rule M: a random empty cell in vision (random_empty_in_vision, written out)
        x = c % width
        y = c // width
        target = -1
        for _ in range(tries):
            j = int(rng.random() * n_off)
            cell = wrap(y, off_y[j], height) * width + wrap(x, off_x[j], width)
            if kind[cell] == CV_EMPTY:
                target = cell
                break
        if target < 0:
            target = listed_empty_in_vision(c, kind, off_x, off_y, width, height, empties,
                                            rng)
            if target < 0:
                continue
        kind[target] = new
        occ[target] = i
        kind[c] = CV_EMPTY
        occ[c] = -1
        pos[i] = target
        if new == CV_ACTIVE:
            add_seen(actives_seen, c, -1, half_citizen, width, height)
            add_seen(actives_seen, target, 1, half_citizen, width, height)
    return arrests, extortions


@njit(cache=True)
def relax_trust(trust: np.ndarray, keep: float) -> float:
    """Lost legitimacy recovers: ``f <- 1 - (1 - f) keep``. Returns the mean of ``f``."""
    total = 0.0
    for i in range(trust.shape[0]):
        trust[i] = 1.0 - (1.0 - trust[i]) * keep
        total += trust[i]
    return total / max(trust.shape[0], 1)


@njit(cache=True)
def count_states(state: np.ndarray) -> tuple[int, int, int]:
    """Citizens by state: ``(active, quiet, jailed)``."""
    active = 0
    quiet = 0
    jailed = 0
    for i in range(state.shape[0]):
        s = state[i]
        if s == CV_ACTIVE:
            active += 1
        elif s == CV_QUIET:
            quiet += 1
        elif s == CV_JAILED:
            jailed += 1
    return active, quiet, jailed
