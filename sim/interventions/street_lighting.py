"""Street lighting: brighter streets in the target area.

Better lighting makes offenders more visible at night: it acts through the darkness
factor of each crime type (docs/ODD.md §7.4), which is calibrated on the night/day
ratio of crimes, not on any lighting trial -- so the lit cells' fall in crime is a
prediction of that mechanism. Night-time robbery and sexual violence fall most.

Painter & Farrington (1999) also found daytime crime fell, which they ascribe to
community pride and informal social control. No study measures the size of that
effect, so ``pride_effect`` (a fall of the lit cells' static attractiveness A0) is an
**assumption**, off (0) by default; it was once tuned to the headline (0.08) and is kept
as an accepted key for what-if runs. Welsh & Farrington (2008, Campbell review): crime
-21% in treated against control areas (marked "check" in docs/evidence.md) -- the
headline the prediction is compared with.
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
    summary = "brighter street lighting: offenders more visible at night"
    unit = "lit cell (50 m of street)"
    params = {
        "lighting": prob_field(0.95, "lighting level of an upgraded cell (1: fully lit)"),
        "pride_effect": prob_field(
            0.0, "assumption, off by default (no measured size): fall of an upgraded "
            "cell's static attractiveness A0 (community pride)"),
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
