"""The court: arrests wait in a queue and are decided in order, at a limited pace.

An arrest (on the spot, from CCTV or from an investigation) files a case: the
offender's slot, the slot's birth tick (to know the slot still holds the same person
when the case comes up), the crime type, the arrest tick and whether the accused is
remanded in custody (jailed until the decision) or bailed (free). The court decides
cases first in, first out, once a case has waited the preparation time
(``justice.hearing_days``: charge to first listing and adjournments), at most
``justice.court_cases_per_100k`` a day per 100,000 residents. A conviction
(``police.conviction_prob``) jails the offender for an exponentially distributed term
with the crime type's mean, counted from the arrest if he was remanded (time on remand
counts toward the sentence) and from the decision if he was bailed. An acquitted
remanded offender goes free.

The queue is a ring buffer (:class:`CourtArrays`); :func:`file_case` assumes room for
one more case, which the caller ensures before each batch (the buffer grows, like the
offender pool: no case is ever dropped).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from sim.config import DEAD, JAILED

#: ``release`` of an offender remanded in custody: no term yet, freed by the court.
REMAND = np.int64(1) << 62
#: ``meta`` fields: the ring's head and the number of cases in it.
HEAD, COUNT = 0, 1
#: ``out`` fields of :func:`decide`.
OUT_DECIDED, OUT_CONVICTED, OUT_WAIT_TICKS, OUT_LAPSED = range(4)


class CourtArrays(NamedTuple):
    """The court's queue of cases: a ring buffer, one entry per case.

    ``meta``: ``[head, count]``; ``slot``, ``born``, ``kind``, ``tick``, ``remanded``:
    each case's offender slot, that slot's birth tick, crime type, arrest tick, and
    whether the accused waits in custody.
    """

    meta: np.ndarray
    slot: np.ndarray
    born: np.ndarray
    kind: np.ndarray
    tick: np.ndarray
    remanded: np.ndarray


def empty_court(capacity: int = 256) -> CourtArrays:
    """An empty queue with room for ``capacity`` cases."""
    return CourtArrays(np.zeros(2, np.int64), np.zeros(capacity, np.int32),
                       np.zeros(capacity, np.int64), np.zeros(capacity, np.int8),
                       np.zeros(capacity, np.int64), np.zeros(capacity, np.bool_))


def grown(court: CourtArrays, need: int) -> CourtArrays:
    """``court`` with room for at least ``need`` more cases (the same cases, in order)."""
    head, count = int(court.meta[HEAD]), int(court.meta[COUNT])
    cap = court.slot.shape[0]
    if count + need <= cap:
        return court
    new_cap = max(2 * cap, count + need)
    order = (head + np.arange(count)) % cap
    bigger = empty_court(new_cap)
    for old, new in zip(court[1:], bigger[1:], strict=True):
        new[:count] = old[order]
    bigger.meta[COUNT] = count
    return bigger


@njit(cache=True, inline="always")
def file_case(court: CourtArrays, slot: int, born: int, kind: int, tick: int,
              remanded: bool) -> None:
    """Append a case (room for it is the caller's guarantee)."""
    cap = court.slot.shape[0]
    i = (court.meta[HEAD] + court.meta[COUNT]) % cap
    court.slot[i] = slot
    court.born[i] = born
    court.kind[i] = kind
    court.tick[i] = tick
    court.remanded[i] = remanded
    court.meta[COUNT] += 1


@njit(cache=True)
def decide(
    court: CourtArrays,
    n_max: int,
    wait_ticks: int,
    tick: int,
    o_state: np.ndarray,
    o_release: np.ndarray,
    o_born: np.ndarray,
    conviction_prob: float,
    jail_ticks: np.ndarray,
    rng: np.random.Generator,
    out: np.ndarray,
) -> None:
    """Decide up to ``n_max`` cases that have waited ``wait_ticks``, oldest first.

    Two uniforms a decided case (verdict, term). A case whose slot no longer holds the
    accused (he desisted while on bail: slot dead or reborn) lapses without a draw.
    Adds to ``out``: cases decided, convictions, the decided cases' total wait in ticks
    and lapsed cases.
    """
    cap = court.slot.shape[0]
    meta = court.meta
    n = 0
    while n < n_max and meta[COUNT] > 0:
        i = meta[HEAD]
        t0 = court.tick[i]
        if t0 + wait_ticks > tick:
            break
        meta[HEAD] = (i + 1) % cap
        meta[COUNT] -= 1
        n += 1
        slot = court.slot[i]
        remanded = court.remanded[i]
        if o_born[slot] != court.born[i] or o_state[slot] == DEAD:
            out[OUT_LAPSED] += 1
            continue
        out[OUT_DECIDED] += 1
        out[OUT_WAIT_TICKS] += tick - t0
        convicted = rng.random() < conviction_prob
        term = max(1, int(-np.log(1.0 - rng.random()) * jail_ticks[court.kind[i]] + 0.5))
        if convicted:
            out[OUT_CONVICTED] += 1
            end = (t0 if remanded else tick) + term
            if o_state[slot] != JAILED:
                o_state[slot] = JAILED
                o_release[slot] = max(end, tick)
            elif o_release[slot] == REMAND:
                o_release[slot] = max(end, tick)  # serving now; a pending case may extend it
            else:
                o_release[slot] = max(o_release[slot], end)  # terms run concurrently
        elif remanded and o_state[slot] == JAILED and o_release[slot] == REMAND:
            o_release[slot] = tick  # acquitted: freed at this tick's release


__all__ = ["COUNT", "HEAD", "OUT_CONVICTED", "OUT_DECIDED", "OUT_LAPSED", "OUT_WAIT_TICKS",
           "REMAND", "CourtArrays", "decide", "empty_court", "file_case", "grown"]
