"""The police elasticity of crime: paired runs of the baseline city at several force sizes.

Chalfin & McCrary (2018) estimate the elasticity of crime with respect to police
officers at about -0.34 for violent crime and -0.17 for property crime (US cities,
1960-2010, corrected for measurement error in police numbers). This command runs the
baseline city with ``police.count`` at each of ``--counts`` (the first is the
reference) on the same seeds (common random numbers), and prints per count the
total, violent (robbery, assault, sexual violence, gang violence) and property
(burglary) crimes and the arrests, their paired change against the reference with
95% intervals (:func:`sim.analysis.stats.paired_change`: Fieller's interval for the
ratio of paired means), and the implied elasticity
``ln(crime_n / crime_ref) / ln(n / ref)`` with the interval carried through the log.

Usage::

    python experiments/police_elasticity.py --seeds 1 2 3 4 --days 150 --counts 24 36 96 0
    (options: --set deterrence.sensitivity=3, repeatable; --workers 2)
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from sim import CrimeModel, Scenario
from sim.analysis.stats import paired_change
from sim.scenario import parse_override

ROOT = Path(__file__).resolve().parents[1]
VIOLENT = ("robbery", "assault", "sexual_violence", "gang_violence")
PROPERTY = ("burglary",)
MEASURES = ("total", "violent", "property", "arrests")


def run_one(job: tuple[int, int, int, dict[str, Any]]) -> dict[str, float]:
    """One seeded run at one force size; returns the measures' totals."""
    count, seed, days, overrides = job
    sc = Scenario.load(ROOT / "scenarios/baseline.toml").with_overrides(
        {**overrides, "police.count": count})
    model = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    model.run_for(days * model.ticks_per_day)
    tot = model.results.totals()
    return {"total": float(sum(tot[f"crimes_{k}"] for k in VIOLENT + PROPERTY)),
            "violent": float(sum(tot[f"crimes_{k}"] for k in VIOLENT)),
            "property": float(sum(tot[f"crimes_{k}"] for k in PROPERTY)),
            "arrests": float(tot["arrests"])}


def elasticity(pct: float, lo: float, hi: float, ratio: float) -> tuple[float, float, float]:
    """Elasticity and its interval from a % change and its interval at a force ratio."""
    if ratio <= 0 or ratio == 1:
        return math.nan, math.nan, math.nan
    den = math.log(ratio)

    def el(p: float) -> float:
        return math.log1p(p / 100.0) / den if p > -100.0 and math.isfinite(p) else math.nan

    a, b = el(lo), el(hi)
    return el(pct), min(a, b), max(a, b)


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run every (count, seed) and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--days", type=int, default=150)
    ap.add_argument("--counts", type=int, nargs="+", default=[24, 36, 96, 0])
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    overrides = dict(parse_override(s) for s in args.set)
    jobs = [(c, s, args.days, overrides) for c in args.counts for s in args.seeds]
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as ex:
            out = list(ex.map(run_one, jobs))
    else:
        out = [run_one(j) for j in jobs]
    n = len(args.seeds)
    res = {c: out[i * n:(i + 1) * n] for i, c in enumerate(args.counts)}
    ref = args.counts[0]
    print(f"police elasticity: {n} paired seeds x {args.days} days; reference "
          f"police.count={ref}; overrides {overrides or 'none'}")
    for c in args.counts:
        print(f"\npolice.count={c}")
        for m in MEASURES:
            alt = np.array([r[m] for r in res[c]])
            base = np.array([r[m] for r in res[ref]])
            line = f"  {m:9s} mean {alt.mean():8.1f}"
            if c != ref:
                ch = paired_change(base, alt)
                line += f"  change {ch.change_pct:+6.1f}% [{ch.ci_low:+6.1f}, {ch.ci_high:+6.1f}]"
                if m != "arrests" and c > 0:
                    e, lo, hi = elasticity(ch.change_pct, ch.ci_low, ch.ci_high, c / ref)
                    line += f"  elasticity {e:+.2f} [{lo:+.2f}, {hi:+.2f}]"
            print(line)


if __name__ == "__main__":
    main()
