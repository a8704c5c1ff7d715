"""The 2x2 factorial of integrated action: services, policing, both, neither.

    .venv/bin/python experiments/integrated_factorial.py [--seeds 1 2 3 4] [--days 180]
        [--workers 2] [--out DIR] [--scenario scenarios/baseline.toml] [--set KEY=VALUE ...]

Four cells on the same city, each run with the same seeds (common random numbers: a
seed's city, residents and offenders are the same in every cell, so differences are
paired):

- ``neither``: the scenario as it is;
- ``services``: more outreach (:data:`SERVICES`: twice the workers, a programme that
  enrols more of the youth it meets);
- ``policing``: more policing: twice the patrol units, a quarter of them moved to
  hot-spot patrols (:data:`HOTSPOT_SHARE`);
- ``both``: both, with the partnership settings of
  ``scenarios/integrated_action.toml``'s ``[integration]`` table (referrals and the
  shared case list at full strength: :data:`PARTNERSHIP`).

The integration mechanism (``integration.*``) is at its default (usual practice) in
the other three cells, so ``both`` is more services and more policing *working as one*.
For each cell: total crime and victimisations of youth, women and girls, the elderly
and marginalised residents, the change from ``neither`` with its paired 95% CI, and
the partnership's counts (referrals, enrolments from referrals, tension alerts). The
interaction ``both - services - policing + neither`` is computed per seed and given
with its paired 95% t interval: below zero, the combination prevents more crime than
its parts added. Written to ``DIR/factorial.md`` and ``DIR/factorial.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import tomllib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from sim import CrimeModel, Scenario
from sim.analysis.stats import mean_ci, paired_change
from sim.scenario import parse_override

ROOT = Path(__file__).resolve().parents[1]
CELLS = ("neither", "services", "policing", "both")
#: Outcomes: total crime, then victimisations of the groups the issue names.
OUTCOMES = ("crimes_total", "victimisations_youth", "victimisations_women_and_girls",
            "victimisations_elderly", "victimisations_marginalised")
#: More outreach: twice the workers, who enrol more of the at-risk youth they meet.
SERVICES_FACTOR = 2.0
SERVICES: dict[str, Any] = {"services.enrol_prob": 0.3}
#: More policing: twice the units, a quarter more of them on hot-spot patrols (the
#: other strategies' shares scaled by 3/4).
POLICE_FACTOR = 2.0
HOTSPOT_SHARE = 0.25
STRATEGIES = ("random", "hotspot", "community", "reactive")


def partnership() -> dict[str, Any]:
    """The ``[integration]`` table of scenarios/integrated_action.toml, as overrides."""
    raw = tomllib.loads((ROOT / "scenarios" / "integrated_action.toml").read_text())
    return {f"integration.{k}": v for k, v in raw.get("integration", {}).items()}


def cell_overrides(base: Scenario, cell: str) -> dict[str, Any]:
    """The overrides that make ``cell`` of the factorial from ``base``."""
    over: dict[str, Any] = {}
    if cell in ("services", "both"):
        over.update(SERVICES)
        over["services.count"] = max(1, round(base["services.count"] * SERVICES_FACTOR))
    if cell in ("policing", "both"):
        keep = 1.0 - HOTSPOT_SHARE
        over.update({f"police.{k}": base[f"police.{k}"] * keep for k in STRATEGIES})
        over["police.hotspot"] += HOTSPOT_SHARE
        over["police.count"] = max(1, round(base["police.count"] * POLICE_FACTOR))
    if cell == "both":
        over.update(partnership())
    return over


def run_cell(args: tuple[Scenario, str, int, float]) -> dict[str, Any]:
    """One run: the cell's totals and the partnership's counts."""
    base, cell, seed, days = args
    model = CrimeModel(scenario=base.with_overrides(cell_overrides(base, cell)), rng=seed)
    model.run_days(days)
    totals = {k: int(model.results.column(k).sum()) for k in OUTCOMES}
    cases = model.state.cases
    return {"cell": cell, "seed": seed, "totals": totals,
            "partnership": cases.summary() if cases is not None else {}}


def interaction(totals: dict[str, list[float]]) -> np.ndarray:
    """Per seed: ``both - services - policing + neither``."""
    t = {c: np.asarray(totals[c], float) for c in CELLS}
    return t["both"] - t["services"] - t["policing"] + t["neither"]


def analyse(runs: list[dict[str, Any]], seeds: list[int]) -> dict[str, Any]:
    """Per cell and outcome: per-seed totals, change from ``neither``; the interaction."""
    by = {(r["cell"], r["seed"]): r for r in runs}
    out: dict[str, Any] = {"seeds": seeds, "cells": {}, "interaction": {}}
    for cell in CELLS:
        cell_out: dict[str, Any] = {"totals": {}, "change": {}, "partnership": {}}
        for k in OUTCOMES:
            vals = [by[cell, s]["totals"][k] for s in seeds]
            cell_out["totals"][k] = vals
            if cell != "neither":
                ch = paired_change(np.array([by["neither", s]["totals"][k] for s in seeds],
                                            float), np.array(vals, float))
                cell_out["change"][k] = {"pct": ch.change_pct, "low": ch.ci_low,
                                         "high": ch.ci_high}
        keys = by[cell, seeds[0]]["partnership"].keys()
        cell_out["partnership"] = {k: float(np.mean([by[cell, s]["partnership"][k]
                                                     for s in seeds])) for k in keys}
        out["cells"][cell] = cell_out
    for k in OUTCOMES:
        per_seed = interaction({c: out["cells"][c]["totals"][k] for c in CELLS})
        m, lo, hi = mean_ci(per_seed)
        out["interaction"][k] = {"per_seed": per_seed.tolist(), "mean": m, "low": lo,
                                 "high": hi}
    return out


def _fmt(x: float, digits: int = 1) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def report(res: dict[str, Any], days: float, label: str) -> str:
    """The factorial as Markdown."""
    lines = [f"# Integrated action: 2x2 factorial ({label})", "",
             f"{days:g} days, seeds {res['seeds']} (paired: common random numbers). "
             "Change from `neither` with its paired 95% CI (Fieller); interaction = "
             "both - services - policing + neither, per seed, with its 95% t interval "
             "(below 0: the combination prevents more than its parts added).", "",
             "| outcome | " + " | ".join(CELLS) + " | interaction [95% CI] |",
             "|---|" + "---|" * (len(CELLS) + 1)]
    for k in OUTCOMES:
        cells = []
        for c in CELLS:
            mean = float(np.mean(res["cells"][c]["totals"][k]))
            if c == "neither":
                cells.append(f"{mean:.0f}")
            else:
                ch = res["cells"][c]["change"][k]
                cells.append(f"{mean:.0f} ({_fmt(ch['pct'])}% [{_fmt(ch['low'])}, "
                             f"{_fmt(ch['high'])}])")
        it = res["interaction"][k]
        lines.append(f"| {k} | " + " | ".join(cells) + f" | {_fmt(it['mean'])} "
                     f"[{_fmt(it['low'])}, {_fmt(it['high'])}] |")
    lines += ["", "Partnership counts (mean per run):", "",
              "| cell | " + " | ".join(res["cells"]["neither"]["partnership"]) + " |",
              "|---|" + "---|" * len(res["cells"]["neither"]["partnership"])]
    for c in CELLS:
        p = res["cells"][c]["partnership"]
        lines.append(f"| {c} | " + " | ".join(f"{v:.1f}" for v in p.values()) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the factorial and write DIR/factorial.md and DIR/factorial.json."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--days", type=float, default=180.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "integrated_factorial")
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "baseline.toml")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    a = ap.parse_args(argv)
    base = Scenario.load(a.scenario)
    if a.set:
        base = base.with_overrides(dict(parse_override(s) for s in a.set))
    jobs = [(base, c, s, a.days) for s in a.seeds for c in CELLS]
    t0 = time.time()
    if a.workers > 1:
        with ProcessPoolExecutor(a.workers) as pool:
            runs = list(pool.map(run_cell, jobs))
    else:
        runs = [run_cell(j) for j in jobs]
    res = analyse(runs, list(a.seeds))
    res.update(days=a.days, scenario=str(a.scenario), sets=a.set, runs=runs,
               seconds=round(time.time() - t0, 1))
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "factorial.json").write_text(json.dumps(res, indent=1, default=float))
    md = report(res, a.days, base.name)
    (a.out / "factorial.md").write_text(md)
    print(md)
    return res


if __name__ == "__main__":
    main()
