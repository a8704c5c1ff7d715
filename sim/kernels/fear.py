"""Fear of crime: each resident's fear relaxes toward a baseline and rises with crime.

Fear is the probability-like 0..1 answer to the surveys' question "how safe do you
feel walking alone in your area after dark?" (docs/ODD.md, fear of crime). It is
stored per resident in 16 bits (``fear / FEAR_SCALE``, :data:`sim.config.FEAR`), the
one per-resident array the memory budget allows for it, so every kernel here reads
the stored value, works in floats and writes it back rounded to the nearest step.

Three kernels, each behind a validating Python function:

- :func:`box_sum`: crimes per cell summed over the square of side ``2 r + 1`` around
  every cell (the crimes "heard of near home"), by two-dimensional cumulative sums:
  O(cells) whatever the radius.
- :func:`daily_fear`: once a day, fear relaxes toward the resident's baseline (group,
  lighting at home, trust in police) and then rises with each crime heard of.
- :func:`victims_fear`: at the event, a victimised resident (every member of a
  burgled household) grows more afraid. O(events).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from sim.config import BURGLARY, EV_TYPE, EV_VICTIM, FEAR, FEAR_SCALE
from sim.kernels.threads import use_parallel


@njit(cache=True, inline="always")
def _store(f: float) -> int:
    """Fear as its stored 16-bit step (clipped to 0..1, rounded half up)."""
    if f <= 0.0:
        return 0
    if f >= 1.0:
        return 65535
    return int(f * FEAR_SCALE + 0.5)


@njit(cache=True)
def _box_sum(counts: np.ndarray, width: int, height: int, radius: int,
             out: np.ndarray) -> None:
    pre = np.zeros((height + 1, width + 1), np.int64)
    for y in range(height):
        run = 0
        for x in range(width):
            run += counts[y * width + x]
            pre[y + 1, x + 1] = pre[y, x + 1] + run
    for y in range(height):
        y0 = max(0, y - radius)
        y1 = min(height, y + radius + 1)
        for x in range(width):
            x0 = max(0, x - radius)
            x1 = min(width, x + radius + 1)
            out[y * width + x] = pre[y1, x1] - pre[y0, x1] - pre[y1, x0] + pre[y0, x0]


def box_sum(counts: np.ndarray, width: int, height: int, radius: int) -> np.ndarray:
    """Crimes in the square of side ``2 radius + 1`` around every cell.

    The square is clipped at the city's edge (a wrapped city's news does not travel
    round the torus: neighbours talk about their own streets).

    Args:
        counts: Crimes per cell (flat, ``width * height``, integers >= 0).
        width: Grid width.
        height: Grid height.
        radius: Half-side of the square, in cells (0: the cell alone).

    Returns:
        int64 array, one sum per cell.

    Raises:
        ValueError: If the shapes or the radius are wrong.
    """
    if counts.ndim != 1 or counts.shape[0] != width * height:
        raise ValueError(f"counts must be flat with {width * height} cells")
    if radius < 0:
        raise ValueError("radius must be >= 0")
    out = np.zeros(width * height, np.int64)
    _box_sum(np.ascontiguousarray(counts, np.int64), width, height, int(radius), out)
    return out


@njit(cache=True, inline="always")
def _fear_of(i: int, fear: np.ndarray, home: np.ndarray, age: np.ndarray,
             female: np.ndarray, marginalised: np.ndarray, legitimacy: np.ndarray,
             lighting: np.ndarray, heard: np.ndarray, baseline: np.ndarray,
             female_extra: float, marginalised_extra: float, lighting_effect: float,
             trust_effect: float, legit_ref: float, keep: float, miss: float) -> int:
    c = home[i]
    target = (baseline[age[i]] + lighting_effect * (1.0 - lighting[c])
              - trust_effect * (legitimacy[i] - legit_ref))
    if female[i]:
        target += female_extra
    if marginalised[i]:
        target += marginalised_extra
    target = min(1.0, max(0.0, target))
    f = target + (fear[i] / FEAR_SCALE - target) * keep
    n = heard[c]
    if n > 0:
        f = 1.0 - (1.0 - f) * miss ** n
    return _store(f)


@njit(cache=True)
def _daily_fear(fear: np.ndarray, home: np.ndarray, age: np.ndarray, female: np.ndarray,
                marginalised: np.ndarray, legitimacy: np.ndarray, lighting: np.ndarray,
                heard: np.ndarray, baseline: np.ndarray, female_extra: float,
                marginalised_extra: float, lighting_effect: float, trust_effect: float,
                legit_ref: float, keep: float, heard_gain: float) -> None:
    miss = 1.0 - heard_gain
    for i in range(fear.shape[0]):
        fear[i] = _fear_of(i, fear, home, age, female, marginalised, legitimacy, lighting,
                           heard, baseline, female_extra, marginalised_extra,
                           lighting_effect, trust_effect, legit_ref, keep, miss)


@njit(cache=True, parallel=True)
def _daily_fear_parallel(fear: np.ndarray, home: np.ndarray, age: np.ndarray,
                         female: np.ndarray, marginalised: np.ndarray,
                         legitimacy: np.ndarray, lighting: np.ndarray, heard: np.ndarray,
                         baseline: np.ndarray, female_extra: float,
                         marginalised_extra: float, lighting_effect: float,
                         trust_effect: float, legit_ref: float, keep: float,
                         heard_gain: float) -> None:
    # Each resident alone (no reduction): the same values on any number of threads.
    miss = 1.0 - heard_gain
    for i in prange(fear.shape[0]):
        fear[i] = _fear_of(i, fear, home, age, female, marginalised, legitimacy, lighting,
                           heard, baseline, female_extra, marginalised_extra,
                           lighting_effect, trust_effect, legit_ref, keep, miss)


def daily_fear(fear: np.ndarray, home: np.ndarray, age: np.ndarray, female: np.ndarray,
               marginalised: np.ndarray, legitimacy: np.ndarray, lighting: np.ndarray,
               heard: np.ndarray, baseline: np.ndarray, female_extra: float,
               marginalised_extra: float, lighting_effect: float, trust_effect: float,
               legit_ref: float, keep: float, heard_gain: float) -> None:
    """One day of every resident's fear, in place.

    The rule, per resident ``i`` living in cell ``c``:

    1. baseline ``t = baseline[age] + female_extra (if female) + marginalised_extra
       (if marginalised) + lighting_effect * (1 - lighting[c]) - trust_effect *
       (legitimacy - legit_ref)``, clipped to 0..1: the groups' survey levels, raised
       on dark streets (Painter 1996) and lowered by trust in the police;
    2. fear relaxes toward it: ``f = t + (f - t) * keep`` (``keep = 0.5 **
       (1 / memory_days)``; ``keep = 0`` sets fear to the baseline);
    3. each crime heard of near home (``heard[c]``) moves fear ``heard_gain`` of the
       way to 1: ``f = 1 - (1 - f) * (1 - heard_gain) ** heard[c]``.

    Args:
        fear: Stored fear per resident (:data:`sim.config.FEAR`), updated in place.
        home: Home cell per resident.
        age: Age group code per resident (0 youth, 1 adult, 2 elderly).
        female: Whether each resident is female.
        marginalised: Whether each resident is marginalised.
        legitimacy: Each resident's trust in police (0..1).
        lighting: Lighting per cell (0..1).
        heard: Crimes heard of per cell since yesterday (:func:`box_sum`).
        baseline: Baseline fear of a man of each age group (3 values, 0..1).
        female_extra: Baseline added for women and girls.
        marginalised_extra: Baseline added for marginalised residents.
        lighting_effect: Baseline added per unit of darkness (1 - lighting) at home.
        trust_effect: Baseline removed per unit of legitimacy above ``legit_ref``.
        legit_ref: Legitimacy at which trust neither raises nor lowers fear.
        keep: Share of the distance from baseline kept after a day (0..1).
        heard_gain: Share of the way to 1 each crime heard of moves fear (0..1).

    Big populations are updated in parallel (``prange``; each resident alone, so the
    values do not depend on the thread count).

    Raises:
        ValueError: On wrong dtypes, shapes or out-of-range rates.
    """
    n = fear.shape[0]
    if fear.dtype != FEAR:
        raise ValueError(f"fear must be {np.dtype(FEAR).name}")
    for name, a in (("home", home), ("age", age), ("female", female),
                    ("marginalised", marginalised), ("legitimacy", legitimacy)):
        if a.shape != (n,):
            raise ValueError(f"{name} must have one entry per resident")
    if lighting.shape != heard.shape:
        raise ValueError("lighting and heard must have one entry per cell")
    if baseline.shape != (3,):
        raise ValueError("baseline must have one value per age group")
    if not (0.0 <= keep <= 1.0 and 0.0 <= heard_gain <= 1.0):
        raise ValueError("keep and heard_gain must be in [0, 1]")
    kernel = _daily_fear_parallel if use_parallel(n) else _daily_fear
    kernel(fear, home, age, female, marginalised, legitimacy, lighting, heard,
                np.asarray(baseline, np.float64), float(female_extra),
                float(marginalised_extra), float(lighting_effect), float(trust_effect),
                float(legit_ref), float(keep), float(heard_gain))


@njit(cache=True)
def _bump(fear: np.ndarray, i: int, gain: float) -> None:
    f = fear[i] / FEAR_SCALE
    fear[i] = _store(f + gain * (1.0 - f))


@njit(cache=True)
def _victims_fear(events: np.ndarray, n_events: int, fear: np.ndarray, hh_first: np.ndarray,
                  hh_size: np.ndarray, gain: float) -> None:
    for e in range(n_events):
        v = events[e, EV_VICTIM]
        if v < 0:
            continue
        if events[e, EV_TYPE] == BURGLARY:
            for i in range(hh_first[v], hh_first[v] + hh_size[v]):
                _bump(fear, i, gain)
        else:
            _bump(fear, v, gain)


def victims_fear(events: np.ndarray, n_events: int, fear: np.ndarray, hh_first: np.ndarray,
                 hh_size: np.ndarray, gain: float) -> None:
    """Victims of this tick's crimes grow afraid: ``f += gain * (1 - f)``, in place.

    A burglary's victim (``EV_VICTIM``) is a household, so every member is afraid; any
    other crime's is a resident, or -1 (nobody: gang violence against a rival who is
    no resident). Run after the consequences, which fill in the victims.

    Args:
        events: Event rows (:data:`sim.config.EVENT_FIELDS`).
        n_events: Rows of this tick.
        fear: Stored fear per resident, updated in place.
        hh_first: First resident of each household.
        hh_size: Members of each household.
        gain: Share of the way to 1 a victimisation moves fear (0..1).

    Raises:
        ValueError: On a wrong dtype or an out-of-range gain.
    """
    if fear.dtype != FEAR:
        raise ValueError(f"fear must be {np.dtype(FEAR).name}")
    if not 0.0 <= gain <= 1.0:
        raise ValueError("gain must be in [0, 1]")
    if n_events > events.shape[0]:
        raise ValueError("n_events exceeds the event rows")
    if n_events and fear.shape[0]:
        _victims_fear(events, int(n_events), fear, hh_first, hh_size, float(gain))


__all__ = ["box_sum", "daily_fear", "victims_fear"]
