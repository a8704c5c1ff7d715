"""Police-public contacts: every patrolling officer stops residents; news spreads.

Why: trust in the police is made and lost in encounters (Tyler 2004; Skogan 2006).
Before this kernel only community officers met residents, so what the rest of the
force did -- and whether its officers were corrupt -- hardly reached the residents'
legitimacy. Here each officer on patrol (any strategy), at a cell with ``n > 0``
residents in public:

- makes ``int(per_hour)`` stops plus one more with probability
  ``per_hour - int(per_hour)``, never more than ``n``; each stop picks one of the
  residents present uniformly, with replacement;
- a stop is fair with probability ``fair_share``; a corrupt officer first solicits a
  bribe with probability ``solicit_prob`` (an unfair stop), so his stops are fair with
  probability ``(1 - solicit_prob) * fair_share``;
- a fair stop moves the resident's L toward 1 by ``fair_gain``; an unfair one toward 0
  by ``min(1, bad_weight * fair_gain)``: Skogan (2006) found a bad experience weighs
  four to fourteen times as much as a good one;
- each stop is news in the officer's district (``news[d]``: +1 fair, ``-bad_weight``
  unfair), which :func:`sim.kernels.legitimacy.hearsay` spreads to every resident of
  the district once a day (vicarious experience: Rosenbaum et al. 2005);
- a community officer then talks to ``min(community_extra, n)`` of them, as in the
  first release: an honest officer's conversation is fair (toward 1 by ``fair_gain``),
  a corrupt officer's costs ``corruption_loss`` of trust. Conversations are not news.

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
    corruption_loss: float,
    public_count: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    cell_district: np.ndarray,
    legitimacy: np.ndarray,
    news: np.ndarray,
    tally: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """One hour of stops and community conversations (rule: the module docstring).

    Draws, per officer at a cell with people present, in officer order: one uniform for
    the fractional stop (only if ``per_hour`` has a fractional part), per stop one
    uniform for the resident and one for fairness, then per community conversation one
    uniform for the resident. Adds fair and unfair stops to ``tally[0]`` and
    ``tally[1]``, conversations to ``tally[2]``.
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
        p_fair = fair_share * (1.0 - solicit_prob) if corrupt[j] else fair_share
        d = cell_district[c]
        for _ in range(min(k, n)):
            i = public_order[public_start[c] + int(rng.random() * n)]
            if rng.random() < p_fair:
                legitimacy[i] += fair_gain * (1.0 - legitimacy[i])
                news[d] += 1.0
                tally[0] += 1
            else:
                legitimacy[i] -= loss * legitimacy[i]
                news[d] -= bad_weight
                tally[1] += 1
        if strategy[j] != COMMUNITY_PATROL:
            continue
        for _ in range(min(community_extra, n)):
            i = public_order[public_start[c] + int(rng.random() * n)]
            if corrupt[j]:
                legitimacy[i] -= corruption_loss * legitimacy[i]
            else:
                legitimacy[i] += fair_gain * (1.0 - legitimacy[i])
            tally[2] += 1


def check_params(per_hour: float, fair_share: float, solicit_prob: float,
                 bad_weight: float, fair_gain: float) -> None:
    """Refuse parameters outside the rule's domain (before the compiled call)."""
    if per_hour < 0.0 or bad_weight < 0.0:
        raise ValueError("contacts per hour and the bad-contact weight must be >= 0")
    for name, v in (("fair_share", fair_share), ("solicit_prob", solicit_prob),
                    ("fair_gain", fair_gain)):
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{name} must be a probability, got {v}")
