"""The court's queue (sim.kernels.court) against a plain-Python reference of the rule.

The rule (docs/ODD.md, capacity-limited justice): cases are decided first in, first
out, once they have waited ``wait_ticks``, at most ``n_max`` a sitting. A case whose
slot no longer holds the accused (dead, or reborn: another birth tick) lapses with no
draw. Otherwise two uniforms: the verdict (convicted if u < conviction_prob) and the
term ``max(1, round(-ln(1 - u2) x mean))``. A conviction jails until ``start + term``
(start: the arrest if remanded, else the decision), not before the decision; terms of
an offender already serving run concurrently (the later release wins); a remanded
accused serving nothing yet starts his term. An acquitted remanded accused is
released at the decision tick.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import DEAD, FREE, JAILED
from sim.kernels.court import (
    COUNT,
    HEAD,
    OUT_CONVICTED,
    OUT_DECIDED,
    OUT_LAPSED,
    OUT_WAIT_TICKS,
    REMAND,
    decide,
    empty_court,
    file_case,
    grown,
)

SEEDS = range(10)


def make_queue(seed, n_off=12, n_cases=40, cap=16):
    """A court with cases filed over ticks 0..200 (growing it as a model does)."""
    g = np.random.default_rng(seed)
    court = empty_court(cap)
    state = np.full(n_off, FREE, np.int8)
    release = np.zeros(n_off, np.int64)
    born = g.integers(0, 5, n_off).astype(np.int64)
    cases = []
    ticks = np.sort(g.integers(0, 200, n_cases))
    for t in ticks:
        s = int(g.integers(0, n_off))
        remanded = bool(g.random() < 0.4) and state[s] == FREE
        k = int(g.integers(0, 5))
        court = grown(court, 1)
        file_case(court, s, int(born[s]), k, int(t), remanded)
        if remanded:
            state[s], release[s] = JAILED, REMAND
        cases.append([s, int(born[s]), k, int(t), remanded])
    # some accused on bail desisted (dead), some slots were reused (another birth)
    free = np.flatnonzero(state == FREE)
    if free.size:
        state[free[: free.size // 3]] = DEAD
        born[free[free.size // 3: free.size // 2]] += 1000
    # one offender serving a term already (concurrent terms)
    serving = np.flatnonzero(state == FREE)
    if serving.size:
        state[serving[0]], release[serving[0]] = JAILED, 400
    return court, cases, state, release, born


def reference(cases, n_max, wait, tick, state, release, born, p_conv, jail, rng):
    state, release = state.copy(), release.copy()
    out = np.zeros(4, np.int64)
    queue = list(cases)
    n = 0
    while n < n_max and queue and queue[0][3] + wait <= tick:
        s, b, k, t0, remanded = queue.pop(0)
        n += 1
        if born[s] != b or state[s] == DEAD:
            out[OUT_LAPSED] += 1
            continue
        out[OUT_DECIDED] += 1
        out[OUT_WAIT_TICKS] += tick - t0
        convicted = rng.random() < p_conv
        term = max(1, int(-np.log(1.0 - rng.random()) * jail[k] + 0.5))
        if convicted:
            out[OUT_CONVICTED] += 1
            end = (t0 if remanded else tick) + term
            if state[s] == JAILED and release[s] != REMAND:
                release[s] = max(release[s], end)
            else:
                state[s], release[s] = JAILED, max(end, tick)
        elif remanded and state[s] == JAILED and release[s] == REMAND:
            release[s] = tick
    return queue, state, release, out


@pytest.mark.parametrize("seed", SEEDS)
def test_decide_matches_the_rule(seed):
    court, cases, state, release, born = make_queue(seed)
    g = np.random.default_rng(50 + seed)
    n_max, wait, tick = int(g.integers(0, 30)), int(g.integers(0, 120)), 230
    p_conv, jail = float(g.uniform(0.2, 0.9)), g.uniform(1, 300, 5)
    ref_queue, ref_state, ref_release, ref_out = reference(
        cases, n_max, wait, tick, state, release, born, p_conv, jail,
        np.random.default_rng(seed))
    out = np.zeros(4, np.int64)
    decide(court, n_max, wait, tick, state, release, born, p_conv, jail,
           np.random.default_rng(seed), out)
    np.testing.assert_array_equal(out, ref_out)
    np.testing.assert_array_equal(state, ref_state)
    np.testing.assert_array_equal(release, ref_release)
    assert int(court.meta[COUNT]) == len(ref_queue)
    cap, head = court.slot.shape[0], int(court.meta[HEAD])
    left = [[int(court.slot[(head + i) % cap]), int(court.born[(head + i) % cap]),
             int(court.kind[(head + i) % cap]), int(court.tick[(head + i) % cap]),
             bool(court.remanded[(head + i) % cap])] for i in range(len(ref_queue))]
    assert left == [list(c) for c in ref_queue]


def test_grown_keeps_the_cases_in_order_after_wrapping():
    court = empty_court(4)
    for i in range(4):
        file_case(court, i, 0, 0, i, False)
    out = np.zeros(4, np.int64)
    state = np.full(8, FREE, np.int8)
    decide(court, 3, 0, 10, state, np.zeros(8, np.int64), np.zeros(8, np.int64), 0.0,
           np.ones(5), np.random.default_rng(0), out)
    file_case(court, 5, 0, 0, 11, False)  # wraps round the ring
    bigger = grown(court, 4)
    assert bigger.slot.shape[0] >= 6 and int(bigger.meta[COUNT]) == 2
    assert list(bigger.slot[:2]) == [3, 5] and int(bigger.meta[HEAD]) == 0
    assert grown(bigger, 1) is bigger  # room enough: the same queue


def test_a_case_waits_its_preparation_time_and_the_pace_limits_a_sitting():
    court = empty_court(8)
    for t in (0, 0, 0, 5):
        file_case(court, 0, 0, 0, t, False)
    state, release, born = np.full(1, FREE, np.int8), np.zeros(1, np.int64), np.zeros(
        1, np.int64)
    out = np.zeros(4, np.int64)
    decide(court, 10, 10, 9, state, release, born, 0.0, np.ones(5),
           np.random.default_rng(0), out)
    assert out[OUT_DECIDED] == 0  # nobody has waited 10 ticks
    decide(court, 2, 10, 12, state, release, born, 0.0, np.ones(5),
           np.random.default_rng(0), out)
    assert out[OUT_DECIDED] == 2 and int(court.meta[COUNT]) == 2
    decide(court, 5, 10, 12, state, release, born, 0.0, np.ones(5),
           np.random.default_rng(0), out)
    assert out[OUT_DECIDED] == 3  # the tick-5 case waits until tick 15
