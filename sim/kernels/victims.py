"""Victimisation: who was hurt by each crime, and the tallies by group.

Burglary is a household crime (as the ICVS counts it): every member of the burgled
household is a victim. Gang violence targets a rival gang member -- an offender, who is
usually also a resident and then counts as a victim, and whose gang now holds a
grievance (retaliation, Decker 1996) -- and with ``bystander_prob`` also hurts a
resident in public at the cell, drawn uniformly. Being victimised lowers a resident's
trust in police a little (Skogan 2006: contacts and victimisation weigh on confidence).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import (
    ADULT,
    BURGLARY,
    ELDERLY,
    EV_CELL,
    EV_OFFENDER,
    EV_TYPE,
    EV_VICTIM,
    GANG_VIOLENCE,
    NO_GANG,
    YOUTH,
)
from sim.kernels.arrays import OffenderArrays, ResidentArrays
from sim.kernels.offending import rival_at

# Group slots, in the order of sim.config.GROUPS.
G_EVERYONE, G_YOUTH, G_ADULT, G_ELDERLY, G_FEMALE, G_MALE, G_MARGINALISED = range(7)


@njit(cache=True, inline="always")
def tally(i: int, age: np.ndarray, female: np.ndarray, marginalised: np.ndarray,
          out: np.ndarray) -> None:
    """Add resident ``i`` to the per-group counters ``out`` (GROUPS order)."""
    out[G_EVERYONE] += 1
    a = age[i]
    if a == YOUTH:
        out[G_YOUTH] += 1
    elif a == ADULT:
        out[G_ADULT] += 1
    elif a == ELDERLY:
        out[G_ELDERLY] += 1
    if female[i]:
        out[G_FEMALE] += 1
    else:
        out[G_MALE] += 1
    if marginalised[i]:
        out[G_MARGINALISED] += 1


@njit(cache=True)
def victimise(
    events: np.ndarray,
    first: int,
    n_events: int,
    off: OffenderArrays,
    res: ResidentArrays,
    grievance: np.ndarray,
    gang_radius: int,
    width: int,
    bystander_prob: float,
    victim_loss: float,
    group_victims: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Record the victims of events ``first .. n_events - 1``.

    Args:
        events: Event rows (EV_VICTIM of gang violence is set to the attacked rival's
            resident index, or -1).
        first: First new event.
        n_events: One past the last new event.
        off: The offenders (cells, states, who is out, gangs, residents).
        res: Residents in public by cell, households, groups, legitimacy (lowered
            for victims) and victimisation counts per crime type (incremented).
        grievance: ``grievance[g, h]`` is gang g's grievance against gang h (set to 1).
        gang_radius: Distance (cells) within which rivals meet.
        width: Grid width.
        bystander_prob: Probability gang violence also hurts a resident present.
        victim_loss: Share of legitimacy a victim loses.
        group_victims: Victimisations this tick per group (incremented).
        rng: The model's generator; one or two uniforms per gang-violence event.
    """
    hh_first, hh_size, legitimacy, counts = (res.hh_first, res.hh_size, res.legitimacy,
                                             res.victim_counts)
    age, female, marginalised = res.age, res.female, res.marginalised
    public_count, public_start, public_order = (res.public_count, res.public_start,
                                                res.public_order)
    o_pos, o_state, o_active, o_gang, o_resident = (off.pos, off.state, off.active, off.gang,
                                                    off.resident)
    if hh_first.shape[0] == 0:
        return  # no residents: nobody to count (the abstract lattice)
    for e in range(first, n_events):
        row = events[e]
        k = row[EV_TYPE]
        v = row[EV_VICTIM]
        if k == GANG_VIOLENCE:
            i = row[EV_OFFENDER]
            rival = rival_at(i, o_pos, o_state, o_active, o_gang, gang_radius, width)
            v = -1
            if rival >= 0 and o_gang[i] != NO_GANG:
                grievance[o_gang[rival], o_gang[i]] = 1.0
                v = o_resident[rival]
            row[EV_VICTIM] = v
            c = row[EV_CELL]
            if rng.random() < bystander_prob and public_count[c] > 0:
                j = public_order[public_start[c] + int(rng.random() * public_count[c])]
                counts[j, k] += 1
                legitimacy[j] -= victim_loss * legitimacy[j]
                tally(j, age, female, marginalised, group_victims)
        if v < 0:
            continue
        if k == BURGLARY:
            for i in range(hh_first[v], hh_first[v] + hh_size[v]):
                counts[i, k] += 1
                legitimacy[i] -= victim_loss * legitimacy[i]
                tally(i, age, female, marginalised, group_victims)
        else:
            counts[v, k] += 1
            legitimacy[v] -= victim_loss * legitimacy[v]
            tally(v, age, female, marginalised, group_victims)
