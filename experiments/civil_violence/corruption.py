"""Corruption lowers perceived legitimacy, and with it the calm (the crime-model link).

A corrupt cop extorts one quiet citizen in vision each tick; the victim's perceived
legitimacy L_i falls by ``corruption_loss`` (5%) of itself and recovers half-way in
``reversion_ticks`` (50). Raising the share of corrupt cops at Epstein's parameters
shows the chain corruption -> perceived legitimacy -> grievance -> rebellion, the
model's version of the crime model's anti-corruption lesson.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from experiments.civil_violence.runs import mean_ci, run, variant
from sim.civil_violence.analysis import outbursts_of

SHARES = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)
SEEDS = range(1, 11)
TICKS = 1000
BURN_IN = 200


def experiment(figures: Path) -> dict[str, Any]:
    """Perceived legitimacy, actives and outbursts against the share of corrupt cops."""
    import matplotlib.pyplot as plt

    rows = []
    for share in SHARES:
        legit, active, rate = [], [], []
        for seed in SEEDS:  # same seeds for every share: common random numbers
            m = run(variant(corruption=share), seed, TICKS)
            a = m.results.column("active")[BURN_IN:]
            legit.append(float(m.results.column("perceived_legitimacy")[BURN_IN:].mean()))
            active.append(float(a.mean()))
            rate.append(1000 * len(outbursts_of(a, m.citizens)) / a.size)
        rows.append({"corruption": share, "perceived_legitimacy": mean_ci(legit),
                     "mean_active": mean_ci(active), "outbursts_per_1000": mean_ci(rate)})
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    for ax, key, label in zip(axes, ("perceived_legitimacy", "mean_active",
                                     "outbursts_per_1000"),
                              ("mean perceived legitimacy", "mean active citizens",
                               "outbursts per 1000 ticks"), strict=True):
        m = [r[key] for r in rows]
        ax.errorbar(SHARES, [x[0] for x in m], yerr=[[x[0] - x[1] for x in m],
                                                      [x[2] - x[0] for x in m]], fmt="o-")
        ax.set_xlabel("share of corrupt cops")
        ax.set_ylabel(f"{label} (95% CI)")
    fig.suptitle("Corruption lowers perceived legitimacy and brings rebellion "
                 f"({len(SEEDS)} seeds x {TICKS} ticks, after {BURN_IN})", fontsize=10)
    fig.tight_layout()
    fig.savefig(figures / "corruption.png", dpi=110)
    plt.close(fig)
    clean = rows[0]["mean_active"][0]
    return {"seeds": len(SEEDS), "ticks": TICKS, "burn_in": BURN_IN, "rows": rows,
            "active_ratio_half_corrupt": rows[SHARES.index(0.5)]["mean_active"][0] / clean
            if clean else float(np.nan)}
