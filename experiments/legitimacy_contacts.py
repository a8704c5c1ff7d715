"""Measure police contacts and legitimacy: paired seeds, a few scenario variants.

    .venv/bin/python experiments/legitimacy_contacts.py --seeds 1 2 3 4 --days 180
        [--workers 2] [--variant NAME=KEY=VALUE,KEY=VALUE ...]

Prints, per variant, the mean over seeds (with the paired difference from the first
variant and its standard error across seeds) of the residents' mean legitimacy at the
end, the share of crimes reported, total crime, and contacts per resident-year.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from sim import CrimeModel, Scenario
from sim.scenario import parse_override

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_VARIANTS = [
    "base=",
    "corrupt0=police.corrupt_share=0",
    "corrupt80=police.corrupt_share=0.8",
    "community0=police.community=0,police.random=0.75",
    "community50=police.community=0.5,police.random=0.25",
]


def run(seed: int, days: int, overrides: dict[str, Any]) -> dict[str, float]:
    """One seeded run; the figures the report compares."""
    sc = Scenario.load(ROOT / "scenarios/baseline.toml").with_overrides(overrides)
    model = CrimeModel(scenario=sc, rng=seed, agent_views=False)
    model.run_for(days * model.ticks_per_day)
    df = model.results.to_frame()
    res, j = model.state.residents, model.state.justice
    crimes = float(df.crimes_total.sum())
    return {"legitimacy": float(res.legitimacy.mean()),
            "reported": float(df.reported_crimes.sum()) / max(crimes, 1.0),
            "crimes": crimes, "bribes": float(df.bribes.sum()),
            "stops": float(j.contact_tally[:2].sum()) / res.n * 365.0 / days,
            "talks": float(j.contact_tally[2]) / res.n * 365.0 / days,
            "unfair": float(j.contact_tally[1]) / max(float(j.contact_tally[:2].sum()), 1.0)}


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """``name=key=value,key=value`` -> (name, overrides)."""
    name, _, rest = text.partition("=")
    over = dict(parse_override(kv) for kv in rest.split(",") if kv)
    return name, over


def main() -> None:
    """Run every variant on every seed and print the paired comparison."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--set", nargs="*", default=[], help="KEY=VALUE for every variant")
    ap.add_argument("--variant", nargs="*", default=DEFAULT_VARIANTS)
    a = ap.parse_args()
    common = dict(parse_override(kv) for kv in a.set)
    variants = [parse_variant(v) for v in a.variant]
    jobs = [(name, s, {**common, **over}) for name, over in variants for s in a.seeds]
    with ProcessPoolExecutor(a.workers) as ex:
        futs = [ex.submit(run, s, a.days, over) for _, s, over in jobs]
        out = [f.result() for f in futs]
    table: dict[str, list[dict[str, float]]] = {}
    for (name, _, _), r in zip(jobs, out, strict=True):
        table.setdefault(name, []).append(r)
    base = variants[0][0]
    keys = ("legitimacy", "reported", "crimes", "bribes", "stops", "talks", "unfair")
    for name, rows in table.items():
        parts = []
        for k in keys:
            x = np.array([r[k] for r in rows])
            d = x - np.array([r[k] for r in table[base]])
            se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else float("nan")
            parts.append(f"{k} {x.mean():.4g} (d {d.mean():+.4g} se {se:.2g})")
        print(f"{name:12s} " + "; ".join(parts), flush=True)


if __name__ == "__main__":
    main()
