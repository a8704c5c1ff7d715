"""Target areas: which cells an intervention treats.

A target is the union of the parts a scenario gives -- district names, the k most
deprived districts, a rectangle, the top-k hot-spot cells, a cell-mask file --
optionally narrowed to some land uses (street lighting on residential streets,
security in commercial cells). With no part given the target is the whole city. The
area is fixed when the intervention starts, so the top-k cells are the hot spots an
analyst would map on that day. A generated city is drawn from the run's seed, so its
district names differ between replications; ``most_deprived`` picks districts by
rank, which a scenario meant for many seeds can rely on.

``kind = "gi_star"`` picks the hot spots the way analysts map them instead: the cells
whose Getis-Ord Gi* on the reported-crime heat of the start day is a significant hot
spot (:mod:`sim.kernels.gi_star`). The other parts then bound where hot spots count,
``top_k`` caps how many are kept (the highest z first), and ``land_use`` narrows as
before. No significant hot spot is an error, not an empty or silently different
target: a policy that treats nothing, or the whole city, is not the policy asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.city.city import most_deprived_first
from sim.config import LAND_USES
from sim.fields import Field, float_field, int_field, int_list_field, str_field, str_list_field
from sim.kernels.gi_star import CORRECTIONS, gi_star, significant, two_sided_p

#: What a target's ``kind`` may be: today's union of parts, or Gi* hot spots.
TARGET_KINDS = ("cells", "gi_star")

TARGET_FIELDS: dict[str, Field] = {
    "kind": str_field(
        "cells", "cells: the union of the parts below; gi_star: the cells that are "
        "significant Getis-Ord Gi* hot spots of reported crime on the start day, inside "
        "the parts if any are given", TARGET_KINDS),
    "districts": str_list_field([], "district names (see the city's district_names)"),
    "rect": int_list_field(
        [], "x0, y0, x1, y1 in cells: the cells with x0 <= x < x1 and y0 <= y < y1"),
    "top_k": int_field(
        0, "the k cells with the most reported crime (recent, fading) when the "
        "intervention starts; attractiveness where nothing was reported yet (kind = "
        "gi_star: keep at most k significant hot spots, highest Gi* z first)", 0),
    "mask_file": Field("path", "", "a .npy or .csv file of 0/1 with the city's height x width"),
    "most_deprived": int_field(
        0, "the k districts with the highest mean deprivation (generated cities are drawn "
        "per seed, so names differ between seeds; the deprivation rank does not)", 0),
    "land_use": str_list_field(
        [], f"keep only cells of these land uses ({', '.join(LAND_USES)})"),
    "gi_alpha": float_field(
        0.05, "kind = gi_star: significance level, two-sided, after the correction", 1e-6,
        0.5),
    "gi_distance_m": float_field(
        150.0, "kind = gi_star: neighbourhood radius in metres between cell centres (the "
        "cell itself included; 150 m on 100 m cells: the 3 x 3 block)", 1.0),
    "gi_correction": str_field(
        "fdr", "kind = gi_star: multiple testing, fdr (Benjamini-Hochberg false discovery "
        "rate) or bonferroni (family-wise)", CORRECTIONS),
}


class TargetError(ValueError):
    """A target names something the city does not have; the message says what."""


def hot_spot_cells(heat: np.ndarray, fallback: np.ndarray, k: int) -> np.ndarray:
    """Flat indices of the ``k`` hottest cells (ties: lowest index first).

    Args:
        heat: Reported-crime heat per cell (flat).
        fallback: Breaks ties in heat, e.g. between cells with no report yet
            (attractiveness); before any report it alone decides.
        k: Number of cells.
    """
    k = min(int(k), heat.size)
    # Rank by heat; cells with equal heat (above all the many with none) by
    # attractiveness, so a short list of reported cells is topped up with the most
    # attractive ones rather than with whichever cells come first in the grid.
    return np.lexsort((-fallback, -heat))[:k]


def read_mask_file(path: str, shape: tuple[int, int]) -> np.ndarray:
    """Read a 0/1 mask from ``.npy`` or ``.csv`` and check it matches the city."""
    p = Path(path)
    try:
        if p.suffix.lower() == ".npy":
            mask = np.load(p, allow_pickle=False)
        else:
            text = p.read_text(encoding="utf-8").replace(",", " ")
            rows = [r.split() for r in text.splitlines() if r.strip() and not r.startswith("#")]
            mask = np.array(rows, dtype=float)
    except (OSError, ValueError) as exc:
        raise TargetError(f"mask_file: cannot read {p.name}: {exc}") from None
    if mask.shape != shape:
        raise TargetError(
            f"mask_file: {p.name} is {mask.shape[0]} x {mask.shape[1] if mask.ndim > 1 else 1}"
            f" cells, the city is {shape[0]} x {shape[1]} (height x width)")
    return np.asarray(mask, dtype=float).ravel() != 0


def resolve_target(
    target: Mapping[str, Any],
    *,
    width: int,
    height: int,
    district: np.ndarray,
    district_names: list[str],
    land_use: np.ndarray,
    heat: np.ndarray,
    attractiveness: np.ndarray,
    district_deprivation: np.ndarray | None = None,
    cell_size_m: float | None = None,
    periodic: bool = False,
    preview: bool = False,
) -> np.ndarray:
    """The treated cells as a flat boolean mask.

    Args:
        target: The validated ``target`` table of an intervention.
        width: City width in cells.
        height: City height in cells.
        district: District code per cell (flat).
        land_use: Land-use code per cell (flat).
        district_names: Names in district-code order.
        heat: Reported-crime heat (flat), for ``top_k``.
        attractiveness: A = A0 + B (flat), for ``top_k`` before any crime is reported.
        district_deprivation: Mean deprivation per district code, for ``most_deprived``.
        cell_size_m: Side of a cell in metres, for ``kind = "gi_star"``'s distance.
        periodic: Whether the city wraps, for ``kind = "gi_star"``'s neighbourhoods.
        preview: Checking the target before its start day: a ``gi_star`` target's
            hot spots depend on that day's reports, so only its settings are checked
            and every cell stands in for the hot spots.

    Raises:
        TargetError: An unknown district or land use, a bad rectangle, a mask of the
            wrong shape, no significant Gi* hot spot, or a target with no cell in it.
    """
    gi = target.get("kind", "cells") == "gi_star"
    n = width * height
    mask = np.zeros(n, np.bool_)
    given = False
    if target.get("districts"):
        given = True
        known = {name: i for i, name in enumerate(district_names)}
        for name in target["districts"]:
            if name not in known:
                raise TargetError(
                    f"districts: unknown district {name!r} (the city has: "
                    f"{', '.join(district_names)})")
            mask |= district == known[name]
    rect = target.get("rect") or []
    if rect:
        given = True
        if len(rect) != 4:
            raise TargetError(f"rect: expected [x0, y0, x1, y1], got {len(rect)} numbers")
        x0, y0, x1, y1 = rect
        if not (0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height):
            raise TargetError(
                f"rect: [{x0}, {y0}, {x1}, {y1}] is not a non-empty rectangle inside the "
                f"{width} x {height} city")
        grid = np.zeros((height, width), np.bool_)
        grid[y0:y1, x0:x1] = True
        mask |= grid.ravel()
    if target.get("top_k") and not gi:
        given = True
        mask[hot_spot_cells(heat, attractiveness, target["top_k"])] = True
    if target.get("most_deprived"):
        given = True
        if district_deprivation is None:
            raise TargetError("most_deprived: the city has no district deprivation")
        k = min(int(target["most_deprived"]), len(district_deprivation))
        worst = most_deprived_first(district_deprivation)[:k]
        mask |= np.isin(district, worst)
    if target.get("mask_file"):
        given = True
        mask |= read_mask_file(target["mask_file"], (height, width))
    if not given:
        mask[:] = True
    z = None
    if gi and preview:
        gi_star_band_cells(target, cell_size_m)
    elif gi:
        hot, z = gi_star_cells(target, heat=heat, width=width, height=height,
                               cell_size_m=cell_size_m, periodic=periodic)
        mask &= hot
    if target.get("land_use"):
        codes = []
        for name in target["land_use"]:
            if name not in LAND_USES:
                raise TargetError(
                    f"land_use: unknown land use {name!r} (one of {', '.join(LAND_USES)})")
            codes.append(LAND_USES.index(name))
        mask &= np.isin(land_use, codes)
    if not mask.any():
        raise TargetError("the target area contains no cell" + (
            " (no significant Gi* hot spot inside the parts and land uses given)"
            if z is not None else ""))
    if z is not None and target.get("top_k"):
        mask = strongest_hot_spots(mask, z, int(target["top_k"]))
    return mask


def gi_star_band_cells(target: Mapping[str, Any], cell_size_m: float | None) -> float:
    """The Gi* neighbourhood radius in cells, from ``gi_distance_m`` and the cell size.

    Raises:
        TargetError: A radius shorter than one cell: the neighbourhood would be the
            cell alone, and Gi* would only rank single cells (use ``top_k`` for that).
    """
    if cell_size_m is None or cell_size_m <= 0:
        raise ValueError("kind = 'gi_star' needs the city's cell size in metres")
    distance_m = float(target.get("gi_distance_m", 150.0))
    if distance_m < cell_size_m:
        raise TargetError(
            f"gi_distance_m: {distance_m:g} m is less than one cell ({cell_size_m:g} m), so "
            "the Gi* neighbourhood would be the cell alone")
    return distance_m / cell_size_m


def gi_star_z(target: Mapping[str, Any], heat: np.ndarray, *, width: int, height: int,
              cell_size_m: float | None, periodic: bool) -> np.ndarray:
    """Flat Gi* z-scores of the reported-crime heat with the target's band."""
    distance = gi_star_band_cells(target, cell_size_m)
    try:
        return gi_star(heat.reshape(height, width), distance, periodic).ravel()
    except ValueError as exc:
        raise TargetError(f"gi_distance_m: {exc}") from None


def gi_star_cells(target: Mapping[str, Any], *, heat: np.ndarray, width: int, height: int,
                  cell_size_m: float | None, periodic: bool) -> tuple[np.ndarray, np.ndarray]:
    """The significant Gi* hot spots of ``heat`` (kind = "gi_star"), and every cell's z.

    Gi* is computed over the whole city (its mean and spread are the city's), so a
    target's parts bound where hot spots count without changing what "hot" means.

    Returns:
        ``(hot, z)``: a flat boolean mask and the flat z-scores.

    Raises:
        TargetError: No cell is a significant hot spot (including: nothing reported yet).
    """
    z = gi_star_z(target, heat, width=width, height=height, cell_size_m=cell_size_m,
                  periodic=periodic)
    alpha = float(target.get("gi_alpha", 0.05))
    correction = str(target.get("gi_correction", "fdr"))
    hot = significant(two_sided_p(z), alpha, correction) & (z > 0)
    if not hot.any():
        why = ("no crime has been reported yet" if not np.any(heat > 0) else
               f"no cell is a significant hot spot at gi_alpha {alpha:g} ({correction}, "
               f"{target.get('gi_distance_m', 150.0):g} m band)")
        raise TargetError(
            f"kind: 'gi_star' found no hot spot: {why}; start later, raise gi_alpha or "
            "gi_distance_m, or use top_k")
    return hot, z


def strongest_hot_spots(mask: np.ndarray, z: np.ndarray, k: int) -> np.ndarray:
    """At most ``k`` cells of ``mask``: those with the highest Gi* z (ties: lowest index)."""
    cells = np.flatnonzero(mask)
    if cells.size <= k:
        return mask
    keep = cells[np.lexsort((cells, -z[cells]))[:k]]
    out = np.zeros_like(mask)
    out[keep] = True
    return out
