"""The decision brief's content, as plain data, from a finished comparison.

:func:`build_brief` turns a comparison, its tidy rows and its meta into a
:class:`Brief`: the verdict sentences, the per-group table, harm, where crime moved,
costs, the assumptions the result is most sensitive to, the published evidence,
what the model leaves out, provenance and the figures (PNG bytes). Everything a
reader sees is decided here; :mod:`sim.report.render` only lays it out, so the CLI's
report.html and the dashboard's Compare page show the same sentences.
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.analysis.compare import Comparison
from sim.analysis.effects import FOCUS_GROUPS, Row, find
from sim.plugins.evidence import Evidence, evidence_for
from sim.report.limitations import LIMITATIONS
from sim.report.provenance import provenance
from sim.report.verdict import (
    GROUP_LABEL,
    change_phrase,
    cost_phrase,
    displacement_phrase,
    group_cell,
    group_verdict,
    headline,
)

NOT_MEASURED = "not measured in this comparison"

#: Cost components another part of the cost accounting may add as metric "cost".
COST_COMPONENTS = ("total", "public", "private", "setup_annualised", "running", "officer_time")


@dataclass(frozen=True)
class Verdict:
    """The verdicts on one intervention: a headline and one sentence per group."""

    label: str
    headline: str
    groups: list[str]


@dataclass(frozen=True)
class Figure:
    """A figure to embed: a title, a caption and the PNG's bytes."""

    title: str
    caption: str
    png: bytes


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``rows`` are lists as long as ``header``."""

    header: list[str]
    rows: list[list[str]]


@dataclass
class Brief:
    """Everything report.html shows, as plain data (see the module docstring).

    ``harm``, ``costs`` and ``sensitivity`` are None when the comparison did not
    measure them; the report then says so.
    """

    title: str
    base: str
    alternatives: list[str]
    reps: int
    days: float
    verdicts: list[Verdict]
    groups: Table
    harm: Table | None
    where: Table
    costs: Table | None
    currency: str
    price_year: str
    horizon_years: str
    sensitivity: Table | None
    evidence: Table
    limitations: list[str]
    provenance: list[tuple[str, str]]
    figures: list[Figure] = field(default_factory=list)


def _n(x: float, digits: int = 1) -> str:
    if not math.isfinite(x):
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.{digits}f}"


def _ci(low: float, high: float) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "CI unbounded"
    return f"95% CI {_n(low)} to {_n(high)}"


def _cost_ci(row: Row) -> str:
    """A cost's interval: the extra over the base when paired, else the value's own."""
    if math.isfinite(row.diff_low) and math.isfinite(row.diff_high):
        return f"extra over the base {_n(row.diff)}, " + _ci(row.diff_low, row.diff_high)
    if math.isfinite(row.value_low) and math.isfinite(row.value_high):
        return _ci(row.value_low, row.value_high)
    return ""


def verdicts(rows: list[Row], labels: list[str]) -> list[Verdict]:
    """Headline and per-group verdicts for each intervention, in order."""
    return [Verdict(label, headline(rows, label),
                    [group_verdict(rows, label, g) for g in FOCUS_GROUPS]) for label in labels]


def group_table(rows: list[Row], labels: list[str]) -> Table:
    """One row per intervention, one column per focus group: change in prevalence."""
    header = ["intervention", *(GROUP_LABEL[g] for g in FOCUS_GROUPS)]
    body = []
    for label in labels:
        cells = [label]
        for g in FOCUS_GROUPS:
            text, word = group_cell(find(rows, label, "prevalence", "any", g))
            cells.append(f"{text}: {word}")
        body.append(cells)
    return Table(header, body)


def harm_table(rows: list[Row], labels: list[str]) -> Table | None:
    """Harm-weighted crime by intervention and group, if the rows measure it."""
    if not any(r.metric == "harm" for r in rows):
        return None
    body = []
    for label in labels:
        for r in rows:
            if r.scenario == label and r.metric == "harm" and r.area == "city" and (
                    r.crime_type == "total"):
                who = "all crime" if r.group == "all" else GROUP_LABEL.get(r.group, r.group)
                body.append([label, who, _n(r.baseline), _n(r.value),
                             change_phrase(r, "harm")])
        prevented = find(rows, label, "harm_prevented")
        if prevented is not None:
            body.append([label, "harm prevented", "", _n(prevented.value),
                         _ci(prevented.value_low, prevented.value_high)])
        per = find(rows, label, "cost_per_harm_prevented")
        if per is not None:
            body.append([label, "cost per unit of harm prevented", "", "",
                         cost_phrase(per, "unit of harm prevented")])
    return Table(["intervention", "measure", "base", "with intervention", "change"], body)


def where_table(rows: list[Row], labels: list[str]) -> Table:
    """Crimes in the treated area, its buffer ring and the control area, and the WDQ."""
    body = []
    for label in labels:
        for area in ("treated", "buffer", "control"):
            r = find(rows, label, "crimes", area=area)
            if r is not None:
                body.append([label, area, _n(r.baseline), _n(r.value),
                             change_phrase(r, "crime here")])
        body.append([label, "displacement", "", "",
                     displacement_phrase(find(rows, label, "wdq", area="treated"))])
    return Table(["intervention", "area", "crimes, base", "crimes, with intervention",
                  "reading"], body)


def cost_table(rows: list[Row], labels: list[str]) -> Table | None:
    """Costs by component, crimes prevented and cost per crime prevented."""
    if not any(r.metric == "cost" for r in rows):
        return None
    body = []
    for label in labels:
        for part in COST_COMPONENTS:
            r = find(rows, label, "cost", part)
            if r is not None:
                body.append([label, f"cost: {part.replace('_', ' ')}", f"{_n(r.value)} {r.unit}",
                             _cost_ci(r)])
        prevented = find(rows, label, "crimes_prevented")
        if prevented is not None:
            body.append([label, "crimes prevented", _n(prevented.value),
                         _ci(prevented.value_low, prevented.value_high)])
        body.append([label, "cost per crime prevented", "",
                     cost_phrase(find(rows, label, "cost_per_crime_prevented"))])
    return Table(["intervention", "figure", "value", "95% CI or reading"], body)


def sensitivity_table(sensitivity: dict[str, Any] | None) -> Table | None:
    """Each intervention's most influential assumptions, largest swing first.

    Args:
        sensitivity: Intervention label -> its check's result (an object with
            ``rows`` of :class:`~sim.analysis.sensitivity_oat.SensitivityRow` and
            ``noise_pct``, the swing noise alone would give), or None if not run.

    A swing counts as beyond noise when it exceeds 1.96 x ``noise_pct`` (a two-sided
    5% test of "this key moves nothing"); without a noise figure the column says so.
    """
    if sensitivity is None:
        return None
    body = []
    for label, result in sensitivity.items():
        noise = float(getattr(result, "noise_pct", math.nan))
        for s in sorted(result.rows, key=lambda s: -abs(s.swing_pct)):
            if math.isfinite(noise) and noise > 0:
                beyond = ("yes" if abs(s.swing_pct) > 1.96 * noise
                          else f"no (noise about {noise:.1f})")
            else:
                beyond = "unknown"
            body.append([label, s.label, f"{s.low_value:g} / {s.high_value:g}",
                         f"{s.effect_low_pct:+.1f}% / {s.effect_high_pct:+.1f}%",
                         f"{s.swing_pct:.1f}", beyond])
    return Table(["intervention", "assumption", "low / high value",
                  "effect on total crime at low / high", "swing (percentage points)",
                  "beyond replication noise"], body)


def evidence_table(meta: dict[str, Any]) -> Table:
    """Each intervention's plug-ins and what the literature reports for them."""
    body = []
    for label, accounts in meta.get("cost_accounts", {}).items():
        for plugin in sorted({a.get("type", "") for a in accounts}):
            ev: Evidence | None = evidence_for(plugin)
            if ev is None:
                body.append([label, plugin, "no published figure recorded", ""])
            else:
                note = "" if ev.checked else " (recalled, to be confirmed against the source)"
                body.append([label, plugin, ev.effect + note, ev.source])
    return Table(["intervention", "plug-in", "published effect", "source"], body)


def figures_from(paths: list[Path]) -> list[Figure]:
    """The PNGs among a comparison's files, titled and captioned, read as bytes."""
    return figures_from_files({Path(p).name: Path(p).read_bytes()
                               for p in paths if Path(p).suffix == ".png"})


def figures_from_files(files: dict[str, bytes]) -> list[Figure]:
    """The PNGs among a comparison's files held as name -> bytes (the dashboard's)."""
    out = []
    for name, data in files.items():
        path = Path(name)
        if path.suffix != ".png":
            continue
        if path.name == "effects.png":
            title, caption = "Effects by group", (
                "Change against the base with 95% CIs; a bar whose line crosses 0 is "
                "not significant.")
        elif path.name.startswith("change_map_"):
            title, caption = ("Where crime changed: " + path.stem.removeprefix("change_map_"),
                              "Crimes per cell, alternative minus base, averaged over "
                              "the replications.")
        else:
            title, caption = ("Change by area: " + path.stem.removeprefix("area_change_"),
                              "Change in crimes per area against the base.")
        out.append(Figure(title, caption, data))
    return out


def draw_figures(cmp: Comparison, rows: list[Row]) -> list[Figure]:
    """The comparison's figures, drawn to a scratch folder and read back."""
    from sim.analysis.area_changes import write_area_changes
    from sim.analysis.figures import write_figures

    with tempfile.TemporaryDirectory(prefix="crimesim-brief-") as tmp:
        return figures_from(write_figures(cmp, rows, tmp) + write_area_changes(cmp, tmp))


def build_brief(cmp: Comparison, rows: list[Row], meta: dict[str, Any],
                sensitivity: dict[str, Any] | None = None, *,
                figures: list[Figure] | None = None) -> Brief:
    """The decision brief of a comparison.

    Args:
        cmp: The comparison's outcomes.
        rows: Its tidy rows (:func:`sim.analysis.effects.effect_rows`, plus harm and
            cost rows where the comparison measures them).
        meta: What was compared and how (:func:`sim.analysis.compare.comparison_meta`,
            plus ``workers``, and ``price_year``/``horizon_years`` when known).
        sensitivity: Intervention label -> its one-at-a-time check's result
            (:class:`~sim.analysis.sensitivity_oat.SensitivityResult`: ``rows``,
            ``noise_pct``), or None when the check was not run.
        figures: The figures to embed, e.g. :func:`figures_from` the files the
            comparison already wrote; None draws them (:func:`draw_figures`).
    """
    labels = list(cmp.alternatives)
    return Brief(
        title=f"Decision brief: {', '.join(labels)} against {cmp.base}",
        base=cmp.base, alternatives=labels, reps=cmp.reps, days=cmp.window_days,
        verdicts=verdicts(rows, labels), groups=group_table(rows, labels),
        harm=harm_table(rows, labels), where=where_table(rows, labels),
        costs=cost_table(rows, labels), currency=str(meta.get("currency") or cmp.currency),
        price_year=str(meta.get("price_year", "not stated")),
        horizon_years=str(meta.get("horizon_years", "not stated")),
        sensitivity=sensitivity_table(sensitivity), evidence=evidence_table(meta),
        limitations=[lim.text for lim in LIMITATIONS],
        provenance=provenance(meta, cmp.sources),
        figures=draw_figures(cmp, rows) if figures is None else figures)
