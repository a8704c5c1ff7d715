"""The offenders' hour: who is out, then ``moves`` rounds of "try to offend, then walk".

This composes :func:`activity.activate`, :func:`offending.offend` and
:func:`movement.walk` in one compiled call, so the model pays the Python-to-numba
call cost once per tick rather than twice per move. With one move per tick it is
Short et al.'s step: each burglar burgles with ``1 - exp(-A dt)``, else moves.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import FREE
from sim.kernels.activity import activate
from sim.kernels.arrays import CellArrays, OffenderArrays, ResidentArrays, TypeRates
from sim.kernels.awareness import AwarenessArrays, start_hour, travel_round
from sim.kernels.domestic import P_ACQUAINTANCE, P_ENABLED, domestic_hour
from sim.kernels.movement import walk
from sim.kernels.offending import offend


@njit(cache=True)
def offender_hour(
    tick: int,
    night: bool,
    p_active: float,
    packed_off: tuple,
    packed_res: tuple,
    packed_cells: tuple,
    packed_rates: tuple,
    abstract_houses: bool,
    dt: float,
    moves: int,
    always_active: bool,
    crowd: float,
    compliance: float,
    enrolled_effect: float,
    grievance: np.ndarray,
    retaliation: float,
    tension: np.ndarray,
    gang_radius: int,
    n_neighbours: int,
    home_decay: float,
    awareness: float,
    relations: np.ndarray,
    events: np.ndarray,
    moving: np.ndarray,
    rng: np.random.Generator,
    packed_aw: tuple,
    aw_on: bool,
    transit: float = 1.0,
    risk_sens: float = 0.0,
    avoid: float = 0.0,
    risk_ref: float = 0.0,
) -> tuple[int, int]:
    """Run the offenders' tick; returns (offenders out, events written from row 0).

    Each of the ``moves`` rounds uses hazard time ``dt / moves``; an offender who
    commits a crime stops for the rest of the tick. First the gangs' ``tension`` (out)
    is set to ``1 + retaliation * grievance``. With ``relations[P_ENABLED]`` domestic
    abusers then offend at home (:func:`domestic.domestic_hour`: they never go out) and
    street offenders may pick people they know (``relations[P_ACQUAINTANCE]``). The
    containers come packed (plain
    tuples in the field order of :class:`OffenderArrays`, :class:`ResidentArrays`,
    :class:`CellArrays` and :class:`TypeRates`; see :mod:`sim.kernels.arrays`).

    With ``aw_on`` (the awareness space, :mod:`sim.kernels.awareness`; never with
    ``always_active``) outings replace the hourly coin toss: starters travel along
    their line to the anchor in the rounds of their first hour, the others walk with
    the distance decay and radius measured from their anchor instead of home.
    ``packed_aw`` is an :class:`AwarenessArrays`, packed; unread when ``aw_on`` is false.
    ``transit``: the share of a travel hour a resident on their way is on the street
    (their weight as a target; 1: the whole hour). ``risk_sens``, ``risk_ref``
    and ``avoid``: deterrence by perceived risk relative to the prior, and avoidance of
    police presence (``deterrence.sensitivity``, ``prior_risk`` and ``avoidance``; 0: off).
    """
    off = OffenderArrays(*packed_off)
    res = ResidentArrays(*packed_res)
    cells = CellArrays(*packed_cells)
    rates = TypeRates(*packed_rates)
    aw = AwarenessArrays(*packed_aw)
    travel = np.zeros(moving.shape[0], np.bool_) if aw_on else moving
    if aw_on:
        n_active = start_hour(off.state, off.active, off.acted, off.pos, off.home, off.gang,
                              off.kind, off.resident, p_active, aw, travel, rng)
    else:
        n_active = activate(off.state, off.active, off.acted, off.pos, off.home, p_active,
                            always_active, rng)
    for g in range(grievance.shape[0]):
        for h in range(grievance.shape[1]):
            tension[g, h] = grievance[g, h] * retaliation + 1.0
    o_state, o_active, o_acted = off.state, off.active, off.acted
    n_events = 0
    if relations[P_ENABLED] > 0.0:  # domestic abusers stay in and offend at home
        n_events, n_in = domestic_hour(tick, night, dt, off, res.state, res.home,
                                       res.legitimacy, compliance, relations, events, 0, rng,
                                       risk_sens, risk_ref)
        n_active -= n_in
    know = relations[P_ENABLED] > 0.0
    acquaintance = relations[P_ACQUAINTANCE]
    dt_sub = dt / moves
    for rnd in range(moves):
        if aw_on:
            travel_round(rnd, moves, off.pos, off.home, aw.anchor, travel, cells.width)
        n_events = offend(tick, night, dt_sub, off, res, cells, rates, abstract_houses, crowd,
                          compliance, enrolled_effect, tension, gang_radius, events, n_events,
                          rng, acquaintance, know, transit, risk_sens, risk_ref)
        for i in range(o_state.shape[0]):
            moving[i] = o_active[i] and not o_acted[i] and o_state[i] == FREE
        if aw_on:
            for i in range(o_state.shape[0]):
                if not moving[i]:
                    travel[i] = False  # offended or arrested: the journey stops here
                elif travel[i]:
                    moving[i] = False  # on the line: the next round steps along it
            walk(off.pos, aw.anchor, moving, cells.a0, cells.b, cells.width, cells.height,
                 cells.periodic, n_neighbours, home_decay, awareness, rng,
                 cells.police_field, avoid)
        else:
            walk(off.pos, off.home, moving, cells.a0, cells.b, cells.width, cells.height,
                 cells.periodic, n_neighbours, home_decay, awareness, rng,
                 cells.police_field, avoid)
    return n_active, n_events
