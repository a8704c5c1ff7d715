"""Integrated action: referrals between police and services, and their shared case list.

The partnership of social services and law enforcement (UNICRI's "integrated action";
in England and Wales the multi-agency risk assessment conferences, MARAC, and the
youth offending teams) is modelled as three flows through one bounded case list that
both sides read:

- **police -> services, youth**: a young offender the police arrest is referred to
  services with ``referral_prob``; the referral opens a *youth* case at the youth's
  home, and services enrol the youth in the outreach programme as soon as a worker has
  caseload room (:func:`enrol_referred`, before any street outreach of the day);
- **police -> services, victims**: a reported crime of violence at home by a partner or
  a relative is referred with ``referral_prob``; the *partner-violence* case gives the
  victim support (safety planning, protection orders): while it is open, the abuser's
  hazard against the victim is ``(1 - support_effect)`` times what it was. A domestic
  abuser has one target (:mod:`sim.kernels.domestic`), so this is his motivation
  scaled; it is restored exactly when the case closes (:func:`close_cases`), unless
  the slot now holds someone else;
- **services -> police, gang tension**: when a gang's grievance against a rival passes
  ``tension_threshold`` (a conflict brewing), each outreach worker in that gang's
  territory raises an alert: a *gang-tension* case at the worker's cell
  (:func:`alert_tension`).

Police read the open cases' cells as part of the hot list and the calls for service,
so officers visit them and deter crime there (:mod:`sim.crime.integration`).

The list has a fixed number of slots; a slot is free when ``until < 0``, open while
``until > tick``, and closed by the daily :func:`close_cases` once ``until <= tick``.
A referral that finds the list full is dropped (and counted).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from sim.config import (
    DOMESTIC_OFFENDER,
    EV_ARRESTED,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_REPORTED,
    EV_RESIDENT,
    EV_SETTING,
    EV_VICTIM,
    REL_FAMILY,
    REL_PARTNER,
    SET_HOME,
    YOUTH,
)
from sim.kernels.services import enrol

#: Case kinds: a youth at risk, a partner- or family-violence victim, gang tension.
CASE_YOUTH, CASE_PARTNER, CASE_TENSION = range(3)
CASE_KINDS: tuple[str, ...] = ("youth", "partner_violence", "gang_tension")
#: ``counts`` layout: youth referred, victims referred, youth enrolled from referrals,
#: tension alerts, referrals dropped (list full), cases closed, tension cases extended
#: by a new day's alert.
N_YOUTH, N_VICTIM, N_ENROLLED, N_ALERTS, N_DROPPED, N_CLOSED, N_EXTENDED = range(7)
N_COUNTS = 7


class CaseList(NamedTuple):
    """The shared case list: one entry per slot (bounded; see the module docstring).

    Attributes:
        cell: Where police and services go (the youth's or victim's home, the alert's cell).
        kind: ``CASE_YOUTH``, ``CASE_PARTNER`` or ``CASE_TENSION``.
        who: The youth (resident), the abuser (offender slot) or the gang.
        born: The abuser slot's ``born`` tick (to know the slot still holds him).
        saved: The abuser's motivation before the support (restored on closing).
        served: Whether services have taken the case on (a youth enrolled).
        opened: Tick the case opened.
        until: Tick the case closes; -1 for a free slot.
    """

    cell: np.ndarray
    kind: np.ndarray
    who: np.ndarray
    born: np.ndarray
    saved: np.ndarray
    served: np.ndarray
    opened: np.ndarray
    until: np.ndarray


def empty_cases(capacity: int) -> CaseList:
    """A case list of ``capacity`` free slots."""
    if capacity < 1:
        raise ValueError("the case list needs at least one slot")
    i32 = np.int32
    return CaseList(np.zeros(capacity, i32), np.zeros(capacity, np.int8),
                    np.full(capacity, -1, i32), np.zeros(capacity, i32),
                    np.zeros(capacity, np.float64), np.zeros(capacity, np.bool_),
                    np.zeros(capacity, i32), np.full(capacity, -1, i32))


@njit(cache=True)
def find_case(cases: CaseList, tick: int, kind: int, who: int) -> int:
    """The slot of the open case of ``kind`` about ``who``, or -1."""
    for c in range(cases.until.shape[0]):
        if cases.until[c] > tick and cases.kind[c] == kind and cases.who[c] == who:
            return c
    return -1


@njit(cache=True)
def open_case(cases: CaseList, tick: int, kind: int, cell: int, who: int,
              open_ticks: int) -> int:
    """Open a case in the first free slot; returns the slot, or -1 if the list is full."""
    for c in range(cases.until.shape[0]):
        if cases.until[c] < 0:
            cases.cell[c] = cell
            cases.kind[c] = kind
            cases.who[c] = who
            cases.born[c] = 0
            cases.saved[c] = 0.0
            cases.served[c] = False
            cases.opened[c] = tick
            cases.until[c] = tick + open_ticks
            return c
    return -1


@njit(cache=True)
def refer(
    tick: int,
    events: np.ndarray,
    n_events: int,
    res_age: np.ndarray,
    res_home: np.ndarray,
    off_kind: np.ndarray,
    off_born: np.ndarray,
    off_motivation: np.ndarray,
    referral_prob: float,
    support_effect: float,
    open_ticks: int,
    packed_cases: tuple,
    counts: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Police refer this tick's arrested youth and reported victims of violence at home.

    In event order, one uniform for each event that qualifies: an arrest of an offender
    whose resident is young (a youth case at his home, unless one is open: then it is
    extended), and a reported crime at home by a partner or relative who is a domestic
    abuser (a partner-violence case at the victim's home; opening it scales the
    abuser's motivation by ``1 - support_effect``; an open one is extended). No other
    draws, so the stream depends only on the events.
    """
    cases = CaseList(*packed_cases)
    for e in range(n_events):
        r = events[e, EV_RESIDENT]
        youth = events[e, EV_ARRESTED] != 0 and r >= 0 and res_age[r] == YOUTH
        if youth and rng.random() < referral_prob:
            counts[N_YOUTH] += 1
            c = find_case(cases, tick, CASE_YOUTH, r)
            if c >= 0:
                cases.until[c] = tick + open_ticks
            elif open_case(cases, tick, CASE_YOUTH, res_home[r], r, open_ticks) < 0:
                counts[N_DROPPED] += 1
        o = events[e, EV_OFFENDER]
        if at_home_by_kin(events[e], off_kind) and rng.random() < referral_prob:
            counts[N_VICTIM] += 1
            c = find_case(cases, tick, CASE_PARTNER, o)
            if c >= 0:
                cases.until[c] = tick + open_ticks
                continue
            c = open_case(cases, tick, CASE_PARTNER, res_home[events[e, EV_VICTIM]], o,
                          open_ticks)
            if c < 0:
                counts[N_DROPPED] += 1
                continue
            cases.born[c] = off_born[o]
            cases.saved[c] = off_motivation[o]
            cases.served[c] = True
            off_motivation[o] *= 1.0 - support_effect


@njit(cache=True, inline="always")
def at_home_by_kin(row: np.ndarray, off_kind: np.ndarray) -> bool:
    """Whether an event is reported violence at home by a partner or relative (an abuser)."""
    rel, o = row[EV_RELATIONSHIP], row[EV_OFFENDER]
    return bool(row[EV_REPORTED] != 0 and row[EV_SETTING] == SET_HOME
                and REL_PARTNER <= rel <= REL_FAMILY and row[EV_VICTIM] >= 0  # partner, family
                and o >= 0 and off_kind[o] == DOMESTIC_OFFENDER)


@njit(cache=True)
def close_cases(tick: int, packed_cases: tuple, off_kind: np.ndarray, off_born: np.ndarray,
                off_motivation: np.ndarray) -> int:
    """Close the cases whose time is up; returns how many.

    A closing partner-violence case gives the abuser back his motivation before the
    support, if his slot still holds him (same ``born``, still a domestic abuser).
    """
    cases = CaseList(*packed_cases)
    closed = 0
    for c in range(cases.until.shape[0]):
        if cases.until[c] < 0 or cases.until[c] > tick:
            continue
        if cases.kind[c] == CASE_PARTNER:
            o = cases.who[c]
            if off_kind[o] == DOMESTIC_OFFENDER and off_born[o] == cases.born[c]:
                off_motivation[o] = cases.saved[c]
        cases.until[c] = -1
        closed += 1
    return closed


@njit(cache=True)
def enrol_referred(
    tick: int,
    packed_cases: tuple,
    worker_district: np.ndarray,
    caseload: np.ndarray,
    capacity: int,
    cell_district: np.ndarray,
    enrolled_until: np.ndarray,
    enrolled_by: np.ndarray,
    programme_ticks: int,
) -> int:
    """Services take on the open youth cases first; returns the net change in enrolled.

    For each open youth case not yet served, in slot order: a youth already enrolled is
    served; otherwise the least-loaded worker with room in the district of the case's
    cell enrols him (any district's if none there has room), closing an ended programme
    first: the bookkeeping is :func:`sim.kernels.services.enrol`, the one street
    outreach uses. A case no worker can take waits. No random draws.
    """
    cases = CaseList(*packed_cases)
    enrolled = 0
    for c in range(cases.until.shape[0]):
        if cases.until[c] <= tick or cases.kind[c] != CASE_YOUTH or cases.served[c]:
            continue
        r = cases.who[c]
        if enrolled_until[r] > tick:
            cases.served[c] = True
            continue
        d = cell_district[cases.cell[c]]
        best, best_any = -1, -1
        for w in range(caseload.shape[0]):
            if caseload[w] >= capacity:
                continue
            if worker_district[w] == d and (best < 0 or caseload[w] < caseload[best]):
                best = w
            if best_any < 0 or caseload[w] < caseload[best_any]:
                best_any = w
        if best < 0:
            best = best_any
        if best < 0:
            continue
        enrolled += enrol(r, best, tick, programme_ticks, enrolled_until, enrolled_by, caseload)
        cases.served[c] = True
    return enrolled


@njit(cache=True)
def alert_tension(
    tick: int,
    grievance: np.ndarray,
    threshold: float,
    territory: np.ndarray,
    worker_pos: np.ndarray,
    worker_district: np.ndarray,
    cell_district: np.ndarray,
    open_ticks: int,
    packed_cases: tuple,
) -> tuple[int, int, int]:
    """Workers in the territory of a gang whose grievance passed ``threshold`` alert police.

    A gang's tension is its largest grievance against a rival (row of ``grievance``).
    Each worker whose district the gang holds (``territory``: gang per district, -1
    none) opens a gang-tension case at the worker's cell, unless the gang already has
    an open tension case in that district (then it is extended). Returns (alerts
    opened, alerts that extended an open case, alerts dropped because the list is
    full). No random draws.
    """
    cases = CaseList(*packed_cases)
    alerts, extended, dropped = 0, 0, 0
    n_gangs = grievance.shape[0]
    for w in range(worker_pos.shape[0]):
        d = worker_district[w]
        g = territory[d]
        if g < 0 or g >= n_gangs:
            continue
        tension = 0.0
        for h in range(n_gangs):
            if h != g and grievance[g, h] > tension:
                tension = grievance[g, h]
        if tension <= threshold:
            continue
        found = -1
        for c in range(cases.until.shape[0]):
            if (cases.until[c] > tick and cases.kind[c] == CASE_TENSION and cases.who[c] == g
                    and cell_district[cases.cell[c]] == d):
                found = c
                break
        if found >= 0:
            cases.until[found] = tick + open_ticks
            extended += 1
        elif open_case(cases, tick, CASE_TENSION, worker_pos[w], g, open_ticks) >= 0:
            alerts += 1
        else:
            dropped += 1
    return alerts, extended, dropped


def open_cells(cases: CaseList, tick: int) -> np.ndarray:
    """The cells of the open cases, each once, in slot order of first appearance."""
    cells = cases.cell[cases.until > tick].astype(np.int64)
    _, first = np.unique(cells, return_index=True)
    return cells[np.sort(first)]


def check_levers(referral_prob: float, support_effect: float, open_ticks: int) -> None:
    """Validate the mechanism's rates before a run.

    Raises:
        ValueError: If a probability is outside [0, 1] or a case would not stay open.
    """
    if not 0.0 <= referral_prob <= 1.0:
        raise ValueError(f"referral_prob must be in [0, 1], got {referral_prob}")
    if not 0.0 <= support_effect <= 1.0:
        raise ValueError(f"victim_support_effect must be in [0, 1], got {support_effect}")
    if open_ticks < 1:
        raise ValueError("a case must stay open at least one tick")


__all__ = ["CASE_KINDS", "CASE_PARTNER", "CASE_TENSION", "CASE_YOUTH", "N_COUNTS",
           "CaseList", "alert_tension", "check_levers", "close_cases", "empty_cases",
           "enrol_referred", "find_case", "open_case", "open_cells", "refer"]
