"""What follows a tick's crimes, in one compiled call.

Victims are recorded (:func:`victims.victimise`), victims decide whether to report
(:func:`legitimacy.report`), police and CCTV respond (:func:`arrest.respond`), victims
who reported learn the outcome (:func:`legitimacy.after_response`), transient
offenders leave (:func:`flows.remove_transient`), and the crimes are added to the
cell layers: the near-repeat input E, the crime counts and the reported-crime heat.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import EV_ARRESTED, EV_BRIBED, EV_CELL, EV_REPORTED, EV_TYPE
from sim.kernels.arrest import respond
from sim.kernels.flows import remove_transient
from sim.kernels.legitimacy import after_response, report
from sim.kernels.victims import victimise


@njit(cache=True)
def consequences(
    tick: int,
    events: np.ndarray,
    n_events: int,
    o_pos: np.ndarray,
    o_state: np.ndarray,
    o_active: np.ndarray,
    o_gang: np.ndarray,
    o_release: np.ndarray,
    o_arrests: np.ndarray,
    o_resident: np.ndarray,
    offender_of: np.ndarray,
    transient: bool,
    free_stack: np.ndarray,
    free_top: np.ndarray,
    grievance: np.ndarray,
    gang_radius: int,
    public_count: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    bystander_prob: float,
    hh_first: np.ndarray,
    hh_size: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    marginalised: np.ndarray,
    legitimacy: np.ndarray,
    victim_loss: float,
    victim_counts: np.ndarray,
    group_victims: np.ndarray,
    report_prob: np.ndarray,
    report_slope: float,
    legit_ref: float,
    officer_pos: np.ndarray,
    corrupt: np.ndarray,
    radius: int,
    detect_prob: float,
    arrest_prob: np.ndarray,
    bribe_prob: float,
    cctv: np.ndarray,
    cctv_detection: float,
    clearance_prob: np.ndarray,
    conviction_prob: float,
    jail_ticks: np.ndarray,
    district: np.ndarray,
    bribes_by_district: np.ndarray,
    fair_gain: float,
    unanswered_loss: float,
    width: int,
    near_repeat_types: np.ndarray,
    e_field: np.ndarray,
    crime_count: np.ndarray,
    reported_heat: np.ndarray,
    counts: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Process events ``0 .. n_events - 1``.

    ``counts`` receives, per crime type, the crimes (row 0), and in row 1 column 0..2
    the reported crimes, arrests and bribes. ``crime_count`` is ``(types, cells)``.
    """
    victimise(events, 0, n_events, o_pos, o_state, o_active, o_gang, o_resident, grievance,
              gang_radius,
              width, public_count, public_start, public_order, bystander_prob, hh_first, hh_size,
              age, female, marginalised, legitimacy, victim_loss, victim_counts,
              group_victims, rng)
    report(events, 0, n_events, legitimacy, hh_first, report_prob, report_slope, legit_ref,
           rng)
    respond(events, 0, n_events, tick, officer_pos, corrupt, radius, detect_prob, arrest_prob,
            bribe_prob, cctv, cctv_detection, clearance_prob, conviction_prob, jail_ticks,
            district, bribes_by_district, o_state, o_release, o_arrests, width, rng)
    after_response(events, 0, n_events, legitimacy, hh_first, hh_size, fair_gain,
                   unanswered_loss)
    if transient:
        remove_transient(events, 0, n_events, o_state, o_resident, offender_of, free_stack,
                         free_top)
    for e in range(n_events):
        k = events[e, EV_TYPE]
        c = events[e, EV_CELL]
        counts[0, k] += 1
        crime_count[k, c] += 1
        if near_repeat_types[k]:
            e_field[c] += 1.0
        if events[e, EV_REPORTED]:
            counts[1, 0] += 1
            reported_heat[c] += 1.0
        counts[1, 1] += events[e, EV_ARRESTED]
        counts[1, 2] += events[e, EV_BRIBED]
