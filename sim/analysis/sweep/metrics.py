"""What a sweep keeps of each run: per-tick rows, daily rows, or one final row.

The per-tick metrics are the crime model's own, as declared in
:mod:`sim.metrics.catalog`, and so is each one's kind. Kept per day, *flows* (crimes,
arrests, recruits, ...) are summed over the day's ticks and *stocks* (offenders free,
legitimacy, ...) are read at the day's last tick. Kept ``final``, flows are summed over
the measured window (after ``warmup_days``), stocks are read at the end, and the
whole-run measures (kind ``run``, :data:`FINAL_ONLY`) join them: victimisation
prevalence by group, crime concentration and the interventions' cost.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.config import GROUPS
from sim.metrics.catalog import CRIME_METRICS, CRIME_RUN_MEASURES, names
from sim.metrics.prevalence import prevalence_table

RECORDS = ("tick", "day", "final")

#: Per-tick metrics that are levels, not counts (kind ``stock``): read, never summed.
STOCKS = frozenset(names(CRIME_METRICS, "stock"))
#: Per-tick metrics a sweep can keep (the recorder's, without its clock columns).
TICK_METRICS = names(CRIME_METRICS, "flow", "stock")
#: Whole-run measures (kind ``run``), only with ``record = "final"``.
FINAL_ONLY = names(CRIME_RUN_MEASURES, "run")
#: What a sweep keeps when the experiment does not say.
DEFAULT_METRICS = ("crimes_total", "crimes_burglary", "crimes_robbery", "crimes_assault",
                   "crimes_sexual_violence", "crimes_gang_violence", "reported_crimes",
                   "arrests", "offenders_free", "legitimacy_everyone")


def check_metrics(metrics: Sequence[str], record: str) -> None:
    """Raise ValueError naming the first metric that cannot be kept with ``record``."""
    for m in metrics:
        if m in FINAL_ONLY:
            if record != "final":
                raise ValueError(f"{m} is measured once per run; use record = \"final\"")
        elif m not in TICK_METRICS:
            known = ", ".join((*TICK_METRICS, *FINAL_ONLY))
            raise ValueError(f"{m!r} is not a metric (known: {known})")


def concentration(cell_counts: np.ndarray, top_share: float) -> float:
    """Share of all crime in the ``top_share`` most criminal cells (Weisburd's measure).

    Args:
        cell_counts: Crimes per cell.
        top_share: Fraction of cells, e.g. 0.05 for the top 5%.
    """
    cell_counts = np.asarray(cell_counts).ravel()  # a map (h, w) counts as its cells
    total = float(cell_counts.sum())
    if total <= 0:
        return float("nan")
    k = max(1, int(round(top_share * cell_counts.size)))
    top = np.partition(cell_counts, cell_counts.size - k)[-k:]
    return float(top.sum()) / total


def daily_rows(frame: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Per-tick frame -> one row per completed day: flows summed, stocks at the day's end."""
    day = frame["day"].astype(np.int64)
    grouped = frame.groupby(day, sort=True)
    agg = {m: ("last" if m in STOCKS else "sum") for m in metrics}
    out = grouped.agg(agg).reset_index(names="day")
    return out


def window_values(frame: pd.DataFrame, metrics: Sequence[str], start_tick: int
                  ) -> dict[str, float]:
    """Flows summed from ``start_tick`` on, stocks at the last tick."""
    window = frame[frame["tick"] >= start_tick]
    last = frame.iloc[-1]
    return {m: float(last[m]) if m in STOCKS else float(window[m].sum())
            for m in metrics if m in TICK_METRICS}


def final_only_values(model: object, metrics: Sequence[str], counts0: np.ndarray,
                      crime0: np.ndarray) -> dict[str, float]:
    """The whole-run measures asked for, over the window that began at the snapshot.

    Args:
        model: The finished :class:`~sim.crime.model.CrimeModel`.
        metrics: Metric names (others are ignored).
        counts0: Residents' victimisation counts at the window's start.
        crime0: Crimes per cell (all types) at the window's start.
    """
    wanted = [m for m in metrics if m in FINAL_ONLY]
    if not wanted:
        return {}
    out: dict[str, float] = {}
    res = model.residents  # type: ignore[attr-defined]
    if any(m.startswith("prevalence_") for m in wanted):
        table = (prevalence_table(res.victim_counts - counts0, model.group_masks())  # type: ignore[attr-defined]
                 if res.n else {})
        for g in GROUPS:
            out[f"prevalence_{g}"] = float(table[g]["any"]) if table else float("nan")
    cells = model.city.crime_count.reshape(model.city.crime_count.shape[0], -1).sum(axis=0)  # type: ignore[attr-defined]
    cells = cells - crime0
    out["crime_concentration_top5"] = concentration(cells, 0.05)
    out["crime_concentration_top1"] = concentration(cells, 0.01)
    out["cost_total"] = float(model.interventions.total_cost())  # type: ignore[attr-defined]
    return {m: out[m] for m in wanted}
