"""Violence at home: domestic abusers assault their partner, ex-partner or relative.

A domestic abuser (an offender slot of kind ``DOMESTIC_OFFENDER``, built by
:mod:`sim.population.relationships`) does not go out looking for targets: the target
is one person, known in advance, and the place is the target's home. In the Crime
Survey for England and Wales most sexual violence is by a partner or ex-partner and
much of it happens in the victim's own home (ONS; docs/evidence.md); domestic abuse
is repeated against the same victim (Farrell & Pease 1993 on repeat victimisation).

Each tick, a free abuser whose target is at home (``res.state == AT_HOME``) offends
with

    h_k = rate_k * M_i * contact * night,    M_i = motivation * (1 - compliance * L_i)

for assault and sexual violence (``rate_k``: ``relationships.assault_rate`` and
``sexual_violence_rate``, the latter times ``family_sexual_factor`` for a family
abuser); ``contact`` is 1 for a co-resident (who must be at home too) and
``ex_contact`` for an ex-partner living elsewhere (who must not be at work or school);
``night`` is ``night_factor`` in the dark hours. The crime happens with
``p = 1 - exp(-dt * (h_assault + h_sexual))``, the type in proportion to its hazard.
Police in the street neither deter nor see it (a private place); it can be reported
and cleared like any crime (:mod:`sim.kernels.arrest`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import (
    ASSAULT,
    AT_ACTIVITY,
    AT_HOME,
    DOMESTIC_OFFENDER,
    FREE,
    REL_FAMILY,
    SEXUAL_VIOLENCE,
)
from sim.kernels.arrays import OffenderArrays
from sim.kernels.offending import write_event

#: Layout of the ``params`` array the kernels take (``Levers.relationships``).
P_ENABLED, P_ASSAULT, P_SEXUAL, P_FAMILY_SEXUAL, P_EX_CONTACT, P_NIGHT, P_ACQUAINTANCE = range(7)
N_PARAMS = 7


@njit(cache=True)
def domestic_hour(
    tick: int,
    night: bool,
    dt: float,
    off: OffenderArrays,
    res_state: np.ndarray,
    res_home: np.ndarray,
    res_legitimacy: np.ndarray,
    compliance: float,
    params: np.ndarray,
    events: np.ndarray,
    n_events: int,
    rng: np.random.Generator,
    risk_sens: float = 0.0,
    risk_ref: float = 0.0,
) -> tuple[int, int]:
    """Let every free domestic abuser try once; returns (new event count, abusers taken in).

    Call it once a tick, before street offending. Domestic slots never go out: any the
    activation marked out are set in again (and counted in the second return value, so
    the model's "offenders out" counts street offenders only), and their "offended
    this tick" flag is cleared here, so the activation may skip them. Draws, in slot
    order, for each abuser who finds the target at home: one uniform for "crime or
    not" and, for a crime, one for its type. Each crime appends a row to ``events``
    (victim: the target; cell: the target's home; relationship: the slot's
    ``relation``) and sets ``off.acted``.

    Args:
        tick: This tick.
        night: Whether the hour is dark.
        dt: Hazard time of the tick.
        off: The offender pool.
        res_state: Where each resident is this hour (``AT_HOME``, ...).
        res_home: Home cell of each resident.
        res_legitimacy: Each resident's perceived legitimacy of the police.
        compliance: How much legitimacy lowers an offender's hazard.
        params: ``Levers.relationships`` (layout ``P_*`` of this module).
        events: The tick's event rows (one per slot, plus one).
        n_events: Rows already written.
        rng: The model's hourly generator.
        risk_sens: ``deterrence.sensitivity``: the hazard is multiplied by
            ``exp(-risk_sens * (off.risk[i] - risk_ref))`` (perceived risk of arrest
            relative to the prior; 0: unread).
        risk_ref: ``deterrence.prior_risk``.
    """
    o_kind, o_state, o_active, o_acted = off.kind, off.state, off.active, off.acted
    o_target, o_resident, o_relation = off.target, off.resident, off.relation
    o_motivation, o_home = off.motivation, off.home
    rate_a = params[P_ASSAULT]
    rate_s = params[P_SEXUAL]
    family_sexual = params[P_FAMILY_SEXUAL]
    ex_contact = params[P_EX_CONTACT]
    night_f = params[P_NIGHT] if night else 1.0
    n_in = 0
    for i in range(o_kind.shape[0]):
        if o_kind[i] != DOMESTIC_OFFENDER:
            continue
        if o_active[i]:
            o_active[i] = False
            n_in += 1
        o_acted[i] = False  # a new tick (whether or not the activation cleared it)
        if o_state[i] != FREE:
            continue
        v = o_target[i]
        r = o_resident[i]
        if v < 0 or r < 0 or res_state[v] != AT_HOME:
            continue
        cell = res_home[v]
        if res_home[r] == cell:
            if res_state[r] != AT_HOME:
                continue
            contact = 1.0
        else:
            if res_state[r] == AT_ACTIVITY:
                continue
            contact = ex_contact
        m = o_motivation[i] * (1.0 - compliance * res_legitimacy[r]) * contact * night_f
        if risk_sens > 0.0:
            m *= np.exp(-risk_sens * (off.risk[i] - risk_ref))
        h_a = rate_a * m
        h_s = rate_s * m
        if o_relation[i] == REL_FAMILY:
            h_s *= family_sexual
        total = h_a + h_s
        if total <= 0.0:
            continue
        if rng.random() >= 1.0 - np.exp(-total * dt):
            continue
        k = SEXUAL_VIOLENCE if rng.random() * total < h_s else ASSAULT
        if n_events < events.shape[0]:
            write_event(events[n_events], tick, k, cell, i, v, o_home[i], r, o_relation[i])
            n_events += 1
        o_acted[i] = True
    return n_events, n_in


def check_params(params: np.ndarray) -> np.ndarray:
    """Validate a relationships parameter array (``P_*`` layout); returns it as float64.

    Raises:
        ValueError: If it has the wrong length or a negative rate or factor.
    """
    a = np.ascontiguousarray(params, np.float64)
    if a.shape != (N_PARAMS,):
        raise ValueError(f"relationships parameters: expected {N_PARAMS} values, got {a.shape}")
    if (a < 0).any() or not np.isfinite(a).all():
        raise ValueError("relationships parameters must be finite and non-negative")
    return a


__all__ = ["N_PARAMS", "P_ACQUAINTANCE", "P_ASSAULT", "P_ENABLED", "P_EX_CONTACT",
           "P_FAMILY_SEXUAL", "P_NIGHT", "P_SEXUAL", "check_params", "domestic_hour"]
