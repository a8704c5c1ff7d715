"""Re-run the baseline calibration: one simulated year per seed, target vs achieved.

    .venv/bin/python experiments/baseline_calibration.py [--seeds 1 2] [--days 365]

Prints, for each seed, the crimes by type, the annual prevalence figures the survey
targets name (docs/calibration.md, docs/evidence.md), the offender pool's balance
and three stylised facts (journey to crime, crime concentration, mean B), then the mean
over seeds next to each target, and finally the per-seed detail tables that
docs/calibration.md section 5 reproduces (prevalence by group, reporting, flows).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from sim import CrimeModel, Scenario

ROOT = Path(__file__).resolve().parents[1]

#: (label, group, crime type or "households", survey target in %, source)
TARGETS = [
    ("households burgled", None, "households", 1.8, "ICVS 2004-05 Europe"),
    ("robbery, everyone", "everyone", "robbery", 2.4, "ICVS main cities (1.0 nationally)"),
    ("sexual violence, women and girls", "women_and_girls", "sexual_violence", 3.1,
     "CSEW 2017, women 16-59"),
    ("sexual violence, men and boys", "men_and_boys", "sexual_violence", 0.8,
     "CSEW 2017, men 16-59"),
    ("assault, youth", "youth", "assault", 9.9, "Australia 2005, ages 15-19"),
    ("assault, elderly", "elderly", "assault", 0.8, "Australia 2005, ages 65+"),
    ("any of five types, everyone", "everyone", "any", 16.0,
     "ICVS: any of ten crimes (upper bound)"),
]


def run_year(seed: int, days: int) -> dict:
    """One seeded run of the baseline; returns the figures the calibration compares."""
    sc = Scenario.load(ROOT / "scenarios/baseline.toml")
    model = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    t0 = time.perf_counter()
    model.run_for(days * model.ticks_per_day + 1)  # +1: the survey closes at midnight
    seconds = time.perf_counter() - t0
    survey = model.yearly_prevalence[0] if model.yearly_prevalence else model.prevalence()
    df = model.results.to_frame()
    ev = model.events.to_frame()
    w = model.city.width
    cell_m = model.scenario.params.city.cell_size_m
    journey = np.hypot(ev.cell % w - ev.offender_home % w,
                       ev.cell // w - ev.offender_home // w) * cell_m
    per_cell = np.sort(model.city.crime_count.sum(axis=0).ravel())[::-1]
    cum = np.cumsum(per_cell) / max(per_cell.sum(), 1)
    return {
        "seconds": seconds,
        "crimes": {k[7:]: v for k, v in model.results.totals().items() if k.startswith("crimes_")},
        "survey": survey,
        "pool_end": int(df.offenders_free.iloc[-1] + df.offenders_jailed.iloc[-1]),
        "recruits": int(df.recruits.sum()),
        "desistances": int(df.desistances.sum()),
        "reported_share": float(df.reported_crimes.sum() / max(df.crimes_total.sum(), 1)),
        "journey_median_m": float(np.median(journey)) if len(journey) else float("nan"),
        "cells_for_half_of_crime_pct": 100.0 * (np.searchsorted(cum, 0.5) + 1) / cum.size,
        "mean_b": float(df.mean_b.mean()),
        "detail": _detail(df, ev),
    }


def _detail(df, ev) -> dict[str, str]:
    """Per-seed figures beyond the targets: reporting by type, flows, arrests, legitimacy."""
    by_type = ev.groupby("crime_type").reported.mean()
    total = max(int(df.crimes_total.sum()), 1)
    return {
        "reported, by type %": ", ".join(f"{k} {100 * v:.0f}" for k, v in by_type.items()),
        "recruits / desistances / releases": (
            f"{int(df.recruits.sum())} / {int(df.desistances.sum())} / {int(df.releases.sum())}"),
        "offenders free + jailed at the end": (
            f"{int(df.offenders_free.iloc[-1])} + {int(df.offenders_jailed.iloc[-1])}"),
        "gang members, start -> end": (
            f"{int(df.gang_members.iloc[0])} -> {int(df.gang_members.iloc[-1])}"),
        "arrests (share of crimes)": (
            f"{int(df.arrests.sum())} ({100 * df.arrests.sum() / total:.1f}%)"),
        "bribes taken": f"{int(df.bribes.sum())}",
        "mean legitimacy, start -> end": (
            f"{df.legitimacy_everyone.iloc[0]:.3f} -> {df.legitimacy_everyone.iloc[-1]:.3f}"),
        "youth enrolled at the end": f"{int(df.enrolled.iloc[-1])}",
    }


def achieved(run: dict, group: str | None, crime: str) -> float:
    """A target's achieved value in percent."""
    if crime == "households":
        return 100.0 * run["survey"]["households_burgled"]
    return 100.0 * run["survey"]["groups"][group][crime]


def main() -> None:
    """Run the seeds and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    runs = []
    for seed in args.seeds:
        r = run_year(seed, args.days)
        runs.append(r)
        print(f"seed {seed}: {r['seconds']:.1f} s; crimes {r['crimes']}")
        print(f"  offender pool 450 -> {r['pool_end']} (recruits {r['recruits']}, "
              f"desistances {r['desistances']}); reported {100 * r['reported_share']:.0f}%")
        print(f"  journey to crime median {r['journey_median_m']:.0f} m; half of crime in "
              f"{r['cells_for_half_of_crime_pct']:.2f}% of cells; mean B {r['mean_b']:.4f}")
    print()
    seeds = "".join(f"{'seed ' + str(s):>9}" for s in args.seeds)
    print(f"{'figure':<36}{'target %':>9}{'achieved %':>12}{seeds}  source")
    for label, group, crime, target, source in TARGETS:
        values = [achieved(r, group, crime) for r in runs]
        each = "".join(f"{v:>9.2f}" for v in values)
        print(f"{label:<36}{target:>9.1f}{np.mean(values):>12.2f}{each}  {source}")
    print()
    print("prevalence by group, % victimised at least once (one column per seed)")
    for group in runs[0]["survey"]["groups"]:
        for crime in (c for c in runs[0]["survey"]["groups"][group] if c != "n"):
            per_seed = "  ".join(f"{100 * r['survey']['groups'][group][crime]:6.2f}" for r in runs)
            print(f"  {group:<16}{crime:<16}{per_seed}")
    print()
    for key in runs[0]["detail"]:
        if runs[0]["detail"][key]:
            print(f"{key:<36}" + " | ".join(r["detail"][key] for r in runs))


if __name__ == "__main__":
    main()
