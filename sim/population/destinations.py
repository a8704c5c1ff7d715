"""The places residents' outings go to: gravity tables per kind of place.

Local outings (day outings, local evenings) go to shops and parks, nightlife outings
to the nightlife streets; with ``routines.destination_rule = "gravity"`` each kind has
the block tables of :mod:`sim.kernels.gravity`, built once at set-up from the land use
and the attraction of each land use (``routines.attraction``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.city import City
from sim.config import COMMERCIAL, NIGHTLIFE, PARK
from sim.kernels.gravity import GravityTable, build_gravity, empty_gravity


def destination_tables(city: City, p: Any) -> tuple[GravityTable, GravityTable]:
    """The gravity tables of local places (shops, parks) and of nightlife streets.

    Empty tables under the nearest rule (never read: no memory, no set-up time).
    """
    r = p.routines
    if r.destination_rule != "gravity":
        return empty_gravity(), empty_gravity()
    lu = city.land_use.ravel()
    att = r.attraction
    local = np.where(lu == COMMERCIAL, att.commercial, 0.0)
    local = np.where(lu == PARK, att.park, local)
    night = np.where(lu == NIGHTLIFE, att.nightlife, 0.0)
    return tuple(build_gravity(a, city.width, city.height, r.gravity_beta, r.gravity_offset)
                 for a in (local, night))


__all__ = ["destination_tables"]
