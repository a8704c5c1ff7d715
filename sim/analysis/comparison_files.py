"""The files of a finished comparison: comparison.csv, comparison.json and the figures.

``crimesim compare`` writes them to its ``--out`` folder and the dashboard's Compare
page to a temporary one it offers as downloads; both go through
:func:`write_comparison_files`, so the two never differ in what a comparison leaves
behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sim.analysis.area_changes import write_area_changes
from sim.analysis.compare import Comparison, comparison_meta
from sim.analysis.comparison_table import cost_settings, first_outcome, write_csv
from sim.analysis.effects import Row
from sim.analysis.figures import write_figures


def write_comparison_files(cmp: Comparison, rows: list[Row], out: str | Path,
                           runtime_s: float, workers: int) -> list[Path]:
    """Write the tidy effects, what was compared and how, and the figures to ``out``.

    Args:
        cmp: The comparison's outcomes.
        rows: Its effect rows (:func:`sim.analysis.effects.effect_rows`).
        out: An existing folder.
        runtime_s: Wall time of the runs (recorded in comparison.json).
        workers: Processes that ran them (recorded in comparison.json).

    Returns:
        The files written: comparison.csv, comparison.json, effects.png and one
        change_map_<scenario>.png per alternative; on a georeferenced city also
        areas.csv, areas.gpkg and one area_change_<scenario>.png per alternative
        (:mod:`sim.analysis.area_changes`).
    """
    out = Path(out)
    paths = [write_csv(rows, out / "comparison.csv")]
    meta = comparison_meta(cmp) | pricing_meta(cmp) | {"runtime_s": round(runtime_s, 2),
                                                      "workers": workers}
    (out / "comparison.json").write_text(json.dumps(meta, indent=2, default=float) + "\n")
    paths.append(out / "comparison.json")
    paths += write_figures(cmp, rows, out)
    paths += write_area_changes(cmp, out)
    return paths


def pricing_meta(cmp: Comparison) -> dict[str, Any]:
    """How costs are priced and harm weighed, for comparison.json."""
    c = cost_settings(cmp)
    harm = first_outcome(cmp)
    return {"currency": c.currency, "price_year": c.price_year,
            "horizon_years": c.horizon_years, "discount_rate": c.discount_rate,
            "officer_day": c.officer_day,
            "harm": {"index": harm.harm_index, "unit": harm.harm_unit,
                     "weights": harm.harm_weights}}
