"""Can any mix meet the coverage floors within the budget? Checked before any run.

A split intervention fits its coverage to its share of the budget
(:meth:`sim.plugins.base.Intervention.start`): coverage = min(its ``coverage`` setting,
budget / (units at full coverage x cost per unit over the planned days)), and a
partnership's budget is public money that buys ``1 / public_share`` of the bill. So a
floor ``f`` needs at least ``f x full units x cost per unit x public share`` of the
money available over the run's window, and the floors together cannot need more than
the whole budget. When they do -- or when a floor is above the coverage the scenario
gives the intervention at all -- every candidate would be infeasible, and the search
would learn it only after hours of runs. This check builds the base city once (no
tick is run) and says so in one line instead.

The figures are the city at tick 0: a target that moves during the run (a youth
programme's at-risk youth, hot spots chosen at the start) can need a little more or
less when the intervention starts, so the check refuses only mixes that cannot work
by more than :data:`MARGIN`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.analysis.search.experiment import SearchExperiment

#: The floors are refused only when they need this much more than the budget: the
#: units are counted on the city at tick 0, not on the day the intervention starts.
MARGIN = 1.05


@dataclass(frozen=True)
class FloorNeed:
    """What one floor costs at least, over the run's window."""

    label: str
    floor: float
    max_coverage: float
    full_units: float
    cost_per_unit: float
    public_share: float

    @property
    def money(self) -> float:
        """Public money the floor needs at least, in the scenario's currency."""
        return self.floor * self.full_units * self.cost_per_unit * self.public_share


def floor_needs(exp: SearchExperiment) -> list[FloorNeed]:
    """Each floored intervention's least cost, on the base city built once (no tick run).

    The floored interventions are switched on with no budget cap (so their coverage is
    their own setting) and the run's start tick; their targets are resolved on the
    city and their units at full coverage counted, as the plug-in counts them when it
    starts.
    """
    from sim.crime.model import CrimeModel

    if not exp.floors:
        return []
    tpd = exp.scenario.params.time.ticks_per_day
    start_tick = int(round(exp.start_day * tpd))
    overrides: dict[str, float | int] = {}
    for label in exp.floors:
        overrides[f"interventions.{label}.start_tick"] = start_tick
        overrides[f"interventions.{label}.budget"] = 0.0
    model = CrimeModel(scenario=exp.scenario.with_overrides(overrides), rng=exp.seed,
                       agent_views=False)
    needs = []
    for item in model.interventions:
        if item.label not in exp.floors:
            continue
        item.mask = item.target_mask(model)
        needs.append(FloorNeed(
            label=item.label, floor=exp.floors[item.label],
            max_coverage=float(item.settings["coverage"]),
            full_units=float(item.full_units(model)),
            cost_per_unit=float(item.cost_per_unit(model)),
            public_share=float(item.public_share())))
    return needs


def floor_problem(exp: SearchExperiment) -> str | None:
    """Why no mix can meet the floors within the budget, or None when one may.

    The message names the floor (or the floors and what each needs) and the budget.
    """
    needs = floor_needs(exp)
    currency = exp.scenario.params.currency
    for need in needs:
        if need.floor > need.max_coverage + 1e-12:
            return (f"[floors] {need.label}: {need.floor:g} is above the coverage the "
                    f"scenario gives it at most ({need.max_coverage:g}); lower the floor or "
                    f"raise interventions.{need.label}.coverage")
    window_days = exp.days - exp.start_day
    available = exp.budget_per_year * window_days / 365.0
    needed = sum(n.money for n in needs)
    if needed > MARGIN * available:
        parts = ", ".join(f"{n.label} {n.floor:g} about {n.money * 365.0 / window_days:,.0f}"
                          for n in needs)
        return (f"[floors] need about {needed * 365.0 / window_days:,.0f} {currency} a year "
                f"({parts}), more than [budget] per_year {exp.budget_per_year:,.0f}: no "
                "mix can meet them; raise the budget or lower the floors")
    return None


__all__ = ["MARGIN", "FloorNeed", "floor_needs", "floor_problem"]
