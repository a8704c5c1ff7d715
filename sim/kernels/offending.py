"""Offending and victim choice: a motivated offender, a suitable target, no guardian.

For an active free offender at cell ``c`` the hazard of crime type ``k`` is

    h_k = rate_k * A_c * S_k(c) * dark_k(c) * exp(-(P_c + G_c)) * M_i * crowd_k(c)

- ``A_c = A0_c + B_c``: attractiveness, static plus near-repeat (Short et al. 2008);
- ``S_k``: target suitability, the vulnerability-weighted targets present: empty
  households for burglary, people in public for robbery, assault and sexual violence,
  active rival gang members within ``gang_radius`` cells, each weighted by
  ``1 + retaliation * grievance[own gang, their gang]`` (tension), for gang violence;
- ``dark_k = 1 + darkness_k * (1 - lighting_c)`` at night (Welsh & Farrington 2008);
- ``P_c``: police deterrence within the deterrence radius; ``G_c``: standing
  guardianship (private security, CCTV, residents' cooperation);
- ``M_i = motivation * (1 - compliance * legitimacy_i) * (1 - enrolled effect)``;
- ``crowd_k = 1 / (1 + crowd * people present)`` for crimes in public: witnesses.

The offender commits a crime with ``p = 1 - exp(-dt * sum_k h_k)``, the type drawn in
proportion to ``h_k`` and the victim in proportion to vulnerability. On the abstract
lattice (no residents) every cell is one house with ``S = 1`` and no modifier applies,
so ``p = 1 - exp(-A_c dt)``: Short et al.'s rule exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import (
    BURGLARY,
    EV_CELL,
    EV_HOME,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_RESIDENT,
    EV_TICK,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    GANG_VIOLENCE,
    N_CRIME,
    NO_GANG,
    REL_ACQUAINTANCE,
    REL_FAMILY,
    REL_NONE,
    REL_STRANGER,
    RESIDENTIAL,
)
from sim.kernels.arrays import CellArrays, OffenderArrays, ResidentArrays, TypeRates


@njit(cache=True)
def offend(
    tick: int,
    night: bool,
    dt: float,
    off: OffenderArrays,
    res: ResidentArrays,
    cells: CellArrays,
    rates: TypeRates,
    abstract_houses: bool,
    crowd: float,
    compliance: float,
    enrolled_effect: float,
    tension: np.ndarray,
    gang_radius: int,
    events: np.ndarray,
    n_events: int,
    rng: np.random.Generator,
    acquaintance: float = 1.0,
    know: bool = False,
    transit: float = 1.0,
    risk_sens: float = 0.0,
    risk_ref: float = 0.0,
) -> int:
    """Let every active, free offender who has not yet offended this tick try once.

    Appends one row per crime to ``events`` (columns in ``sim.config.EVENT_FIELDS``;
    the victim is a resident index, a household index for burglary, or -1) and sets
    ``off.acted``. Victim-choice weights are looked up by row: resident ``i``'s weight
    for type ``k`` is ``res.vuln_table[res.vuln_group[i], k]`` and household ``h``'s
    burglary weight ``res.hh_vuln_table[res.hh_group[h]]`` (the model passes one row
    per group, so residents carry a one-byte code rather than a row of floats;
    ``np.arange(n)`` gives everyone their own row). Draws, in offender order: one
    uniform for "crime or not", and for a crime one for its type and one for its
    victim. Returns the new event count. With ``abstract_houses`` (Short et al.'s
    lattice, no residents) every residential cell is one house. An offender who
    remembers a burglary (``off.mem_days``) has his burglary hazard multiplied by
    ``rates.repeat_boost`` within one cell of it (no draw; off: no memory).

    With ``know`` (``relationships.enabled``) an offender who is a resident knows some
    of the people present (:func:`relation_to`): the victim of a street crime is
    chosen with weight ``vulnerability * acquaintance`` for them (the hazard is
    unchanged: knowing someone changes whom, not whether) and the event's relationship
    says family, acquaintance or stranger. With ``acquaintance == 1`` the choice is
    the very loop and draw of the classic model.

    With ``risk_sens`` > 0 (``deterrence.sensitivity``) the hazard is also multiplied
    by ``exp(-risk_sens * (off.risk[i] - risk_ref))``: the offender's perceived risk
    of arrest (:mod:`sim.kernels.perceived_risk`) above or below the prior belief
    ``risk_ref``, which the calibrated rates already include (0: not read, the classic
    arithmetic).
    """
    o_pos, o_state, o_active, o_acted = off.pos, off.state, off.active, off.acted
    o_gang, o_home = off.gang, off.home
    r_vuln, r_vuln_row = res.vuln_table, res.vuln_group
    public_count, public_start, public_order = (res.public_count, res.public_start,
                                                res.public_order)
    cell_hh_start, cell_hh_count, household_home = (res.cell_hh_start, res.cell_hh_count,
                                                    res.household_home)
    hh_vuln, hh_vuln_row = res.hh_vuln_table, res.hh_group
    a0, b, width = cells.a0, cells.b, cells.width
    land_use, lighting = cells.land_use, cells.lighting
    police_field, guardianship = cells.police_field, cells.guardianship
    rate, darkness = rates.rate, rates.darkness
    o_motivation, o_resident = off.motivation, off.resident
    o_risk = off.risk
    r_legitimacy, r_enrolled_until = res.legitimacy, res.enrolled_until
    r_household, r_activity, r_home = res.household, res.activity_cell, res.home
    weigh = know and acquaintance != 1.0
    # A resident on the way somewhere is on the street for part of the hour only: with
    # ``transit`` < 1 their weight as a target is that share (routes, ODD 7.1.2).
    r_travelling = res.travelling
    part = transit != 1.0 and r_travelling.shape[0] > 0
    h = np.zeros(N_CRIME)
    n_off = o_pos.shape[0]
    o_mem_cell, o_mem_days, repeat_boost = off.mem_cell, off.mem_days, rates.repeat_boost
    remembers = o_mem_days.shape[0] == n_off and repeat_boost.shape[0] == N_CRIME
    # Active free gang members, gathered once so rival searches scan only them.
    members = np.empty(n_off, np.int64)
    n_members = 0
    for j in range(n_off):
        if o_gang[j] != NO_GANG and o_state[j] == FREE and o_active[j]:
            members[n_members] = j
            n_members += 1
    for i in range(n_off):
        if o_state[i] != FREE or not o_active[i] or o_acted[i]:
            continue
        c = o_pos[i]
        attract = a0[c] + b[c]
        # Individual propensity: motivation, compliance through legitimacy, programmes.
        m = o_motivation[i]
        r_i = o_resident[i]
        if r_i >= 0:
            m *= 1.0 - compliance * r_legitimacy[r_i]
            if r_enrolled_until[r_i] > tick:
                m *= 1.0 - enrolled_effect
        deter = np.exp(-(police_field[c] + guardianship[c]))
        if risk_sens > 0.0:
            deter *= np.exp(-risk_sens * (o_risk[i] - risk_ref))
        n_here = public_count[c]
        crowd_f = 1.0 / (1.0 + crowd * n_here)
        light_gap = 1.0 - lighting[c]
        total = 0.0
        for k in range(N_CRIME):
            h[k] = 0.0
        # Burglary: empty households (or the abstract house of a lattice cell).
        if abstract_houses:
            s_b = 1.0 if land_use[c] == RESIDENTIAL else 0.0
        else:
            s_b = 0.0
            for hh in range(cell_hh_start[c], cell_hh_start[c] + cell_hh_count[c]):
                if household_home[hh] == 0:
                    s_b += hh_vuln[hh_vuln_row[hh]]
        h[BURGLARY] = rate[BURGLARY] * s_b
        if remembers and o_mem_days[i] > 0 and s_b > 0.0:
            mc = o_mem_cell[i]  # repeat victimisation: he knows the place he burgled
            if max(abs(c % width - mc % width), abs(c // width - mc // width)) <= 1:
                h[BURGLARY] *= repeat_boost[BURGLARY]
        # Street crimes: vulnerability-weighted people in public here.
        if n_here > 0:
            s0 = public_start[c]
            for k in range(1, GANG_VIOLENCE):
                s = 0.0
                for j in range(s0, s0 + n_here):
                    p = public_order[j]
                    if part and r_travelling[p]:
                        s += r_vuln[r_vuln_row[p], k] * transit
                    else:
                        s += r_vuln[r_vuln_row[p], k]
                h[k] = rate[k] * s * crowd_f
        # Gang violence: active rival members nearby, weighted by grievance.
        g = o_gang[i]
        if g != NO_GANG:
            s = 0.0
            for jm in range(n_members):
                j = members[jm]
                if is_rival(i, j, o_pos, o_state, o_active, o_gang, gang_radius, width):
                    s += tension[g, o_gang[j]]
            h[GANG_VIOLENCE] = rate[GANG_VIOLENCE] * s * crowd_f
        for k in range(N_CRIME):
            factor = attract * m * deter
            if night:
                factor *= 1.0 + darkness[k] * light_gap
            h[k] *= factor
            total += h[k]
        u = rng.random()
        if total <= 0.0 or u >= 1.0 - np.exp(-total * dt):
            continue
        # Which crime.
        r = rng.random() * total
        k = 0
        acc = h[0]
        while r >= acc and k < N_CRIME - 1:
            k += 1
            acc += h[k]
        while k > 0 and h[k] <= 0.0:  # guard against rounding landing on an empty type
            k -= 1
        # Which victim.
        v = -1
        r = rng.random()
        if k == BURGLARY:
            if not abstract_houses:
                target = r * s_b
                acc = 0.0
                for hh in range(cell_hh_start[c], cell_hh_start[c] + cell_hh_count[c]):
                    if household_home[hh] == 0:
                        acc += hh_vuln[hh_vuln_row[hh]]
                        v = hh
                        if target < acc:
                            break
        elif k == GANG_VIOLENCE:
            v = -1  # the rival is an offender; bystanders are drawn in record_victims
        else:
            s0 = public_start[c]
            if weigh and r_i >= 0:
                v = choose_known(r, k, r_i, s0, n_here, public_order, r_vuln, r_vuln_row,
                                 r_household, r_activity, r_home, width, acquaintance,
                                 r_travelling, transit if part else 1.0)
            elif part:
                v = choose_known(r, k, r_i, s0, n_here, public_order, r_vuln, r_vuln_row,
                                 r_household, r_activity, r_home, width, 1.0,
                                 r_travelling, transit)
            else:
                s = 0.0
                for j in range(s0, s0 + n_here):
                    s += r_vuln[r_vuln_row[public_order[j]], k]
                target = r * s
                acc = 0.0
                for j in range(s0, s0 + n_here):
                    acc += r_vuln[r_vuln_row[public_order[j]], k]
                    v = public_order[j]
                    if target < acc:
                        break
        if n_events < events.shape[0]:
            # Who the victim was to the offender: nobody for a household burgled, a
            # known rival for gang violence, a stranger met in public otherwise.
            if k == BURGLARY:
                rel = REL_NONE
            elif k == GANG_VIOLENCE:
                rel = REL_ACQUAINTANCE
            elif know and r_i >= 0 and v >= 0:
                rel = relation_to(r_i, v, r_household, r_activity, r_home, width)
            else:
                rel = REL_STRANGER
            write_event(events[n_events], tick, k, c, i, v, o_home[i], o_resident[i], rel)
            n_events += 1
        o_acted[i] = True
    return n_events


@njit(cache=True, inline="always")
def relation_to(
    r: int, j: int, household: np.ndarray, activity_cell: np.ndarray, home: np.ndarray,
    width: int,
) -> int:
    """Who resident ``j`` is to resident ``r``: family, acquaintance or stranger.

    Family: the same household. Acquaintance: the same school or workplace
    (``activity_cell``), or a home within one cell (a neighbour). Nothing is stored:
    relationships are read from households, homes and activity cells.
    """
    if j == r:
        return REL_STRANGER
    if household[j] == household[r]:
        return REL_FAMILY
    a = activity_cell[r]
    if a >= 0 and activity_cell[j] == a:
        return REL_ACQUAINTANCE
    hr = home[r]
    hj = home[j]
    if abs(hr % width - hj % width) <= 1 and abs(hr // width - hj // width) <= 1:
        return REL_ACQUAINTANCE
    return REL_STRANGER


@njit(cache=True, inline="always")
def write_event(row: np.ndarray, tick: int, k: int, cell: int, offender: int, victim: int,
                home: int, resident: int, relationship: int) -> None:
    """Fill one event row (``sim.config.EVENT_FIELDS``) of offend or domestic_hour.

    The columns filled later (reported, arrested, bribed, and the context written by
    ``event_context.annotate``) start at 0.
    """
    row[:] = 0
    row[EV_TICK] = tick
    row[EV_TYPE] = k
    row[EV_CELL] = cell
    row[EV_OFFENDER] = offender
    row[EV_VICTIM] = victim
    row[EV_HOME] = home
    row[EV_RESIDENT] = resident
    row[EV_RELATIONSHIP] = relationship


@njit(cache=True, inline="always")
def victim_weight(
    p: int, k: int, r: int, r_vuln: np.ndarray, r_vuln_row: np.ndarray, household: np.ndarray,
    activity_cell: np.ndarray, home: np.ndarray, width: int, acquaintance: float,
    travelling: np.ndarray, transit: float,
) -> float:
    """Person ``p``'s weight as the victim of type ``k`` for ``r`` (:func:`choose_known`)."""
    w = r_vuln[r_vuln_row[p], k]
    if acquaintance != 1.0 and relation_to(r, p, household, activity_cell, home,
                                           width) != REL_STRANGER:
        w *= acquaintance
    if transit != 1.0 and travelling[p]:
        w *= transit
    return w


@njit(cache=True)
def choose_known(
    u: float, k: int, r: int, s0: int, n_here: int, public_order: np.ndarray,
    r_vuln: np.ndarray, r_vuln_row: np.ndarray, household: np.ndarray,
    activity_cell: np.ndarray, home: np.ndarray, width: int, acquaintance: float,
    travelling: np.ndarray, transit: float,
) -> int:
    """Pick the victim of type ``k`` among the ``n_here`` people from ``s0``, for ``r``.

    Each person weighs their vulnerability, times ``acquaintance`` if ``r`` knows them
    (:func:`relation_to`; not read when ``acquaintance`` is 1, so ``r`` may be -1),
    times ``transit`` if they are on their way somewhere (not read when ``transit`` is
    1); ``u`` is the uniform drawn for the victim.
    """
    s = 0.0
    for j in range(s0, s0 + n_here):
        p = public_order[j]
        w = victim_weight(p, k, r, r_vuln, r_vuln_row, household, activity_cell, home, width,
                          acquaintance, travelling, transit)
        s += w
    target = u * s
    acc = 0.0
    v = -1
    for j in range(s0, s0 + n_here):
        p = public_order[j]
        w = victim_weight(p, k, r, r_vuln, r_vuln_row, household, activity_cell, home, width,
                          acquaintance, travelling, transit)
        acc += w
        v = p
        if target < acc:
            break
    return v


@njit(cache=True, inline="always")
def is_rival(
    i: int, j: int, o_pos: np.ndarray, o_state: np.ndarray, o_active: np.ndarray,
    o_gang: np.ndarray, radius: int, width: int,
) -> bool:
    """Tell whether offender ``j`` is an active free rival of ``i`` within ``radius``.

    Rival: a member of another gang. Distance is Chebyshev, in cells.
    """
    g = o_gang[i]
    gj = o_gang[j]
    if g == NO_GANG or gj in (NO_GANG, g) or o_state[j] != FREE or not o_active[j]:
        return False
    a = o_pos[i]
    b = o_pos[j]
    return abs(a % width - b % width) <= radius and abs(a // width - b // width) <= radius


@njit(cache=True)
def rival_at(
    i: int, o_pos: np.ndarray, o_state: np.ndarray, o_active: np.ndarray, o_gang: np.ndarray,
    radius: int, width: int,
) -> int:
    """The first (lowest-index) rival of offender ``i`` within ``radius``, or -1."""
    for j in range(o_pos.shape[0]):
        if is_rival(i, j, o_pos, o_state, o_active, o_gang, radius, width):
            return j
    return -1
