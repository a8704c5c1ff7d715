"""Target areas: which cells an intervention treats.

A target is the union of the parts a scenario gives -- district names, the k most
deprived districts, a rectangle, the top-k hot-spot cells, a cell-mask file --
optionally narrowed to some land uses (street lighting on residential streets,
security in commercial cells). With no part given the target is the whole city. The
area is fixed when the intervention starts, so the top-k cells are the hot spots an
analyst would map on that day. A generated city is drawn from the run's seed, so its
district names differ between replications; ``most_deprived`` picks districts by
rank, which a scenario meant for many seeds can rely on.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.city.city import most_deprived_first
from sim.config import LAND_USES
from sim.fields import Field, int_field, int_list_field, str_list_field

TARGET_FIELDS: dict[str, Field] = {
    "districts": str_list_field([], "district names (see the city's district_names)"),
    "rect": int_list_field(
        [], "x0, y0, x1, y1 in cells: the cells with x0 <= x < x1 and y0 <= y < y1"),
    "top_k": int_field(
        0, "the k cells with the most reported crime (recent, fading) when the "
        "intervention starts; attractiveness where nothing was reported yet", 0),
    "mask_file": Field("path", "", "a .npy or .csv file of 0/1 with the city's height x width"),
    "most_deprived": int_field(
        0, "the k districts with the highest mean deprivation (generated cities are drawn "
        "per seed, so names differ between seeds; the deprivation rank does not)", 0),
    "land_use": str_list_field(
        [], f"keep only cells of these land uses ({', '.join(LAND_USES)})"),
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

    Raises:
        TargetError: An unknown district or land use, a bad rectangle, a mask of the
            wrong shape, or a target with no cell in it.
    """
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
    if target.get("top_k"):
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
    if target.get("land_use"):
        codes = []
        for name in target["land_use"]:
            if name not in LAND_USES:
                raise TargetError(
                    f"land_use: unknown land use {name!r} (one of {', '.join(LAND_USES)})")
            codes.append(LAND_USES.index(name))
        mask &= np.isin(land_use, codes)
    if not mask.any():
        raise TargetError("the target area contains no cell")
    return mask
