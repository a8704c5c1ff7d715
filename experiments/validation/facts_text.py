"""The stylised-facts report's text: tables, verdicts and discussion.

Verdict rules are fixed here, before reading the numbers, so they cannot bend to them:

- concentration: the share of cells holding 50% of crime against Weisburd's 2-6%, and
  the share holding 25% against 0.4-1.6%; both in range matches, one partly;
- near-repeat: a significant excess (permutation p < 0.05) of burglary pairs within
  200 m and 14 days is the pattern; it matches when the excess also stays within
  ~400 m and ~4 weeks (Johnson et al.'s window, with its spread across cities), partly
  when it is there but narrower or wider, does not when absent;
- journey to crime: decay (the rate per available cell falls with distance, Spearman
  rho <= -0.8) and scale (burglaries' median within a factor of 2 of 0.8 km).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.stats import spearmanr

from experiments.validation.near_repeat import DISTANCE_LABELS, TIME_LABELS, KnoxTable
from experiments.validation.report import Report, Settings, figure_link, fmt, pct, table
from sim.config import CRIME_TYPES

if TYPE_CHECKING:
    from experiments.validation.stylised_facts import CityFacts, FactsConfig

#: Weisburd (2015): 50% of crime at 2-6% of segments, 25% at 0.4-1.6%.
WEISBURD_50 = (0.02, 0.06)
WEISBURD_25 = (0.004, 0.016)
#: Near-repeat windows (Johnson et al. 2007): the core and the outer limit.
NEAR_M, NEAR_DAYS = 200.0, 14.0
OUTER_M, OUTER_DAYS = 400.0, 28.0
#: Median burglary journey of the UK study, metres.
UK_MEDIAN_M = 800.0


def _mean(values: list[float]) -> float:
    """Mean of the finite values (NaN if none: a crime type absent from every city)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return float(v.mean()) if v.size else float("nan")


def concentration_verdict(cells_50: float, cells_25: float) -> str:
    """The verdict (matches, partly, does not) from the cell shares holding 50% and 25% of crime."""
    in50 = WEISBURD_50[0] <= cells_50 <= WEISBURD_50[1]
    in25 = WEISBURD_25[0] <= cells_25 <= WEISBURD_25[1]
    return "matches" if in50 and in25 else ("partly" if in50 or in25 else "does not")


def near_repeat_extent(knox: KnoxTable, alpha: float = 0.05) -> dict[str, Any]:
    """Where burglary pairs are significantly in excess.

    Returns:
        ``core`` (an excess within 200 m and 14 days), ``max_m`` (upper edge of the
        farthest distance band, short of the open last one, with an excess in the
        first two weeks), ``max_days`` (upper edge of the latest time band with an
        excess within 200 m) and the ``elevated`` mask.
    """
    elevated = (knox.p_value < alpha) & (knox.ratio > 1.0)
    d_hi = knox.distance_edges[1:] - 1.0  # band upper edges: 0, 100, 200, ... m
    t_hi = knox.time_edges[1:]
    near_d = d_hi <= NEAR_M
    near_t = t_hi <= NEAR_DAYS
    core = bool(elevated[np.ix_(near_d, near_t)].any())
    rows = np.flatnonzero(elevated[:, near_t].any(axis=1))
    cols = np.flatnonzero(elevated[near_d].any(axis=0))
    return {"core": core, "elevated": elevated,
            "max_m": float(d_hi[rows.max()]) if rows.size else float("nan"),
            "max_days": float(t_hi[cols.max()]) if cols.size else float("nan")}


def near_repeat_verdict(extent: dict[str, Any]) -> str:
    """The verdict (matches, partly, does not) from :func:`near_repeat_extent`."""
    if not extent["core"]:
        return "does not"
    wide_enough = extent["max_m"] >= 100.0  # beyond the same 50 m cell
    within = extent["max_m"] <= OUTER_M and extent["max_days"] <= OUTER_DAYS
    return "matches" if wide_enough and within else "partly"


def decay_rho(rate: np.ndarray) -> float:
    """Spearman correlation of the rate per available cell with distance (bands with data)."""
    ok = np.isfinite(rate) & (rate > 0)
    if ok.sum() < 3:
        return float("nan")
    return float(spearmanr(np.flatnonzero(ok), rate[ok]).statistic)


def write_report(rep: Report, cfg: FactsConfig, settings: Settings, cities: list[CityFacts],
                 knox: KnoxTable, trips: dict[str, dict[str, Any]],
                 figs: dict[str, str]) -> None:
    """Fill ``rep`` with the set-up, the three facts and the discussion."""
    seeds = ", ".join(str(c.seed) for c in cities)
    n_crimes = sum(int(c.crime_map.sum()) for c in cities)
    small = " (quick mode: a 40 × 40 city)" if cfg.overrides else ""
    runs = f"{len(cities)} run{'s' if len(cities) != 1 else ''}"
    rep.add(f"""
## Set-up

{runs} of `scenarios/baseline.toml`{small}, {cfg.days} days each, seeds
{seeds}. Each seed draws its own city, people and plans, so these are {len(cities)}
different cities of the same kind: {n_crimes:,} crimes in all, from the crime event log
(one row per crime: tick, type, cell, offender's home cell). Places are
{cities[0].grid.cell_m:g} m cells; distances are between cell centres. Code:
`experiments/validation/stylised_facts.py` and the analysis modules it names. The
model is not tuned for these facts; the report states what it gives.
""")
    _concentration(rep, cities, figs["concentration"])
    _near_repeat(rep, cfg, knox, figs["near_repeat"])
    _journey(rep, trips, figs["journey"])
    _discussion(rep)


def _concentration(rep: Report, cities: list[CityFacts], fig: str) -> None:
    rows = []
    for c in cities:
        f = c.concentration
        rows.append([f"seed {c.seed}", f"{int(c.crime_map.sum()):,}", pct(f["top5"]),
                     pct(f["top1"]), pct(f["cells_50"], 2), pct(f["cells_25"], 2)])
    keys = ("top5", "top1", "cells_50", "cells_25")
    mean = {k: _mean([c.concentration[k] for c in cities]) for k in keys}
    null = {k: _mean([c.null[k] for c in cities]) for k in keys}
    rows.append(["**mean**", "", pct(mean["top5"]), pct(mean["top1"]),
                 pct(mean["cells_50"], 2), pct(mean["cells_25"], 2)])
    rows.append(["same crimes at random", "", pct(null["top5"]), pct(null["top1"]),
                 pct(null["cells_50"], 2), pct(null["cells_25"], 2)])
    rows.append(["Weisburd (2015), street segments", "", "≈ 50% (implied)",
                 "≈ 25% (implied)", "2–6%", "0.4–1.6%"])
    by_type = []
    for name in CRIME_TYPES:
        vals = {k: _mean([c.concentration_by_type[name][k] for c in cities]) for k in keys}
        n = sum(int(c.by_type[name].sum()) for c in cities)
        by_type.append([name.replace("_", " "), f"{n:,}", pct(vals["top5"]),
                        pct(vals["top1"]), pct(vals["cells_50"], 2),
                        pct(vals["cells_25"], 2)])
    verdict = concentration_verdict(mean["cells_50"], mean["cells_25"])
    rep.verdict("crime concentration (Weisburd 2015)", verdict,
                f"50% of crime in {pct(mean['cells_50'], 2)} of cells (published 2–6% of "
                f"segments), 25% in {pct(mean['cells_25'], 2)} (0.4–1.6%)")
    rep.numbers["concentration"] = mean
    header = ["city", "crimes", "top 5% of cells hold", "top 1% hold",
              "cells holding 50%", "cells holding 25%"]
    rep.add("## 1. Crime concentration at places\n\n" + table(header, rows)
            + "\n\n**By crime type** (mean over the cities):\n\n" + table(
                ["crime type", *header[1:]], by_type) + f"""

"Same crimes at random" scatters each city's crimes uniformly over its cells (50 seeded
draws): the concentration that sparse counts alone produce (Bernasco & Steenbeek
2017). Weisburd's figures are for street segments (typically 100–150 m of street
between two junctions); a {cities[0].grid.cell_m:g} m cell is smaller, and every cell
counts here, including parks and industry, so the model's shares of places are not
exactly comparable; a factor of two either way would not change the verdict.

{figure_link(fig, "Left: crimes per cell in one city (log colour scale). Right: share "
             "of crime held by the most criminal cells, each city, with uniform "
             "scattering and Weisburd's ranges.")}""")


def _near_repeat(rep: Report, cfg: FactsConfig, knox: KnoxTable, fig: str) -> None:
    ratio, p = knox.ratio, knox.p_value
    rows = []
    for d, label in enumerate(DISTANCE_LABELS):
        cells = []
        for t in range(len(TIME_LABELS)):
            star = "**" if p[d, t] < 0.01 else ("*" if p[d, t] < 0.05 else "")
            cells.append(f"{fmt(ratio[d, t], 3)}{star}")
        rows.append([label, *cells])
    ext = near_repeat_extent(knox)
    verdict = near_repeat_verdict(ext)
    if ext["core"]:
        why = (f"excess within 200 m and 2 weeks; significant out to {ext['max_m']:.0f} m "
               f"(first 2 weeks) and {ext['max_days']:.0f} days (within 200 m)")
    else:
        why = "no significant excess of burglary pairs within 200 m and 2 weeks"
    rep.verdict("near-repeat burglary (Johnson et al. 2007)", verdict, why)
    rep.numbers["near_repeat"] = {"core": ext["core"], "max_m": ext["max_m"],
                                  "max_days": ext["max_days"],
                                  "ratio_same_cell_week1": float(ratio[0, 0]),
                                  "ratio_100m_week1": float(ratio[1, 0]),
                                  "ratio_200m_week1": float(ratio[2, 0]),
                                  "burglaries": knox.n_events}
    rep.add(f"""## 2. Near-repeat burglary

A Knox test as the Near Repeat Calculator runs it (Johnson et al. 2007): every pair of
burglaries in the same city is counted by its distance band and its time band; the
expected count of each cell comes from {cfg.permutations} permutations per city that
shuffle the burglaries' dates over their places (keeping where and when burglary
happens, breaking any link between the two). Cities are pooled by adding their
observed and, permutation by permutation, their permuted tables. {knox.n_events:,}
burglaries. Knox ratio = observed / expected pairs; * p < 0.05, ** p < 0.01
(one-sided permutation p-values; with {ratio.size} cells about {0.05 * ratio.size:.0f}
would reach p < 0.05 by chance).

""" + table(["distance \\ time apart", *TIME_LABELS], rows) + f"""

Published: homes within ~200 m of a burglary run a raised risk for ~2 weeks (Johnson et
al. 2007, across cities; EVIDENCE.md), with ratios typically well above 1 at the
shortest distances and times and fading by ~400 m and a month or two.

{figure_link(fig, "Knox ratios of burglary pairs by time apart (left, one line per "
             "distance band; filled points p < 0.05; shaded: 95% of permutations for "
             "1–100 m) and by distance (right, one line per time band).")}""")


def _journey(rep: Report, trips: dict[str, dict[str, Any]], fig: str) -> None:
    rows = []
    for key in ("all", *CRIME_TYPES):
        s = trips[key]["summary"]
        if s.n == 0:
            continue
        rows.append([key.replace("_", " "), f"{s.n:,}", f"{s.median_m:.0f}",
                     f"{s.mean_m:.0f}", pct(s.within_800), pct(s.within_2000),
                     f"{s.max_m:.0f}"])
    rho = decay_rho(trips["all"]["rate"])
    decays = np.isfinite(rho) and rho <= -0.8
    rep.verdict("journey to crime decays with distance", "matches" if decays else "does not",
                f"crimes per available cell fall with distance (Spearman ρ = {rho:.2f} "
                "over 100 m bands)")
    burg = trips["burglary"]["summary"]
    med = burg.median_m
    if np.isfinite(med) and UK_MEDIAN_M / 2 <= med <= UK_MEDIAN_M * 2:
        scale = "matches"
    elif np.isfinite(med) and UK_MEDIAN_M / 4 <= med <= UK_MEDIAN_M * 4:
        scale = "partly"
    else:
        scale = "does not"
    rep.verdict("journey length (half of burglaries within ~0.8 km; most under ~2 km)",
                scale, f"burglary median {med:.0f} m, {pct(burg.within_800)} within "
                f"0.8 km; all crimes {pct(trips['all']['summary'].within_2000)} within 2 km")
    rep.numbers["journey"] = {k: trips[k]["summary"].__dict__ for k in ("all", "burglary")}
    rep.numbers["journey"]["rho"] = rho
    rep.add("## 3. Journey to crime\n\nDistance from the offender's home cell to the "
            "crime's cell, every crime of every city.\n\n" + table(
                ["crime type", "crimes", "median (m)", "mean (m)", "within 0.8 km",
                 "within 2 km", "longest (m)"], rows) + f"""

Published: decay with distance from home; about half of burglaries within ~0.8 km in
one UK study, and most trips under ~2 km (EVIDENCE.md). The right panel divides each
band's crimes by the cells that lie in that band around the offenders' homes, so it
is the chance that a given place at that distance is chosen: the distance-decay
function proper, free of the growth of rings with distance.

{figure_link(fig, "Journeys to crime: share per 100 m band (left), cumulative share "
             "with the UK burglary figure (middle), crimes per available cell (right, "
             "log scale).")}""")


def _discussion(rep: Report) -> None:
    n = rep.numbers
    c, nr, j = n["concentration"], n["near_repeat"], n["journey"]
    burg = j["burglary"]
    lines = ["## Discussion", ""]
    if c["cells_50"] < WEISBURD_50[0]:
        lines.append(
            f"- **Crime is too concentrated.** Half of all crime falls in "
            f"{pct(c['cells_50'], 2)} of cells, below Weisburd's 2–6%, and the top 1% of "
            f"cells hold {pct(c['top1'])} of crime against about 25%. Street crime "
            "(robbery, assault, sexual violence) follows the crowds into the few shopping "
            "and nightlife cells, and burglary is spread thinner; docs/calibration.md §9 "
            "records the same (0.55–0.61% of cells) as an open issue.")
    elif c["cells_50"] > WEISBURD_50[1]:
        lines.append(f"- **Crime is too diffuse.** Half of all crime falls in "
                     f"{pct(c['cells_50'], 2)} of cells, above Weisburd's 2–6%.")
    else:
        lines.append(f"- **Concentration is in Weisburd's range**: half of crime in "
                     f"{pct(c['cells_50'], 2)} of cells.")
    if nr["core"]:
        lines.append(
            f"- **Near repeats are present.** Burglaries within 100 m of each other and a "
            f"week apart are {nr['ratio_100m_week1']:.2f} times as frequent as chance "
            f"(same cell: {nr['ratio_same_cell_week1']:.2f}); the excess reaches "
            f"{nr['max_m']:.0f} m and {nr['max_days']:.0f} days at p < 0.05. The mechanism "
            "is the B field (each burglary raises the cell's attractiveness, which "
            "spreads and decays over about two weeks, docs/calibration.md §3).")
    else:
        lines.append(
            "- **No near-repeat excess is detectable.** With a few hundred burglaries per "
            "city-year the B field's rise at a burgled cell (θ = 1.5 at A0 ≈ 1.5) does not "
            "produce a measurable excess of nearby burglaries within two weeks.")
    if burg["median_m"] < UK_MEDIAN_M / 2:
        lines.append(
            f"- **Journeys are far too short.** The median burglary is "
            f"{burg['median_m']:.0f} m from the offender's home and "
            f"{pct(burg['within_800'])} are within 0.8 km, against about half within "
            "0.8 km in the UK study. The decay itself is there, and steep: offenders' "
            "outings are short biased random walks around home (each hour an independent "
            "draw of being out), as docs/calibration.md §9 notes. Persistent outings and "
            "travel to activity nodes (school, work, nightlife) would lengthen them.")
    else:
        lines.append(
            f"- **Journey lengths are of the published order**: median burglary "
            f"{burg['median_m']:.0f} m, {pct(burg['within_800'])} within 0.8 km.")
    lines.append(
        "- **What would change the verdicts** is the model, not the analysis: the "
        "analysis functions are tested on planted patterns (tests/validation/).")
    rep.add("\n".join(lines))
