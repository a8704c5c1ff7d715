"""The illicit market: gangs sell protection to businesses and buy officers with it.

Organised crime is an industry of protection (Gambetta 1993; Varese 2011): a gang
that holds a territory makes its businesses pay, and spends part of what they pay on
the police. Three daily kernels, called by :mod:`sim.crime.market`:

- :func:`gang_turf`: the gang members free on their own gang's turf, by district (a
  CSR list of slots and their summed motivation, the gang's strength there).
- :func:`extort`: every business in a gang's territory is approached with hazard
  ``approach_rate x (motivation of the gang's free members in the district)``; it pays
  with ``pay_prob x (1 - trust_refusal x L_d) / (1 + police_effect x honest officers
  in the district)``; one that refuses reports with ``min(1, report_gain x L_d)``;
  a reported case is cleared with ``clearance`` and falls to one officer drawn at
  random, who drops it for a bribe if corrupt (``bribe_prob``, as in
  :mod:`sim.kernels.arrest`); otherwise one of the gang's members on that turf is
  arrested and jailed with ``conviction_prob`` for an exponential term.
- :func:`corrupt_officers`: each corrupt officer leaves corruption with ``exit_prob``
  (turnover, routine discipline); each honest officer standing in a gang's territory
  is bought with hazard ``rate x revenue of that gang / 1000``.

Every draw comes from the model's generator in a fixed order (documented on each
kernel), so the numpy twins of ``tests/kernels/test_illicit_market.py`` replay it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import FREE, JAILED, NO_GANG

#: Indices of the day's counts filled by :func:`extort`.
ATTEMPTS, PAYMENTS, REPORTED, CLEARED, BRIBED, ARRESTS, JAILINGS = range(7)
N_COUNTS = 7


@njit(cache=True)
def gang_turf(o_state: np.ndarray, o_gang: np.ndarray, o_pos: np.ndarray,
              o_motivation: np.ndarray, district: np.ndarray, territory: np.ndarray,
              start: np.ndarray, members: np.ndarray, strength: np.ndarray) -> int:
    """List the free gang members standing on their own gang's turf, by district.

    Fills ``start`` (districts + 1 offsets), ``members`` (slots, ascending within a
    district; sized to the pool) and ``strength`` (summed motivation per district).
    Returns how many members were listed. No draws.
    """
    n_d = start.shape[0] - 1
    count = np.zeros(n_d + 1, np.int64)
    strength[:] = 0.0
    for i in range(o_state.shape[0]):
        g = o_gang[i]
        if o_state[i] != FREE or g == NO_GANG:
            continue
        d = district[o_pos[i]]
        if territory[d] == g:
            count[d + 1] += 1
            strength[d] += o_motivation[i]
    start[0] = 0
    for d in range(n_d):
        start[d + 1] = start[d] + count[d + 1]
    fill = start[:n_d].copy()
    for i in range(o_state.shape[0]):
        g = o_gang[i]
        if o_state[i] != FREE or g == NO_GANG:
            continue
        d = district[o_pos[i]]
        if territory[d] == g:
            members[fill[d]] = i
            fill[d] += 1
    return int(start[n_d])


@njit(cache=True)
def extort(
    business_cells: np.ndarray, businesses: np.ndarray, district: np.ndarray,
    territory: np.ndarray, start: np.ndarray, members: np.ndarray, strength: np.ndarray,
    honest_in_district: np.ndarray, legit_district: np.ndarray, corrupt: np.ndarray,
    o_state: np.ndarray, o_release: np.ndarray, o_arrests: np.ndarray,
    o_motivation: np.ndarray, tick: int, approach_rate: float, pay_prob: float,
    police_effect: float, trust_refusal: float, report_gain: float, clearance: float,
    bribe_prob: float, conviction_prob: float, jail_ticks: float, payment: float,
    revenue: np.ndarray, bribes_by_district: np.ndarray, counts: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """One day of protection rackets over the business cells, in the order given.

    Draws, per business (``businesses[k]`` of them in cell ``business_cells[k]``) of a
    cell in a gang's territory whose district has members listed: one uniform for the
    approach; if approached one for paying; if refusing one for reporting; if reported
    one for clearance; if cleared and the force has officers one for the case officer
    (and one for his bribe if he is corrupt); then, if a member is listed, one for
    which member is arrested and one for conviction (and one for the term if
    convicted). An arrested member leaves the district's list (swapped with its last)
    and his motivation leaves its strength, so the approach hazard falls at once.

    Adds to ``revenue[gang]`` (``payment`` per payment), ``bribes_by_district`` (a
    dropped case is bribe news, as in :mod:`sim.kernels.arrest`) and ``counts``
    (:data:`ATTEMPTS` .. :data:`JAILINGS`).
    """
    n_off = corrupt.shape[0]
    count = np.zeros(start.shape[0] - 1, np.int64)
    for d in range(count.shape[0]):
        count[d] = start[d + 1] - start[d]
    for k in range(business_cells.shape[0]):
        c = business_cells[k]
        d = district[c]
        g = territory[d]
        if g == NO_GANG:
            continue
        legit = legit_district[d]
        p_pay = pay_prob * (1.0 - trust_refusal * legit) / (
            1.0 + police_effect * honest_in_district[d])
        p_report = min(1.0, report_gain * legit)
        for _ in range(businesses[k]):
            if count[d] == 0:
                break
            p_approach = 1.0 - np.exp(-approach_rate * max(strength[d], 0.0))
            if rng.random() >= p_approach:
                continue
            counts[ATTEMPTS] += 1
            if rng.random() < p_pay:
                counts[PAYMENTS] += 1
                revenue[g] += payment
                continue
            if rng.random() >= p_report:
                continue
            counts[REPORTED] += 1
            if rng.random() >= clearance:
                continue
            counts[CLEARED] += 1
            if n_off > 0:
                j = int(rng.random() * n_off)
                if corrupt[j] and rng.random() < bribe_prob:
                    counts[BRIBED] += 1
                    bribes_by_district[d] += 1
                    continue
            m = count[d]
            pick = start[d] + int(rng.random() * m)
            last = start[d] + m - 1
            slot = members[pick]
            members[pick] = members[last]
            members[last] = slot
            count[d] = m - 1
            strength[d] -= o_motivation[slot]
            counts[ARRESTS] += 1
            o_arrests[slot] += 1
            if rng.random() < conviction_prob:
                term = max(1, int(-np.log(1.0 - rng.random()) * jail_ticks + 0.5))
                o_state[slot] = JAILED
                o_release[slot] = tick + term
                counts[JAILINGS] += 1


@njit(cache=True)
def corrupt_officers(pos: np.ndarray, corrupt: np.ndarray, district: np.ndarray,
                     territory: np.ndarray, revenue: np.ndarray, rate: float,
                     exit_prob: float, rng: np.random.Generator) -> tuple[int, int]:
    """One day of officers bought by the gangs and of corrupt officers leaving.

    In officer order: a corrupt officer draws one uniform and turns honest with
    ``exit_prob``; an honest officer whose cell lies in a gang's territory, that gang
    having revenue, draws one uniform and turns corrupt with ``1 - exp(-rate x
    revenue / 1000)``. Others draw nothing. Returns ``(corrupted, exited)``.
    """
    n_new = 0
    n_exit = 0
    for j in range(pos.shape[0]):
        if corrupt[j]:
            if rng.random() < exit_prob:
                corrupt[j] = False
                n_exit += 1
            continue
        g = territory[district[pos[j]]]
        if g == NO_GANG or revenue[g] <= 0.0:
            continue
        if rng.random() < 1.0 - np.exp(-rate * revenue[g] / 1000.0):
            corrupt[j] = True
            n_new += 1
    return n_new, n_exit


__all__ = ["ARRESTS", "ATTEMPTS", "BRIBED", "CLEARED", "JAILINGS", "N_COUNTS", "PAYMENTS",
           "REPORTED", "corrupt_officers", "extort", "gang_turf"]
