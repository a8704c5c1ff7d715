"""Journey to crime from the event log: how far from home offenders offend.

Each crime row carries ``distance_m``, metres from the offender's home cell to the
crime's cell (rounded; -1 when the offender has no home). The published figures are
quantiles and shares within round distances (about half of burglaries within ~0.8 km
in one UK study; most trips under ~2-3 km; Rengert et al. 1999 on the decay), so those
are what this module gives, over crimes with a known home only: a crime without one
has no journey, and counting it as zero would shorten every figure.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.config import CRIME_TYPES, EV_DISTANCE, EV_TYPE, N_EVENT_FIELDS

#: Quantiles reported (share of journeys at most that long).
QUANTILES = (0.25, 0.5, 0.75, 0.9)
#: Distances in km for the shares within.
WITHIN_KM = (1, 2, 3)


def journey_figures(distances_m: np.ndarray) -> dict[str, Any]:
    """Quantiles and shares within 1, 2 and 3 km of a set of journey lengths.

    Args:
        distances_m: Journey lengths in metres (negative values, no home, are dropped).

    Returns:
        ``n`` (journeys), ``quantiles_m`` (``"p25"``, ``"p50"``, ``"p75"``, ``"p90"``:
        metres, numpy's linear interpolation), ``mean_m`` and ``within_km``
        (``"1"``, ``"2"``, ``"3"``: share of journeys at most that long); NaN figures
        when there is no journey.
    """
    d = np.asarray(distances_m, dtype=float)
    d = d[d >= 0]
    nan = float("nan")
    if d.size == 0:
        return {"n": 0, "quantiles_m": {f"p{round(100 * q)}": nan for q in QUANTILES},
                "mean_m": nan, "within_km": {str(k): nan for k in WITHIN_KM}}
    qs = np.quantile(d, QUANTILES)
    return {"n": int(d.size),
            "quantiles_m": {f"p{round(100 * q)}": float(v) for q, v in zip(QUANTILES, qs,
                                                                          strict=True)},
            "mean_m": float(d.mean()),
            "within_km": {str(k): float((d <= 1000.0 * k).mean()) for k in WITHIN_KM}}


def journeys(events: np.ndarray) -> dict[str, Any]:
    """Journey figures of an event log, over all crimes and by crime type.

    Args:
        events: The event log as an int64 array with the columns of
            ``sim.config.EVENT_FIELDS`` (``EventLog.array``).

    Returns:
        ``all`` and one entry per crime type name, each :func:`journey_figures`.
    """
    ev = np.asarray(events)
    if ev.size == 0:
        ev = ev.reshape(0, N_EVENT_FIELDS)
    out = {"all": journey_figures(ev[:, EV_DISTANCE])}
    for k, name in enumerate(CRIME_TYPES):
        out[name] = journey_figures(ev[ev[:, EV_TYPE] == k, EV_DISTANCE])
    return out
