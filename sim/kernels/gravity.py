"""Where outings go: destinations drawn by a gravity rule (spatial interaction).

A resident living at cell ``o`` who goes out to a place of some kind (a shop or park,
or a nightlife street) picks place ``j`` among all the candidate places of that kind
with probability

    P(j | o) = a_j (d_oj + d0)^-beta / sum_k a_k (d_ok + d0)^-beta,

the production-constrained gravity model of spatial interaction (Wilson 1971) in the
form of Huff's (1964) probabilistic model of shopping trips: attraction ``a_j`` (set
per land use) against a power-law decay with distance ``d_oj`` (Euclidean, in cells),
offset by ``d0`` so that a place next door does not take every trip.

Drawing from it exactly for every resident every day would cost O(places) per outing.
Instead the grid is cut into square blocks of ``block`` cells a side (few enough that
a blocks x blocks table stays under ``max_entries`` and ``ENTRIES_PER_CELL`` entries a
cell: O(cells) memory, and 8 MB at most at any city size). The places split in two:
the *near* ones, in the 3 x 3 blocks around the origin's block, and the *far* ones.
The near mass ``S(o) = sum a_j w_oj`` of every cell is computed at set-up (one number
a cell), and the far mass is bounded by a table: for every origin block ``z`` and destination
block ``b``, ``A_b W(z, b)``, the total attraction in ``b`` times the largest decay
weight any origin in ``z`` has toward any cell of ``b`` (from the two blocks' smallest
separation). A draw picks near with probability ``S / (S + F)`` (``F``: the far
blocks' bound) and then a near place exactly, by a scan of the near places' weights;
or proposes a far block from the table, a place ``j`` in it in proportion to ``a_j``,
and accepts it with probability ``w_oj / W(z, b)`` (at most 1), starting over if it is
rejected. Every place's probability per attempt is then proportional to
``a_j w_oj`` -- exactly the gravity rule (rejection sampling with an envelope that is
exact near the origin and tight far from it). After ``MAX_TRIES`` rejections the last
proposal is kept; far proposals are accepted about half the time, so this changes
nothing measurable, but it bounds the cost. Near places cost a scan of the places in
nine blocks: about 19 in the baseline city (8-cell blocks, 0.25 us a draw), hundreds in
a 1000 x 1000-cell city (32-cell blocks, about 1.6 us a draw, 5 s of set-up); a finer
table for the near blocks would cut that.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from sim.kernels.counter_rng import draw

#: Proposals per destination before the last one is kept (bounds a day's cost).
MAX_TRIES = 256
#: Largest number of entries of the origin-block x destination-block table (8 MB)...
MAX_ENTRIES = 1 << 20
#: ... and at most this many per cell of the grid (small cities, small tables).
ENTRIES_PER_CELL = 4


class GravityTable(NamedTuple):
    """The block tables of one kind of place (see the module docstring).

    ``cand_start[b] .. cand_start[b + 1] - 1`` index the candidates of block ``b`` in
    ``cand_cell`` (their cells) and ``cand_cum`` (cumulative attraction, restarting in
    every block); ``zone_cum[z]`` is the cumulative ``A_b W(z, b)`` over blocks ``b``;
    ``cand_att``: each candidate's attraction; ``near_mass``: every cell's near mass
    ``S``; ``far_mass[z]``: the far blocks' total ``A_b W(z, b)``.
    """

    block: int
    nbx: int
    nby: int
    cand_start: np.ndarray
    cand_cell: np.ndarray
    cand_cum: np.ndarray
    zone_cum: np.ndarray
    beta: float
    d0: float
    cand_att: np.ndarray
    near_mass: np.ndarray
    far_mass: np.ndarray


def block_side(width: int, height: int, max_entries: int = MAX_ENTRIES) -> int:
    """The smallest block side whose blocks x blocks table has at most ``max_entries``."""
    side = 1
    while (-(-width // side) * -(-height // side)) ** 2 > max_entries:
        side += 1
    return side


def build_gravity(attraction: np.ndarray, width: int, height: int, beta: float, d0: float,
                  max_entries: int = MAX_ENTRIES) -> GravityTable:
    """The block tables for the places with ``attraction > 0`` (one value per cell).

    Args:
        attraction: Attraction of every cell (0: not a place of this kind).
        width: Grid width.
        height: Grid height.
        beta: Distance-decay exponent (>= 0).
        d0: Distance offset in cells (> 0).
        max_entries: Bound on the origin x destination block table's size (it is also
            held to ``ENTRIES_PER_CELL`` entries a cell).
    """
    if d0 <= 0 or beta < 0:
        raise ValueError("gravity needs d0 > 0 and beta >= 0")
    attraction = np.asarray(attraction, np.float64).ravel()
    if attraction.shape[0] != width * height:
        raise ValueError("attraction must have one value per cell")
    side = block_side(width, height, min(max_entries, ENTRIES_PER_CELL * width * height))
    nbx, nby = -(-width // side), -(-height // side)
    n_blocks = nbx * nby
    cells = np.flatnonzero(attraction > 0)
    blk = (cells // width // side) * nbx + (cells % width) // side
    order = np.argsort(blk, kind="stable")
    cells, blk = cells[order], blk[order]
    a = attraction[cells]
    counts = np.bincount(blk, minlength=n_blocks)
    cand_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    block_total = np.bincount(blk, a, minlength=n_blocks)
    cand_cum = np.cumsum(a) - np.repeat(np.cumsum(block_total) - block_total, counts)
    bx, by = np.arange(n_blocks) % nbx, np.arange(n_blocks) // nbx
    gx = np.maximum(0, np.abs(bx[:, None] - bx[None, :]) - 1) * side
    gy = np.maximum(0, np.abs(by[:, None] - by[None, :]) - 1) * side
    # smallest separation of two cells of the blocks: (gap in blocks - 1) * side + 1
    sx = np.where(bx[:, None] == bx[None, :], 0, gx + 1)
    sy = np.where(by[:, None] == by[None, :], 0, gy + 1)
    bound = (np.sqrt(sx * sx + sy * sy) + d0) ** -float(beta)
    per_block = bound * block_total[None, :]
    near = (np.abs(bx[:, None] - bx[None, :]) <= 1) & (np.abs(by[:, None] - by[None, :]) <= 1)
    far_mass = np.where(near, 0.0, per_block).sum(axis=1)
    zone_cum = np.cumsum(per_block, axis=1)
    cand_att = np.ascontiguousarray(a, np.float64)
    cand_cell = cells.astype(np.int64)
    near_mass = np.zeros(width * height)
    table = GravityTable(side, nbx, nby, cand_start, cand_cell,
                         np.ascontiguousarray(cand_cum, np.float64),
                         np.ascontiguousarray(zone_cum, np.float64), float(beta), float(d0),
                         cand_att, near_mass, np.ascontiguousarray(far_mass, np.float64))
    fill_near_mass(table, width, height)
    return table


@njit(cache=True)
def block_bound(z: int, b: int, nbx: int, side: int, beta: float, d0: float) -> float:
    """Largest decay weight from any cell of block ``z`` to any cell of block ``b``."""
    gx = abs(z % nbx - b % nbx)
    gy = abs(z // nbx - b // nbx)
    sx = 0 if gx == 0 else (gx - 1) * side + 1
    sy = 0 if gy == 0 else (gy - 1) * side + 1
    return decay(math.sqrt(sx * sx + sy * sy), beta, d0)


@njit(cache=True, inline="always")
def decay(d: float, beta: float, d0: float) -> float:
    """``(d + d0)^-beta``, without a power call for the common exponents 1 and 2."""
    x = d + d0
    if beta == 2.0:
        return 1.0 / (x * x)
    if beta == 1.0:
        return 1.0 / x
    return x ** -beta


@njit(cache=True)
def near_blocks(z: int, nbx: int, nby: int) -> tuple[int, int, int, int]:
    """The 3 x 3 blocks around block ``z`` (clipped): x0, x1, y0, y1, inclusive."""
    zx, zy = z % nbx, z // nbx
    return max(zx - 1, 0), min(zx + 1, nbx - 1), max(zy - 1, 0), min(zy + 1, nby - 1)


@njit(cache=True)
def scan_near(origin: int, table: GravityTable, width: int, target: float) -> tuple[float, int]:
    """Scan the near places of ``origin`` in block order, summing ``a_j w_oj``.

    Stops at the first place where the running sum passes ``target`` and returns it
    with that place; with ``target`` = inf, returns the near mass (and the last place).
    """
    side, nbx = table.block, table.nbx
    ox, oy = origin % width, origin // width
    x0, x1, y0, y1 = near_blocks((oy // side) * nbx + ox // side, nbx, table.nby)
    acc = 0.0
    j = -1
    for by in range(y0, y1 + 1):
        for bx in range(x0, x1 + 1):
            b = by * nbx + bx
            for k in range(table.cand_start[b], table.cand_start[b + 1]):
                j = table.cand_cell[k]
                dx = j % width - ox
                dy = j // width - oy
                acc += table.cand_att[k] * decay(math.sqrt(dx * dx + dy * dy), table.beta,
                                                 table.d0)
                if acc > target:
                    return acc, j
    return acc, j


@njit(cache=True)
def fill_near_mass(table: GravityTable, width: int, height: int) -> None:
    """Every cell's near mass ``S`` (set-up; the same sums, in the same order, as a draw)."""
    for o in range(width * height):
        table.near_mass[o] = scan_near(o, table, width, np.inf)[0]


@njit(cache=True)
def draw_destination(origin: int, table: GravityTable, width: int, seed: np.uint64,
                     k: int) -> tuple[int, int]:
    """A place drawn by the gravity rule for a resident at ``origin`` (-1: no places).

    The uniforms are the resident's counter stream (:mod:`sim.kernels.counter_rng`,
    ``draw(seed, k)``, ``draw(seed, k + 1)``, ...): per attempt, one for near or far
    (and which near place); a far proposal takes two more, for the place in its block
    and for acceptance. Returns the place and the next unused draw number, so the
    caller's later draws never reuse one. The envelope ``W(z, b)`` is read back from
    the table (its step at ``b`` over the block's attraction) rather than recomputed.
    """
    if table.cand_cell.shape[0] == 0:
        return -1, k
    side, nbx = table.block, table.nbx
    ox, oy = origin % width, origin // width
    z = (oy // side) * nbx + ox // side
    x0, x1, y0, y1 = near_blocks(z, nbx, table.nby)
    row = table.zone_cum[z]
    n_blocks = row.shape[0]
    near = table.near_mass[origin]
    total = near + table.far_mass[z]
    j = -1
    for _ in range(MAX_TRIES):
        u = draw(seed, k) * total
        k += 1
        if u < near:
            return scan_near(origin, table, width, u)[1], k
        v = u - near
        # Map v from the far blocks' cumulative mass onto the row, skipping the near
        # blocks (three runs of consecutive blocks, one per block row).
        for by in range(y0, y1 + 1):
            r0, r1 = by * nbx + x0, by * nbx + x1
            before = row[r0 - 1] if r0 > 0 else 0.0
            if v >= before:
                v += row[r1] - before
        b = np.searchsorted(row, v, side="right")
        if b >= n_blocks:
            b = n_blocks - 1
        if x0 <= b % nbx <= x1 and y0 <= b // nbx <= y1:
            continue  # rounding at a run's edge: draw again
        s, e = table.cand_start[b], table.cand_start[b + 1]
        cum = table.cand_cum[s:e]
        block_total = cum[e - s - 1]
        pick = s + np.searchsorted(cum, draw(seed, k) * block_total, side="right")
        k += 1
        if pick >= e:
            pick = e - 1
        j = table.cand_cell[pick]
        dx = j % width - ox
        dy = j // width - oy
        w = decay(math.sqrt(dx * dx + dy * dy), table.beta, table.d0)
        envelope = (row[b] - (row[b - 1] if b > 0 else 0.0)) / block_total
        accept = draw(seed, k) * envelope < w
        k += 1
        if accept:
            return j, k
    return j, k


def empty_gravity() -> GravityTable:
    """A table with no places (what the nearest rule passes: never read)."""
    e = np.zeros(0, np.float64)
    return GravityTable(1, 1, 1, np.zeros(2, np.int64), np.zeros(0, np.int64), e,
                        np.zeros((1, 1), np.float64), 0.0, 1.0, e, np.zeros(1), np.zeros(1))


__all__ = ["MAX_TRIES", "GravityTable", "block_bound", "block_side", "build_gravity", "decay",
           "draw_destination", "empty_gravity", "fill_near_mass", "near_blocks",
           "scan_near"]
