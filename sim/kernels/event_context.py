"""Where and how far: the setting, victim's home and journey length of each crime.

Three of the event log's columns describe a crime's context rather than the act: the
``setting`` (a private home, a street, a shop, a nightlife street, a school, or on
the way somewhere), the ``victim_home`` (the cell the victim lives in) and the
``distance_m`` from the offender's home to the crime, the journey to crime of
environmental criminology (Brantingham & Brantingham 1981; Rossmo 2000). The fourth,
``relationship``, is written by the kernel that picks the victim, which alone knows
who the offender knew.

They are filled after the victims are known (gang violence finds its victim in
:func:`sim.kernels.victims.victimise`), from where each victim was this hour: a
resident at home was attacked at home; a resident on their route, in transit;
otherwise the land use of the crime's cell says what kind of place it was.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import (
    AT_HOME,
    BURGLARY,
    COMMERCIAL,
    EV_CELL,
    EV_DISTANCE,
    EV_HOME,
    EV_SETTING,
    EV_TYPE,
    EV_VICTIM,
    EV_VICTIM_HOME,
    GANG_VIOLENCE,
    NIGHTLIFE,
    SCHOOL,
    SET_COMMERCIAL,
    SET_HOME,
    SET_LEISURE,
    SET_SCHOOL,
    SET_STREET,
    SET_TRANSIT,
)
from sim.kernels.grid import distance


@njit(cache=True, inline="always")
def place_setting(land_use: int) -> int:
    """The setting of a crime against someone in public on a cell of ``land_use``.

    Residential streets, parks and industrial land are all "street": the open public
    space of the surveys ("on the street, in a park or other open space").
    """
    if land_use == COMMERCIAL:
        return SET_COMMERCIAL
    if land_use == NIGHTLIFE:
        return SET_LEISURE
    if land_use == SCHOOL:
        return SET_SCHOOL
    return SET_STREET


@njit(cache=True)
def annotate(
    events: np.ndarray,
    first: int,
    n_events: int,
    res_home: np.ndarray,
    res_state: np.ndarray,
    travelling: np.ndarray,
    hh_first: np.ndarray,
    land_use: np.ndarray,
    width: int,
    height: int,
    periodic: bool,
    cell_size_m: float,
) -> None:
    """Fill ``setting``, ``victim_home`` and ``distance_m`` of events ``first .. n - 1``.

    Args:
        events: Event rows; the victim (``EV_VICTIM``) is a resident, a household for
            burglary, or -1.
        first: First event to annotate.
        n_events: One past the last.
        res_home: Home cell per resident (empty on the abstract lattice).
        res_state: Where each resident is this hour (``AT_HOME``, ...).
        travelling: Whether each resident is on the way to or from a place this hour.
        hh_first: First member of each household (a household's home is theirs).
        land_use: Land-use code per cell.
        width: Grid width.
        height: Grid height.
        periodic: Whether edges wrap (distances go the short way round).
        cell_size_m: Side of a cell in metres.
    """
    has_residents = res_home.shape[0] > 0
    for e in range(first, n_events):
        row = events[e]
        k = row[EV_TYPE]
        v = row[EV_VICTIM]
        c = row[EV_CELL]
        home = -1
        if has_residents and v >= 0:
            home = res_home[hh_first[v]] if k == BURGLARY else res_home[v]
        row[EV_VICTIM_HOME] = home
        placed = has_residents and v >= 0 and k != GANG_VIOLENCE  # a resident placed today
        if k == BURGLARY or (placed and res_state[v] == AT_HOME):
            setting = SET_HOME
        elif placed and travelling[v]:
            setting = SET_TRANSIT
        else:
            setting = place_setting(land_use[c])
        row[EV_SETTING] = setting
        o_home = row[EV_HOME]
        if o_home >= 0:
            row[EV_DISTANCE] = int(distance(o_home, c, width, height, periodic) * cell_size_m
                                   + 0.5)
        else:
            row[EV_DISTANCE] = -1
