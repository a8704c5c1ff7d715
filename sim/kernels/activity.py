"""Offender activity: who is out this hour (routine activities of offenders).

Offenders, like everyone, have routines: most offending happens in the evening and at
night (Felson & Boba 2010). Each hour a free offender is out with the hour's
probability; one who goes out starts from home, so journeys to crime begin at the
anchor point and decay with distance (Brantingham & Brantingham 1993). Short et al.'s
burglars are always out.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import FREE


@njit(cache=True)
def activate(
    o_state: np.ndarray,
    o_active: np.ndarray,
    o_acted: np.ndarray,
    o_pos: np.ndarray,
    o_home: np.ndarray,
    p_active: float,
    always: bool,
    rng: np.random.Generator,
) -> int:
    """Decide who is out this hour and clear the "offended this tick" flags.

    One uniform per free offender unless ``always``. Offenders who stay in are placed
    at home. Returns the number out.
    """
    n = 0
    for i in range(o_state.shape[0]):
        o_acted[i] = False
        if o_state[i] != FREE:
            o_active[i] = False
            continue
        if always:
            o_active[i] = True
        else:
            was = o_active[i]
            o_active[i] = rng.random() < p_active
            if (not o_active[i] or not was) and o_home[i] >= 0:
                o_pos[i] = o_home[i]
        if o_active[i]:
            n += 1
    return n
