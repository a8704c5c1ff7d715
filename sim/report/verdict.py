"""Plain-English verdicts from a comparison's tidy rows.

The rules, the same in report.html, the Compare page and docs/comparison.md:

- A change is **significant** when the 95% CI of the percentage change excludes 0
  (when that CI is unbounded, the CI of the paired difference decides). It reads
  "reduces crime by 12% (95% CI 5-19%)" or "increases ... by ...".
- Otherwise it reads "no detectable effect on crime at this number of replications
  (N); about M replications would detect a change of this size (-3.0%)", with M from
  the observed paired spread (:func:`sim.analysis.power.replications_for`, 5% level,
  80% power). When the observed change is about zero (M would exceed
  :data:`sim.analysis.power.MAX_REPLICATIONS`), it says no practical number of
  replications would detect it.
- Displacement is read from the WDQ row's note (:func:`sim.analysis.effects.displacement_rows`):
  a WDQ whose CI includes 0, or whose treated-area change is not significant, is
  "no evidence of displacement".
- Cost per crime prevented is the estimate with its CI, or "CI unbounded" when the
  crimes prevented are not significant.
"""

from __future__ import annotations

import math

from sim.analysis.effects import Row, find
from sim.analysis.power import paired_sd_from_ci, replications_for

#: How groups are named in sentences and column headers.
GROUP_LABEL = {"everyone": "everyone", "youth": "youth", "adult": "adults",
               "elderly": "elderly people", "women_and_girls": "women and girls",
               "men_and_boys": "men and boys", "marginalised": "marginalised people"}


def _finite(*xs: float) -> bool:
    return all(math.isfinite(x) for x in xs)


def is_significant(row: Row) -> bool:
    """True when the change's 95% CI excludes 0 (see the module docstring)."""
    if _finite(row.ci_low, row.ci_high):
        return row.ci_low > 0 or row.ci_high < 0
    if _finite(row.diff_low, row.diff_high):
        return row.diff_low > 0 or row.diff_high < 0
    return False


def _pct(x: float) -> str:
    """A percentage's size in whole percent; one decimal below 1%, where 0 would mislead."""
    return f"{abs(x):.0f}" if abs(x) >= 1 else f"{abs(x):.1f}"


def _money(x: float) -> str:
    """Whole units, or one decimal for small amounts (a cost per unit of harm)."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def replications_phrase(row: Row) -> str:
    """What would resolve a non-significant change, from its paired spread."""
    sd = paired_sd_from_ci(row.diff_low, row.diff_high, row.n)
    m = replications_for(row.diff, sd)
    size = f"{row.change_pct:+.1f}%" if math.isfinite(row.change_pct) else f"{row.diff:+.3g}"
    if m is None:
        return (f"the observed change ({size}) is about zero: no practical number of "
                "replications would detect it")
    return f"about {m:,} replications would detect a change of this size ({size})"


def change_phrase(row: Row | None, subject: str) -> str:
    """"reduces crime by 12% (95% CI 5-19%)", or the non-significant wording."""
    if row is not None and row.baseline == 0:
        return f"{subject}: no percentage change (none in the base runs)"
    if row is None or not math.isfinite(row.change_pct):
        return f"{subject}: not measured"
    if not is_significant(row):
        return (f"no detectable effect on {subject} at this number of replications "
                f"({row.n}); {replications_phrase(row)}")
    verb = "reduces" if row.change_pct < 0 else "increases"
    if _finite(row.ci_low, row.ci_high):
        near, far = sorted((abs(row.ci_low), abs(row.ci_high)))
        ci = f"95% CI {_pct(near)}-{_pct(far)}%"
    else:
        ci = "95% CI of the percentage unbounded"
    return f"{verb} {subject} by {_pct(row.change_pct)}% ({ci})"


def displacement_phrase(row: Row | None) -> str:
    """Where crime moved, in words, from the WDQ row."""
    if row is None:
        return "displacement not measured"
    note = row.note
    if note.startswith("n/a"):
        return "displacement not measurable (" + note.removeprefix("n/a").lstrip(": ") + ")"
    wdq = ""
    if _finite(row.value, row.value_low, row.value_high):
        wdq = f" (WDQ {row.value:+.2f}, 95% CI {row.value_low:+.2f} to {row.value_high:+.2f})"
    elif math.isfinite(row.value):
        wdq = f" (WDQ {row.value:+.2f}, CI unbounded)"
    if "CI includes 0" in note or "CI unbounded" in note or note in (
            "no displacement", "no fall in the treated area"):
        return "no evidence of displacement" + wdq
    if note.startswith("diffusion of benefits"):
        return "crime also fell around the treated area (diffusion of benefits)" + wdq
    if note.startswith("displacement smaller"):
        return "some crime moved next door, less than was prevented" + wdq
    if note.startswith("displacement exceeds"):
        return "more crime moved next door than was prevented" + wdq
    return note + wdq


def cost_phrase(row: Row | None, per: str = "crime prevented") -> str:
    """"9,300 EUR per crime prevented (95% CI ...)" from a cost-per-... row."""
    if row is None:
        return f"cost per {per} not measured"
    if row.note.startswith("n/a") or not math.isfinite(row.value):
        return f"no cost per {per}: " + (row.note.removeprefix("n/a").lstrip(": ") or "n/a")
    currency = row.unit.split(" per ")[0]
    if _finite(row.value_low, row.value_high):
        ci = f"95% CI {_money(row.value_low)}-{_money(row.value_high)}"
    else:
        ci = "CI unbounded: the crimes prevented are not significant"
    return f"{_money(row.value)} {currency} per {per} ({ci})"


def headline(rows: list[Row], label: str) -> str:
    """The one-sentence verdict on an intervention: crime, displacement, cost."""
    parts = [change_phrase(find(rows, label, "crimes"), "crime"),
             displacement_phrase(find(rows, label, "wdq", area="treated")),
             cost_phrase(find(rows, label, "cost_per_crime_prevented"))]
    harm = find(rows, label, "harm")
    if harm is not None:
        parts.insert(1, change_phrase(harm, "crime harm"))
    return f"{label}: " + "; ".join(parts) + "."


def group_verdict(rows: list[Row], label: str, group: str) -> str:
    """One sentence on the share of a group victimised (any crime)."""
    row = find(rows, label, "prevalence", "any", group)
    who = GROUP_LABEL.get(group, group.replace("_", " "))
    subject = "the share of people victimised" if group == "everyone" else (
        f"the share of {who} victimised")
    text = change_phrase(row, subject)
    return text[0].upper() + text[1:] + "."


def group_cell(row: Row | None) -> tuple[str, str]:
    """A table cell: the change with its CI, and its significance in words."""
    if row is not None and row.baseline == 0:
        return "n/a", "none victimised in the base runs"
    if row is None or not math.isfinite(row.change_pct):
        return "n/a", "not measured"
    ci = (f"{row.ci_low:+.1f} to {row.ci_high:+.1f}%" if _finite(row.ci_low, row.ci_high)
          else "CI unbounded")
    if not is_significant(row):
        word = "no detectable change"
    else:
        word = "significant fall" if row.change_pct < 0 else "significant rise"
    return f"{row.change_pct:+.1f}% ({ci})", word
