"""The effects of each alternative against the base, as tidy rows.

One row per (scenario, metric, crime type, group, area): the base mean, the
alternative's mean, the paired difference and the relative change with 95%
confidence intervals (sim.analysis.stats). Ratios that are not changes -- the
weighted displacement quotient and the cost per crime prevented -- carry their
estimate in ``value`` and its interval in ``value_low``/``value_high``
(sim.analysis.ratio).

Columns (see :data:`COLUMNS`):
    scenario: The alternative.
    metric: crimes, reported_crimes, arrests, prevalence, legitimacy, crimes_prevented,
        wdq, cost, cost_per_crime_prevented, harm, harm_prevented,
        cost_per_harm_prevented (sim.analysis.harm_effects).
    crime_type: A crime type, "total" (crimes, harm) or "any" (prevalence: any crime);
        for cost, the component (total, public, private, setup_annualised, running,
        officer_time: sim.analysis.cost_account); for cost per crime or harm
        prevented, "total" (all money) or "public" (public money only).
    group: A resident group for prevalence and legitimacy; "all" otherwise.
    area: "city", or the displacement areas "treated", "buffer", "control" and
        "treated+buffer" (the net effect).
    unit: What ``baseline`` and ``value`` count.
    baseline, value: Means over replications of the base and the alternative.
    diff, diff_low, diff_high: Paired difference (alternative - base) and 95% CI.
    change_pct, ci_low, ci_high: The difference in % of the baseline, and 95% CI
        (Fieller's ratio interval, never below -100%; NaN when unbounded).
    value_low, value_high: 95% CI of ``value`` where ``value`` is itself an estimate
        (crimes prevented, WDQ, cost per crime prevented).
    n: Replications.
    note: A reading of the figure, or why it is n/a.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from sim.analysis.compare import Comparison
from sim.analysis.cost_account import COMPONENTS
from sim.analysis.displacement import AreaCounts, area_counts, interpret_wdq
from sim.analysis.outcome import RunOutcome
from sim.analysis.ratio import fieller_ratio
from sim.analysis.stats import mean_ci, paired_change
from sim.config import CRIME_TYPES, GROUPS
from sim.metrics.catalog import lookup

NAN = math.nan

#: The groups the UN's urban-security work names, in the order tables show them.
FOCUS_GROUPS = ("everyone", "youth", "women_and_girls", "elderly", "marginalised")


@dataclass(frozen=True)
class Row:
    """One tidy row of a comparison (see the module docstring for the columns)."""

    scenario: str
    metric: str
    crime_type: str
    group: str
    area: str
    unit: str
    baseline: float
    value: float
    diff: float = NAN
    diff_low: float = NAN
    diff_high: float = NAN
    change_pct: float = NAN
    ci_low: float = NAN
    ci_high: float = NAN
    value_low: float = NAN
    value_high: float = NAN
    n: int = 0
    note: str = ""


#: Column order of the CSV.
COLUMNS = tuple(Row.__dataclass_fields__)


def paired_row(scenario: str, metric: str, crime_type: str, group: str, area: str,
               unit: str, base: np.ndarray, alt: np.ndarray, note: str = "") -> Row:
    """A row for a metric measured once per replication in both scenarios."""
    pc = paired_change(base, alt)
    note = "; ".join(x for x in (note, pc.note) if x)
    return Row(scenario, metric, crime_type, group, area, unit, pc.baseline, pc.value,
               pc.diff, pc.diff_low, pc.diff_high, pc.change_pct, pc.ci_low, pc.ci_high,
               n=pc.n, note=note)


def _unit(metric: str) -> str:
    """A per-tick metric's unit, as declared (:mod:`sim.metrics.catalog`)."""
    declared = lookup(metric)
    if declared is None:
        raise KeyError(f"{metric} is not a declared metric")
    return declared.unit


def _col(outcomes: list[RunOutcome], key: str) -> np.ndarray:
    return np.array([o.totals[key] for o in outcomes], float)


def _prev(outcomes: list[RunOutcome], group: str, kind: str) -> np.ndarray:
    return np.array([100.0 * o.prevalence.get(group, {}).get(kind, NAN) for o in outcomes])


def _cost(outcomes: list[RunOutcome], component: str = "total") -> np.ndarray:
    """Each replication's full cost in the window (sim.analysis.cost_account)."""
    return np.array([o.cost_components()[component] for o in outcomes], float)


def city_rows(label: str, base: list[RunOutcome], alt: list[RunOutcome]) -> list[Row]:
    """Crimes by type, reports, arrests, prevalence and legitimacy by group."""
    rows = []
    for t in (*CRIME_TYPES, "total"):
        rows.append(paired_row(label, "crimes", t, "all", "city", _unit(f"crimes_{t}"),
                               _col(base, f"crimes_{t}"), _col(alt, f"crimes_{t}")))
    for metric in ("reported_crimes", "arrests"):
        rows.append(paired_row(label, metric, "total", "all", "city", _unit(metric),
                               _col(base, metric), _col(alt, metric)))
    for g in GROUPS:
        for kind in ("any", *CRIME_TYPES):
            b, a = _prev(base, g, kind), _prev(alt, g, kind)
            if np.isfinite(b).all() and np.isfinite(a).all():
                rows.append(paired_row(label, "prevalence", kind, g, "city",
                                       "% of people victimised", b, a))
    for g in GROUPS:
        rows.append(paired_row(label, "legitimacy", "total", g, "city",
                               "mean, 0-1, end of window",
                               _col(base, f"legitimacy_{g}"), _col(alt, f"legitimacy_{g}")))
    return rows


def _prevented_row(label: str, area: str, prevented: np.ndarray, note: str = "",
                   metric: str = "crimes_prevented", unit: str = "crimes") -> Row:
    """Crimes (or harm) prevented (base - alternative), mean and 95% CI."""
    pc = paired_change(np.zeros_like(prevented), prevented)
    return Row(label, metric, "total", "all", area, unit, NAN, pc.value,
               value_low=pc.diff_low, value_high=pc.diff_high, n=pc.n, note=note)


def per_prevented_row(label: str, metric: str, payer: str, unit: str, extra: np.ndarray,
                      prevented: np.ndarray, what: str, n: int) -> Row:
    """Extra cost over what was prevented (Fieller's interval), or n/a if nothing was.

    Args:
        label: The alternative.
        metric: cost_per_crime_prevented or cost_per_harm_prevented.
        payer: "total" (all money) or "public".
        unit: E.g. "EUR per crime".
        extra: Per replication, the alternative's cost minus the base's.
        prevented: Per replication, crimes (or harm) prevented.
        what: "crimes" or "harm", for the notes.
        n: Replications.
    """
    if prevented.mean() <= 0:
        return Row(label, metric, payer, "all", "city", unit, NAN, NAN, n=n,
                   note=f"n/a: no {what} prevented")
    est = fieller_ratio(extra, prevented)
    note = "" if math.isfinite(est.low) else f"CI unbounded ({what} prevented not significant)"
    return Row(label, metric, payer, "all", "city", unit, NAN, est.value, value_low=est.low,
               value_high=est.high, n=est.n, note=note)


def area_pairs(cmp: Comparison, label: str) -> list[AreaCounts] | None:
    """Each replication's crimes in the treated area, buffer and control area.

    The treated area is the alternative's own (it may depend on the seed, e.g. the
    top-k hot spots); None when the alternative treats no cells.
    """
    pairs = []
    for b, a in zip(cmp.outcomes[cmp.base], cmp.outcomes[label], strict=True):
        if a.treated is None or not a.treated.any():
            return None
        pairs.append(area_counts(b.crime_map, a.crime_map, a.treated, a.width, a.height,
                                 cmp.ring))
    return pairs


def displacement_rows(cmp: Comparison, label: str) -> list[Row]:
    """Crimes by area, the net effect and the WDQ (sim.analysis.displacement)."""
    pairs = area_pairs(cmp, label)
    if pairs is None:
        return [Row(label, "wdq", "total", "all", "treated", "ratio", NAN, NAN,
                    n=cmp.reps, note="n/a: no treated area")]
    if all(p.cells[1] + p.cells[2] == 0 for p in pairs):
        return [Row(label, "wdq", "total", "all", "treated", "ratio", NAN, NAN,
                    n=cmp.reps, note="n/a: city-wide, no area to displace crime to")]
    rows = []
    for area, idx in (("treated", 0), ("buffer", 1), ("control", 2)):
        b = np.array([(p.r_b, p.d_b, p.c_b)[idx] for p in pairs])
        a = np.array([(p.r_a, p.d_a, p.c_a)[idx] for p in pairs])
        cells = float(np.mean([p.cells[idx] for p in pairs]))
        rows.append(paired_row(label, "crimes", "total", "all", area, "crimes", b, a,
                               note=f"{cells:.0f} cells"))
    net = np.array([p.net_prevented for p in pairs])
    rows.append(_prevented_row(label, "treated+buffer", net, "net effect"))
    terms = np.array([p.terms() for p in pairs])
    est = fieller_ratio(terms[:, 0], terms[:, 1])
    success = float(np.nanmean(terms[:, 1])) if np.isfinite(terms[:, 1]).any() else NAN
    note = interpret_wdq(est.value, success)
    if any(p.cells[2] == 0 for p in pairs):
        note = "n/a: no control area (the treated area and its ring cover the city)"
    elif any(p.c_b == 0 or p.c_a == 0 for p in pairs):
        note = "n/a: no crime in the control area"
    elif note != "n/a" and not math.isfinite(est.low):
        note += "; CI unbounded (treated-area change not significant)"
    elif success < 0 and est.low <= 0 <= est.high:
        note = f"{note} at the estimate; CI includes 0 (no clear displacement or diffusion)"
    if note.startswith("n/a"):
        rows.append(Row(label, "wdq", "total", "all", "treated", "ratio", NAN, NAN,
                        n=cmp.reps, note=note))
    else:
        rows.append(Row(label, "wdq", "total", "all", "treated", "ratio", NAN, est.value,
                        value_low=est.low, value_high=est.high, n=est.n, note=note))
    return rows


def cost_rows(cmp: Comparison, label: str) -> list[Row]:
    """Cost by component, crimes prevented city-wide, and cost per crime prevented.

    Cost is the window's full cost (sim.analysis.cost_account): annualised set-up,
    running costs and redeployed officers' time, split into public and private money.
    Cost per crime prevented is given for all money ("total") and for public money.
    """
    base, alt = cmp.outcomes[cmp.base], cmp.outcomes[label]
    currency = alt[0].currency
    rows = [paired_row(label, "cost", part, "all", "city", currency, _cost(base, part),
                       _cost(alt, part)) for part in COMPONENTS]
    prevented = _col(base, "crimes_total") - _col(alt, "crimes_total")
    rows.append(_prevented_row(label, "city", prevented))
    for payer in ("total", "public"):
        extra = _cost(alt, payer) - _cost(base, payer)
        rows.append(per_prevented_row(label, "cost_per_crime_prevented", payer,
                                      f"{currency} per crime", extra, prevented, "crimes",
                                      cmp.reps))
    return rows


def intervention_rows(label: str, alt: list[RunOutcome]) -> list[Row]:
    """The interventions' own figures (participants, officers reformed, ...), mean and CI.

    Only the alternative has them (the base has no such intervention), so each is a
    mean over replications with a 95% t interval; ``crime_type`` holds the figure's
    name, ``<intervention label>.<key>``.
    """
    keys = sorted({k for o in alt for k in o.extras})
    rows = []
    for key in keys:
        values = np.array([o.extras.get(key, NAN) for o in alt], float)
        mean, low, high = mean_ci(values)
        rows.append(Row(label, "intervention_figure", key, "all", "city", "count", NAN,
                        mean, value_low=low, value_high=high, n=values.size))
    return rows


def effect_rows(cmp: Comparison) -> list[Row]:
    """Every row for every alternative, in the alternatives' order."""
    # Imported here: harm_effects builds on this module's rows (a top-level import
    # would be circular).
    from sim.analysis.harm_effects import harm_rows

    rows: list[Row] = []
    base = cmp.outcomes[cmp.base]
    for label in cmp.alternatives:
        alt = cmp.outcomes[label]
        rows += city_rows(label, base, alt)
        rows += displacement_rows(cmp, label)
        rows += cost_rows(cmp, label)
        rows += harm_rows(cmp, label)
        rows += intervention_rows(label, alt)
    return rows


def rows_frame(rows: list[Row]):  # -> pandas.DataFrame
    """The rows as a pandas DataFrame with :data:`COLUMNS`."""
    import pandas as pd

    return pd.DataFrame([asdict(r) for r in rows], columns=list(COLUMNS))


def find(rows: list[Row], scenario: str, metric: str, crime_type: str = "total",
         group: str = "all", area: str = "city") -> Row | None:
    """The row with these keys, or None."""
    for r in rows:
        if (r.scenario, r.metric, r.crime_type, r.group, r.area) == (
                scenario, metric, crime_type, group, area):
            return r
    return None
