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
from sim.kernels.movement import walk
from sim.kernels.offending import offend


@njit(cache=True)
def offender_hour(
    tick: int,
    night: bool,
    dt: float,
    moves: int,
    p_active: float,
    always_active: bool,
    o_pos: np.ndarray,
    o_state: np.ndarray,
    o_active: np.ndarray,
    o_acted: np.ndarray,
    o_motivation: np.ndarray,
    o_gang: np.ndarray,
    o_resident: np.ndarray,
    o_home: np.ndarray,
    r_vuln: np.ndarray,
    r_vuln_row: np.ndarray,
    r_legitimacy: np.ndarray,
    r_enrolled_until: np.ndarray,
    public_count: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    cell_hh_start: np.ndarray,
    cell_hh_count: np.ndarray,
    household_home: np.ndarray,
    hh_vuln: np.ndarray,
    hh_vuln_row: np.ndarray,
    abstract_houses: bool,
    land_use: np.ndarray,
    a0: np.ndarray,
    b: np.ndarray,
    lighting: np.ndarray,
    guardianship: np.ndarray,
    police_field: np.ndarray,
    rate: np.ndarray,
    darkness: np.ndarray,
    crowd: float,
    compliance: float,
    enrolled_effect: float,
    tension: np.ndarray,
    gang_radius: int,
    events: np.ndarray,
    width: int,
    height: int,
    periodic: bool,
    n_neighbours: int,
    home_decay: float,
    awareness: float,
    moving: np.ndarray,
    rng: np.random.Generator,
) -> tuple[int, int]:
    """Run the offenders' tick; returns (offenders out, events written from row 0).

    Each of the ``moves`` rounds uses hazard time ``dt / moves``; an offender who
    commits a crime stops for the rest of the tick.
    """
    n_active = activate(o_state, o_active, o_acted, o_pos, o_home, p_active, always_active,
                        rng)
    n_events = 0
    dt_sub = dt / moves
    for _ in range(moves):
        n_events = offend(tick, night, dt_sub, o_pos, o_state, o_active, o_acted,
                          o_motivation, o_gang, o_resident, o_home, r_vuln, r_vuln_row,
                          r_legitimacy, r_enrolled_until, public_count, public_start,
                          public_order, cell_hh_start, cell_hh_count, household_home,
                          hh_vuln, hh_vuln_row, abstract_houses, land_use, a0, b, lighting,
                          guardianship, police_field, rate, darkness, crowd, compliance,
                          enrolled_effect, tension, gang_radius, width, events, n_events, rng)
        for i in range(o_state.shape[0]):
            moving[i] = o_active[i] and not o_acted[i] and o_state[i] == FREE
        walk(o_pos, o_home, moving, a0, b, width, height, periodic, n_neighbours, home_decay,
             awareness, rng)
    return n_active, n_events
