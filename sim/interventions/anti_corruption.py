"""Anti-corruption: integrity audits find corrupt officers, who are reformed or replaced.

In the model a corrupt officer deters less (``police.corrupt_deterrence``), takes
bribes instead of arresting, sells solved cases, and every bribe heard of in a
district costs its residents' trust (docs/ODD.md §7.11, §7.13). An internal-affairs
programme -- integrity tests, audits of arrests and cases, complaints followed up --
attacks all three at the source:

- **detection** by integrity tests (``tests_per_officer_year``): an integrity test is
  a staged bribe offer; each audited officer is tested at this rate, and a corrupt one
  fails it as he takes any bribe, with the force's current ``levers.bribe_prob``. His
  daily hazard of being found out is therefore ``tests / 365 x bribe_prob``, a
  prediction from the testing dose, not a tuned rate. The default, 0.044 tests per
  officer a year, is the New York police's programme of the mid-1990s: some 1,500 to
  2,000 tests a year for a force of about 40,000 (Osborne 2007). ``detection_rate``
  (a daily hazard, tuned to 1/120 before issue 14) overrides it when above 0; it is
  kept for older scenarios and tests. Found officers are reformed (disciplined, retrained,
  closely supervised) with probability ``reform_share`` or dismissed and replaced by an
  honest recruit; either way the post is honest from then on (``police.corrupt``
  False), so arrests happen again, deterrence is whole, and with no more bribe news
  legitimacy drifts back up and victims report more (§7.12-§7.13).
- **deterrence** (``bribe_deterrence``): while audits run, officers who are still
  corrupt fear integrity tests, so the probability of taking a bribe falls by this
  share (``levers.bribe_prob``; a force-wide lever, since word of the tests spreads).
  Deterrence, not detection, was the New York programme's stated aim (Osborne 2007);
  its size, 0.3, is an assumption (no study measures it).

What follows -- bribes, arrests, legitimacy through fewer unfair contacts and less
bribe news (§7.13a), reporting, and the market's extortion and corruption (§7.24) -- is
the model's prediction.

Who is audited: a ``coverage`` share of the officers whose beat lies in a district of
the target area (by default the whole city: the force is one organisation).

At ``end_tick`` the audits stop and the deterrent goes with them (``bribe_prob`` is
restored). Officers reformed or replaced are honest, but with the illicit market on
(``market.enabled``, docs/ODD.md §7.24) the gangs' revenue buys honest officers standing
in their territory again, reformed ones included: audits lower the corrupt share while
they find officers faster than the market buys them. Without the market the corrupt
share only falls. There is no
numeric evidence target (docs/evidence.md has none for anti-corruption); the
calibration headline and range are assumptions (docs/interventions/anti_corruption.md).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.config import INT
from sim.fields import float_field, prob_field
from sim.plugins.base import Intervention
from sim.plugins.registry import register

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel


def officers_serving(model: CrimeModel, area: np.ndarray) -> np.ndarray:
    """Officers whose beat district has a cell in ``area`` (flat bool)."""
    districts = np.unique(model.city.flat("district")[area])
    return np.flatnonzero(np.isin(model.police.beat, districts)).astype(INT)


@register
class AntiCorruption(Intervention):
    """Audit a ``coverage`` share of the area's officers; reform or replace the corrupt."""

    name = "anti_corruption"
    summary = "integrity audits: corrupt officers found and reformed or replaced; fewer bribes"
    unit = "officer audited"
    params = {
        "tests_per_officer_year": float_field(
            0.044, "integrity tests per audited officer per year (NYPD mid-1990s: 1,500-"
            "2,000 tests a year for ~40,000 officers, Osborne 2007); a corrupt officer "
            "fails one with the current bribe probability", 0.0),
        "detection_rate": float_field(
            0.0, "deprecated (tuned before issue 14): daily hazard that an audited corrupt "
            "officer is found out; above 0 it replaces the rate from the tests"),
        "reform_share": prob_field(
            0.5, "share of officers found out who are reformed (the rest are replaced)"),
        "bribe_deterrence": prob_field(
            0.3, "fall in the probability a still-corrupt officer takes a bribe while "
            "audits run"),
        "reform_cost": float_field(
            5_000.0, "one-off cost of reforming an officer (discipline, retraining), in "
            "the scenario's currency"),
        "replacement_cost": float_field(
            40_000.0, "one-off cost of dismissing and replacing an officer (recruiting, "
            "training), in the scenario's currency"),
    }
    defaults = {
        "coverage": 1.0,
        # Per officer audited: file review and vetting ~500 EUR once; an internal-affairs
        # unit of about one investigator (~80,000 EUR a year with overheads) per 40
        # officers ~5.5 EUR per officer per day. Assumptions, see the plug-in's page.
        "setup_cost": 500.0,
        "running_cost": 5.5,
        "target": {},
    }

    # --- life cycle -------------------------------------------------------------------
    def apply(self, model: CrimeModel) -> float:
        """Choose the audited officers and let the deterrent act on bribe-taking."""
        pool = officers_serving(model, self.mask)
        self.audited = self.reach(pool)
        self._old_bribe = model.levers.bribe_prob
        model.levers.bribe_prob = self._old_bribe * (1.0 - self["bribe_deterrence"])
        rate = self["detection_rate"]
        if rate <= 0.0:  # from the testing dose: a test is a bribe offer
            rate = self["tests_per_officer_year"] / 365.0 * model.levers.bribe_prob
        self._p_day = -math.expm1(-rate)
        self.reformed = 0
        self.replaced = 0
        return float(self.audited.size)

    def full_units(self, model: CrimeModel) -> float:
        """Every officer serving the area audited."""
        return float(officers_serving(model, self.mask).size)

    def daily(self, model: CrimeModel, day: int) -> None:
        """Audit: find corrupt officers and reform or replace them (two draws each)."""
        pol = model.police
        corrupt = self.audited[pol.corrupt[self.audited]]
        if corrupt.size == 0:
            return
        found = corrupt[self.rng.random(corrupt.size) < self._p_day]
        if found.size == 0:
            return
        reform = self.rng.random(found.size) < self["reform_share"]
        pol.corrupt[found] = False
        model.refresh_police_weight()
        n_reform = int(reform.sum())
        n_replace = int(found.size) - n_reform
        self.reformed += n_reform
        self.replaced += n_replace
        self.spent_setup += (n_reform * self["reform_cost"]
                             + n_replace * self["replacement_cost"])

    def undo(self, model: CrimeModel) -> None:
        """Audits stop: the deterrent on bribe-taking goes (only the market corrupts again)."""
        model.levers.bribe_prob = self._old_bribe

    def report(self, model: CrimeModel) -> dict[str, float]:
        """Officers reformed and replaced, and those still corrupt in the force."""
        return {"reformed": float(getattr(self, "reformed", 0)),
                "replaced": float(getattr(self, "replaced", 0)),
                "still_corrupt": float(model.police.corrupt.sum())}
