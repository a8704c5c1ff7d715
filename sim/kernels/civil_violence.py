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

The lattice's bookkeeping (vision scans, the counts of cops and actives seen, moves)
is in :mod:`sim.kernels.civil_violence_lattice`. Draws are ``rng.random()`` only, so a
plain-Python reference that follows the same order reproduces every draw
(tests/civil_violence/).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import CV_ACTIVE, CV_EMPTY, CV_FLOOR, CV_JAILED, CV_QUIET, CV_ROUND
from sim.kernels.civil_violence_lattice import (
    add_seen,
    listed_empty_in_vision,
    move,
    random_empty_cell,
    scan,
    shuffle,
    wrap,
)


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
