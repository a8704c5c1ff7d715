"""A map of the change in crime per area, with the areas' names, as a PNG.

The colour is the mean paired change in crimes (alternative - base) per area, on a
diverging scale centred on no change: blue areas gain (fewer crimes), red areas
lose. The change is in crimes, not percent, so a quiet area whose one crime went
away does not outshine a busy one that lost fifty. Areas whose 95% interval
excludes zero get a thick outline: the change there is clear of the noise. Like the
other comparison figures (:mod:`sim.analysis.figures`) it is drawn on a bare
``matplotlib.figure.Figure``, without pyplot.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

#: Areas named on the map: all of them up to this many, else the largest changes.
MAX_LABELS = 30


def _labelled(frame: pd.DataFrame) -> np.ndarray:
    """Which areas get their name printed: all if few, else the largest changes."""
    if len(frame) <= MAX_LABELS:
        return np.ones(len(frame), bool)
    size = np.nan_to_num(np.abs(frame["crimes_total_diff"].to_numpy(float)), nan=-1.0)
    keep = np.zeros(len(frame), bool)
    keep[np.argsort(-size, kind="stable")[:MAX_LABELS]] = True
    return keep


def write_area_change_map(polygons, frame: pd.DataFrame, path: str | Path,
                          title: str) -> Path:
    """Draw one alternative's change in crimes per area and save it as a PNG.

    Args:
        polygons: The areas (:func:`sim.geo.area_files.area_polygons`).
        frame: The alternative's rows (:func:`sim.analysis.area_changes.area_changes`).
        path: The PNG to write.
        title: The figure's title.
    """
    gdf = polygons[["area", "geometry"]].merge(
        frame[["area", "crimes_total_diff", "crimes_total_diff_low",
               "crimes_total_diff_high", "crimes_total_change_pct"]], on="area")
    diff = gdf["crimes_total_diff"].to_numpy(float)
    finite = diff[np.isfinite(diff)]
    span = float(np.abs(finite).max()) if finite.size and np.abs(finite).max() > 0 else 1.0
    fig = Figure(figsize=(8, 7), layout="constrained")
    ax = fig.add_subplot()
    gdf.plot(column="crimes_total_diff", ax=ax, cmap="RdBu_r",
             norm=TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span), edgecolor="0.4",
             linewidth=0.4, missing_kwds={"color": "0.85"})
    clear = (gdf["crimes_total_diff_low"] > 0) | (gdf["crimes_total_diff_high"] < 0)
    if clear.any():
        gdf[clear.to_numpy()].boundary.plot(ax=ax, color="black", linewidth=1.8)
    mappable = ax.collections[0]
    fig.colorbar(mappable, ax=ax, shrink=0.7,
                 label="change in crimes per area (alternative - base)")
    for (_, row), show in zip(gdf.iterrows(), _labelled(gdf), strict=True):
        if not show or row.geometry is None:
            continue
        point = row.geometry.representative_point()
        pct = row["crimes_total_change_pct"]
        text = f"{row['area']}\n{row['crimes_total_diff']:+.1f}"
        if math.isfinite(pct):
            text += f" ({pct:+.0f}%)"
        ax.annotate(text, (point.x, point.y), ha="center", va="center", fontsize=7,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "alpha": 0.75, "lw": 0})
    ax.set_title(title + "\nthick outline: 95% CI excludes no change", fontsize=9)
    ax.set_axis_off()
    ax.set_aspect("equal")
    fig.savefig(path, dpi=120)
    return Path(path)
