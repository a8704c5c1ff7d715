"""The stylised-facts report's figures: concentration, near-repeat and journey to crime.

Drawn on ``matplotlib.figure.Figure`` (headless). Maps use a sequential colour map on a
log scale (crime counts span orders of magnitude); curves carry the published figure
they are compared with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from experiments.validation import concentration as conc
from experiments.validation.journey import BAND_EDGES
from experiments.validation.near_repeat import DISTANCE_LABELS, KnoxTable
from sim.metrics import places

if TYPE_CHECKING:
    from experiments.validation.stylised_facts import CityFacts


def concentration_figure(cities: list[CityFacts]) -> Figure:
    """Crime map of the first city, and the concentration curves against Weisburd's."""
    fig = Figure(figsize=(12, 5), layout="constrained")
    ax_map, ax_c = fig.subplots(1, 2, width_ratios=[1, 1.2])
    first = cities[0]
    g = first.grid
    counts = first.crime_map.astype(float)
    shown = np.ma.masked_less(counts, 1)
    cmap = "magma_r"
    im = ax_map.imshow(shown, cmap=cmap, origin="lower", interpolation="nearest",
                       norm=LogNorm(vmin=1, vmax=max(2.0, counts.max())),
                       extent=(0, g.width * g.cell_m / 1000, 0, g.height * g.cell_m / 1000))
    ax_map.set_facecolor("white")
    days = ""
    ax_map.set_title(f"Crimes per {g.cell_m:g} m cell, city of seed {first.seed}{days}\n"
                     "(white: no crime)", fontsize=10)
    ax_map.set_xlabel("x (km)")
    ax_map.set_ylabel("y (km)")
    fig.colorbar(im, ax=ax_map, shrink=0.85, label="crimes per cell (log scale)")

    k = places.block_side(g.cell_m)
    for c in cities:
        x, y = conc.lorenz(places.block_counts(c.crime_map, k))
        line = ax_c.plot(100 * x[1:], 100 * y[1:], lw=1.2,
                         label=f"model, seed {c.seed} ({k * g.cell_m:g} m blocks)")[0]
        x, y = conc.lorenz(c.crime_map)
        ax_c.plot(100 * x[1:], 100 * y[1:], lw=0.8, ls=":", color=line.get_color())
    rng = np.random.default_rng([first.seed, 15])  # one seeded uniform scatter
    total = int(first.crime_map.sum())
    uni = rng.multinomial(total, np.full(g.n_cells, 1.0 / g.n_cells))
    x, y = conc.lorenz(places.block_counts(uni.reshape(first.crime_map.shape), k))
    ax_c.plot(100 * x[1:], 100 * y[1:], color="0.5", ls="--", lw=1,
              label=f"same {total:,} crimes scattered at random")
    ax_c.plot([2, 6], [50, 50], color="tab:red", lw=6, alpha=0.6, solid_capstyle="butt",
              label="Weisburd (2015): 50% of crime at 2–6%,\n25% at 0.4–1.6% of segments")
    ax_c.plot([0.4, 1.6], [25, 25], color="tab:red", lw=6, alpha=0.6, solid_capstyle="butt")
    ax_c.set_xscale("log")
    ax_c.set_xlim(0.01, 100)
    ax_c.set_ylim(0, 100)
    ax_c.set_xlabel("share of places, most criminal first (%, log scale; dotted: cells)")
    ax_c.set_ylabel("cumulative share of crime (%)")
    ax_c.set_title("Concentration of crime at places", fontsize=10)
    ax_c.grid(alpha=0.3)
    ax_c.legend(fontsize=8, loc="upper left")
    return fig


def near_repeat_figure(knox: KnoxTable) -> Figure:
    """Knox ratios of burglary pairs against time (per distance) and distance (per time)."""
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    ax_t, ax_d = fig.subplots(1, 2)
    ratio, p = knox.ratio, knox.p_value
    t_mid = (knox.time_edges[:-1] + knox.time_edges[1:]) / 2
    lo, hi = knox.null_ratio_band()
    colours = ("tab:red", "tab:orange", "tab:olive", "tab:green", "tab:blue")
    for k, colour in zip(range(5), colours, strict=True):
        ax_t.plot(t_mid, ratio[k], color=colour, lw=1.2, label=DISTANCE_LABELS[k])
        sig = p[k] < 0.05
        ax_t.scatter(t_mid[sig], ratio[k][sig], color=colour, s=28, zorder=3)
        ax_t.scatter(t_mid[~sig], ratio[k][~sig], facecolor="white", edgecolor=colour,
                     s=28, zorder=3)
    ax_t.fill_between(t_mid, lo[1], hi[1], color="tab:orange", alpha=0.15,
                      label="95% of permutations, 1–100 m")
    ax_t.axhline(1.0, color="0.2", lw=0.8)
    ax_t.axvspan(0, 14, color="0.85", zorder=0, label="Johnson et al.: ~2 weeks")
    ax_t.set_xlabel("days between the two burglaries (band midpoint)")
    ax_t.set_ylabel("Knox ratio (observed / expected pairs)")
    ax_t.set_title("Burglary pairs by time apart, per distance band\n"
                   "(filled: permutation p < 0.05)", fontsize=10)
    ax_t.legend(fontsize=8)

    d_pos = np.arange(len(DISTANCE_LABELS))
    for k, colour in zip((0, 1, 2, 4), ("tab:red", "tab:orange", "tab:green", "tab:blue"),
                         strict=True):
        ax_d.plot(d_pos, ratio[:, k], color=colour, lw=1.2,
                  label=f"{knox.time_edges[k]:g}–{knox.time_edges[k + 1]:g} days apart")
        sig = p[:, k] < 0.05
        ax_d.scatter(d_pos[sig], ratio[sig, k], color=colour, s=28, zorder=3)
        ax_d.scatter(d_pos[~sig], ratio[~sig, k], facecolor="white", edgecolor=colour,
                     s=28, zorder=3)
    ax_d.axhline(1.0, color="0.2", lw=0.8)
    ax_d.axvspan(-0.5, 2.5, color="0.85", zorder=0, label="Johnson et al.: ~200 m")
    ax_d.set_xticks(d_pos, DISTANCE_LABELS, rotation=30, ha="right")
    ax_d.set_xlabel("distance between the two burglaries (cell centres)")
    ax_d.set_ylabel("Knox ratio (observed / expected pairs)")
    ax_d.set_title(f"Burglary pairs by distance, per time band ({knox.n_events:,} "
                   "burglaries)\n(filled: permutation p < 0.05)", fontsize=10)
    ax_d.legend(fontsize=8)
    return fig


def journey_figure(trips: dict[str, dict[str, Any]]) -> Figure:
    """Journey-to-crime histogram, cumulative share and rate per available cell."""
    fig = Figure(figsize=(14, 4.4), layout="constrained")
    ax_h, ax_c, ax_r = fig.subplots(1, 3)
    edges = np.asarray(BAND_EDGES) / 1000
    mid = (edges[:-1] + edges[1:]) / 2
    shown = (("all", "all crimes", "0.2"), ("burglary", "burglary", "tab:red"),
             ("robbery", "robbery", "tab:blue"), ("assault", "assault", "tab:green"))
    for key, label, colour in shown:
        t = trips[key]
        if t["summary"].n == 0:
            continue
        ax_h.step(edges[:-1], 100 * t["share"], where="post", color=colour, lw=1.2,
                  label=f"{label} (n = {t['summary'].n:,})")
        d = np.sort(t["lengths"]) / 1000
        ax_c.plot(d, 100 * np.arange(1, d.size + 1) / d.size, color=colour, lw=1.2,
                  label=label)
        rate = np.where(t["rate"] > 0, t["rate"], np.nan)  # no crime: no point on a log axis
        ax_r.plot(mid, rate, color=colour, lw=1.2, marker=".", label=label)
    for ax in (ax_h, ax_c):
        ax.axvline(0.8, color="0.4", ls="--", lw=0.8)
        ax.axvline(2.0, color="0.4", ls=":", lw=0.8)
        ax.set_xlim(0, 3)
        ax.set_xlabel("distance from the offender's home (km)")
    ax_h.set_ylabel("share of crimes in the 100 m band (%)")
    ax_h.set_title("Journeys to crime (100 m bands)", fontsize=10)
    ax_h.legend(fontsize=8)
    ax_c.scatter([0.8], [50], marker="*", s=160, color="tab:red", zorder=4,
                 label="UK study: ~half of burglaries within 0.8 km")
    ax_c.set_ylabel("share of crimes within the distance (%)")
    ax_c.set_ylim(0, 101)
    ax_c.set_title("Cumulative share (dashed 0.8 km, dotted 2 km)", fontsize=10)
    ax_c.legend(fontsize=8, loc="lower right")
    ax_r.set_yscale("log")
    ax_r.set_xlim(0, 3)
    ax_r.set_xlabel("distance from the offender's home (km)")
    ax_r.set_ylabel("crimes per available cell in the band (log)")
    ax_r.set_title("Distance decay: crimes per cell at that distance\n(bands with no "
                   "crime not drawn)", fontsize=10)
    ax_r.legend(fontsize=8)
    return fig
