"""Results per area (district): crimes by type, victimisations by group, paired changes.

A real city's decision-maker asks "which neighbourhoods?", so the dashboard shows
results per area as well as per cell. The areas are the city's districts (for an
imported city, the areas of its GeoPackage, named by the id column). Everything here
works on plain arrays -- the model's per-cell crime counts, the residents' homes and
victim counts, a comparison's per-replication crime maps -- so the same sums serve
the live Explore page, the Compare page and any file writer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def crimes_by_area(crime_count: np.ndarray, district: np.ndarray, n_areas: int) -> np.ndarray:
    """Crimes per area and type.

    Args:
        crime_count: Crimes per cell by type, shape ``(n_types, height, width)`` or
            ``(n_types, cells)`` (the model's ``city.crime_count`` or a run's
            ``crime_map``).
        district: Area index per cell, same cells (``-1``: in no area, not counted).
        n_areas: Number of areas (rows of the result, areas without crime included).

    Returns:
        Array ``(n_areas, n_types)`` of counts (float64).
    """
    counts = np.asarray(crime_count, dtype=np.float64)
    n_types = counts.shape[0]
    flat = counts.reshape(n_types, -1)
    areas = np.asarray(district).reshape(-1)
    inside = areas >= 0
    out = np.empty((n_areas, n_types))
    for t in range(n_types):
        out[:, t] = np.bincount(areas[inside], flat[t, inside], minlength=n_areas)[:n_areas]
    return out


def victimisations_by_area(home: np.ndarray, victim_counts: np.ndarray, members: np.ndarray,
                           district: np.ndarray, n_areas: int) -> np.ndarray:
    """Victimisations of one group's residents, summed by the area they live in.

    Args:
        home: Home cell (flat index) of each resident.
        victim_counts: Times each resident was victimised, by crime type
            ``(residents, n_types)``.
        members: Boolean mask of the group's residents.
        district: Area index per cell (flat or 2-D).
        n_areas: Number of areas.

    Returns:
        Victimisations per area (float64, length ``n_areas``).
    """
    areas = np.asarray(district).reshape(-1)[np.asarray(home, dtype=np.int64)]
    per_person = np.asarray(victim_counts, dtype=np.float64).reshape(len(areas), -1).sum(axis=1)
    keep = np.asarray(members, dtype=bool) & (areas >= 0)
    return np.bincount(areas[keep], per_person[keep], minlength=n_areas)[:n_areas]


@dataclass(frozen=True)
class AreaChange:
    """The mean change of one area's crimes between paired runs, with its 95% CI.

    Attributes:
        area: The area's name.
        base: Mean crimes in the area over the base runs.
        change: Mean of (alternative - base) over the replications.
        ci_low, ci_high: 95% t interval of the mean change (NaN with one replication).
    """

    area: str
    base: float
    change: float
    ci_low: float
    ci_high: float

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero (a change unlikely to be noise)."""
        return math.isfinite(self.ci_low) and (self.ci_low > 0 or self.ci_high < 0)
