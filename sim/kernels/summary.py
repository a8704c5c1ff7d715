"""Per-tick summaries for the metrics: group means, offender head counts."""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import ADULT, ELDERLY, FREE, JAILED, NO_GANG, YOUTH


@njit(cache=True)
def group_means(
    values: np.ndarray, age: np.ndarray, female: np.ndarray, marginalised: np.ndarray,
    out: np.ndarray,
) -> None:
    """Write the mean of ``values`` for each group into ``out`` (NaN if empty).

    Groups: everyone, youth, adults, elderly, women and girls, men and boys,
    marginalised residents.
    """
    sums = np.zeros(7)
    counts = np.zeros(7)
    for i in range(values.shape[0]):
        v = values[i]
        sums[0] += v
        counts[0] += 1.0
        a = age[i]
        g = 1 if a == YOUTH else (2 if a == ADULT else (3 if a == ELDERLY else -1))
        if g > 0:
            sums[g] += v
            counts[g] += 1.0
        g = 4 if female[i] else 5
        sums[g] += v
        counts[g] += 1.0
        if marginalised[i]:
            sums[6] += v
            counts[6] += 1.0
    for g in range(7):
        out[g] = sums[g] / counts[g] if counts[g] > 0.0 else np.nan


@njit(cache=True)
def offender_counts(state: np.ndarray, gang: np.ndarray) -> tuple[int, int, int]:
    """(free, jailed, gang members free or jailed) in the offender pool."""
    free = 0
    jailed = 0
    members = 0
    for i in range(state.shape[0]):
        if state[i] == FREE:
            free += 1
        elif state[i] == JAILED:
            jailed += 1
        else:
            continue
        if gang[i] != NO_GANG:
            members += 1
    return free, jailed, members
