"""Public-private partnership: private security and CCTV in a business district.

Business improvement districts (BIDs) pool a levy on local businesses, often matched by
the city, to pay for private security patrols, cameras and cleaning. MacDonald et al.
(2010) compared Los Angeles BIDs with similar areas: robbery -12% (95% CI -2% to
-24%), violent crime -8%. Capable guardians at the premises are the mechanism (Cohen &
Felson 1979); CCTV deters and helps detection (Welsh & Farrington 2009).

The plug-in posts extra guards in a ``guard_share`` of the treated cells and installs
CCTV at level ``cctv`` in all of them. Both act through the model's guardianship
(docs/ODD.md §7.14: ``G += guard_deterrence`` per guard, ``+= cctv_deterrence * cctv``)
and CCTV's chance of an arrest (§7.11), so their strength is the baseline's: the
fall in crime is a prediction of the guardianship mechanism, not a tuned input.
``guard_share`` and ``cctv`` are the scheme's dose. No study found gives a BID's
guards or cameras per block, so they are **assumptions** stated as a design -- one
round-the-clock guard post per ten business blocks, one camera per block with a
quarter of it in view (the budget such a scheme costs is in ``running_cost``) -- and
are not adjusted to the headline. (They were once reached by tuning from 0.25/1.0; the
values are kept as the design and the headline is now re-read as a prediction.) The target
is narrowed to the shop and nightlife streets (commercial and nightlife cells) by
default: the businesses that pay the levy; ``coverage`` is the share of target cells
that join the scheme. Costs are shared: ``public_share`` of every bill is
public money: the account's ``setup``, ``running`` and ``total`` count that share,
``setup_all_payers`` and ``running_all_payers`` the whole bills, and a comparison
states cost per crime prevented for all money and for public money
(sim/analysis/cost_account.py); ``report`` gives what the businesses pay.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.config import INT
from sim.crime.agents import Guard
from sim.fields import prob_field
from sim.plugins.base import Intervention
from sim.plugins.registry import register

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


@register
class PublicPrivatePartnership(Intervention):
    """Guards and cameras in a ``coverage`` share of the target cells, costs shared."""

    name = "public_private_partnership"
    summary = "business improvement district: private security and CCTV, co-funded"
    unit = "business-district cell (50 m block) with CCTV and a share of a guard post"
    params = {
        "guard_share": prob_field(
            0.1, "the scheme's design (assumption): share of treated cells given a guard "
            "post (one guard, round the clock)"),
        "cctv": prob_field(
            0.25, "the scheme's design (assumption): CCTV coverage installed in every "
            "treated cell (share of the block in view)"),
        "public_share": prob_field(
            0.4, "share of the costs paid from public money (the rest: the businesses' levy)"),
    }
    defaults = {
        "coverage": 1.0,
        # Per 50 m block at the default guard_share and cctv (assumptions; see
        # docs/interventions/public_private_partnership.md): one camera covering a
        # quarter of the block, installed and linked, ~3,000 EUR; running: monitoring
        # and upkeep ~5 EUR a day, plus a tenth of a round-the-clock guard post (24 h
        # at ~25 EUR an hour: 600 EUR a day) = 60 EUR. Change them with those two.
        "setup_cost": 3_000.0,
        "running_cost": 65.0,
        "target": {"land_use": ["commercial", "nightlife"]},
    }

    def apply(self, model: CrimeModel) -> float:
        """Choose the joining cells, post guards there, install cameras, refresh G."""
        chosen = self.reach(np.flatnonzero(self.mask))
        n_posts = int(round(self["guard_share"] * chosen.size))
        posts = np.sort(self.rng.choice(chosen, size=n_posts, replace=False)).astype(INT)
        self._n_posts = n_posts
        cctv = model.city.flat("cctv")
        self._cells = chosen
        self._old_cctv = cctv[chosen].copy()
        self._old_guards = model.guards.n
        cctv[chosen] = np.maximum(cctv[chosen], self["cctv"])
        # A new array, not a resize: views and kernels index guards by position.
        model.guards = dataclasses.replace(
            model.guards, pos=np.concatenate([model.guards.pos, posts]).astype(INT))
        self._views = [Guard(model, i) for i in range(self._old_guards, model.guards.n)] \
            if model.views.enabled else []
        model.refresh_guardianship()
        return float(chosen.size)

    def start(self, model: CrimeModel) -> None:
        """As the base class, but the budget is public money: it buys ``1/public_share``."""
        share = self["public_share"]
        budget = self.settings["budget"]
        if budget > 0 and share > 0:
            self.settings = {**self.settings, "budget": budget / share}
        try:
            super().start(model)
        finally:
            self.settings = {**self.settings, "budget": budget}
        self.spent_setup *= share

    def book_day(self) -> None:
        """One day of running cost, the public's share."""
        self.days_active += 1
        self.spent_running += self["public_share"] * self["running_cost"] * self.units

    def cost(self) -> dict[str, Any]:
        """The public cost account, with the businesses' part and the whole bill."""
        out = super().cost()
        whole = self.units * (self["setup_cost"] + self["running_cost"] * self.days_active)
        out["business"] = whole - out["total"]
        out["all_payers"] = whole
        out["setup_all_payers"] = self.units * self["setup_cost"]
        out["running_all_payers"] = self.units * self["running_cost"] * self.days_active
        return out

    def public_share(self) -> float:
        """The scheme's ``public_share``: the city's part of every bill."""
        return float(self["public_share"])

    def undo(self, model: CrimeModel) -> None:
        """The scheme ends: its guards leave and the cameras are taken down."""
        model.city.flat("cctv")[self._cells] = self._old_cctv
        model.guards = dataclasses.replace(
            model.guards, pos=model.guards.pos[: self._old_guards].copy())
        for view in self._views:
            view.remove()
        self._views = []
        model.refresh_guardianship()

    def report(self, model: CrimeModel) -> dict[str, float]:
        """Guard posts added, and what the businesses paid."""
        if self.mask is None:
            return {}
        return {"guard_posts": float(self._n_posts), "business_cost": self.cost()["business"]}
