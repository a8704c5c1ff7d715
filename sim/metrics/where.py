"""Where and to whom crime happens: setting and relationship shares by crime type.

The event log records each crime's ``setting`` (home, street, commercial, leisure,
school, transit) and the victim's ``relationship`` to the offender (partner, family,
acquaintance, stranger, none). Surveys report crime the same way: for sexual assault
by rape or penetration the Crime Survey for England and Wales (ONS, years ending March
2017 and 2020) finds the offender a partner or ex-partner in about 44% of cases, the
victim's own home the place in about 37%, and a street, park or other open space in
about 9%. :func:`sexual_violence` gives the model's three figures, so the validation
report and summary.json can set them beside those.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config import (
    CRIME_TYPES,
    EV_CELL,
    EV_RELATIONSHIP,
    EV_SETTING,
    EV_TYPE,
    EV_VICTIM_HOME,
    N_EVENT_FIELDS,
    OPEN_PUBLIC_SETTINGS,
    REL_PARTNER,
    RELATIONSHIPS,
    SET_HOME,
    SETTINGS,
    SEXUAL_VIOLENCE,
)


def _as_events(events: np.ndarray) -> np.ndarray:
    """The event log as a 2-D array (an empty log of any shape becomes 0 rows)."""
    ev = np.asarray(events)
    return ev.reshape(0, N_EVENT_FIELDS) if ev.size == 0 else ev


def shares(codes: np.ndarray, names: tuple[str, ...]) -> dict[str, float]:
    """Share of rows with each code, by name (NaN for every name when there are none)."""
    c = np.asarray(codes, dtype=np.int64)
    if c.size == 0:
        return {n: float("nan") for n in names}
    counts = np.bincount(c[(c >= 0) & (c < len(names))], minlength=len(names))
    return {n: float(counts[k]) / c.size for k, n in enumerate(names)}


def by_type(events: np.ndarray, column: int, names: tuple[str, ...]) -> dict[str, Any]:
    """Shares of ``column``'s codes over all crimes and by crime type.

    Returns:
        ``all`` and one entry per crime type name, each ``{"n": crimes, name: share}``.
    """
    ev = _as_events(events)
    out: dict[str, Any] = {"all": {"n": int(ev.shape[0]), **shares(ev[:, column], names)}}
    for k, t in enumerate(CRIME_TYPES):
        rows = ev[ev[:, EV_TYPE] == k]
        out[t] = {"n": int(rows.shape[0]), **shares(rows[:, column], names)}
    return out


def settings_by_type(events: np.ndarray) -> dict[str, Any]:
    """Share of crimes in each setting (``sim.config.SETTINGS``), all and by type."""
    return by_type(events, EV_SETTING, SETTINGS)


def relationships_by_type(events: np.ndarray) -> dict[str, Any]:
    """Share of crimes by the victim's relationship to the offender, all and by type."""
    return by_type(events, EV_RELATIONSHIP, RELATIONSHIPS)


def sexual_violence(events: np.ndarray) -> dict[str, float]:
    """The three survey figures of sexual violence, from the event log.

    Returns:
        ``n`` (sexual violence crimes), ``partner`` (offender a partner or ex-partner:
        relationship ``partner``), ``own_home`` (setting ``home`` and the crime's cell
        is the victim's home cell) and ``open_public`` (settings street or transit);
        shares NaN when there is no such crime.
    """
    ev = _as_events(events)
    sv = ev[ev[:, EV_TYPE] == SEXUAL_VIOLENCE]
    n = int(sv.shape[0])
    if n == 0:
        nan = float("nan")
        return {"n": 0, "partner": nan, "own_home": nan, "open_public": nan}
    own = (sv[:, EV_SETTING] == SET_HOME) & (sv[:, EV_VICTIM_HOME] == sv[:, EV_CELL])
    return {"n": n, "partner": float((sv[:, EV_RELATIONSHIP] == REL_PARTNER).mean()),
            "own_home": float(own.mean()),
            "open_public": float(np.isin(sv[:, EV_SETTING], OPEN_PUBLIC_SETTINGS).mean())}
