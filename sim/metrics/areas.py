"""A run's results by area (the map's districts): people, crimes by type, victims by group.

A city imported from real areas (``crimesim city import``) has one district per area,
so counting by district answers "which neighbourhoods": ``crimesim run`` writes the
table as ``areas.csv`` and ``crimesim compare`` compares it area by area. Both count
through :func:`count_by_area`, so a run's areas and a comparison's areas agree.

Two places per crime, on purpose:

* crimes are counted where they happened (the event's cell), like recorded crime;
* victimisations are counted where the victim lives (the resident's home), like a
  victimisation survey of the area's residents. A burglary victimises every member of
  the household, as in the per-tick ``victimisations_<group>`` metrics.

Every crime the model commits is counted, reported to the police or not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config import CRIME_TYPES, GROUPS

#: The count columns of an area table, in order (after ``area``).
AREA_COLUMNS: tuple[str, ...] = (
    "households", "residents",
    *(f"crimes_{t}" for t in CRIME_TYPES), "crimes_total",
    *(f"victimisations_{g}" for g in GROUPS),
)
#: The columns a comparison measures per area: crimes, then victimisations.
CHANGE_MEASURES: tuple[str, ...] = AREA_COLUMNS[2:]


@dataclass(frozen=True)
class AreaTable:
    """Counts per area: one entry per district index, in index order.

    Attributes:
        names: Each area's name (the map's ``district_names``, e.g. the id column).
        households: Households whose home is in the area.
        residents: Residents whose home is in the area.
        crimes: Crimes that happened in the area, shape ``(crime types, areas)``.
        victimisations: Victimisations of the area's residents, shape
            ``(groups, areas)`` in :data:`sim.config.GROUPS` order.
    """

    names: tuple[str, ...]
    households: np.ndarray
    residents: np.ndarray
    crimes: np.ndarray
    victimisations: np.ndarray

    def columns(self) -> dict[str, np.ndarray]:
        """Every count column (:data:`AREA_COLUMNS`) as one int64 array per column."""
        out = {"households": self.households, "residents": self.residents}
        for k, t in enumerate(CRIME_TYPES):
            out[f"crimes_{t}"] = self.crimes[k]
        out["crimes_total"] = self.crimes.sum(axis=0)
        for g, group in enumerate(GROUPS):
            out[f"victimisations_{group}"] = self.victimisations[g]
        return {name: np.asarray(values, np.int64) for name, values in out.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per area: ``area`` then :data:`AREA_COLUMNS`."""
        return pd.DataFrame({"area": list(self.names), **self.columns()})


def count_by_area(district: np.ndarray, names: list[str] | tuple[str, ...],
                  crime_map: np.ndarray, resident_home: np.ndarray,
                  household_home: np.ndarray, victimisations: np.ndarray,
                  masks: dict[str, np.ndarray]) -> AreaTable:
    """Count people, crimes and victimisations per area.

    Args:
        district: Area index per cell (any shape, flattened row-major like the cells).
        names: The areas' names, one per index.
        crime_map: Crimes per type and cell, shape ``(crime types, cells)`` (or
            ``(types, height, width)``).
        resident_home: Each resident's home cell (flat index).
        household_home: Each household's home cell (flat index).
        victimisations: Each resident's victimisations, any crime type.
        masks: Boolean resident mask per group in :data:`sim.config.GROUPS`.
    """
    areas = np.asarray(district).ravel().astype(np.int64)
    n = len(names)
    crime_map = np.asarray(crime_map).reshape(len(CRIME_TYPES), -1)
    if crime_map.shape[1] != areas.size:
        raise ValueError(f"crime_map has {crime_map.shape[1]} cells, the district layer "
                         f"{areas.size}")
    crimes = np.stack([np.bincount(areas, weights=crime_map[k], minlength=n)[:n]
                       for k in range(len(CRIME_TYPES))]).round().astype(np.int64)
    home_area = areas[np.asarray(resident_home, np.int64)]
    victims = np.asarray(victimisations, np.int64)
    per_group = np.stack([
        np.bincount(home_area[masks[g]], weights=victims[masks[g]], minlength=n)[:n]
        for g in GROUPS]).round().astype(np.int64)
    return AreaTable(
        names=tuple(str(x) for x in names),
        households=np.bincount(areas[np.asarray(household_home, np.int64)], minlength=n)[:n],
        residents=np.bincount(home_area, minlength=n)[:n],
        crimes=crimes, victimisations=per_group)


@dataclass(frozen=True)
class AreaGeography:
    """Where a city's areas are on the earth: what the map files of the areas need.

    Attributes:
        crs_wkt: The grid's coordinate reference system as WKT.
        transform: Affine (a, b, c, d, e, f) from (column, row) to map coordinates.
        district: Area index per cell, shape ``(height, width)``.
        district_names: Each area's name.
        areas_file: ``areas.gpkg`` beside the map (written by ``crimesim city
            import``), whose polygons are the areas' true outlines; None when there is
            none, and the outlines are traced from ``district``.
    """

    crs_wkt: str
    transform: tuple[float, ...]
    district: np.ndarray
    district_names: tuple[str, ...]
    areas_file: str | None = None
