"""Street lighting: brighter streets in the target area.

Better lighting makes offenders more visible at night (the darkness factor of each
crime type, docs/ODD.md §7.4), so night-time robbery and sexual violence fall most;
Painter & Farrington (1999) also found daytime crime fell, which they ascribe to
community pride and informal social control -- modelled as a small fall of the lit
cells' static attractiveness A0. Welsh & Farrington (2008, Campbell review): crime
-21% in treated against control areas (marked "check" in docs/evidence.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.fields import prob_field
from sim.plugins.base import Intervention
from sim.plugins.registry import register

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


@register
class StreetLighting(Intervention):
    """Raise lighting to ``lighting`` in a ``coverage`` share of the target cells."""

    name = "street_lighting"
    summary = "brighter street lighting: less crime at night, some by day (community pride)"
    unit = "lit cell (50 m of street)"
    params = {
        "lighting": prob_field(0.95, "lighting level of an upgraded cell (1: fully lit)"),
        "pride_effect": prob_field(
            0.08, "fall of an upgraded cell's static attractiveness A0 (community pride)"),
    }
    defaults = {
        "coverage": 1.0,
        # About two new LED lamps per 50 m of street, installed: ~10,000 EUR; energy and
        # maintenance ~1 EUR per lamp per day (assumptions; docs/interventions/street_lighting.md).
        "setup_cost": 10_000.0,
        "running_cost": 2.0,
        "target": {"top_k": 150},
    }

    def apply(self, model: CrimeModel) -> float:
        """Upgrade the lighting (never lowers it) and A0 of the chosen cells."""
        chosen = self.reach(np.flatnonzero(self.mask))
        lighting = model.city.flat("lighting")
        a0 = model.city.flat("a0")
        self.changed_cells = chosen
        self._old_lighting = lighting[chosen].copy()
        self._old_a0 = a0[chosen].copy()
        lighting[chosen] = np.maximum(lighting[chosen], self["lighting"])
        a0[chosen] *= 1.0 - self["pride_effect"]
        return float(chosen.size)

    def full_units(self, model: CrimeModel) -> float:
        """Every target cell lit."""
        return float(self.mask.sum())

    def undo(self, model: CrimeModel) -> None:
        """Lamps switched off when the scheme ends: the old lighting and A0 return."""
        model.city.flat("lighting")[self.changed_cells] = self._old_lighting
        model.city.flat("a0")[self.changed_cells] = self._old_a0
