"""Police-public contacts: every patrolling officer stops or talks to residents.

Why: trust in the police is made and lost in encounters (Tyler 2004; Skogan 2006).
Before this kernel only community officers met residents, so what the rest of the
force did -- and whether its officers were corrupt -- hardly reached the residents'
legitimacy. Here each officer on patrol (any strategy) makes contacts with residents
in public at its cell:

- the number per hour is ``int(per_hour)`` plus one more with probability
  ``per_hour - int(per_hour)`` (one uniform, drawn only where someone is present),
  plus a community officer's ``community_extra`` conversations, never more than the
  people present (each contact picks one of them uniformly, with replacement);
- a contact is fair with probability ``fair_share``; a corrupt officer first solicits
  a bribe with probability ``solicit_prob`` (an unfair contact), so his contacts are
  fair with probability ``(1 - solicit_prob) * fair_share``;
- a fair contact moves the resident's L toward 1 by ``fair_gain``; an unfair one moves
  it toward 0 by ``bad_weight * fair_gain`` (capped at 1): Skogan (2006) found a bad
  experience weighs four to fourteen times as much as a good one;
- each contact is news in the officer's district (``news[d]``: +1 fair, ``-bad_weight``
  unfair), which :func:`sim.kernels.legitimacy.hearsay` spreads to every resident of
  the district once a day (vicarious experience: Rosenbaum et al. 2005).

Per-tick work is per officer and per contact: no scan of the residents.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import COMMUNITY_PATROL


@njit(cache=True)
def police_contacts(
    officer_pos: np.ndarray,
    strategy: np.ndarray,
    corrupt: np.ndarray,
    per_hour: float,
    community_extra: int,
    fair_share: float,
    solicit_prob: float,
    bad_weight: float,
    fair_gain: float,
    public_count: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    cell_district: np.ndarray,
    legitimacy: np.ndarray,
    news: np.ndarray,
    tally: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """One hour of contacts by every officer (see the module docstring for the rule).

    Draws, per officer at a cell with people present: one uniform for the fractional
    contact (only if ``per_hour`` has a fractional part), then per contact one uniform
    for the resident and one for fairness. Adds fair and unfair contacts to
    ``tally[0]`` and ``tally[1]``.
    """
    base = int(per_hour)
    frac = per_hour - base
    loss = min(1.0, bad_weight * fair_gain)
    for j in range(officer_pos.shape[0]):
        c = officer_pos[j]
        n = public_count[c]
        if n == 0:
            continue
        k = base
        if frac > 0.0 and rng.random() < frac:
            k += 1
        if strategy[j] == COMMUNITY_PATROL:
            k += community_extra
        k = min(k, n)
        p_fair = fair_share * (1.0 - solicit_prob) if corrupt[j] else fair_share
        d = cell_district[c]
        for _ in range(k):
            i = public_order[public_start[c] + int(rng.random() * n)]
            if rng.random() < p_fair:
                legitimacy[i] += fair_gain * (1.0 - legitimacy[i])
                news[d] += 1.0
                tally[0] += 1
            else:
                legitimacy[i] -= loss * legitimacy[i]
                news[d] -= bad_weight
                tally[1] += 1


def check_params(per_hour: float, fair_share: float, solicit_prob: float,
                 bad_weight: float, fair_gain: float) -> None:
    """Refuse parameters outside the rule's domain (before the compiled call)."""
    if per_hour < 0.0 or bad_weight < 0.0:
        raise ValueError("contacts per hour and the bad-contact weight must be >= 0")
    for name, v in (("fair_share", fair_share), ("solicit_prob", solicit_prob),
                    ("fair_gain", fair_gain)):
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{name} must be a probability, got {v}")
