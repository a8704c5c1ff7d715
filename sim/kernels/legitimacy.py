"""Legitimacy and reporting (Tyler 2004; Epstein 2002; Mazerolle et al. 2013).

Residents' perceived legitimacy of the police, L in [0, 1], drives whether victims
report (the dark figure of crime), how much residents cooperate (guardianship) and
how far offenders comply. It rises with fair contact (a reported crime that ends in
an arrest, a community officer's conversation) and falls with corruption heard of in
the home district, with unanswered reports and with victimisation; it relaxes slowly
toward each resident's own baseline.

Reporting: ``p = report_prob_k * exp(slope * (L - L_ref))``, capped at 1, so at the
reference legitimacy the crime type's survey reporting rate holds.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import (
    BURGLARY,
    COMMUNITY_PATROL,
    EV_ARRESTED,
    EV_BRIBED,
    EV_REPORTED,
    EV_TYPE,
    EV_VICTIM,
)


@njit(cache=True, inline="always")
def _reporter(k: int, v: int, hh_first: np.ndarray) -> int:
    """The resident who decides whether to report: the victim, or a household's first."""
    if v < 0:
        return -1
    return hh_first[v] if k == BURGLARY else v


@njit(cache=True, inline="always")
def _learners(k: int, v: int, hh_first: np.ndarray, hh_size: np.ndarray) -> tuple[int, int]:
    """The residents ``lo .. hi - 1`` who learn how a reported crime was answered.

    The victim alone, or every member of the household for a burglary (the home was
    hit, not one person). Shared by :func:`after_response` and :func:`corrupt_case` so
    the two trust updates always reach the same people. ``v`` must be a resident (>= 0).
    """
    if k == BURGLARY:
        return hh_first[v], hh_first[v] + hh_size[v]
    return v, v + 1


@njit(cache=True)
def report(
    events: np.ndarray,
    first: int,
    n_events: int,
    legitimacy: np.ndarray,
    hh_first: np.ndarray,
    report_prob: np.ndarray,
    slope: float,
    legit_ref: float,
    rng: np.random.Generator,
) -> None:
    """Set EV_REPORTED for events ``first .. n_events - 1`` (one uniform each).

    Crimes with no resident victim (gang violence without bystanders, burglary of an
    abstract lattice house) are reported at the reference rate, as by a witness.
    """
    for e in range(first, n_events):
        row = events[e]
        k = row[EV_TYPE]
        who = _reporter(k, row[EV_VICTIM], hh_first) if hh_first.shape[0] > 0 else -1
        p = report_prob[k]
        if who >= 0:
            p *= np.exp(slope * (legitimacy[who] - legit_ref))
        row[EV_REPORTED] = 1 if rng.random() < min(p, 1.0) else 0


@njit(cache=True)
def after_response(
    events: np.ndarray,
    first: int,
    n_events: int,
    legitimacy: np.ndarray,
    hh_first: np.ndarray,
    hh_size: np.ndarray,
    fair_gain: float,
    unanswered_loss: float,
) -> None:
    """Update the trust of victims who reported, by how the police answered.

    An arrest raises trust, silence lowers it. Deterministic: no draws.
    """
    if hh_first.shape[0] == 0:
        return
    for e in range(first, n_events):
        row = events[e]
        if row[EV_REPORTED] == 0 or row[EV_VICTIM] < 0:
            continue
        lo, hi = _learners(row[EV_TYPE], row[EV_VICTIM], hh_first, hh_size)
        for i in range(lo, hi):
            if row[EV_ARRESTED] != 0:
                legitimacy[i] += fair_gain * (1.0 - legitimacy[i])
            else:
                legitimacy[i] -= unanswered_loss * legitimacy[i]


@njit(cache=True)
def community_contacts(
    officer_pos: np.ndarray,
    strategy: np.ndarray,
    corrupt: np.ndarray,
    contacts: int,
    public_count: np.ndarray,
    public_start: np.ndarray,
    public_order: np.ndarray,
    legitimacy: np.ndarray,
    fair_gain: float,
    corruption_loss: float,
    rng: np.random.Generator,
) -> int:
    """Community officers talk to up to ``contacts`` residents in public at their cell.

    An honest officer's contact is fair (L moves toward 1 by ``fair_gain``); a corrupt
    officer's contact costs trust (``corruption_loss``). Returns the number of contacts.
    """
    made = 0
    for j in range(officer_pos.shape[0]):
        if strategy[j] != COMMUNITY_PATROL:
            continue
        c = officer_pos[j]
        n = public_count[c]
        for _ in range(min(contacts, n)):
            i = public_order[public_start[c] + int(rng.random() * n)]
            if corrupt[j]:
                legitimacy[i] -= corruption_loss * legitimacy[i]
            else:
                legitimacy[i] += fair_gain * (1.0 - legitimacy[i])
            made += 1
    return made


@njit(cache=True)
def daily_legitimacy(
    legitimacy: np.ndarray,
    baseline: np.ndarray,
    home: np.ndarray,
    cell_district: np.ndarray,
    bribes_by_district: np.ndarray,
    residents_by_district: np.ndarray,
    corruption_loss: float,
    keep: float,
) -> None:
    """Once a day: relax toward baseline, then lose trust for bribes in the district.

    Each bribe in a district costs its residents ``corruption_loss`` of their trust,
    scaled by 1000 / district residents (news spreads within a neighbourhood, not per
    head), so the effect does not depend on how many residents the model samples. The
    district is read from the cell layer through each resident's home.
    """
    for i in range(legitimacy.shape[0]):
        d = cell_district[home[i]]
        x = baseline[i] + (legitimacy[i] - baseline[i]) * keep
        nb = bribes_by_district[d]
        if nb > 0:
            share = min(1.0, corruption_loss * nb * 1000.0 / max(residents_by_district[d], 1))
            x -= share * x
        legitimacy[i] = min(max(x, 0.0), 1.0)


@njit(cache=True)
def hearsay(
    legitimacy: np.ndarray,
    home: np.ndarray,
    cell_district: np.ndarray,
    news: np.ndarray,
    residents_by_district: np.ndarray,
    weight: float,
) -> None:
    """Once a day: residents hear of the police contacts in their home district.

    Vicarious experience (Rosenbaum et al. 2005; Brunson 2007): what neighbours tell of
    their encounters moves trust as one's own encounters do, more weakly. The day's
    news of district ``d`` (``news[d]``: +1 per fair contact, minus the bad-contact
    weight per unfair one; see :mod:`sim.kernels.police_contacts`) is scaled, like the
    bribe news, per 1,000 residents: ``x = weight * news[d] * 1000 / residents_d``,
    clipped to [-1, 1], and ``L <- L + x * L * (1 - L)`` (a logistic step: the same
    multiplier for good and bad news, so the asymmetry lies in the news' weights alone,
    and L stays in [0, 1]). Deterministic; a district without news is left alone.
    """
    for i in range(legitimacy.shape[0]):
        d = cell_district[home[i]]
        nd = news[d]
        if nd == 0.0:
            continue
        x = min(max(weight * nd * 1000.0 / max(residents_by_district[d], 1), -1.0), 1.0)
        li = legitimacy[i]
        legitimacy[i] = li + x * li * (1.0 - li)


@njit(cache=True)
def corrupt_case(
    events: np.ndarray,
    n_events: int,
    legitimacy: np.ndarray,
    hh_first: np.ndarray,
    hh_size: np.ndarray,
    loss: float,
) -> int:
    """Victims who reported a crime whose case a corrupt officer sold lose ``loss`` of L.

    Applies to events ``0 .. n_events - 1`` with EV_REPORTED and EV_BRIBED set and a
    resident victim (the whole household for burglary), after :func:`after_response`:
    a victim who learns the offender bought his way out loses trust sharply, on top of
    the unanswered report. Deterministic; returns the number of residents hit.
    """
    hit = 0
    if hh_first.shape[0] == 0:
        return 0
    for e in range(n_events):
        row = events[e]
        if row[EV_REPORTED] == 0 or row[EV_BRIBED] == 0 or row[EV_VICTIM] < 0:
            continue
        lo, hi = _learners(row[EV_TYPE], row[EV_VICTIM], hh_first, hh_size)
        for i in range(lo, hi):
            legitimacy[i] -= loss * legitimacy[i]
            hit += 1
    return hit
