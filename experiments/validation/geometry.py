"""Where cells are: flat cell indices to metres, and distances between cells.

The model stores places as flat cell indices (``y * width + x``) of a grid of square
cells. Every stylised-fact measure (near-repeat pairs, journeys to crime) needs the
distance between two cells in metres, measured between cell centres, on a bounded
city or, for the lattice scenarios, a torus.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Grid:
    """The geometry of a city grid.

    Attributes:
        width: Cells across.
        height: Cells down.
        cell_m: Side of a cell in metres.
        periodic: Whether the grid wraps around (a torus), as Short et al.'s lattice does.
    """

    width: int
    height: int
    cell_m: float = 50.0
    periodic: bool = False

    @property
    def n_cells(self) -> int:
        """Cells in the grid."""
        return self.width * self.height

    def xy(self, cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Column and row of each flat cell index."""
        cells = np.asarray(cells, dtype=np.int64)
        return cells % self.width, cells // self.width

    def distance_m(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Distance in metres between the centres of cells ``a`` and ``b`` (elementwise).

        On a periodic grid the shorter way round counts (the minimum image).
        """
        ax, ay = self.xy(a)
        bx, by = self.xy(b)
        dx = np.abs(ax - bx)
        dy = np.abs(ay - by)
        if self.periodic:
            dx = np.minimum(dx, self.width - dx)
            dy = np.minimum(dy, self.height - dy)
        return np.hypot(dx, dy) * self.cell_m
