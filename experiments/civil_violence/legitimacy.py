"""A sudden fall of legitimacy against a gradual one (Epstein 2002, Figs. 9-10).

Epstein's claim: legitimacy can fall a long way without an outburst if it falls in
small steps, while a smaller fall in one jump sets one off -- the aggrieved tip into
rebellion one at a time and cops jail them one at a time, so no crowd ever makes
rebellion safe. Here legitimacy starts at 0.89, where grievance H (1 - L) exceeds the
threshold 0.1 only for the few with H > 0.91, and falls by ``drop`` at tick 50: all at
once (sudden) or linearly over 300 ticks (gradual). The measure is the largest number
of actives from tick 50 to the end (tick 500), per seed; seeds are shared by the two
schedules (common random numbers). It is run with Epstein's short jail terms (up to 30
ticks) and with long ones (up to 1000, Mesa's example's default), because jail terms
decide whether the gradually jailed stay out of the way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from experiments.civil_violence.runs import mean_ci, run, variant

START_LEGITIMACY = 0.89
START = 50
GRADUAL_TICKS = 300
TICKS = START + GRADUAL_TICKS + 150
DROPS = (0.05, 0.1, 0.2, 0.3, 0.4)
JAIL_TERMS = (30, 1000)
SEEDS = range(1, 13)
#: Epstein's pairing: a small sudden fall against a larger gradual one.
EXAMPLE = {"sudden": 0.1, "gradual": 0.4}


def schedule(drop: float, gradual: bool, jail: int) -> Any:
    """The scenario of one fall."""
    return variant(legitimacy=START_LEGITIMACY, legitimacy_drop=drop,
                   legitimacy_drop_start=START,
                   legitimacy_drop_ticks=GRADUAL_TICKS if gradual else 0, max_jail_term=jail)


def peak_after_start(drop: float, gradual: bool, jail: int, seed: int) -> tuple[int, Any]:
    """Largest number of actives from the start of the fall, and the run."""
    model = run(schedule(drop, gradual, jail), seed, TICKS)
    return int(model.results.column("active")[START:].max()), model


def experiment(figures: Path) -> dict[str, Any]:
    """Peaks by drop size, schedule and jail term; the figure of Epstein's pairing."""
    import matplotlib.pyplot as plt

    table: dict[str, Any] = {}
    for jail in JAIL_TERMS:
        for gradual in (False, True):
            key = f"{'gradual' if gradual else 'sudden'}_jail{jail}"
            table[key] = {}
            for drop in DROPS:
                peaks = [peak_after_start(drop, gradual, jail, s)[0] for s in SEEDS]
                table[key][str(drop)] = {"mean": mean_ci(peaks), "peaks": peaks}
    pairing = {}
    for jail in JAIL_TERMS:
        sudden = table[f"sudden_jail{jail}"][str(EXAMPLE["sudden"])]["peaks"]
        gradual = table[f"gradual_jail{jail}"][str(EXAMPLE["gradual"])]["peaks"]
        diff = np.array(sudden) - np.array(gradual)
        pairing[str(jail)] = {"sudden": mean_ci(sudden), "gradual": mean_ci(gradual),
                         "difference": mean_ci(diff),
                         "seeds_sudden_higher": int((diff > 0).sum())}

    fig, axes = plt.subplots(2, 2, figsize=(11, 6.5))
    for row, jail in enumerate(JAIL_TERMS):
        ax = axes[row, 0]
        twin = ax.twinx()
        for gradual, colour in ((False, "C3"), (True, "C0")):
            drop = EXAMPLE["gradual" if gradual else "sudden"]
            _, model = peak_after_start(drop, gradual, jail, SEEDS[0])
            label = (f"gradual fall of {drop:g} over {GRADUAL_TICKS} ticks" if gradual
                     else f"sudden fall of {drop:g} at tick {START}")
            ax.plot(model.results.column("active"), color=colour, lw=0.8, label=label)
            twin.plot(model.results.column("legitimacy"), color=colour, lw=0.6, ls="--")
        twin.set_ylabel("legitimacy (dashed)")
        ax.set_ylabel("active citizens")
        ax.set_xlabel("tick")
        ax.legend(fontsize=7, loc="upper right")
        ax.set_title(f"jail terms up to {jail} ticks, seed {SEEDS[0]}", fontsize=9)
        ax = axes[row, 1]
        for gradual, colour, marker in ((False, "C3", "o"), (True, "C0", "s")):
            rows = table[f"{'gradual' if gradual else 'sudden'}_jail{jail}"]
            m = [rows[str(d)]["mean"] for d in DROPS]
            ax.errorbar(DROPS, [x[0] for x in m], yerr=[[x[0] - x[1] for x in m],
                                                         [x[2] - x[0] for x in m]],
                        color=colour, marker=marker,
                        label="gradual (over 300 ticks)" if gradual else "sudden")
        ax.set_xlabel(f"fall of legitimacy from {START_LEGITIMACY}")
        ax.set_ylabel("peak actives after the fall (95% CI)")
        ax.legend(fontsize=7)
        ax.set_title(f"jail terms up to {jail} ticks, {len(SEEDS)} seeds", fontsize=9)
    fig.suptitle("A sudden fall of legitimacy against a gradual one", fontsize=10)
    fig.tight_layout()
    fig.savefig(figures / "legitimacy_drop.png", dpi=110)
    plt.close(fig)
    return {"start_legitimacy": START_LEGITIMACY, "start": START,
            "gradual_ticks": GRADUAL_TICKS, "ticks": TICKS, "seeds": len(SEEDS),
            "drops": list(DROPS), "table": table, "pairing": pairing}
