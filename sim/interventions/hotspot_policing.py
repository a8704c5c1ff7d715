"""Hot-spot policing: a share of patrols concentrated on the hottest cells.

Crime concentrates in few places (Weisburd 2015), so officers sent to the places with
the most reported crime meet more of it. Braga et al. (2019, Campbell review of 65
studies) find a small, significant fall in the treated hot spots -- d = 0.12, about
-8%, to a log relative incidence ratio near -16% -- and that diffusion of benefits to
the surroundings is more common than displacement (Braga & Weisburd 2020).

The plug-in reassigns ``coverage`` of the force to the hot-spot strategy of the patrol
kernel (docs/ODD.md §7.9): each such officer draws a cell from the hot-spot list each
day, walks to it and patrols the 3 x 3 block around it. What it changes is police
presence: with deterrence on (§7.10a/b) the presence an officer leaves decays after he
moves on and is seen by offenders nearby, who learn a higher perceived risk and avoid
the cells, so the effect on crime is a prediction of that mechanism, not a strength of
the plug-in. The dose is the scheme's design, stated as trials state it: officer-
minutes of presence per hot spot per day (``report``: ``dose_minutes``). The default,
1/8 of the force (3 of the baseline's 24 officers on 20 hot spots: about 216 minutes a
hot spot a day), is the Minneapolis trial's target of three hours of intermittent
presence per hot spot per day (Sherman & Weisburd 1995); it is not tuned. Officers
are taken from random (preventive) patrol first, then from reactive, then from
community patrol, as a force redeploying its patrols would.

The target area -- by default the ``top_k`` cells with the most reported crime on the
start day -- is the set of hot spots the scheme treats, as in the experiments Braga et
al. review, and the headline is measured there. Every ``refresh_days`` days the crime
analyst re-maps the list: the ``hot_spots`` cells of the target area with the most
reported crime now (``remap = "target"``, the default). With ``remap = "city"`` the
list is re-mapped over the whole city instead (the model's own list, sim/crime/daily.py,
with ``levers.hotspot_cells = hot_spots``): in the baseline city that list drifts fast
-- in a trial run less than half of it was still in the starting top 20 a month later
-- so patrols leave the area where the effect is measured; ``report`` gives the mean
share of the list inside the target. With ``remap = "target"`` the list is the
scheme's alone: the cells of integrated action's shared cases (§7.26), which the model
adds to the hot-spot list each day, are taken off it again -- the scheme's officers
patrol the treated spots, as in the trials, and reactive officers still visit the
case cells as calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.city.target import hot_spot_cells
from sim.config import (
    COMMUNITY_PATROL,
    HOTSPOT_PATROL,
    INT,
    RANDOM_PATROL,
    REACTIVE_PATROL,
)
from sim.crime.daily import hot_cells
from sim.fields import int_field, str_field
from sim.plugins.base import Intervention, InterventionError
from sim.plugins.registry import register

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: Strategies officers are taken from, first to last.
_DONORS = (RANDOM_PATROL, REACTIVE_PATROL, COMMUNITY_PATROL)


@register
class HotspotPolicing(Intervention):
    """Put ``coverage`` of the officers on patrol of the hot spots (the target area)."""

    name = "hotspot_policing"
    summary = "directed patrols at the hottest cells, re-mapped periodically"
    unit = "officer on hot-spot patrol"
    params = {
        "hot_spots": int_field(
            20, "length of the hot-spot list after each re-mapping (0: the number of "
            "cells in the target area)", 0),
        "refresh_days": int_field(7, "days between re-mappings of the hot-spot list", 1),
        "remap": str_field(
            "target", "where the list is re-mapped: the target area's hottest cells, or the "
            "whole city's (patrols then drift away from the target)", ("target", "city")),
    }
    defaults = {
        # The dose of the Minneapolis hot-spot trial (Sherman & Weisburd 1995): three
        # hours of presence per hot spot per day. 3 of 24 officers on 20 hot spots give
        # 3 x 1,440 / 20 = 216 officer-minutes per hot spot per day (design, not tuned).
        "coverage": 0.125,
        # Redeployed officers would be on duty anyway: their pay is not a new bill, and
        # the comparison charges their time as an opportunity cost (costs.officer_day
        # per officer-day, officers_redeployed). What the scheme adds in money is crime
        # analysis and supervision -- about 30 EUR per officer
        # per day (a crime analyst's time shared by a squad) -- and a day's training
        # and mapping tools, about 1,500 EUR per officer (assumptions; docs).
        "setup_cost": 1_500.0,
        "running_cost": 30.0,
        "target": {"top_k": 30},
    }

    def full_units(self, model: CrimeModel) -> float:
        """Every officer of the force on hot-spot patrol."""
        return float(model.police.n)

    def apply(self, model: CrimeModel) -> float:
        """Reassign officers, set the list to the target's hottest cells, set the levers."""
        pol = model.police
        if pol.n == 0:
            raise InterventionError(
                f"interventions.{self.label}: the scenario has no police officers to redeploy")
        n = int(round(self.coverage * pol.n))
        chosen = self._pick_officers(pol.strategy, n)
        self._officers = chosen
        self._old_strategy = pol.strategy.copy()
        pol.strategy[chosen] = HOTSPOT_PATROL
        pol.target[chosen] = -1
        q = model.levers
        self._old_levers = (q.hotspot_cells, q.hotspot_refresh_days)
        self._k = self["hot_spots"] or int(self.mask.sum())
        self._citywide = self["remap"] == "city"
        q.hotspot_cells = self._k
        q.hotspot_refresh_days = self["refresh_days"]
        self._list = self._area_list(model)
        model.state.justice.hot_cells = self._list
        self._overlap_sum = 0.0
        self._overlap_days = 0
        return float(chosen.size)

    def officers_redeployed(self) -> float:
        """The officers on hot-spot patrol: their time is taken from other patrols."""
        return float(self.units)

    def _pick_officers(self, strategy: np.ndarray, n: int) -> np.ndarray:
        """``n`` officers not yet on hot-spot patrol, random patrol first (own stream)."""
        picked: list[np.ndarray] = []
        left = n
        for code in _DONORS:
            if left <= 0:
                break
            pool = np.flatnonzero(strategy == code)
            take = min(left, pool.size)
            if take:
                picked.append(self.rng.choice(pool, size=take, replace=False))
                left -= take
        return np.sort(np.concatenate(picked)).astype(INT) if picked else np.zeros(0, INT)

    def _area_list(self, model: CrimeModel) -> np.ndarray:
        """The hottest ``hot_spots`` cells inside the target area."""
        cells = np.flatnonzero(self.mask)
        heat = model.city.flat("reported_heat")[cells]
        attract = model.city.flat("a0")[cells] + model.city.flat("b")[cells]
        order = hot_spot_cells(heat, attract, self._k)
        return cells[order].astype(INT)

    def daily(self, model: CrimeModel, day: int) -> None:
        """Re-map the list on the model's refresh days, inside the area if it is one.

        City-wide re-mapping is the model's own (sim/crime/daily.py, from the levers set in
        :meth:`apply`); hot-spot officers draw from the list after this hook, since the
        model clears their targets every day.
        """
        if not self._citywide:
            if day % self["refresh_days"] == 0:
                self._list = self._area_list(model)
            # The scheme's officers patrol the treated spots only: integrated action's
            # shared case cells, added to the list each day before this hook
            # (sim/crime/integration.py), are left to reactive patrol's calls.
            model.state.justice.hot_cells = self._list
        hot = model.state.justice.hot_cells
        if hot.size:
            self._overlap_sum += float(self.mask[hot].mean())
            self._overlap_days += 1

    def undo(self, model: CrimeModel) -> None:
        """Officers return to their old strategies; the levers and list are restored."""
        pol = model.police
        mine = self._officers
        pol.strategy[mine] = self._old_strategy[mine]
        pol.target[mine] = -1
        q = model.levers
        q.hotspot_cells, q.hotspot_refresh_days = self._old_levers
        model.state.justice.hot_cells = hot_cells(model.city, q.hotspot_cells)

    def report(self, model: CrimeModel) -> dict[str, float]:
        """Officers redeployed and the mean share of the patrol list inside the target."""
        if self.mask is None:
            return {}
        overlap = self._overlap_sum / self._overlap_days if self._overlap_days else 1.0
        return {"officers": self.units, "list_in_target": overlap,
                "dose_minutes": self.dose_minutes(model)}

    def dose_minutes(self, model: CrimeModel) -> float:
        """Officer-minutes of patrol per hot spot on the list per day (the trials' dose).

        Officers are on duty every hour of the day, one hot spot each per day, so the
        list's ``hot_spots`` cells share ``officers x 24 x 60`` minutes.
        """
        k = getattr(self, "_k", 0)
        return float(self.units) * 1440.0 / k if k else 0.0
