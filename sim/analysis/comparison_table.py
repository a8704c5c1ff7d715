"""The comparison as a readable terminal table and a tidy CSV.

The terminal shows what a policymaker asks first, per alternative: crimes by type,
who is protected (victimisation prevalence of the groups the UN's urban-security work
names), reports, arrests and legitimacy, where crime moved (treated area, buffer,
control, WDQ), and the cost. A closing summary lines the alternatives up. Everything
else -- prevalence by crime type, every group -- is in the CSV.
"""

from __future__ import annotations

import math
from pathlib import Path

from sim.analysis.compare import Comparison
from sim.analysis.cost_account import CostSettings
from sim.analysis.effects import FOCUS_GROUPS, Row, find, rows_frame
from sim.analysis.outcome import RunOutcome
from sim.config import CRIME_TYPES

_GROUP_LABEL = {"everyone": "everyone", "youth": "youth", "adult": "adults",
                "elderly": "elderly", "women_and_girls": "women and girls",
                "men_and_boys": "men and boys", "marginalised": "marginalised"}
_W = 34  # label column width


def first_outcome(cmp: Comparison) -> RunOutcome:
    """The first alternative's first replication (the base's if there is none)."""
    label = cmp.alternatives[0] if cmp.alternatives else cmp.base
    return cmp.outcomes[label][0]


def cost_settings(cmp: Comparison) -> CostSettings:
    """How the comparison's costs are priced (the first alternative's scenario)."""
    return first_outcome(cmp).cost_settings


def write_csv(rows: list[Row], path: str | Path) -> Path:
    """Write the tidy rows to ``path`` (columns :data:`sim.analysis.effects.COLUMNS`)."""
    path = Path(path)
    rows_frame(rows).to_csv(path, index=False, float_format="%.6g")
    return path


def _num(x: float, digits: int = 1) -> str:
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 1e5:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def _ci(lo: float, hi: float, digits: int = 1, sign: bool = True) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return "n/a"
    f = f"{{:+.{digits}f}}" if sign else f"{{:,.{digits}f}}"
    return f"[{f.format(lo)}, {f.format(hi)}]"


def _change_line(label: str, row: Row | None, digits: int = 1) -> str:
    if row is None:
        return f"  {label:<{_W}}{'n/a':>12}"
    pct = "n/a" if not math.isfinite(row.change_pct) else f"{row.change_pct:+.1f}"
    return (f"  {label:<{_W}}{_num(row.baseline, digits):>12}{_num(row.value, digits):>12}"
            f"{pct:>10}  {_ci(row.ci_low, row.ci_high)}")


def _value_line(label: str, row: Row | None, digits: int = 1, unit: str = "") -> str:
    if row is None or not math.isfinite(row.value):
        note = row.note.removeprefix("n/a").lstrip(": ") if row is not None else ""
        return f"  {label:<{_W}}{'n/a':>12}  {note}".rstrip()
    ci = _ci(row.value_low, row.value_high, digits, sign=False)
    note = f"  {row.note}" if row.note else ""
    return f"  {label:<{_W}}{_num(row.value, digits):>12}{unit}  95% CI {ci}{note}"


def alternative_block(cmp: Comparison, rows: list[Row], label: str) -> list[str]:
    """The lines of one alternative's table."""
    r = lambda *k, **kw: find(rows, label, *k, **kw)  # noqa: E731
    head = f"  {'':<{_W}}{'baseline':>12}{'with it':>12}{'change %':>10}  95% CI"
    out = [f"{label} vs {cmp.base}", head, "  " + "-" * (len(head) - 2)]
    out.append("  crimes in the window")
    for t in (*CRIME_TYPES, "total"):
        out.append(_change_line(f"  {t.replace('_', ' ')}", r("crimes", t)))
    out.append(_change_line("reported crimes", r("reported_crimes")))
    out.append(_change_line("arrests", r("arrests")))
    out.append("  victimised, any crime (% of people)")
    for g in FOCUS_GROUPS:
        out.append(_change_line(f"  {_GROUP_LABEL[g]}", r("prevalence", "any", group=g), 2))
    out.append(_change_line("legitimacy, everyone (end)", r("legitimacy", group="everyone"), 3))
    wdq = r("wdq", area="treated")
    if r("crimes", area="treated") is not None:
        out.append(f"  where crime moved (buffer ring {cmp.ring_m:g} m = {cmp.ring:.3g} cells)")
        for area, name in (("treated", "treated area"), ("buffer", "buffer ring"),
                           ("control", "rest of the city")):
            row = r("crimes", area=area)
            out.append(_change_line(f"  {name} ({row.note})" if row else name, row))
        out.append(_value_line("  net crimes prevented (area+ring)",
                               r("crimes_prevented", area="treated+buffer")))
        out.append(_value_line("  WDQ", wdq, 2))
    else:
        why = wdq.note.removeprefix("n/a").lstrip(": ") if wdq else ""
        out.append(f"  where crime moved: n/a ({why})" if why else "  where crime moved: n/a")
    out += harm_lines(rows, label)
    out += cost_lines(rows, label)
    return out


def harm_lines(rows: list[Row], label: str) -> list[str]:
    """Harm-weighted crime: total, by group, and harm prevented."""
    r = lambda *k, **kw: find(rows, label, *k, **kw)  # noqa: E731
    total = r("harm")
    if total is None:
        return []
    out = [f"  harm ({total.unit})", _change_line("  all crimes", total, 0)]
    for g in FOCUS_GROUPS[1:]:
        out.append(_change_line(f"  against {_GROUP_LABEL[g]}", r("harm", group=g), 0))
    out.append(_value_line("  harm prevented, city", r("harm_prevented"), 0))
    return out


def cost_lines(rows: list[Row], label: str) -> list[str]:
    """The window's cost by component, and cost per crime and per harm prevented."""
    r = lambda *k, **kw: find(rows, label, *k, **kw)  # noqa: E731
    cost = r("cost")
    unit = cost.unit if cost else ""
    out = [f"  {'cost in the window (' + unit + ')':<{_W}}"
           f"{_num(cost.value, 0) if cost else 'n/a':>12}"]
    for part, name in (("setup_annualised", "set-up, annualised"), ("running", "running"),
                       ("officer_time", "redeployed officers' time"),
                       ("public", "public money"), ("private", "private money")):
        row = r("cost", part)
        if row is not None:
            out.append(f"  {'  ' + name:<{_W}}{_num(row.value, 0):>12}")
    out.append(_value_line("crimes prevented, city", r("crimes_prevented")))
    out.append(_value_line(f"cost per crime prevented ({unit})",
                           r("cost_per_crime_prevented"), 0))
    out.append(_value_line("  public money only", r("cost_per_crime_prevented", "public"), 0))
    per_harm = r("cost_per_harm_prevented")
    if per_harm is not None:
        out.append(_value_line(f"cost per {per_harm.unit.split(' per ')[-1]} prevented",
                               per_harm, 0))
        out.append(_value_line("  public money only",
                               r("cost_per_harm_prevented", "public"), 0))
    return out


def summary_block(cmp: Comparison, rows: list[Row]) -> list[str]:
    """One line per alternative: the headline figures side by side."""
    head = (f"{'scenario':<28}{'crimes %':>9}{'95% CI':>17}{'harm %':>9}{'victims %':>11}"
            f"{'WDQ':>8}{'cost':>14}{'per crime prevented':>21}")
    out = [f"summary: change against {cmp.base} (victims: everyone, any crime)", head,
           "-" * len(head)]
    for label in cmp.alternatives:
        crimes = find(rows, label, "crimes")
        victims = find(rows, label, "prevalence", "any", group="everyone")
        wdq = find(rows, label, "wdq", area="treated")
        cost = find(rows, label, "cost")
        per = find(rows, label, "cost_per_crime_prevented")

        def pct(row: Row | None) -> str:
            return f"{row.change_pct:+.1f}" if row and math.isfinite(row.change_pct) else "n/a"

        ci = _ci(crimes.ci_low, crimes.ci_high) if crimes else "n/a"
        w = f"{wdq.value:+.2f}" if wdq and math.isfinite(wdq.value) else "n/a"
        c = _num(cost.value, 0) if cost else "n/a"
        p = _num(per.value, 0) if per and math.isfinite(per.value) else "n/a"
        harm = find(rows, label, "harm")
        out.append(f"{label[:27]:<28}{pct(crimes):>9}{ci:>17}{pct(harm):>9}{pct(victims):>11}"
                   f"{w:>8}{c:>14}{p:>21}")
    return out


def pricing_line(cmp: Comparison) -> str:
    """Currency, price year, how set-up is spread and what an officer-day costs."""
    c = cost_settings(cmp)
    harm = first_outcome(cmp)
    return (f"costs in {c.currency}, {c.price_year} prices; set-up spread over "
            f"{c.horizon_years:g} years at {100 * c.discount_rate:g}% a year; an officer-day "
            f"costs {c.officer_day:,.0f} {c.currency}; harm in {harm.harm_unit}, "
            f"{harm.harm_index}")


def format_table(cmp: Comparison, rows: list[Row]) -> str:
    """The whole terminal report."""
    first = cmp.start_tick / cmp.ticks_per_day
    lines = [f"{cmp.reps} replications (seeds {cmp.seeds[0]}-{cmp.seeds[-1]}, common random "
             f"numbers), window day {first:g} to {cmp.ticks / cmp.ticks_per_day:g} "
             f"({cmp.window_days:g} days); means, paired changes, 95% CIs",
             pricing_line(cmp), ""]
    for label in cmp.alternatives:
        lines += alternative_block(cmp, rows, label)
        lines.append("")
    if len(cmp.alternatives) > 1:
        lines += summary_block(cmp, rows)
        lines.append("")
    return "\n".join(lines)
