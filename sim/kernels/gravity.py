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
a 1000 x 1000-cell city (32-cell blocks, about 1.6 us a draw, 5 s of set-up), and
thousands in a 10^7-resident city (57-cell blocks).

So where blocks are large (``block`` > 2 ``fine``), the near region has a finer level
of its own: the block side is rounded up to a multiple of ``fine`` (8 cells) and every
block cut into fine blocks of ``fine`` cells a side. Only the places in the 3 x 3 fine
blocks around the origin's fine block are scanned exactly (their mass ``S`` is the
cell's near mass); the rest of the 3 x 3 coarse blocks -- the *mid* fine blocks --
are drawn by the same rejection as the far ones, one level down: a fine block ``f`` is
proposed in proportion to ``A_f W_f(d)``, its total attraction times the largest decay
weight between two fine blocks ``d`` fine blocks apart (a function of the offset
alone, so one small table serves every origin), a place in it in proportion to
``a_j``, accepted with probability ``w_oj / W_f``. Their total ``M`` is kept per fine
block and neighbour block (a running sum over the 9 neighbour blocks, so a mid
proposal finds its block from 9 sums and then scans only that block's fine blocks'
weights: table look-ups, no power). A draw then costs a scan of at most 9 fine blocks'
places, and the set-up scans 9 fine blocks a cell. Every
place's probability per attempt is still ``a_j w_oj`` over the total ``S + M + F``.
Cities with blocks of at most 2 ``fine`` cells (the baseline's 8, any city up to
about 512 x 512 cells) keep the single level: the same tables and the same draws.
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
#: Side of the near region's fine blocks, used where blocks exceed twice this side.
FINE = 8


class GravityTable(NamedTuple):
    """The block tables of one kind of place (see the module docstring).

    ``cand_start[b] .. cand_start[b + 1] - 1`` index the candidates of block ``b`` in
    ``cand_cell`` (their cells) and ``cand_cum`` (cumulative attraction, restarting in
    every block); ``zone_cum[z]`` is the cumulative ``A_b W(z, b)`` over blocks ``b``;
    ``cand_att``: each candidate's attraction; ``near_mass``: every cell's near mass
    ``S``; ``far_mass[z]``: the far blocks' total ``A_b W(z, b)``.

    The fine level (``fine`` > 0; 0: none, and its arrays are empty): ``nfx`` x
    ``nfy`` fine blocks of ``fine`` cells a side; the candidates of fine block ``f``
    are ``fine_start[f] .. fine_end[f] - 1`` (contiguous inside their coarse block),
    with total attraction ``fine_total[f]`` and ``fine_base[f]`` the coarse block's
    ``cand_cum`` before them; ``mid_mass[f, c]``: the mid fine blocks' ``A_g W_f``
    for origins in ``f``, summed over its neighbour blocks 0..c (row by row; ``[f, 8]``
    is the total ``M``); ``fine_bound[dx, dy]``: ``W_f`` at an offset of ``dx``,
    ``dy`` fine blocks.
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
    fine: int
    nfx: int
    nfy: int
    fine_start: np.ndarray
    fine_end: np.ndarray
    fine_total: np.ndarray
    fine_base: np.ndarray
    mid_mass: np.ndarray
    fine_bound: np.ndarray


def block_side(width: int, height: int, max_entries: int = MAX_ENTRIES) -> int:
    """The smallest block side whose blocks x blocks table has at most ``max_entries``."""
    side = 1
    while (-(-width // side) * -(-height // side)) ** 2 > max_entries:
        side += 1
    return side


def build_gravity(attraction: np.ndarray, width: int, height: int, beta: float, d0: float,
                  max_entries: int = MAX_ENTRIES, fine: int = FINE) -> GravityTable:
    """The block tables for the places with ``attraction > 0`` (one value per cell).

    Args:
        attraction: Attraction of every cell (0: not a place of this kind).
        width: Grid width.
        height: Grid height.
        beta: Distance-decay exponent (>= 0).
        d0: Distance offset in cells (> 0).
        max_entries: Bound on the origin x destination block table's size (it is also
            held to ``ENTRIES_PER_CELL`` entries a cell).
        fine: The near region's fine block side, used where the block side exceeds
            twice it (0: never).
    """
    if d0 <= 0 or beta < 0:
        raise ValueError("gravity needs d0 > 0 and beta >= 0")
    attraction = np.asarray(attraction, np.float64).ravel()
    if attraction.shape[0] != width * height:
        raise ValueError("attraction must have one value per cell")
    side = block_side(width, height, min(max_entries, ENTRIES_PER_CELL * width * height))
    fine = fine if fine > 0 and 2 * fine < side else 0
    if fine:
        side = -(-side // fine) * fine  # fine blocks nest in the blocks
    nbx, nby = -(-width // side), -(-height // side)
    n_blocks = nbx * nby
    cells = np.flatnonzero(attraction > 0)
    blk = (cells // width // side) * nbx + (cells % width) // side
    # by block, then (with a fine level) by fine block inside it, then by cell
    key = blk * (side * side) + (fine_of(cells, width, fine, side) if fine else 0)
    order = np.argsort(key, kind="stable")
    cells, blk, key = cells[order], blk[order], key[order]
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
    cand_cum = np.ascontiguousarray(cand_cum, np.float64)
    table = GravityTable(side, nbx, nby, cand_start, cand_cell, cand_cum,
                         np.ascontiguousarray(zone_cum, np.float64), float(beta), float(d0),
                         cand_att, near_mass, np.ascontiguousarray(far_mass, np.float64),
                         *fine_level(width, height, side, fine, beta, d0, key, cand_cum,
                                     cand_start))
    fill_near_mass(table, width, height)
    if fine:
        fill_mid_mass(table)
    return table


def fine_of(cells: np.ndarray, width: int, fine: int, side: int) -> np.ndarray:
    """Each cell's fine block within its block, row-major (0 .. (side / fine)^2 - 1)."""
    per = side // fine
    return ((cells // width) % side // fine) * per + (cells % width) % side // fine


def fine_level(width: int, height: int, side: int, fine: int, beta: float, d0: float,
               key: np.ndarray, cand_cum: np.ndarray, cand_start: np.ndarray) -> tuple:
    """The fine level's fields of :class:`GravityTable` (empty ones when ``fine`` = 0).

    ``key``: each candidate's sort key (block * side^2 + fine block inside it), sorted.
    """
    none_i, none_f = np.zeros(0, np.int64), np.zeros(0, np.float64)
    if not fine:
        empty = np.zeros((0, 0), np.float64)
        return 0, 0, 0, none_i, none_i, none_f, none_f, empty, empty
    nfx, nfy = -(-width // fine), -(-height // fine)
    nbx = -(-width // side)
    per = side // fine
    fx, fy = np.arange(nfx * nfy) % nfx, np.arange(nfx * nfy) // nfx
    block = (fy // per) * nbx + fx // per
    fkey = block * (side * side) + (fy % per) * per + fx % per
    fine_start = np.searchsorted(key, fkey, side="left").astype(np.int64)
    fine_end = np.searchsorted(key, fkey, side="right").astype(np.int64)
    before = np.concatenate([[0.0], cand_cum])  # cand_cum before position p: before[p]
    first = cand_start[block]  # the block's first candidate: its cumulative restarts
    fine_base = np.where(fine_start > first, before[fine_start], 0.0)
    # the block's running sum over the fine block, read off cand_cum as a draw reads it
    fine_total = np.where(fine_end > fine_start, before[fine_end] - fine_base, 0.0)
    reach = 3 * per + 1  # offsets within 3 x 3 blocks
    d = np.arange(reach)
    sep = np.where(d == 0, 0, (d - 1) * fine + 1).astype(np.float64)
    fine_bound = (np.sqrt(sep[:, None] ** 2 + sep[None, :] ** 2) + d0) ** -float(beta)
    return (fine, nfx, nfy, fine_start, fine_end, np.ascontiguousarray(fine_total),
            np.ascontiguousarray(fine_base), np.zeros((nfx * nfy, 9)),
            np.ascontiguousarray(fine_bound))


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

    The near places are those of the 3 x 3 blocks around the origin's, or of the 3 x 3
    fine blocks around its fine block where the table has a fine level.

    Stops at the first place where the running sum passes ``target`` and returns it
    with that place; with ``target`` = inf, returns the near mass (and the last place).
    """
    side, nbx = table.block, table.nbx
    ox, oy = origin % width, origin // width
    if table.fine:
        f = table.fine
        x0, x1, y0, y1 = near_blocks((oy // f) * table.nfx + ox // f, table.nfx, table.nfy)
        nbx = table.nfx
        starts, ends = table.fine_start, table.fine_end
    else:
        x0, x1, y0, y1 = near_blocks((oy // side) * nbx + ox // side, nbx, table.nby)
        starts, ends = table.cand_start[:-1], table.cand_start[1:]
    acc = 0.0
    j = -1
    for by in range(y0, y1 + 1):
        for bx in range(x0, x1 + 1):
            b = by * nbx + bx
            for k in range(starts[b], ends[b]):
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
def scan_mid_block(f: int, c: int, table: GravityTable, target: float) -> tuple[float, int]:
    """Scan the mid fine blocks of neighbour block ``c`` (0..8) of fine block ``f``.

    ``c`` numbers the 3 x 3 blocks around ``f``'s block row by row (4: its own). The
    mid fine blocks are their fine blocks less the 3 x 3 fine blocks around ``f``
    (scanned exactly); they are scanned row by row, summing ``A_g W_f``. Stops where
    the running sum passes ``target`` and returns it with that fine block (-1: none;
    ``target`` = inf gives the block's total, 0 for a block off the grid).
    """
    nfx, per = table.nfx, table.block // table.fine
    fx, fy = f % nfx, f // nfx
    bx, by = fx // per + c % 3 - 1, fy // per + c // 3 - 1
    acc = 0.0
    if bx < 0 or by < 0 or bx >= table.nbx or by >= table.nby:
        return acc, -1
    for gy in range(by * per, min((by + 1) * per, table.nfy)):
        dy = abs(gy - fy)
        for gx in range(bx * per, min((bx + 1) * per, nfx)):
            dx = abs(gx - fx)
            if dx <= 1 and dy <= 1:
                continue
            g = gy * nfx + gx
            acc += table.fine_total[g] * table.fine_bound[dx, dy]
            if acc > target:
                return acc, g
    return acc, -1


@njit(cache=True)
def fill_mid_mass(table: GravityTable) -> None:
    """Every fine block's running mid mass over its 9 neighbour blocks (set-up).

    ``mid_mass[f, c]``: the mid fine blocks' ``A_g W_f`` summed over neighbour blocks
    0..c (the same sums, in the same order, as a draw); ``mid_mass[f, 8]`` is ``M``.
    """
    for f in range(table.nfx * table.nfy):
        acc = 0.0
        for c in range(9):
            acc += scan_mid_block(f, c, table, np.inf)[0]
            table.mid_mass[f, c] = acc


@njit(cache=True)
def scan_mid(f: int, table: GravityTable, target: float) -> int:
    """The mid fine block where the running sum passes ``target`` (in [0, M); -1: none).

    First the neighbour block, from the running sums over the 9 (``mid_mass``), then the
    fine block inside it by a scan of its fine blocks: at most 9 + (side / fine)^2
    steps, not the (3 side / fine)^2 of a scan of the whole region.
    """
    row = table.mid_mass[f]
    c = np.searchsorted(row, target, side="right")
    if c >= 9:
        return -1
    before = row[c - 1] if c > 0 else 0.0
    return scan_mid_block(f, c, table, target - before)[1]


@njit(cache=True, inline="always")
def pick_candidate(table: GravityTable, s: int, e: int, target: float, ox: int, oy: int,
                   width: int) -> tuple[int, float]:
    """The candidate of ``s .. e - 1`` whose running attraction first exceeds ``target``.

    Returns the place and its exact weight from ``(ox, oy)``, which the near-mid and
    far proposals (rejection sampling) both compare with their envelope.
    """
    pick = s + np.searchsorted(table.cand_cum[s:e], target, side="right")
    if pick >= e:
        pick = e - 1
    j = table.cand_cell[pick]
    dx = j % width - ox
    dy = j // width - oy
    return j, decay(math.sqrt(dx * dx + dy * dy), table.beta, table.d0)


@njit(cache=True)
def draw_mid(origin: int, table: GravityTable, width: int, u: float, seed: np.uint64,
             k: int) -> tuple[int, int, bool]:
    """A mid proposal at ``u`` (in [0, M)): its place, the next draw, whether accepted."""
    f = table.fine
    ox, oy = origin % width, origin // width
    zf = (oy // f) * table.nfx + ox // f
    g = scan_mid(zf, table, u)
    if g < 0:
        return -1, k, False  # rounding at the end of the sum: draw again
    s, e = table.fine_start[g], table.fine_end[g]
    target = table.fine_base[g] + draw(seed, k) * table.fine_total[g]
    k += 1
    j, w = pick_candidate(table, s, e, target, ox, oy, width)
    bound = table.fine_bound[abs(g % table.nfx - zf % table.nfx),
                             abs(g // table.nfx - zf // table.nfx)]
    accept = draw(seed, k) * bound < w
    return j, k + 1, accept


@njit(cache=True)
def draw_destination(origin: int, table: GravityTable, width: int, seed: np.uint64,
                     k: int) -> tuple[int, int]:
    """A place drawn by the gravity rule for a resident at ``origin`` (-1: no places).

    The uniforms are the resident's counter stream (:mod:`sim.kernels.counter_rng`,
    ``draw(seed, k)``, ``draw(seed, k + 1)``, ...): per attempt, one for near, mid or
    far (and which near place or mid fine block); a mid or far proposal takes two more,
    for the place in its block and for acceptance. Returns the place and the next unused
    draw number, so the caller's later draws never reuse one. The envelope ``W(z, b)`` is
    read back from the table (its step at ``b`` over the block's attraction) rather
    than recomputed.
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
    mid = 0.0
    if table.fine:
        mid = table.mid_mass[(oy // table.fine) * table.nfx + ox // table.fine, 8]
    total = near + mid + table.far_mass[z]
    j = -1
    for _ in range(MAX_TRIES):
        u = draw(seed, k) * total
        k += 1
        if u < near:
            return scan_near(origin, table, width, u)[1], k
        if u < near + mid:
            proposal, k, accept = draw_mid(origin, table, width, u - near, seed, k)
            if proposal >= 0:
                j = proposal
            if accept:
                return j, k
            continue
        v = u - near - mid
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
        block_total = table.cand_cum[e - 1]
        j, w = pick_candidate(table, s, e, draw(seed, k) * block_total, ox, oy, width)
        k += 1
        envelope = (row[b] - (row[b - 1] if b > 0 else 0.0)) / block_total
        accept = draw(seed, k) * envelope < w
        k += 1
        if accept:
            return j, k
    return j, k


def empty_gravity() -> GravityTable:
    """A table with no places (what the nearest rule passes: never read)."""
    e = np.zeros(0, np.float64)
    none = np.zeros(0, np.int64)
    return GravityTable(1, 1, 1, np.zeros(2, np.int64), none, e,
                        np.zeros((1, 1), np.float64), 0.0, 1.0, e, np.zeros(1), np.zeros(1),
                        0, 0, 0, none, none, e, e, np.zeros((0, 0), np.float64),
                        np.zeros((0, 0), np.float64))


__all__ = ["FINE", "MAX_TRIES", "GravityTable", "block_bound", "block_side", "build_gravity",
           "decay",
           "draw_destination", "empty_gravity", "fill_mid_mass", "fill_near_mass",
           "near_blocks", "scan_mid", "scan_mid_block", "scan_near"]
