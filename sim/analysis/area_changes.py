"""A comparison area by area: which neighbourhoods gain, with paired 95% intervals.

On a georeferenced city every replication's outcome carries its counts by area
(:mod:`sim.metrics.areas`: crimes where they happened, victimisations where the
victims live, over the evaluation window). Each area's change follows the headline
table's rules (:func:`sim.analysis.stats.paired_change`): the paired difference with
its t interval, and the change in percent with Fieller's interval for the ratio of
means. ``crimesim compare`` (and the dashboard's Compare page, through
:func:`sim.analysis.comparison_files.write_comparison_files`) writes them as
``areas.csv``, ``areas.gpkg`` and one map per alternative.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.compare import Comparison
from sim.analysis.stats import paired_change
from sim.metrics.areas import CHANGE_MEASURES

#: What each measure gets, as column suffixes: the PairedChange fields of the headline
#: table (comparison.csv), so ``crimes_total_change_pct`` reads like ``change_pct`` there.
CHANGE_FIELDS: tuple[str, ...] = ("baseline", "value", "diff", "diff_low", "diff_high",
                                  "change_pct", "ci_low", "ci_high")


def _stack(outcomes: list, measure: str) -> np.ndarray:
    """One measure by replication and area, ``(replications, areas)``."""
    return np.stack([o.areas.columns()[measure] for o in outcomes]).astype(float)


def area_changes(cmp: Comparison, label: str) -> pd.DataFrame | None:
    """One row per area of alternative ``label`` against the base, or None.

    Columns: ``scenario``, ``area``, ``households`` and ``residents`` (means over the
    base's replications), then for every measure of :data:`CHANGE_MEASURES`
    (``crimes_<type>``, ``crimes_total``, ``victimisations_<group>``) the
    :data:`CHANGE_FIELDS`: ``<measure>_baseline`` and ``<measure>_value`` (means),
    ``<measure>_diff`` with ``_diff_low``/``_diff_high`` (paired 95% CI), and
    ``<measure>_change_pct`` with ``_ci_low``/``_ci_high`` (NaN where the base has no
    such crime in the area, or the interval is unbounded).

    None when the city has no georeference (the outcomes carry no areas), or when
    the alternative's map has other areas than the base's (nothing to pair).
    """
    base, alt = cmp.outcomes[cmp.base], cmp.outcomes[label]
    if base[0].areas is None or alt[0].areas is None:
        return None
    if alt[0].areas.names != base[0].areas.names:
        return None
    out: dict[str, object] = {"scenario": label, "area": list(base[0].areas.names)}
    for stock in ("households", "residents"):
        out[stock] = _stack(base, stock).mean(axis=0)
    for measure in CHANGE_MEASURES:
        b, a = _stack(base, measure), _stack(alt, measure)
        changes = [paired_change(b[:, i], a[:, i]) for i in range(b.shape[1])]
        for name in CHANGE_FIELDS:
            out[f"{measure}_{name}"] = [getattr(c, name) for c in changes]
    return pd.DataFrame(out)


def write_area_changes(cmp: Comparison, out: str | Path) -> list[Path]:
    """Write ``areas.csv``, ``areas.gpkg`` and ``area_change_<scenario>.png`` to ``out``.

    ``areas.csv`` holds every alternative's rows (:func:`area_changes`);
    ``areas.gpkg`` has one layer per alternative, named like its figure. Nothing is
    written for a city without a georeference.

    Returns:
        The files written.
    """
    frames = {label: area_changes(cmp, label) for label in cmp.alternatives}
    if not frames or any(f is None for f in frames.values()):
        return []
    from sim.analysis.area_figure import write_area_change_map
    from sim.analysis.figures import safe_name
    from sim.geo.area_files import area_polygons, write_area_layers, write_atomically

    out = Path(out)
    place = cmp.outcomes[cmp.base][0].geography
    table = pd.concat(list(frames.values()), ignore_index=True)
    paths = [write_atomically(out / "areas.csv", lambda t: table.to_csv(t, index=False))]
    polygons = area_polygons(place.district, place.district_names, place.crs_wkt,
                             place.transform, place.areas_file)
    layers = {safe_name(label): frame for label, frame in frames.items()}
    paths.append(write_area_layers(out / "areas.gpkg", polygons, layers))
    for label, frame in frames.items():
        paths.append(write_area_change_map(
            polygons, frame, out / f"area_change_{safe_name(label)}.png",
            title=f"{label} against {cmp.base}: crimes per area over "
                  f"{cmp.window_days:g} days, {cmp.reps} paired replications"))
    return paths
