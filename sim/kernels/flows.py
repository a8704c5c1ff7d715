"""Offender flows: recruitment, release from jail, desistance, transient burglars.

Offenders live in a fixed pool of slots (DEAD slots are free). A stack of free slots
(``free_stack[:free_top[0]]``) makes adding and removing O(1) and deterministic.

- Recruitment (daily): an at-risk young resident becomes an offender with hazard
  ``rate * (1 + dep_gain * deprivation) * (1 + gang_gain[gang] * gang territory)
  * (1 - legitimacy) * (1 - programme effect)`` (Sampson, Raudenbush & Earls 1997;
  Thornberry et al. 2003 on gangs); in gang territory the recruit may join the gang.
- Release: a jailed offender walks free at the end of the term.
- Desistance (daily): most offenders age out (Laub & Sampson 2003); programmes speed it.
  Domestic abusers (:mod:`sim.kernels.domestic`) neither desist nor are recruited here:
  they keep their slot for the run, out of it only while jailed.
- Transient burglars (Short et al. 2008): spawned at rate Gamma per cell, removed
  after one burglary.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import DEAD, EV_OFFENDER, FREE, JAILED, NO_GANG, STREET_OFFENDER, YOUTH
from sim.kernels.arrays import OffenderArrays


@njit(cache=True, inline="always")
def _pop(free_stack: np.ndarray, free_top: np.ndarray) -> int:
    if free_top[0] == 0:
        return -1
    free_top[0] -= 1
    return free_stack[free_top[0]]


@njit(cache=True, inline="always")
def _push(slot: int, free_stack: np.ndarray, free_top: np.ndarray) -> None:
    free_stack[free_top[0]] = slot
    free_top[0] += 1


@njit(cache=True)
def release(o_state: np.ndarray, o_release: np.ndarray, tick: int) -> int:
    """Free every jailed offender whose term has ended; returns how many."""
    n = 0
    for i in range(o_state.shape[0]):
        if o_state[i] == JAILED and o_release[i] <= tick:
            o_state[i] = FREE
            n += 1
    return n


@njit(cache=True)
def desist(
    off: OffenderArrays,
    offender_of: np.ndarray,
    enrolled_until: np.ndarray,
    tick: int,
    p_day: float,
    boost: float,
    rng: np.random.Generator,
) -> int:
    """Let free offenders desist (daily); returns how many did.

    Each stops with ``p_day`` (times ``boost`` while enrolled in a programme). One
    uniform per free street offender: domestic abusers keep their slot (abuse within a
    relationship persists; a run is a year or a few). The slot returns to the pool's free stack.
    """
    n = 0
    o_state, o_resident, o_kind = off.state, off.resident, off.kind
    for i in range(o_state.shape[0]):
        if o_state[i] != FREE or o_kind[i] != STREET_OFFENDER:
            continue
        p = p_day
        r = o_resident[i]
        if r >= 0 and enrolled_until[r] > tick:
            p = min(1.0, p * boost)
        if rng.random() < p:
            o_state[i] = DEAD
            if r >= 0:
                offender_of[r] = -1
            o_resident[i] = -1
            _push(i, off.free_stack, off.free_top)
            n += 1
    return n


@njit(cache=True)
def recruit(
    age: np.ndarray,
    home: np.ndarray,
    cell_deprivation: np.ndarray,
    cell_district: np.ndarray,
    legitimacy: np.ndarray,
    enrolled_until: np.ndarray,
    offender_of: np.ndarray,
    gang_of_district: np.ndarray,
    tick: int,
    rate: float,
    dep_gain: float,
    gang_gain: np.ndarray,
    programme_effect: float,
    gang_join: float,
    motivation_mean: float,
    motivation_shape: float,
    off: OffenderArrays,
    rng: np.random.Generator,
) -> int:
    """Daily recruitment of young residents into offending; returns recruits placed.

    One uniform per eligible youth; for each recruit a gamma motivation and, in gang
    territory, one uniform for gang joining. Stops quietly when no slot is free (the
    model grows the pool before that happens). A reused slot starts with no arrests.
    Deprivation and district are read from the cell layers through each home.
    ``gang_gain`` is per gang (the illicit market scales it by revenue,
    :mod:`sim.crime.market`; without it every gang's is ``flows.recruitment_gang``).
    """
    n = 0
    for i in range(age.shape[0]):
        if age[i] != YOUTH or offender_of[i] >= 0:
            continue
        c = home[i]
        g = gang_of_district[cell_district[c]]
        hz = rate * (1.0 + dep_gain * cell_deprivation[c]) * (1.0 - legitimacy[i])
        if g != NO_GANG:
            hz *= 1.0 + gang_gain[g]
        if enrolled_until[i] > tick:
            hz *= 1.0 - programme_effect
        if rng.random() >= 1.0 - np.exp(-hz):
            continue
        slot = _pop(off.free_stack, off.free_top)
        if slot < 0:
            break
        off.state[slot] = FREE
        off.pos[slot] = c
        off.home[slot] = c
        off.motivation[slot] = rng.gamma(motivation_shape, motivation_mean / motivation_shape)
        off.gang[slot] = g if (g != NO_GANG and rng.random() < gang_join) else NO_GANG
        off.resident[slot] = i
        off.born[slot] = tick
        off.arrests[slot] = 0
        offender_of[i] = slot
        n += 1
    return n


@njit(cache=True)
def remove_transient(
    events: np.ndarray, first: int, n_events: int, o_state: np.ndarray,
    o_resident: np.ndarray, offender_of: np.ndarray,
    free_stack: np.ndarray, free_top: np.ndarray,
) -> int:
    """Remove the offenders of events ``first .. n_events - 1`` (Short et al.'s rule).

    A removed offender who was a resident becomes an ordinary resident again (the
    links both ways are cleared), so the slot can be reused safely.
    """
    n = 0
    for e in range(first, n_events):
        i = events[e, EV_OFFENDER]
        if o_state[i] != DEAD:
            o_state[i] = DEAD
            r = o_resident[i]
            if r >= 0:
                offender_of[r] = -1
                o_resident[i] = -1
            _push(i, free_stack, free_top)
            n += 1
    return n


@njit(cache=True)
def spawn(cells: np.ndarray, tick: int, packed_off: tuple) -> int:
    """Place one new transient burglar at each of ``cells``; returns how many fit.

    ``packed_off``: the offender pool, packed (an :class:`OffenderArrays` in field
    order; see :mod:`sim.kernels.arrays`).
    """
    off = OffenderArrays(*packed_off)
    n = 0
    for c in cells:
        slot = _pop(off.free_stack, off.free_top)
        if slot < 0:
            break
        off.state[slot] = FREE
        off.pos[slot] = c
        off.home[slot] = -1
        off.motivation[slot] = 1.0
        off.gang[slot] = NO_GANG
        off.resident[slot] = -1
        off.born[slot] = tick
        off.arrests[slot] = 0
        n += 1
    return n
