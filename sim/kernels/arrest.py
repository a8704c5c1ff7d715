"""Detection, arrest, bribery and jail.

A crime is seen by each officer within the deterrence radius with ``detect_prob``.
An officer who sees it arrests with the crime type's ``arrest_prob`` -- unless the
officer is corrupt and takes a bribe (``bribe_prob``), in which case the offender walks
and the bribe is counted against the district (residents hear of it: legitimacy falls,
Tyler 2004; Epstein 2002 ties legitimacy to compliance). Crimes that did not end in an
arrest on the spot (unless a bribe was paid) can still be solved: CCTV in the cell, or
an investigation of a reported crime (``clearance_prob``). A solved case falls to one
officer drawn at random; a corrupt one takes a bribe with ``bribe_prob`` and drops it.
An arrest ends in jail with ``conviction_prob``, for an exponentially distributed term
with the crime type's mean.

With capacity-limited justice on (``justice.enabled``; ``jparams[J_ON]``), two things
change (:mod:`sim.kernels.investigation`, :mod:`sim.kernels.court`): an investigation
solves a reported case with ``clearance_prob`` times the investigators' capacity factor
(0 without investigators), scaled by the reporting victim's cooperation; CCTV leads to
an arrest only if there are investigators to follow the footage up; and an arrest
files a case with the court instead of being decided on the spot: the accused is
remanded in custody with ``remand_share`` (jailed until the court decides) or bailed.
EV_ARRESTED still means "arrested for this crime in this tick".

Violence by a partner or relative at home (relationship partner or family, setting
home: :mod:`sim.kernels.domestic`) happens behind a closed door: no officer in the
street sees it and no camera films it, so only reporting and investigation can
lead to an arrest.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.config import (
    EV_ARRESTED,
    EV_BRIBED,
    EV_CELL,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_REPORTED,
    EV_SETTING,
    EV_TYPE,
    EV_VICTIM,
    JAILED,
    REL_FAMILY,
    REL_PARTNER,
    SET_HOME,
)
from sim.kernels.arrays import CellArrays, OffenderArrays, PoliceArrays, TypeRates
from sim.kernels.court import REMAND, CourtArrays, empty_court, file_case
from sim.kernels.investigation import cooperation, reporting_victim

#: ``jparams`` fields: justice on (1.0) or off, capacity factor, cooperation slope,
#: remand share.
J_ON, J_FACTOR, J_COOPERATION, J_REMAND = range(4)
#: ``jcounts`` fields: clearances by investigation, cases filed, remanded.
JC_CLEARED, JC_FILED, JC_REMANDED = range(3)


@njit(cache=True)
def respond(
    events: np.ndarray,
    first: int,
    n_events: int,
    tick: int,
    police: PoliceArrays,
    off: OffenderArrays,
    cells: CellArrays,
    rates: TypeRates,
    radius: int,
    detect_prob: float,
    bribe_prob: float,
    cctv_detection: float,
    conviction_prob: float,
    bribes_by_district: np.ndarray,
    rng: np.random.Generator,
    legitimacy: np.ndarray,
    hh_first: np.ndarray,
    legit_ref: float,
    jparams: np.ndarray,
    court: CourtArrays,
    jcounts: np.ndarray,
) -> None:
    """Decide arrest and bribery for events ``first .. n_events - 1`` (needs EV_REPORTED).

    Sets EV_ARRESTED and EV_BRIBED, jails convicted offenders (state JAILED until
    ``off.release``), counts their arrests and adds bribes to ``bribes_by_district``.
    Officers (``police.pos``, ``police.corrupt``) detect within ``radius`` cells; the
    per-type arrest, clearance and jail rates come from ``rates``; CCTV and district
    from ``cells``. Needs EV_SETTING and EV_RELATIONSHIP too: a partner's or
    relative's crime at home is neither seen by officers nor filmed.

    ``jparams`` (see ``J_*``), ``court`` and ``jcounts`` (``JC_*``, added to) serve
    capacity-limited justice; with ``jparams[J_ON] == 0`` they are not read and the
    draws are the first release's. ``legitimacy``, ``hh_first``, ``legit_ref``: the
    reporting victim's cooperation.
    """
    justice = jparams[J_ON] != 0.0
    factor, coop_slope, remand_share = jparams[J_FACTOR], jparams[J_COOPERATION], jparams[J_REMAND]
    born = off.born
    officer_pos, corrupt = police.pos, police.corrupt
    arrest_prob, clearance_prob, jail_ticks = rates.arrest, rates.clearance, rates.jail_ticks
    cctv, district, width = cells.cctv, cells.district, cells.width
    o_state, o_release, o_arrests = off.state, off.release, off.arrests
    for e in range(first, n_events):
        row = events[e]
        c = row[EV_CELL]
        k = row[EV_TYPE]
        off = row[EV_OFFENDER]
        cx = c % width
        cy = c // width
        arrested = False
        bribed = False
        private = row[EV_SETTING] == SET_HOME and (row[EV_RELATIONSHIP] == REL_PARTNER
                                                   or row[EV_RELATIONSHIP] == REL_FAMILY)
        for j in range(0 if private else officer_pos.shape[0]):
            p = officer_pos[j]
            if abs(p % width - cx) > radius or abs(p // width - cy) > radius:
                continue
            if rng.random() >= detect_prob:
                continue
            if corrupt[j] and rng.random() < bribe_prob:
                bribed = True
                bribes_by_district[district[c]] += 1
                break
            if rng.random() < arrest_prob[k]:
                arrested = True
                break
        if (not arrested and not bribed and cctv[c] > 0.0 and not private
                and (not justice or factor > 0.0)):
            arrested = rng.random() < cctv_detection * cctv[c]
        if not arrested and not bribed and row[EV_REPORTED] != 0:
            if justice:
                p = clearance_prob[k] * factor
                who = reporting_victim(k, row[EV_VICTIM], hh_first)
                if who >= 0:
                    p = cooperation(p, legitimacy[who], legit_ref, coop_slope)
                arrested = rng.random() < min(p, 1.0)
                if arrested:
                    jcounts[JC_CLEARED] += 1
            else:
                arrested = rng.random() < clearance_prob[k]
            n_off = officer_pos.shape[0]
            if arrested and n_off > 0:
                # The case falls to one officer; a corrupt one may sell the offender out.
                j = int(rng.random() * n_off)
                if corrupt[j] and rng.random() < bribe_prob:
                    arrested = False
                    bribed = True
                    bribes_by_district[district[c]] += 1
                    if justice:
                        jcounts[JC_CLEARED] -= 1
        row[EV_BRIBED] = 1 if bribed else 0
        row[EV_ARRESTED] = 1 if arrested else 0
        if arrested and justice:
            o_arrests[off] += 1
            remanded = rng.random() < remand_share
            file_case(court, off, born[off], k, tick, remanded)
            jcounts[JC_FILED] += 1
            if remanded:
                jcounts[JC_REMANDED] += 1
                o_state[off] = JAILED
                o_release[off] = REMAND
        elif arrested:
            o_arrests[off] += 1
            if rng.random() < conviction_prob:
                term = max(1, int(-np.log(1.0 - rng.random()) * jail_ticks[k] + 0.5))
                o_state[off] = JAILED
                o_release[off] = tick + term


def justice_off() -> tuple:
    """``respond``'s trailing arguments with capacity-limited justice off (tests, tools)."""
    return (np.zeros(0), np.zeros(0, np.int32), 0.0, np.zeros(4), empty_court(1),
            np.zeros(3, np.int64))
