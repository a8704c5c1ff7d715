"""Per-area results of a finished comparison on a real (georeferenced) city.

The engine keeps, for every replication, the crimes per cell by type
(:class:`~sim.analysis.outcome.RunOutcome.crime_map`); with the city's district
layer those become crimes per area, and pairing replication i of an alternative
with replication i of the base gives each area's mean change and its 95% interval
(:func:`sim.analysis.area_changes.area_changes`, the same rows as the CLI's
``areas.csv``). Only a map city has areas that stay
put from run to run (a generated city is redrawn with each seed), and only a
georeferenced one has boundaries to draw, so other comparisons get no area maps.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from sim.analysis.area_changes import area_changes
from sim.analysis.by_area import AreaChange
from sim.analysis.compare import Comparison
from sim.dashboard.figures.area_change import area_change_figure, change_rows
from sim.dashboard.figures.area_map import city_geometry
from sim.dashboard.figures.where import figure_png
from sim.scenario import Scenario


@dataclass(frozen=True)
class AreaResult:
    """One alternative's per-area change, rendered for the page.

    Attributes:
        changes: Per area (index order), the mean change and its CI.
        rows: The same as display rows, largest fall first.
        png: The choropleth of the change, with the areas' names.
        csv: The rows as CSV (``area,base_crimes,change,ci_low,ci_high``).
    """

    changes: list[AreaChange]
    rows: list[dict[str, str]]
    png: bytes
    csv: bytes


def changes_csv(changes: list[AreaChange]) -> bytes:
    """Per-area changes as CSV, in area order, full precision."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["area", "base_crimes", "change", "ci_low", "ci_high"])
    for c in changes:
        writer.writerow([c.area, repr(c.base), repr(c.change), repr(c.ci_low), repr(c.ci_high)])
    return buffer.getvalue().encode("utf-8")


def area_results(cmp: Comparison, base: Scenario) -> dict[str, AreaResult]:
    """Alternative label -> its per-area result; empty unless the city is georeferenced."""
    if base["city.layout"] != "map":
        return {}
    from sim.city import build_city

    city = build_city(base.params, np.random.default_rng(0))  # a map's areas need no draws
    geometry = city_geometry(city, base["city.map_file"])
    if geometry is None:
        return {}
    out = {}
    for label in cmp.alternatives:
        # the CLI's areas.csv rows, so the page and the files give the same intervals
        frame = area_changes(cmp, label)
        if frame is None:
            continue
        changes = [AreaChange(str(r.area), float(r.crimes_total_baseline),
                              float(r.crimes_total_diff), float(r.crimes_total_diff_low),
                              float(r.crimes_total_diff_high))
                   for r in frame.itertuples(index=False)]
        fig = area_change_figure(geometry, city.district, changes,
                                 f"{label} - {cmp.base}: mean of {cmp.reps} replications",
                                 city.cell_size_m)
        out[label] = AreaResult(changes, change_rows(changes), figure_png(fig),
                                changes_csv(changes))
    return out
