"""Punctuated equilibrium: long calm, sudden outbursts, irregular waiting times.

Epstein (2002, Figs. 3-5) shows the number of actives staying low for long spells and
then bursting, and the distribution of waiting times between outbursts; Figs. 15-17
relate the waiting time to the initial cop density. Here: one long run at Epstein's
parameters, waiting times pooled over seeds, and waiting times against cop density.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from experiments.civil_violence.runs import base, mean_ci, run, variant
from sim.civil_violence.analysis import OUTBURST_SHARE, outbursts_of

TICKS = 2000
SEEDS = range(1, 21)
COP_DENSITIES = (0.03, 0.035, 0.04, 0.045, 0.05, 0.06)
COP_SEEDS = range(1, 11)


def long_run(figures: Path) -> dict[str, Any]:
    """One run of 2000 ticks (figure) and waiting times pooled over 20 seeds."""
    import matplotlib.pyplot as plt

    model = run(base(), 1, TICKS)
    active = model.results.column("active")
    jailed = model.results.column("jailed")
    threshold = OUTBURST_SHARE * model.citizens
    waits, peaks, calm, counts = [], [], [], []
    for seed in SEEDS:
        m = run(base(), seed, TICKS)
        a = m.results.column("active")[100:]  # after the start-up outburst
        b = outbursts_of(a, m.citizens)
        waits += b.waiting.tolist()
        peaks += b.peak.tolist()
        calm.append(float((a <= threshold).mean()))
        counts.append(len(b))
    waits_a = np.array(waits)
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.6), gridspec_kw={"width_ratios": [3, 1.3]})
    ax = axes[0]
    ax.plot(active, lw=0.7, color="C3", label="active")
    ax.plot(jailed, lw=0.7, color="grey", label="jailed")
    ax.axhline(threshold, color="k", lw=0.5, ls=":", label=f"outburst threshold ({threshold:.0f})")
    ax.set_xlabel("tick")
    ax.set_ylabel("citizens")
    ax.set_title("Epstein's parameters, seed 1: calm spells broken by outbursts", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    ax = axes[1]
    ax.hist(waits_a, bins=np.arange(0, waits_a.max() + 10, 5), color="C0")
    ax.set_xlabel("waiting time between outbursts (ticks)")
    ax.set_ylabel("outbursts")
    ax.set_title(f"{waits_a.size} waiting times, {len(SEEDS)} seeds", fontsize=9)
    fig.tight_layout()
    fig.savefig(figures / "punctuated_equilibrium.png", dpi=110)
    plt.close(fig)
    return {"threshold": threshold, "ticks": TICKS, "seeds": len(SEEDS),
            "outbursts_per_run": mean_ci(counts), "calm_share": mean_ci(calm),
            "waiting_mean": float(waits_a.mean()), "waiting_sd": float(waits_a.std(ddof=1)),
            "waiting_quantiles": [float(q) for q in np.quantile(waits_a, [0.1, 0.5, 0.9])],
            "waiting_min": int(waits_a.min()), "waiting_max": int(waits_a.max()),
            "peak_median": float(np.median(peaks)), "peak_max": int(max(peaks)),
            "median_active": float(np.median(active[100:])),
            "example_peak": int(active.max())}


def cop_density(figures: Path) -> dict[str, Any]:
    """Mean and spread of waiting times against the initial cop density."""
    import matplotlib.pyplot as plt

    rows = []
    for density in COP_DENSITIES:
        waits, rates, means = [], [], []
        for seed in COP_SEEDS:
            m = run(variant(cop_density=density), seed, TICKS)
            a = m.results.column("active")[100:]
            b = outbursts_of(a, m.citizens)
            waits += b.waiting.tolist()
            rates.append(1000 * len(b) / a.size)
            means.append(float(a.mean()))
        w = np.array(waits, float)
        rows.append({"cop_density": density, "waiting_times": int(w.size),
                     "waiting_mean": float(w.mean()) if w.size else None,
                     "waiting_sd": float(w.std(ddof=1)) if w.size > 1 else None,
                     "outbursts_per_1000": mean_ci(rates), "mean_active": mean_ci(means)})
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    d = [r["cop_density"] for r in rows if r["waiting_mean"] is not None]
    axes[0].plot(d, [r["waiting_mean"] for r in rows if r["waiting_mean"] is not None], "o-",
                 label="mean")
    axes[0].plot(d, [r["waiting_sd"] for r in rows if r["waiting_mean"] is not None], "s--",
                 label="standard deviation")
    axes[0].set_xlabel("cop density")
    axes[0].set_ylabel("waiting time (ticks)")
    axes[0].legend(fontsize=8)
    rate = [r["outbursts_per_1000"] for r in rows]
    axes[1].errorbar([r["cop_density"] for r in rows], [x[0] for x in rate],
                     yerr=[[x[0] - x[1] for x in rate], [x[2] - x[0] for x in rate]], fmt="o-")
    axes[1].set_xlabel("cop density")
    axes[1].set_ylabel("outbursts per 1000 ticks (95% CI)")
    fig.suptitle("Waiting times and cop density (Epstein 2002, Figs. 15-17)", fontsize=10)
    fig.tight_layout()
    fig.savefig(figures / "cop_density.png", dpi=110)
    plt.close(fig)
    return {"seeds": len(COP_SEEDS), "ticks": TICKS, "rows": rows}
