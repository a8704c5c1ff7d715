"""Social services: outreach workers enrol at-risk youth in programmes.

Workers walk their district in working hours (the community-patrol walk) and visit
homes in the cell they are in. A young resident who is at home and at risk -- a
deprived home, marginalised, or already offending -- enrols with ``enrol_prob`` while
the worker's caseload has room. Enrolment lasts a programme length; while enrolled,
a youth is less likely to be recruited and, if offending, offends less and desists
sooner (Heller 2014; Heller et al. 2017: mentoring/CBT and summer jobs).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import AT_HOME, YOUTH


@njit(cache=True)
def outreach(
    worker_pos: np.ndarray,
    caseload: np.ndarray,
    capacity: int,
    contacts: int,
    cell_res_start: np.ndarray,
    cell_res_count: np.ndarray,
    age: np.ndarray,
    state: np.ndarray,
    marginalised: np.ndarray,
    home: np.ndarray,
    cell_deprivation: np.ndarray,
    offender_of: np.ndarray,
    at_risk_deprivation: float,
    enrol_prob: float,
    tick: int,
    programme_ticks: int,
    enrolled_until: np.ndarray,
    enrolled_by: np.ndarray,
    rng: np.random.Generator,
) -> int:
    """Each worker makes ``contacts`` home visits in its cell.

    Draws two uniforms per visit (who, and whether they enrol) whenever the cell has
    residents, whether or not the visit succeeds, so the draw count depends only on
    where workers are. A youth whose programme has ended but not yet been closed by
    :func:`expire_enrolments` is closed here first (freeing the old worker's slot).
    A home's deprivation is read from the city's layer (``cell_deprivation[home[i]]``).
    Returns the net change in the number of youth enrolled.
    """
    enrolled = 0
    for w in range(worker_pos.shape[0]):
        c = worker_pos[w]
        n = cell_res_count[c]
        if n == 0:
            continue
        for _ in range(contacts):
            i = cell_res_start[c] + int(rng.random() * n)
            u = rng.random()
            if caseload[w] >= capacity or age[i] != YOUTH or state[i] != AT_HOME:
                continue
            if enrolled_until[i] > tick:
                continue
            at_risk = (cell_deprivation[home[i]] >= at_risk_deprivation or marginalised[i]
                       or offender_of[i] >= 0)
            if at_risk and u < enrol_prob:
                enrolled += enrol(i, w, tick, programme_ticks, enrolled_until, enrolled_by,
                                  caseload)
    return enrolled


@njit(cache=True)
def enrol(
    i: int,
    w: int,
    tick: int,
    programme_ticks: int,
    enrolled_until: np.ndarray,
    enrolled_by: np.ndarray,
    caseload: np.ndarray,
) -> int:
    """Enrol youth ``i`` with worker ``w`` for a programme from ``tick``.

    The one place that keeps the enrolment books, for street outreach
    (:func:`outreach`) and for police referrals
    (:func:`sim.kernels.referrals.enrol_referred`), so the two cannot drift apart. The
    caller has checked that ``i`` is not enrolled now and that ``w`` has room. A
    programme that has ended but that :func:`expire_enrolments` has not yet closed is
    closed first, freeing its worker's slot, so every caseload counts each youth once.
    No random draws.

    Returns:
        The net change in the number of youth enrolled: 1, or 0 when an ended
        programme was closed to make way.
    """
    change = 0
    if enrolled_by[i] >= 0:  # an ended programme not yet closed
        caseload[enrolled_by[i]] -= 1
        change -= 1
    enrolled_until[i] = tick + programme_ticks
    enrolled_by[i] = w
    caseload[w] += 1
    change += 1
    return change


@njit(cache=True)
def expire_enrolments(
    tick: int, enrolled_until: np.ndarray, enrolled_by: np.ndarray, caseload: np.ndarray,
) -> int:
    """Close finished programmes and free the workers' caseload; returns how many."""
    done = 0
    for i in range(enrolled_by.shape[0]):
        w = enrolled_by[i]
        if w >= 0 and enrolled_until[i] <= tick:
            caseload[w] -= 1
            enrolled_by[i] = -1
            done += 1
    return done
