"""Capable guardians as fields on the city: police presence P and standing guardianship G.

Both enter an offender's hazard as ``exp(-(P + G))`` (docs/ODD.md §7.4):

- **P**, recomputed every hour after the patrols (§7.10): each officer deters within
  ``police.deterrence_radius`` cells, a corrupt one less (Braga et al. 2019; Jones et
  al. 2010). Fast engine: ``sim/kernels/patrol.py::police_field``.
- **G**, recomputed daily (§7.14): guards at their posts, CCTV, and the residents'
  cooperation -- the mean trust in police of the people who live in the cell (or in
  its district, where nobody lives), a stand-in for collective efficacy (Sampson,
  Raudenbush & Earls 1997). Fast engine: ``sim/crime/daily.py::refresh_guardianship``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.reference.guardians import Guard

if TYPE_CHECKING:
    from sim.reference.model import ReferenceCrimeModel


def police_presence(model: ReferenceCrimeModel) -> None:
    """Recast P: every officer adds its deterrence to the block around it.

    ``P_c = police.deterrence * sum of officers' weights within the Chebyshev radius``
    (weight 1, or ``police.corrupt_deterrence`` for a corrupt officer). The block is cut
    at the city's edge, even on a torus (§10).
    """
    field = model.police_field  # (height, width), shared with the grid's "police" layer
    field[:] = 0.0
    r, deterrence = model.p.police.deterrence_radius, model.p.police.deterrence
    height, width = field.shape
    for officer in model.officers:
        x, y = officer.cell.coordinate
        block = field[max(0, y - r): min(height, y + r + 1), max(0, x - r): min(width, x + r + 1)]
        block += deterrence * officer.deterrence_weight


def standing_guardianship(model: ReferenceCrimeModel) -> None:
    """Recompute G on every cell: guards, CCTV and residents' cooperation."""
    p = model.p
    cooperate = bool(model.residents) and p.guardianship.cooperation != 0.0
    district_trust = _district_trust(model) if cooperate else None
    for cell in model.grid.all_cells:
        guards = sum(isinstance(a, Guard) for a in cell.agents)
        g = p.security.guard_deterrence * guards + p.security.cctv_deterrence * cell.cctv
        if cooperate:
            living = [m for hh in model.households_at(cell) for m in hh.members]
            trust = (sum(m.legitimacy for m in living) / len(living) if living
                     else district_trust[cell.district])
            g += p.guardianship.cooperation * trust
        cell.guardianship = g


def _district_trust(model: ReferenceCrimeModel) -> np.ndarray:
    """Mean legitimacy of each district's residents (0 where none live)."""
    n = model.city.n_districts
    sums, counts = np.zeros(n), np.zeros(n)
    for r in model.residents:
        d = r.home.district
        sums[d] += r.legitimacy
        counts[d] += 1
    return sums / np.maximum(counts, 1)
