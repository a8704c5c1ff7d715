"""What ``crimesim calibrate`` fits: scenario keys and the range each is searched over.

By default the rate of every crime type the observed data hold (``crime.<type>.rate``)
and two spatial keys: ``attractiveness.deprivation_gain`` (how much more attractive a deprived
cell is: it sets how crime is shared between rich and poor areas, which is what counts
by area measure) and ``awareness.leisure_km`` (the journey to crime: how far from
their homes offenders look for targets, which spreads crime from the areas where
offenders live to their neighbours). The near-repeat keys are left alone: they shape
clustering over days and 200 m, which monthly counts by area cannot see
(docs/calibration.md §3 derives them from the evidence instead).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.errors import UsageError
from sim.scenario import Scenario, flatten

#: Spatial keys fitted by default, with their search ranges.
SPATIAL_DEFAULTS: dict[str, tuple[float, float]] = {
    "attractiveness.deprivation_gain": (0.0, 3.0),
    "awareness.leisure_km": (0.2, 3.0),
}
#: A rate is searched from its scenario value divided by this to multiplied by it.
RATE_SPAN = 5.0


@dataclass(frozen=True)
class FittedKey:
    """One scenario key the search varies.

    Attributes:
        key: The dotted scenario key, e.g. ``crime.burglary.rate``.
        low: Smallest value searched.
        high: Largest value searched.
        log: Searched on a log scale (rates: a factor matters, not a difference).
        start: The scenario's own value, the search's first trial (clipped to the range).
    """

    key: str
    low: float
    high: float
    log: bool
    start: float

    @property
    def crime_type(self) -> str | None:
        """The crime type of a ``crime.<type>.rate`` key, else None."""
        parts = self.key.split(".")
        if len(parts) == 3 and parts[0] == "crime" and parts[2] == "rate":
            return parts[1]
        return None

    def scale(self, value: float) -> float:
        """The value on the search's own scale (log for log keys), for profiles."""
        return math.log(value) if self.log else value

    def clip(self, value: float) -> float:
        """The value moved into the search range."""
        return min(max(value, self.low), self.high)


def parse_fit_option(text: str) -> tuple[str, tuple[float, float] | None]:
    """``KEY`` or ``KEY=LOW:HIGH`` from ``--fit``.

    Raises:
        UsageError: The range is not two numbers with LOW < HIGH.
    """
    key, sep, span = text.partition("=")
    key = key.strip()
    if not sep:
        return key, None
    low_text, colon, high_text = span.partition(":")
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        low = high = math.nan
    if not colon or not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise UsageError(f"--fit {text}: expected KEY or KEY=LOW:HIGH with LOW < HIGH")
    return key, (low, high)


def fitted_keys(scenario: Scenario, requests: list[str], observed_types: list[str]
                ) -> list[FittedKey]:
    """The keys to fit: those ``--fit`` names, or the defaults for the observed types.

    Args:
        scenario: The scenario being fitted (its values are the starting point).
        requests: The ``--fit`` options (empty: the default keys).
        observed_types: The crime types with observed crime, in ``CRIME_TYPES`` order.

    Raises:
        UsageError: An unknown or non-numeric key, a repeated key, a range outside
            the key's allowed values, or a rate of a type with no observed crime.
    """
    schema = flatten()
    if requests:
        asked = [parse_fit_option(text) for text in requests]
    else:
        asked = [(f"crime.{t}.rate", None) for t in observed_types]
        asked += list(SPATIAL_DEFAULTS.items())
    out: list[FittedKey] = []
    for key, span in asked:
        field = schema.get(key)
        if field is None or field.kind != "float":
            kinds = {"int": "an integer", "bool": "a true/false", "str": "a text"}
            what = ("unknown scenario key" if field is None else
                    f"{kinds.get(field.kind, 'a ' + field.kind)} key, not a real number")
            raise UsageError(f"--fit {key}: {what}; fit a number key such as "
                             "crime.burglary.rate or attractiveness.deprivation_gain")
        if key in {k.key for k in out}:
            raise UsageError(f"--fit {key}: given twice")
        start = float(scenario[key])
        is_rate = key.startswith("crime.") and key.endswith(".rate")
        if is_rate and key.split(".")[1] not in observed_types:
            raise UsageError(f"--fit {key}: the observed crime has no {key.split('.')[1]}; "
                             "its rate cannot be fitted")
        if span is None:
            if is_rate:
                base = start if start > 0 else float(field.default)
                span = (base / RATE_SPAN, base * RATE_SPAN)
            elif key in SPATIAL_DEFAULTS:
                span = SPATIAL_DEFAULTS[key]
            else:
                raise UsageError(f"--fit {key}: give its range, e.g. --fit {key}=LOW:HIGH")
        low, high = span
        lowest = field.low if field.low is not None else -math.inf
        highest = field.high if field.high is not None else math.inf
        if low < lowest or high > highest:
            raise UsageError(f"--fit {key}={low:g}:{high:g}: outside the key's allowed "
                             f"values [{lowest:g}, {highest:g}]")
        if is_rate and low <= 0:
            raise UsageError(f"--fit {key}={low:g}:{high:g}: a rate's range must be above 0 "
                             "(rates are searched on a log scale)")
        log = is_rate
        out.append(FittedKey(key, low, high, log, min(max(start, low), high)))
    return out
