"""The city as Mesa cells: the grid, and the geometry the agents use to move and look.

The reference engine keeps the fast engine's cell layers (``model.city``: lighting,
attractiveness, guardianship, ...) as the one source of truth, and reaches them the
Mesa way: every layer is a property layer of an ``OrthogonalMooreGrid`` that shares
memory with the city's array, so ``cell.lighting`` is the city's lighting at that
cell, and an intervention that brightens ``city.lighting`` is seen here at once.

Cells are Mesa ``Cell`` objects; ``cell.coordinate`` is ``(x, y)``. The layers the
fast engine indexes by flat cell number ``y * width + x`` are reached with
:func:`flat`. Moves are king's moves (``KING_MOVES``), listed in the same order as the
fast engine's kernels so that a breadth-first search breaks ties the same way.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import Cell, OrthogonalMooreGrid, PropertyLayer

from sim.config import COMMERCIAL, NIGHTLIFE, PARK

if TYPE_CHECKING:
    from sim.city import City

#: The eight king's moves (dx, dy); the first four are the von Neumann (rook's) moves.
KING_MOVES: tuple[tuple[int, int], ...] = (
    (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1),
)
#: City layers exposed on every cell (``cell.<name>``), sharing memory with the city.
CELL_LAYERS = ("land_use", "district", "deprivation", "lighting", "disorder", "cctv",
               "guardianship", "a0", "b", "reported_heat")


def build_grid(city: City, police_field: np.ndarray, random: object) -> OrthogonalMooreGrid:
    """A Mesa grid over the city whose property layers are the city's own arrays.

    Args:
        city: The city (layers indexed ``[y, x]``).
        police_field: The police deterrence field P, ``(height, width)``, exposed as
            ``cell.police``.
        random: The model's ``random.Random`` (Mesa grids draw from it).

    Returns:
        The grid; it wraps at the edges when the city is a torus.
    """
    grid = OrthogonalMooreGrid((city.width, city.height), torus=city.periodic,
                               random=random)
    layers = {name: getattr(city, name) for name in CELL_LAYERS}
    layers["police"] = police_field
    for name, arr in layers.items():
        layer = PropertyLayer(name, (city.width, city.height), dtype=arr.dtype.type)
        layer._data = arr.T  # Mesa's layers are [x, y]: a transposed view, shared memory
        grid.add_property_layer(layer)
    return grid


def flat(cell: Cell, width: int) -> int:
    """The fast engine's index of a cell, ``y * width + x``."""
    x, y = cell.coordinate
    return y * width + x


def cell_at(grid: OrthogonalMooreGrid, index: int) -> Cell:
    """The cell with flat index ``index``."""
    return grid._cells[(index % grid.width, index // grid.width)]


def chebyshev(a: Cell, b: Cell) -> int:
    """King's-move distance ``max(|dx|, |dy|)`` between two cells (no wrap-around)."""
    (ax, ay), (bx, by) = a.coordinate, b.coordinate
    return max(abs(ax - bx), abs(ay - by))


def euclidean(a: Cell, b: Cell, width: int, height: int, periodic: bool) -> float:
    """Straight-line distance in cells, the shortest way round on a torus."""
    (ax, ay), (bx, by) = a.coordinate, b.coordinate
    dx, dy = abs(ax - bx), abs(ay - by)
    if periodic:
        dx, dy = min(dx, width - dx), min(dy, height - dy)
    return math.sqrt(dx * dx + dy * dy)


def king_step(grid: OrthogonalMooreGrid, cell: Cell, dx: int, dy: int) -> Cell | None:
    """The cell one king's move away, or None off the edge.

    Police and outreach workers walk a bounded city even on a torus (docs/ODD.md §10:
    police geometry ignores wrap-around), so this never wraps.
    """
    x, y = cell.coordinate
    x, y = x + dx, y + dy
    if 0 <= x < grid.width and 0 <= y < grid.height:
        return grid._cells[(x, y)]
    return None


def step_toward(grid: OrthogonalMooreGrid, cell: Cell, target: Cell) -> Cell:
    """One king's move from ``cell`` straight toward ``target``."""
    (x, y), (tx, ty) = cell.coordinate, target.coordinate
    x += (tx > x) - (tx < x)
    y += (ty > y) - (ty < y)
    return grid._cells[(x, y)]


def walking_neighbours(cell: Cell, n_neighbours: int) -> list[Cell]:
    """The cells an offender can walk to: all 8 (Moore) or the 4 rook's moves.

    Mesa's connections already wrap on a torus and stop at a bounded edge.
    """
    if n_neighbours == 8:
        return list(cell.connections.values())
    return [c for (dx, dy), c in cell.connections.items() if dx == 0 or dy == 0]


def random_cell_near(grid: OrthogonalMooreGrid, cell: Cell, radius: int,
                     u1: float, u2: float) -> Cell:
    """A cell drawn from the square of side ``2 * radius + 1`` around ``cell``.

    ``u1`` and ``u2`` are uniforms on [0, 1); the square is clamped to the city, so
    near an edge the edge cells are likelier (as in the fast engine).
    """
    x, y = cell.coordinate
    x = min(max(x + int(u1 * (2 * radius + 1)) - radius, 0), grid.width - 1)
    y = min(max(y + int(u2 * (2 * radius + 1)) - radius, 0), grid.height - 1)
    return grid._cells[(x, y)]


def nearest_public(grid: OrthogonalMooreGrid) -> dict[Cell, Cell]:
    """For every cell, the nearest shop, park or nightlife cell (itself if it is one).

    A breadth-first search outward from every public cell at once, in flat-index order
    and king's moves in ``KING_MOVES`` order, so ties fall as in the fast engine. A
    city with no public space sends everyone to their own cell.
    """
    cells = sorted(grid.all_cells, key=lambda c: (c.coordinate[1], c.coordinate[0]))
    sources = [c for c in cells if c.land_use in (COMMERCIAL, PARK, NIGHTLIFE)]
    if not sources:
        return {c: c for c in cells}
    nearest = {c: c for c in sources}
    queue = deque(sources)
    while queue:
        cell = queue.popleft()
        for dx, dy in KING_MOVES:
            nb = king_step(grid, cell, dx, dy)
            if nb is not None and nb not in nearest:
                nearest[nb] = nearest[cell]
                queue.append(nb)
    return nearest
