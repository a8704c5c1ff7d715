"""The illicit market's measures, paired by seed against the baseline.

    .venv/bin/python experiments/market_check.py [--days 180] [--seeds 1 2 3 4]
        [--scenarios anti_corruption focused_deterrence] [--set KEY=VALUE ...]

Runs the baseline and each named scenario (scenarios/<name>.toml) with the same seeds
and prints, per run and as paired changes against the baseline (mean over seeds, with
the standard error of the paired differences): extortion attempts, payments, reports
and arrests, the gangs' mean revenue stock, the corrupt officers on day 1, day 90 and
at the end (and their mean), total crime, arrests and bribes (docs/ODD.md §7.24).
``--set`` overrides keys in every run (e.g. ``police.corrupt_share=0.8``).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from sim import CrimeModel, Scenario
from sim.scenario import parse_override

ROOT = Path(__file__).resolve().parents[1]
MEASURES = ("crimes_total", "arrests", "bribes", "extortion_attempts", "extortion_payments",
            "extortion_reported", "extortion_arrests")


def measure(name: str, seed: int, days: int, overrides: dict[str, Any]) -> dict[str, float]:
    """One run's totals and the market's stocks."""
    scenario = Scenario.load(ROOT / "scenarios" / f"{name}.toml").with_overrides(overrides)
    model = CrimeModel(scenario=scenario, rng=seed, agent_views=False)
    model.run_for(days * model.ticks_per_day)
    frame = model.results.to_frame()
    daily = frame[frame["hour"] == 0]["officers_corrupt"].to_numpy()
    out = {m: float(frame[m].sum()) for m in MEASURES}
    out["revenue_mean"] = float(frame["gang_revenue"].mean())
    out["corrupt_day1"] = float(daily[min(1, daily.size - 1)])
    out["corrupt_day90"] = float(daily[min(90, daily.size - 1)])
    out["corrupt_end"] = float(frame["officers_corrupt"].iloc[-1])
    out["corrupt_mean"] = float(frame["officers_corrupt"].mean())
    return out


def main() -> None:
    """Run the baseline and the scenarios with the same seeds; print the paired changes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--scenarios", nargs="+",
                    default=["anti_corruption", "focused_deterrence"])
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()
    overrides = dict(parse_override(s) for s in args.set)
    runs = {name: {seed: measure(name, seed, args.days, overrides) for seed in args.seeds}
            for name in ["baseline", *args.scenarios]}
    for name, by_seed in runs.items():
        for seed, row in by_seed.items():
            print(name, seed, " ".join(f"{k}={v:.0f}" for k, v in row.items()))
    base = runs["baseline"]
    for name in args.scenarios:
        print(f"\n{name} - baseline, paired by seed (mean, SE of the paired differences)")
        for key in base[args.seeds[0]]:
            d = [runs[name][s][key] - base[s][key] for s in args.seeds]
            n = len(d)
            mean = sum(d) / n
            se = (math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1) / n) if n > 1
                  else math.nan)
            ref = sum(base[s][key] for s in args.seeds) / n
            pct = f"{mean / ref:+.1%}" if ref else "n/a"
            print(f"  {key:20s} {mean:+10.1f} (SE {se:.1f})  {pct}")


if __name__ == "__main__":
    main()
