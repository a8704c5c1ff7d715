"""Re-run the baseline calibration: one simulated year per seed, target vs achieved.

    .venv/bin/python experiments/baseline_calibration.py [--seeds 1 2] [--days 365]
        [--workers 2] [--set KEY=VALUE ...]

Prints, for each seed, the crimes by type, the annual prevalence figures the survey
targets name (docs/calibration.md, docs/evidence.md), the offender pool's balance
and three stylised facts (journey to crime, crime concentration, mean B), then the mean
over seeds (with a 95% confidence interval across seeds when there are three or more)
next to each target: the survey prevalences and the shares of where and to whom
crime happens (sexual violence by partners, in the victim's own home, in open public
space; assault at home by partners and family) and the burglary journey. Finally the
per-seed detail tables that docs/calibration.md section 5 reproduces (prevalence by
group, reporting, flows). ``--set`` overrides scenario keys (trying a calibration
step without editing the defaults); seeds run in ``--workers`` processes.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import CrimeModel, Scenario
from sim.scenario import parse_override

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


#: (label, crime type, share name, target % or (low, high) range, source): shares of
#: where and to whom crime happens, from the event log (see :func:`shares`).
SHARE_TARGETS = [
    ("sexual violence by a partner or ex-partner", "sexual_violence", "partner", (35, 55),
     "CSEW, ONS 2017 and 2020: 44%"),
    ("sexual violence in the victim's own home", "sexual_violence", "own_home", (25, 50),
     "CSEW, ONS 2017 and 2020: 37%"),
    ("sexual violence in open public space", "sexual_violence", "open_public", (0, 20),
     "CSEW, ONS 2017 and 2020: 9%"),
    ("assault by a partner or family member", "assault", "domestic", None,
     "CSEW domestic share of violent incidents (docs/evidence.md)"),
    ("burglary journey, median (m)", "burglary", "median_m", (400, 1600),
     "about 0.8 km (docs/evidence.md)"),
    ("all crimes within 3 km of home", "all", "within_3km", (80, 100), "most under 2 km"),
]


def shares(ev: pd.DataFrame, crime: str, name: str) -> float:
    """One share (in %) or the median journey (in m) of a crime type from the event log."""
    rows = ev if crime == "all" else ev[ev.crime_type == crime]
    if not len(rows):
        return float("nan")
    if name in ("median_m", "within_3km"):
        d = rows.distance_m[rows.distance_m >= 0]
        if not len(d):
            return float("nan")
        return float(np.median(d)) if name == "median_m" else 100.0 * float((d <= 3000).mean())
    rel = rows.relationship.astype(str)
    setting = rows.setting.astype(str)
    if name == "partner":
        hit = rel == "partner"
    elif name == "domestic":
        hit = rel.isin(["partner", "family"])
    elif name == "own_home":
        hit = (setting == "home") & (rows.victim_home == rows.cell)
    else:  # open public space: streets, parks, on the way somewhere
        hit = setting.isin(["street", "transit"])
    return 100.0 * float(hit.mean())


def _event_frame(model: CrimeModel) -> pd.DataFrame:
    """The event log with setting and relationship as names (codes if stored as codes)."""
    from sim.config import RELATIONSHIPS, SETTINGS

    ev = model.events.to_frame()
    for col, names in (("setting", SETTINGS), ("relationship", RELATIONSHIPS)):
        if col in ev and not isinstance(ev[col].dtype, pd.CategoricalDtype):
            ev[col] = pd.Categorical.from_codes(ev[col], list(names))
    return ev


def run_year(seed: int, days: int, overrides: dict[str, Any] | None = None) -> dict:
    """One seeded run of the baseline; returns the figures the calibration compares."""
    sc = Scenario.load(ROOT / "scenarios/baseline.toml").with_overrides(overrides or {})
    model = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    t0 = time.perf_counter()
    model.run_for(days * model.ticks_per_day + 1)  # +1: the survey closes at midnight
    seconds = time.perf_counter() - t0
    survey = model.yearly_prevalence[0] if model.yearly_prevalence else model.prevalence()
    df = model.results.to_frame()
    ev = _event_frame(model)
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
        "shares": {(crime, name): shares(ev, crime, name)
                   for _, crime, name, _, _ in SHARE_TARGETS},
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


def interval(values: list[float]) -> str:
    """Mean and, from three seeds up, a 95% t-interval across seeds."""
    v = np.asarray([x for x in values if np.isfinite(x)], float)
    if v.size == 0:
        return "n/a"
    if v.size < 3:
        return f"{v.mean():.2f}"
    from scipy import stats

    half = stats.t.ppf(0.975, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return f"{v.mean():.2f} [{v.mean() - half:.2f}, {v.mean() + half:.2f}]"


def main() -> None:
    """Run the seeds and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help="override a scenario key (repeatable)")
    args = parser.parse_args()
    overrides = dict(parse_override(item) for item in args.overrides)
    with ProcessPoolExecutor(max(1, args.workers)) as pool:
        runs = list(pool.map(run_year, args.seeds, [args.days] * len(args.seeds),
                             [overrides] * len(args.seeds)))
    for seed, r in zip(args.seeds, runs, strict=True):
        print(f"seed {seed}: {r['seconds']:.1f} s; crimes {r['crimes']}")
        print(f"  offender pool 450 -> {r['pool_end']} (recruits {r['recruits']}, "
              f"desistances {r['desistances']}); reported {100 * r['reported_share']:.0f}%")
        print(f"  journey to crime median {r['journey_median_m']:.0f} m; half of crime in "
              f"{r['cells_for_half_of_crime_pct']:.2f}% of cells; mean B {r['mean_b']:.4f}")
    print()
    seeds = "".join(f"{'seed ' + str(s):>9}" for s in args.seeds)
    print(f"{'figure':<44}{'target':>12}  {'achieved (95% CI)':<26}{seeds}  source")
    for label, group, crime, target, source in TARGETS:
        values = [achieved(r, group, crime) for r in runs]
        each = "".join(f"{v:>9.2f}" for v in values)
        print(f"{label:<44}{target:>12.1f}  {interval(values):<26}{each}  {source}")
    for label, crime, name, target, source in SHARE_TARGETS:
        values = [r["shares"][(crime, name)] for r in runs]
        each = "".join(f"{v:>9.1f}" for v in values)
        span = "-" if target is None else f"{target[0]}-{target[1]}"
        print(f"{label:<44}{span:>12}  {interval(values):<26}{each}  {source}")
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
