"""Perceived risk of arrest: what each offender believes, and how experience moves it.

Deterrence works through what offenders believe, not through the objective risk
(Nagin 2013; Durlauf & Nagin 2011: the certainty of apprehension deters, severity
much less). Offenders update that belief from their own experience, Bayesian-style:
an arrest raises it, a crime that went unpunished lowers it (Anwar & Loughran 2011,
serious juvenile offenders; the "resetting" effect of Pogarsky & Piquero 2003).

Each offender slot holds a perceived risk ``r`` in [0, 1] (``Offenders.risk``,
float32). Every tick, after the consequences of the tick's crimes:

- for each crime the offender committed, with weight ``learning``: arrested ->
  ``r += learning * (1 - r)``; bribed his way out -> ``r -= bribe_learning * r``
  (corrupt police teach impunity); neither -> ``r -= learning * r``. With a fixed
  weight this is an exponentially weighted mean of the offender's own outcomes, so a
  busy offender's belief tracks the arrest rate he meets;
- an offender out in the street sees the police presence around him (``P_c``, the
  deterrence field of :mod:`sim.kernels.presence`):
  ``r += sighting * (1 - exp(-P_c)) * (1 - r)``;
- every belief drifts back toward the prior: ``r = prior + keep * (r - prior)``;
- an empty slot (``DEAD``) is reset to the prior, so the next recruit starts there.

The offending hazard is multiplied by ``exp(-sensitivity * (r - prior))``
(:mod:`sim.kernels.offending`, :mod:`sim.kernels.domestic`): an offender who holds the
prior belief offends at the calibrated rate (the survey-calibrated rates already
include the deterrence of the usual belief), one who has learnt that he is likely to
be caught less, one who has learnt impunity more. The exponential form makes the
elasticity of offending to perceived certainty ``-sensitivity * r``: small at the
low risks offenders usually perceive, as the perceptual deterrence literature finds.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import DEAD, EV_ARRESTED, EV_BRIBED, EV_OFFENDER, FREE, STREET_OFFENDER


@njit(cache=True)
def learn(
    events: np.ndarray,
    n_events: int,
    risk: np.ndarray,
    learning: float,
    bribe_learning: float,
) -> None:
    """Move each offender's belief after each of his crimes of the tick (no draws).

    Args:
        events: The tick's event rows (``sim.config.EVENT_FIELDS``), after consequences.
        n_events: Rows written.
        risk: Perceived risk per offender slot (updated).
        learning: Weight of one crime's outcome (arrested or not).
        bribe_learning: Weight of a bribe paid (toward 0).
    """
    for e in range(n_events):
        i = events[e, EV_OFFENDER]
        if i < 0 or i >= risk.shape[0]:
            continue
        r = np.float64(risk[i])
        if events[e, EV_ARRESTED] != 0:
            r += learning * (1.0 - r)
        elif events[e, EV_BRIBED] != 0:
            r -= bribe_learning * r
        else:
            r -= learning * r
        risk[i] = r


@njit(cache=True)
def see_and_drift(
    state: np.ndarray,
    active: np.ndarray,
    kind: np.ndarray,
    pos: np.ndarray,
    police_field: np.ndarray,
    risk: np.ndarray,
    sighting: float,
    prior: float,
    keep: float,
) -> None:
    """Sightings of police by offenders out, drift to the prior, reset of empty slots.

    Args:
        state: Slot state (``DEAD``, ``FREE``, ``JAILED``).
        active: Whether the offender is out this tick.
        kind: ``STREET_OFFENDER`` or ``DOMESTIC_OFFENDER`` (who stays in: no sightings).
        pos: Offender cells.
        police_field: Deterrence per cell ``P_c``.
        risk: Perceived risk per slot (updated).
        sighting: Weight of a sighting, times ``1 - exp(-P_c)``.
        prior: The belief of a new offender, and where beliefs drift back to.
        keep: Share of the distance to the prior kept each tick.
    """
    for i in range(state.shape[0]):
        if state[i] == DEAD:
            risk[i] = prior
            continue
        r = np.float64(risk[i])
        if state[i] == FREE and active[i] and kind[i] == STREET_OFFENDER:
            p = police_field[pos[i]]
            if p > 0.0:
                r += sighting * (1.0 - np.exp(-p)) * (1.0 - r)
        risk[i] = prior + keep * (r - prior)


def check_params(prior: float, learning: float, bribe_learning: float, sighting: float,
                 keep: float) -> None:
    """Validate the kernels' rates: all are shares in [0, 1].

    Raises:
        ValueError: If one is outside [0, 1] or not finite.
    """
    for name, v in (("prior", prior), ("learning", learning),
                    ("bribe_learning", bribe_learning), ("sighting", sighting),
                    ("keep", keep)):
        if not (0.0 <= v <= 1.0):
            raise ValueError(f"perceived risk: {name} must be in [0, 1], got {v}")


__all__ = ["check_params", "learn", "see_and_drift"]
