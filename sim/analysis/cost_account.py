"""Full cost accounting of one run: what the window's crime prevention cost, and who paid.

A plug-in's account (sim/plugins/base.py) books set-up costs once, on the day it
starts, running costs per day, and the officer-days of officers it takes from other
duties. A comparison window is usually much shorter than the life of what was set
up -- lamps, cameras, training -- so charging all set-up to the window would make
every short comparison look expensive. Here set-up is spread over
``costs.horizon_years``: as the annuity that repays it at ``costs.discount_rate``
(HM Treasury Green Book's 3.5% by default), or straight-line at rate 0, and the window
carries the days the intervention was active. Officers' time is priced at
``costs.officer_day``: they are paid anyway, but the hours are taken from other duties
(an opportunity cost). Each bill is split into a public part (``public_share``; a
partnership's levy is private) and a private part; officers' time is public.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Cost components a comparison reports, in the order tables show them.
COMPONENTS = ("total", "public", "private", "setup_annualised", "running", "officer_time")


@dataclass(frozen=True)
class CostSettings:
    """How a scenario prices its interventions (the ``[costs]`` table and its labels).

    Attributes:
        currency: Currency label.
        price_year: Year of the prices.
        officer_day: Full cost of one officer-day.
        horizon_years: Years over which set-up is spread.
        discount_rate: Yearly discount rate of that spreading (0: straight line).
    """

    currency: str = "EUR"
    price_year: int = 2024
    officer_day: float = 1450.0
    horizon_years: float = 5.0
    discount_rate: float = 0.035

    @classmethod
    def from_params(cls, p: Any) -> CostSettings:
        """Read them from a scenario's parameters (``scenario.params``)."""
        c = p.costs
        return cls(p.currency, int(p.price_year), float(c.officer_day),
                   float(c.horizon_years), float(c.discount_rate))


def annual_share(horizon_years: float, discount_rate: float) -> float:
    """Share of a set-up cost charged per year of its life.

    The annuity factor ``r / (1 - (1 + r) ** -H)``: equal yearly payments over ``H``
    years whose present value at rate ``r`` is the set-up cost; ``1 / H`` at r = 0.
    """
    if discount_rate <= 0:
        return 1.0 / horizon_years
    r = discount_rate
    return r / (1.0 - (1.0 + r) ** -horizon_years)


def window_setup(setup: float, days_active: float, settings: CostSettings) -> float:
    """The part of ``setup`` that ``days_active`` days of use carry.

    Days beyond the horizon carry nothing more: the set-up is then paid off.
    """
    days = min(max(days_active, 0.0), settings.horizon_years * 365.0)
    return setup * annual_share(settings.horizon_years, settings.discount_rate) * days / 365.0


def cost_components(accounts: list[dict[str, Any]], settings: CostSettings) -> dict[str, float]:
    """One run's cost in the window, by component (:data:`COMPONENTS`).

    Args:
        accounts: The interventions' cost accounts (``Intervention.cost()``).
        settings: The scenario's pricing.

    Returns:
        ``setup_annualised`` (all payers), ``running`` (all payers), ``officer_time``,
        their sum ``total``, and its ``public`` and ``private`` parts.
    """
    out = dict.fromkeys(COMPONENTS, 0.0)
    for acc in accounts:
        setup = window_setup(float(acc.get("setup_all_payers", acc["setup"])),
                             float(acc["days_active"]), settings)
        running = float(acc.get("running_all_payers", acc["running"]))
        officers = float(acc.get("officer_days", 0.0)) * settings.officer_day
        share = float(acc.get("public_share", 1.0))
        out["setup_annualised"] += setup
        out["running"] += running
        out["officer_time"] += officers
        out["public"] += share * (setup + running) + officers
        out["private"] += (1.0 - share) * (setup + running)
    out["total"] = out["setup_annualised"] + out["running"] + out["officer_time"]
    return out
