"""Comparison figures as PNG: effect sizes with CIs by group, and maps of the change.

Figures are built on ``matplotlib.figure.Figure`` directly, not pyplot: no global
state and no GUI backend, so they render with Agg (files only) the same way on a
laptop, a server, in CI and inside the dashboard's process.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.analysis.compare import Comparison
from sim.analysis.displacement import buffer_ring
from sim.analysis.effects import FOCUS_GROUPS, Row, find
from sim.city.target import TARGET_FIELDS
from sim.config import CRIME_TYPES
from sim.kernels.gi_star import confidence_bins

_GROUP_LABEL = {"everyone": "everyone", "youth": "youth", "women_and_girls": "women and girls",
                "elderly": "elderly", "marginalised": "marginalised"}


#: Effect axes stop at +-100%: beyond that a CI says only "not measured precisely".
_CLIP = 100.0


def safe_name(label: str) -> str:
    """A file-name-safe version of a scenario label."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", label).strip("_") or "scenario"


def _dodge_panel(ax, cmp: Comparison, rows: list[Row], keys: list[tuple[str, dict]],
                 labels: list[str], title: str) -> None:
    """Change % with 95% CI per category (y) and alternative (dodged markers)."""
    n_alt = len(cmp.alternatives)
    height = 0.8 / max(n_alt, 1)
    colours = matplotlib.colormaps["tab10"]
    for j, label in enumerate(cmp.alternatives):
        ys, xs, lo, hi = [], [], [], []
        for i, (metric, kw) in enumerate(keys):
            row = find(rows, label, metric, **kw)
            if row is None or not math.isfinite(row.change_pct):
                continue
            ys.append(i - 0.4 + height * (j + 0.5))
            xs.append(row.change_pct)
            lo.append(row.change_pct - row.ci_low if math.isfinite(row.ci_low) else 0.0)
            hi.append(row.ci_high - row.change_pct if math.isfinite(row.ci_high) else 0.0)
        ax.errorbar(xs, ys, xerr=[lo, hi], fmt="o", ms=4, capsize=2, lw=1,
                    color=colours(j % 10), label=label)
    ax.axvline(0, color="0.3", lw=0.8)
    lo_x, hi_x = ax.get_xlim()
    if lo_x < -_CLIP or hi_x > _CLIP:  # a rare crime type's wide CI would hide the rest
        ax.set_xlim(max(lo_x, -_CLIP), min(hi_x, _CLIP))
    ax.set_yticks(range(len(keys)), labels)
    ax.set_ylim(len(keys) - 0.5, -0.5)
    clipped = " (axis cut at 100)" if ax.get_xlim() != (lo_x, hi_x) else ""
    ax.set_xlabel(f"change against {cmp.base}, % (95% CI){clipped}")
    ax.set_title(title)
    ax.grid(axis="x", color="0.9")


def effects_figure(cmp: Comparison, rows: list[Row], path: str | Path) -> Path:
    """Relative change in crimes by type and in victimisation by group, with CIs."""
    height = 3.4 + 0.35 * max(6, len(cmp.alternatives))
    fig = Figure(figsize=(12, height), layout="constrained")
    axes = fig.subplots(1, 2)
    crime_keys = [("crimes", {"crime_type": t}) for t in (*CRIME_TYPES, "total")]
    _dodge_panel(axes[0], cmp, rows, crime_keys,
                 [t.replace("_", " ") for t in (*CRIME_TYPES, "total")], "Crimes by type")
    group_keys = [("prevalence", {"crime_type": "any", "group": g}) for g in FOCUS_GROUPS]
    _dodge_panel(axes[1], cmp, rows, group_keys, [_GROUP_LABEL[g] for g in FOCUS_GROUPS],
                 "People victimised (any crime), by group")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 4),
               frameon=False)
    fig.suptitle(f"Effects against {cmp.base}: {cmp.reps} replications, "
                 f"{cmp.window_days:g}-day window")
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path


def change_map(cmp: Comparison, label: str, path: str | Path) -> Path:
    """Mean change in crimes per cell (alternative - base), treated area outlined.

    Blue cells lost crime, red cells gained it. The solid outline is the treated
    area (cells treated in at least half the replications), the dashed one the
    displacement buffer ring around it. Dotted cells are the base's hot spots
    (:func:`base_hot_spots`), so a reader sees whether crime fell where it was
    concentrated.
    """
    base, alt = cmp.outcomes[cmp.base], cmp.outcomes[label]
    h, w = alt[0].height, alt[0].width
    diff = np.mean([a.crime_map.sum(axis=0) - b.crime_map.sum(axis=0)
                    for a, b in zip(alt, base, strict=True)], axis=0).reshape(h, w)
    lim = float(np.percentile(np.abs(diff), 99.5)) or 1.0
    fig = Figure(figsize=(7, 6.2), layout="constrained")
    ax = fig.subplots()
    im = ax.imshow(diff, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    treated = [a.treated for a in alt if a.treated is not None]
    if treated:
        share = np.mean(treated, axis=0)
        core = share >= 0.5
        if core.any():
            ring = buffer_ring(core, w, h, cmp.ring).reshape(h, w)
            ax.add_collection(LineCollection(outline_segments(ring | core.reshape(h, w)),
                                             colors="0.35", linewidths=0.7,
                                             linestyles="dashed"))
            ax.add_collection(LineCollection(outline_segments(core.reshape(h, w)),
                                             colors="black", linewidths=0.9))
    hot = base_hot_spots(cmp)
    if hot.any():
        ax.add_collection(hatched_cells(hot))
    cbar = fig.colorbar(im, ax=ax, shrink=0.85)
    cbar.set_label("change in crimes per cell over the window")
    total = find_total(cmp, label)
    ax.set_title(f"{label} - {cmp.base}: mean of {cmp.reps} replications, "
                 f"total change {total:+.0f} crimes\nsolid: treated area, dashed: "
                 f"{cmp.ring_m:g} m buffer, dots: {cmp.base}'s Gi* hot spots (95%)",
                 fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path


def base_hot_spots(cmp: Comparison) -> np.ndarray:
    """The base's significant Gi* hot spots over the window, 95% confidence, 2-D.

    Getis-Ord Gi* of the base's mean crimes per cell over the window, with the
    150 m band (at least one cell) and the FDR correction of ``target.kind =
    "gi_star"`` (sim.kernels.gi_star), on the bounded grid.
    """
    base = cmp.outcomes[cmp.base]
    h, w = base[0].height, base[0].width
    crimes = np.mean([b.crime_map.sum(axis=0) for b in base], axis=0).reshape(h, w)
    cell_m = cmp.ring_m / cmp.ring  # the ring is ring_m metres over the cell size
    distance = max(TARGET_FIELDS["gi_distance_m"].default / cell_m, 1.0)
    return confidence_bins(crimes, distance) >= 2


def hatched_cells(mask: np.ndarray) -> PatchCollection:
    """Dots over the True cells of a 2-D mask, in imshow coordinates (colour shows through)."""
    rows, cols = np.nonzero(mask)
    cells = [Rectangle((c - 0.5, r - 0.5), 1.0, 1.0) for r, c in zip(rows, cols, strict=True)]
    return PatchCollection(cells, facecolor="none", edgecolor="0.15", linewidth=0.0,
                           hatch="...")


def outline_segments(mask: np.ndarray) -> list[tuple[tuple[float, float], ...]]:
    """Cell-edge segments around the True cells of a 2-D mask, in imshow coordinates.

    Contour lines would cut corners and draw single cells as diamonds; tracing cell
    edges shows exactly which cells are in the area.
    """
    m = np.pad(np.asarray(mask, bool), 1)
    segs: list[tuple[tuple[float, float], ...]] = []
    rows, cols = np.nonzero(m[1:, 1:-1] != m[:-1, 1:-1])  # edge above row r (padded grid)
    for r, c in zip(rows, cols, strict=True):
        segs.append(((c - 0.5, r - 0.5), (c + 0.5, r - 0.5)))
    rows, cols = np.nonzero(m[1:-1, 1:] != m[1:-1, :-1])  # edge left of column c
    for r, c in zip(rows, cols, strict=True):
        segs.append(((c - 0.5, r - 0.5), (c - 0.5, r + 0.5)))
    return segs


def find_total(cmp: Comparison, label: str) -> float:
    """Mean change in total crimes, alternative - base."""
    return float(np.mean([a.totals["crimes_total"] - b.totals["crimes_total"]
                          for a, b in zip(cmp.outcomes[label], cmp.outcomes[cmp.base],
                                          strict=True)]))


def write_figures(cmp: Comparison, rows: list[Row], out_dir: str | Path) -> list[Path]:
    """Write ``effects.png`` and one ``change_map_<scenario>.png`` per alternative."""
    out = Path(out_dir)
    paths = [effects_figure(cmp, rows, out / "effects.png")]
    for label in cmp.alternatives:
        paths.append(change_map(cmp, label, out / f"change_map_{safe_name(label)}.png"))
    return paths
