"""Harm-weighted effects: harm by crime type and by group, harm prevented, its price.

Each crime weighs what the scenario's harm index says one crime of its type weighs
(``[harm.weights]``; the Cambridge Crime Harm Index by default,
sim/scenario/harm_weights.py), so a prevented rape counts for more than a prevented
burglary. Rows (metric, crime_type, group, area):

- ``harm``, each crime type and "total", "all", "city": harm of the window's crimes;
- ``harm``, "total", each resident group, "city": harm of the victimisations of the
  group's members (crimes without a resident victim -- e.g. against visitors -- are in
  the city rows only);
- ``harm_prevented``, "total", "all", "city": base minus alternative, with its CI;
- ``cost_per_harm_prevented``, "total" (all money) or "public", "all", "city":
  extra full cost over harm prevented, with Fieller's interval.
"""

from __future__ import annotations

import numpy as np

from sim.analysis.compare import Comparison
from sim.analysis.effects import Row, _cost, _prevented_row, paired_row, per_prevented_row
from sim.analysis.outcome import RunOutcome
from sim.config import CRIME_TYPES, GROUPS


def _harm(outcomes: list[RunOutcome], crime_type: str = "total") -> np.ndarray:
    return np.array([o.harm(crime_type) for o in outcomes], float)


def _group_harm(outcomes: list[RunOutcome], group: str) -> np.ndarray:
    return np.array([o.group_harm(group) for o in outcomes], float)


def harm_unit_singular(unit: str) -> str:
    """"CHI days" -> "CHI day", for "EUR per CHI day"."""
    return unit[:-1] if unit.endswith("s") else unit


def harm_rows(cmp: Comparison, label: str) -> list[Row]:
    """Harm by type and group, harm prevented, and cost per unit of harm prevented."""
    base, alt = cmp.outcomes[cmp.base], cmp.outcomes[label]
    unit = alt[0].harm_unit
    rows = [paired_row(label, "harm", t, "all", "city", unit, _harm(base, t), _harm(alt, t))
            for t in (*CRIME_TYPES, "total")]
    if all(o.victimisations for o in base + alt):
        rows += [paired_row(label, "harm", "total", g, "city", unit, _group_harm(base, g),
                            _group_harm(alt, g), note="harm of the group's victimisations")
                 for g in GROUPS]
    prevented = _harm(base) - _harm(alt)
    rows.append(_prevented_row(label, "city", prevented, metric="harm_prevented", unit=unit))
    currency = alt[0].currency
    for payer in ("total", "public"):
        extra = _cost(alt, payer) - _cost(base, payer)
        rows.append(per_prevented_row(
            label, "cost_per_harm_prevented", payer,
            f"{currency} per {harm_unit_singular(unit)}", extra, prevented, "harm", cmp.reps))
    return rows
