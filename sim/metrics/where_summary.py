"""The run summary's figures on where crime happens: journeys, concentration, settings.

One call, :func:`where_summary`, gives summary.json its ``journey``, ``concentration``,
``settings``, ``relationships`` and ``sexual_violence`` entries from the event log and
the crime map. It is cheap (numpy over the log, a sort of the map), since every run
writes a summary. The figures are the ones the validation experiment reports, from the
same functions (:mod:`sim.metrics.journeys`, :mod:`sim.metrics.places`,
:mod:`sim.metrics.where`); docs/metrics.md says what each means.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.metrics.journeys import journeys
from sim.metrics.places import concentration
from sim.metrics.where import relationships_by_type, settings_by_type, sexual_violence


def where_summary(events: np.ndarray | None, crime_map: np.ndarray, cell_m: float
                  ) -> dict[str, Any]:
    """Journey, concentration, setting and relationship figures of a run.

    Args:
        events: The event log as an int64 array (``EventLog.array``), or None when the
            log is off: then only ``concentration`` is given, from the crime map.
        crime_map: Crimes per cell, all types, shape (height, width).
        cell_m: Side of a cell in metres.

    Returns:
        ``concentration`` (:func:`sim.metrics.places.concentration`) and, with an event
        log, ``journey``, ``settings``, ``relationships`` and ``sexual_violence``.
    """
    out: dict[str, Any] = {"concentration": concentration(crime_map, cell_m)}
    if events is None:
        return out
    out["journey"] = journeys(events)
    out["settings"] = settings_by_type(events)
    out["relationships"] = relationships_by_type(events)
    out["sexual_violence"] = sexual_violence(events)
    return out
