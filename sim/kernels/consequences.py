"""What follows a tick's crimes, in one compiled call.

Victims are recorded (:func:`victims.victimise`), each crime's setting, victim's
home and journey length are filled in (:func:`event_context.annotate`), victims
decide whether to report (:func:`legitimacy.report`), police and CCTV respond
(:func:`arrest.respond`), victims who reported learn the outcome
(:func:`legitimacy.after_response`), transient offenders leave
(:func:`flows.remove_transient`), and the crimes are added to the cell layers: the
near-repeat input E, the crime counts and the reported-crime heat.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import EV_ARRESTED, EV_BRIBED, EV_CELL, EV_REPORTED, EV_TYPE
from sim.kernels.arrays import CellArrays, OffenderArrays, PoliceArrays, ResidentArrays, TypeRates
from sim.kernels.arrest import respond
from sim.kernels.court import CourtArrays
from sim.kernels.event_context import annotate
from sim.kernels.flows import remove_transient
from sim.kernels.legitimacy import after_response, report
from sim.kernels.victims import victimise


@njit(cache=True)
def consequences(
    tick: int,
    events: np.ndarray,
    n_events: int,
    packed_off: tuple,
    packed_res: tuple,
    packed_police: tuple,
    packed_cells: tuple,
    packed_rates: tuple,
    grievance: np.ndarray,
    bribes_by_district: np.ndarray,
    group_victims: np.ndarray,
    counts: np.ndarray,
    transient: bool,
    gang_radius: int,
    bystander_prob: float,
    victim_loss: float,
    report_slope: float,
    legit_ref: float,
    radius: int,
    detect_prob: float,
    bribe_prob: float,
    cctv_detection: float,
    conviction_prob: float,
    fair_gain: float,
    unanswered_loss: float,
    cell_size_m: float,
    rng: np.random.Generator,
    jparams: np.ndarray,
    packed_court: tuple,
    jcounts: np.ndarray,
) -> None:
    """Process events ``0 .. n_events - 1``.

    ``counts`` receives, per crime type, the crimes (row 0), and in row 1 column 0..2
    the reported crimes, arrests and bribes. The crimes are added to
    ``cells.crime_count`` (``(types, cells)``), ``cells.reported_heat`` and, for the
    types in ``rates.near_repeat``, to ``cells.e_field``. The containers come packed
    (plain tuples in the field order of the named tuples; see :mod:`sim.kernels.arrays`).
    ``jparams``, ``packed_court`` (a :class:`sim.kernels.court.CourtArrays`, packed) and
    ``jcounts``: capacity-limited justice (:func:`arrest.respond`).
    """
    off = OffenderArrays(*packed_off)
    res = ResidentArrays(*packed_res)
    police = PoliceArrays(*packed_police)
    cells = CellArrays(*packed_cells)
    rates = TypeRates(*packed_rates)
    victimise(events, 0, n_events, off, res, grievance, gang_radius, cells.width,
              bystander_prob, victim_loss, group_victims, rng)
    annotate(events, 0, n_events, res.home, res.state, res.travelling, res.hh_first,
             cells.land_use, cells.width, cells.height, cells.periodic, cell_size_m)
    report(events, 0, n_events, res.legitimacy, res.hh_first, rates.report, report_slope,
           legit_ref, rng)
    respond(events, 0, n_events, tick, police, off, cells, rates, radius, detect_prob,
            bribe_prob, cctv_detection, conviction_prob, bribes_by_district, rng,
            res.legitimacy, res.hh_first, legit_ref, jparams, CourtArrays(*packed_court),
            jcounts)
    after_response(events, 0, n_events, res.legitimacy, res.hh_first, res.hh_size, fair_gain,
                   unanswered_loss)
    if transient:
        remove_transient(events, 0, n_events, off.state, off.resident, res.offender_of,
                         off.free_stack, off.free_top)
    crime_count, reported_heat, e_field = cells.crime_count, cells.reported_heat, cells.e_field
    near_repeat = rates.near_repeat
    for e in range(n_events):
        k = events[e, EV_TYPE]
        c = events[e, EV_CELL]
        counts[0, k] += 1
        crime_count[k, c] += 1
        if near_repeat[k]:
            e_field[c] += 1.0
        if events[e, EV_REPORTED]:
            counts[1, 0] += 1
            reported_heat[c] += 1.0
        counts[1, 1] += events[e, EV_ARRESTED]
        counts[1, 2] += events[e, EV_BRIBED]
