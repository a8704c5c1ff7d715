"""Exposure along routes: where a resident is on the way to a place and back.

The first and last hour of every block away from home are the journey out and back.
Maps have no street graph yet, so the route is the grid's shortest path, the straight
king-move line from home to the place (a digital line: the cell ``k`` steps out of
``L = max(|dx|, |dy|)`` is home plus ``round(k dx / L), round(k dy / L)``). A
resident travelling is on one cell of it, ``k`` drawn once a day from a uniform stored
in 16 bits (``route_frac``): ``k = floor(route_frac (L + 1) / 2^16)``, so every cell
of the line from the home street to the place's door is equally likely. Routine
activity theory puts much street crime on these journeys (Cohen & Felson 1979), and
the crime pattern theory of Brantingham & Brantingham (1993) on the paths between a
person's nodes.
"""

from __future__ import annotations

from numba import njit

#: Resolution of the stored route fraction: ``route_frac / ROUTE_SCALE`` in [0, 1).
ROUTE_SCALE = 1 << 16


@njit(cache=True, inline="always")
def route_cell(home: int, place: int, frac: int, width: int) -> int:
    """The cell a fraction ``frac / 2^16`` along the king-move line from home to place.

    Integer arithmetic only (floor division rounds half up), so a numpy twin gives the
    same cell bit for bit.
    """
    hx, hy = home % width, home // width
    dx = place % width - hx
    dy = place // width - hy
    steps = max(abs(dx), abs(dy))
    if steps == 0:
        return home
    k = (int(frac) * (steps + 1)) >> 16
    x = hx + (2 * k * dx + steps) // (2 * steps)
    y = hy + (2 * k * dy + steps) // (2 * steps)
    return y * width + x


__all__ = ["ROUTE_SCALE", "route_cell"]
