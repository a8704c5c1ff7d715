"""The civil-violence lattice and its agents as arrays, built from a scenario.

Epstein's Model I needs little state: which agent holds each cell, and per citizen a
hardship, a risk aversion, a state, a jail term and (for the corruption link) a factor
on perceived legitimacy. Keeping them as flat arrays is what lets the kernels in
:mod:`sim.kernels.civil_violence` run a tick of 30,000 agents in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_QUIET, FLOAT, INT
from sim.kernels.civil_violence_lattice import build_seen


def vision_rows(vision: int, grid_type: str) -> np.ndarray:
    """Half-width of each row ``dy = -v .. v`` of the vision neighbourhood.

    Von Neumann vision is the diamond ``|dx| + |dy| <= v`` (Mesa's
    ``OrthogonalVonNeumannGrid`` neighbourhood of radius v); Moore vision the square
    ``max(|dx|, |dy|) <= v``. Epstein (2002) defines vision as the lattice positions
    north, south, east and west an agent inspects; like Mesa's example we read that as
    the diamond.
    """
    dy = np.arange(-vision, vision + 1)
    if grid_type == "Moore":
        return np.full(dy.shape, vision, INT)
    return (vision - np.abs(dy)).astype(INT)


def vision_offsets(half: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``(dx, dy)`` of every cell in vision, in the kernels' scan order.

    Row by row from ``dy = -v``, left to right, the agent's own cell left out.
    """
    v = (half.shape[0] - 1) // 2
    pairs = [(dx, r - v) for r in range(half.shape[0])
             for dx in range(-int(half[r]), int(half[r]) + 1) if (dx, r - v) != (0, 0)]
    off = np.array(pairs, INT).reshape(-1, 2)
    return off[:, 0].copy(), off[:, 1].copy()


def vision_size(half: np.ndarray) -> int:
    """Cells in a vision neighbourhood, the agent's own cell excluded."""
    return int((2 * half + 1).sum()) - 1


@dataclass
class Lattice:
    """Cells and agents of one run.

    Attributes:
        width, height: Grid size in cells (a torus); cell ``c = y * width + x``.
        n_citizens, n_cops: Agent counts; agent ids ``0 .. n_citizens - 1`` are
            citizens, ``n_citizens ..`` cops.
        kind: What each cell holds (``CV_*`` codes), int8 per cell.
        occ: The agent id in each cell, or -1.
        pos: Each agent's cell, or -1 while a citizen is jailed off the lattice.
        hardship, risk: Citizens' H and R, each U(0, 1), fixed for the run.
        state: Citizens' state (CV_QUIET, CV_ACTIVE or CV_JAILED).
        jail: Citizens' remaining jail term in ticks.
        trust: Citizens' factor on legitimacy, f in [0, 1]: perceived L_i = L * f.
        corrupt: Which cops are corrupt.
        order: Activation order (agent ids), shuffled in place each tick.
        cops_seen, actives_seen: Per cell, the cops and the actives within citizen
            vision of it (kept up to date by the kernels).
    """

    width: int
    height: int
    n_citizens: int
    n_cops: int
    kind: np.ndarray
    occ: np.ndarray
    pos: np.ndarray
    hardship: np.ndarray
    risk: np.ndarray
    state: np.ndarray
    jail: np.ndarray
    trust: np.ndarray
    corrupt: np.ndarray
    order: np.ndarray
    cops_seen: np.ndarray
    actives_seen: np.ndarray

    @property
    def n_cells(self) -> int:
        """Cells in the grid."""
        return self.width * self.height


def build_lattice(cv: Any, width: int, height: int, rng: np.random.Generator) -> Lattice:
    """Place citizens and cops on distinct random cells and draw their attributes.

    Counts are exact, ``round(density * cells)`` (Epstein and NetLogo); Mesa's example
    draws each cell's occupant independently instead. Draws, in order: a permutation of
    the cells, hardship, risk aversion, a permutation of the cops (the first
    ``round(corruption * cops)`` are corrupt), so runs that differ only in corruption
    share everything else (common random numbers).

    Args:
        cv: The scenario's ``civil_violence`` parameters.
        width: Grid width in cells.
        height: Grid height in cells.
        rng: The model's generator.
    """
    n_cells = width * height
    n_cit = int(round(cv.citizen_density * n_cells))
    n_cop = min(int(round(cv.cop_density * n_cells)), n_cells - n_cit)
    n = n_cit + n_cop
    cells = rng.permutation(n_cells)[:n].astype(INT)
    kind = np.full(n_cells, CV_EMPTY, np.int8)
    occ = np.full(n_cells, -1, INT)
    kind[cells[:n_cit]] = CV_QUIET
    kind[cells[n_cit:]] = CV_COP
    occ[cells] = np.arange(n, dtype=INT)
    hardship = rng.random(n_cit)
    risk = rng.random(n_cit)
    corrupt = np.zeros(n_cop, np.bool_)
    corrupt[rng.permutation(n_cop)[: int(round(cv.corruption * n_cop))]] = True
    # Fixed ("Sequential") order: by starting cell, column by column, as Mesa's example
    # creates its agents; "Random" reshuffles this array every tick.
    x, y = cells % width, cells // width
    order = np.argsort(x * height + y, kind="stable").astype(INT)
    half = vision_rows(cv.citizen_vision, cv.grid_type)
    cops_seen = np.zeros(n_cells, np.int32)
    actives_seen = np.zeros(n_cells, np.int32)
    build_seen(kind, CV_COP, half, width, height, cops_seen)
    build_seen(kind, CV_ACTIVE, half, width, height, actives_seen)
    return Lattice(width=width, height=height, n_citizens=n_cit, n_cops=n_cop, kind=kind,
                   occ=occ, pos=cells.copy(), hardship=hardship.astype(FLOAT),
                   risk=risk.astype(FLOAT), state=np.full(n_cit, CV_QUIET, np.int8),
                   jail=np.zeros(n_cit, INT), trust=np.ones(n_cit, FLOAT), corrupt=corrupt,
                   order=order, cops_seen=cops_seen, actives_seen=actives_seen)
