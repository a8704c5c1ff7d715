"""Investigations with capacity: how much detective time a reported crime gets.

A reported crime that did not end in an arrest on the spot is a case for the
investigators. Their hours are limited, so the chance a case is solved depends on the
time it gets (Eck 1983; Greenwood, Chaiken & Petersilia 1977: most cases are solved by
what the victim and witnesses tell the first officers, and more effort helps only up
to the case's solvability). Investigators share their hours among the day's cases in
proportion to each crime type's standard effort, so every case gets the same share
``r`` of its standard effort::

    r = investigator hours a day / sum_k (reported cases of type k a day x effort_k)

and is solved with a probability that rises with ``r`` and saturates::

    p_k = clearance_k x (1 - exp(-r)) / (1 - exp(-r_ref)),

where ``clearance_k`` is the type's clearance probability at the reference ratio
``r_ref`` (``justice.clearance.<type>``) (so ``clearance_k / (1 - exp(-r_ref))`` is the type's
solvability, the ceiling no amount of effort passes). No investigators: ``r = 0``, no
case is solved. The victim's cooperation (Tyler & Fagan 2008: people who see the
police as legitimate help them more) scales a case's chance by
``1 + cooperation_slope x (legitimacy - reference)``, at least 0 (:func:`cooperation`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.config import BURGLARY


@njit(cache=True)
def effort_ratio(hours: float, demand: np.ndarray, effort: np.ndarray) -> float:
    """The share ``r`` of its standard effort a case gets (``inf``: no demand).

    Args:
        hours: Investigator hours a day.
        demand: Reported cases a day per crime type (a rolling mean).
        effort: Standard effort in hours per case, per crime type.
    """
    if hours <= 0.0:
        return 0.0
    need = 0.0
    for k in range(demand.shape[0]):
        need += demand[k] * effort[k]
    if need <= 0.0:
        return math.inf
    return hours / need


@njit(cache=True)
def capacity_factor(ratio: float, ref_ratio: float) -> float:
    """``(1 - exp(-ratio)) / (1 - exp(-ref_ratio))``: clearance relative to the reference."""
    return -math.expm1(-ratio) / -math.expm1(-ref_ratio)


@njit(cache=True)
def cooperation(p: float, legitimacy: float, legit_ref: float, slope: float) -> float:
    """A case's chance of being solved, given the reporting victim's legitimacy (<= 1)."""
    p *= max(0.0, 1.0 + slope * (legitimacy - legit_ref))
    return min(p, 1.0)


@njit(cache=True, inline="always")
def reporting_victim(kind: int, victim: int, hh_first: np.ndarray) -> int:
    """Whose cooperation counts: the victim, a burgled household's first member, or -1.

    The same resident who decided to report (:func:`sim.kernels.legitimacy.report`).
    """
    if victim < 0 or hh_first.shape[0] == 0:
        return -1
    return hh_first[victim] if kind == BURGLARY else victim


def update_demand(demand: np.ndarray, today: np.ndarray, keep: float, first: bool) -> None:
    """Roll the day's reported cases per type into ``demand`` (in place).

    An exponential mean: ``demand = keep x demand + (1 - keep) x today``; the first
    day's counts start it.
    """
    if first:
        demand[:] = today
    else:
        demand *= keep
        demand += (1.0 - keep) * today


__all__ = ["capacity_factor", "cooperation", "effort_ratio", "reporting_victim",
           "update_demand"]
