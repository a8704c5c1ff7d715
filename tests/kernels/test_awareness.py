"""sim.kernels.awareness against plain-Python twins written from the rules.

Rules (the module docstring): a node is the nearest cell of its kind to a point at an
exponential distance ``-mean log(1 - u1)`` and bearing ``2 pi u2`` from home, rounded
and clamped to the grid; a gang member's third node is uniform over his gang's turf.
The straight king-move line advances each coordinate in proportion, rounded half up.
A free street offender at home starts an outing with ``p_start`` (one uniform), draws
its length uniformly in ``1 .. 2 mean - 1`` (one uniform), then its anchor: the
remembered cell with ``return_prob`` while a memory lasts (one uniform), else a node
by kind weight (one uniform); one out counts his hours down and is home when they are
spent. Travellers stand on their line at point ``min(L, max(r + 1, ceil((r + 1) L /
moves)))`` in round ``r``. A burglary sets its offender's memory. Within one cell of a
remembered burglary, the burglary hazard is multiplied by the repeat boost.
"""

from __future__ import annotations

import math

import containers
import numpy as np
import pytest
from offending_worlds import TICK, make_world

from sim.config import (
    BURGLARY,
    DEAD,
    DOMESTIC_OFFENDER,
    EV_CELL,
    EV_OFFENDER,
    EV_TYPE,
    FREE,
    JAILED,
    N_CRIME,
    N_EVENT_FIELDS,
    NO_GANG,
    ROBBERY,
    STREET_OFFENDER,
    YOUTH,
)
from sim.kernels import awareness as aw
from sim.kernels.offending import offend

SEEDS = range(6)
W, H = 30, 20


def ref_displaced(c, mean, u1, u2):
    d = -mean * math.log(1.0 - u1)
    x = math.floor(c % W + 0.5 + d * math.cos(2 * math.pi * u2))
    y = math.floor(c // W + 0.5 + d * math.sin(2 * math.pi * u2))
    return min(max(y, 0), H - 1) * W + min(max(x, 0), W - 1)


def ref_line(a, b):
    ax, ay, bx, by = a % W, a // W, b % W, b // W
    length = max(abs(bx - ax), abs(by - ay))
    if length == 0:
        return [a]
    return [(ay + math.floor(k * (by - ay) / length + 0.5)) * W
            + ax + math.floor(k * (bx - ax) / length + 0.5) for k in range(length + 1)]


@pytest.mark.parametrize("seed", SEEDS)
def test_line_is_king_moves_from_home_to_node(seed):
    g = np.random.default_rng(seed)
    for a, b in g.integers(0, W * H, (20, 2)):
        want = ref_line(int(a), int(b))
        length = aw.line_length(int(a), int(b), W)
        got = [aw.line_point(int(a), int(b), k, length, W) for k in range(length + 1)]
        assert got == want
        assert got[0] == a and got[-1] == b
        pairs = zip(got, got[1:], strict=False)
        steps = [max(abs(p % W - q % W), abs(p // W - q // W)) for p, q in pairs]
        assert all(s == 1 for s in steps)


def world_tables(seed):
    g = np.random.default_rng(seed + 100)
    nearest_public = g.integers(0, W * H, W * H)
    nearest_home = g.integers(0, W * H, W * H)
    turf_cells = g.integers(0, W * H, 9).astype(np.int32)
    turf_start = np.array([0, 4, 4, 9], np.int64)  # gang 1 holds nothing
    return nearest_public, nearest_home, turf_cells, turf_start


def ref_daily(tick, state, home, born, gang, kind, resident, age, nodes, hours, mem_days,
              tables, lei, fam, youth_reach, rng):
    nodes, hours, mem_days = nodes.copy(), hours.copy(), mem_days.copy()
    npub, nhome, turf, start = tables
    n = 0
    for i in range(state.size):
        if mem_days[i] > 0:
            mem_days[i] -= 1
        if state[i] != FREE or born[i] != tick:
            continue
        hours[i] = 0
        mem_days[i] = 0
        nodes[i] = -1
        if home[i] < 0 or kind[i] != STREET_OFFENDER:
            continue
        s = youth_reach if resident[i] >= 0 and age[resident[i]] == YOUTH else 1.0
        u = [rng.random(), rng.random()]
        nodes[i, 0] = npub[ref_displaced(home[i], lei * s, *u)]
        u = [rng.random(), rng.random()]
        nodes[i, 1] = nhome[ref_displaced(home[i], fam * s, *u)]
        g = gang[i]
        if g != NO_GANG and start[g + 1] > start[g]:
            k = start[g + 1] - start[g]
            nodes[i, 2] = turf[start[g] + min(int(rng.random() * k), k - 1)]
        else:
            u = [rng.random(), rng.random()]
            nodes[i, 2] = npub[ref_displaced(home[i], lei * s, *u)]
        n += 1
    return nodes, hours, mem_days, n


@pytest.mark.parametrize("seed", SEEDS)
def test_daily_draws_nodes_of_new_offenders_and_fades_memories(seed):
    g = np.random.default_rng(seed)
    n, tick = 40, 48
    state = g.choice(np.array([DEAD, FREE, FREE, JAILED], np.int8), n)
    home = np.where(g.random(n) < 0.9, g.integers(0, W * H, n), -1).astype(np.int32)
    born = np.where(g.random(n) < 0.6, tick, 0)
    gang = g.choice(np.array([NO_GANG, NO_GANG, 0, 1, 2]), n)
    kind = np.where(g.random(n) < 0.9, STREET_OFFENDER, DOMESTIC_OFFENDER).astype(np.int8)
    resident = np.where(g.random(n) < 0.9, g.integers(0, 50, n), -1).astype(np.int32)
    age = g.integers(0, 3, 50).astype(np.int8)
    nodes = g.integers(-1, W * H, (n, 3)).astype(np.int32)
    hours = g.integers(0, 5, n).astype(np.uint8)
    mem_days = g.integers(0, 4, n).astype(np.uint8)
    tables = world_tables(seed)
    want = ref_daily(tick, state, home, born, gang, kind, resident, age, nodes, hours,
                     mem_days, tables, 5.0, 9.0, 0.6, np.random.default_rng(seed))
    got_n = aw.daily(tick, state, home, born, gang, kind, resident, age, nodes, hours,
                     mem_days, *tables, 5.0, 9.0, 0.6, W, H, np.random.default_rng(seed))
    np.testing.assert_array_equal(nodes, want[0])
    np.testing.assert_array_equal(hours, want[1])
    np.testing.assert_array_equal(mem_days, want[2])
    assert got_n == want[3] > 0


def ref_anchor(i, home, gang, act, nodes, mem_cell, mem_days, weights, return_prob, rng):
    if mem_days[i] > 0 and rng.random() < return_prob:
        return mem_cell[i]
    third = aw.K_TURF if gang != NO_GANG else aw.K_LEISURE
    opts = [(home, aw.K_HOME), (act, aw.K_ACTIVITY), (nodes[i, 0], aw.K_LEISURE),
            (nodes[i, 1], aw.K_FAMILY), (nodes[i, 2], third)]
    opts = [(c, weights[k]) for c, k in opts if c >= 0 and weights[k] > 0]
    total = sum(w for _, w in opts)
    r = rng.random() * total
    acc = 0.0
    for c, w in opts:
        acc += w
        if r < acc:
            return c
    return opts[-1][0]


def ref_start_hour(state, active, pos, home, gang, kind, resident, p_active, arrays, rng):
    active, pos = active.copy(), pos.copy()
    nodes, anchor, hours, mem_cell, mem_days, act_cell, weights, p_start, mean, ret = arrays
    anchor, hours = anchor.copy(), hours.copy()
    travel = np.zeros(state.size, bool)
    n = 0
    for i in range(state.size):
        if state[i] != FREE or kind[i] != STREET_OFFENDER:
            active[i] = False
            hours[i] = 0
        elif home[i] < 0:
            anchor[i] = -1
            active[i] = rng.random() < p_active
            n += int(active[i])
        elif hours[i] > 0:
            hours[i] -= 1
            active[i] = hours[i] > 0
            if not active[i]:
                pos[i] = home[i]
            n += int(active[i])
        else:
            pos[i] = home[i]
            active[i] = False
            if rng.random() < p_start:
                span = 2 * mean - 1
                hours[i] = 1 + min(int(rng.random() * span), span - 1)
                act = act_cell[resident[i]] if resident[i] >= 0 else -1
                anchor[i] = ref_anchor(i, home[i], gang[i], act, nodes, mem_cell, mem_days,
                                       weights, ret, rng)
                travel[i] = anchor[i] != home[i]
                active[i] = True
                n += 1
    return active, pos, anchor, hours, travel, n


def outing_world(seed, n=50):
    g = np.random.default_rng(seed)
    state = g.choice(np.array([DEAD, FREE, FREE, FREE, JAILED], np.int8), n)
    home = np.where(g.random(n) < 0.9, g.integers(0, W * H, n), -1).astype(np.int32)
    gang = g.choice(np.array([NO_GANG, NO_GANG, 0, 1]), n)
    kind = np.where(g.random(n) < 0.9, STREET_OFFENDER, DOMESTIC_OFFENDER).astype(np.int8)
    resident = np.where(g.random(n) < 0.9, g.integers(0, 60, n), -1).astype(np.int32)
    nodes = np.where(g.random((n, 3)) < 0.8, g.integers(0, W * H, (n, 3)), -1)
    arrays = (nodes.astype(np.int32), g.integers(-1, W * H, n).astype(np.int32),
              g.integers(0, 4, n).astype(np.uint8), g.integers(0, W * H, n).astype(np.int32),
              g.integers(0, 3, n).astype(np.uint8),
              np.where(g.random(60) < 0.7, g.integers(0, W * H, 60), -1).astype(np.int32),
              np.array([0.3, 1.0, 1.5, 0.0, 2.0, 0.0]), 0.5, 3, 0.4)
    active = g.random(n) < 0.5
    pos = g.integers(0, W * H, n).astype(np.int32)
    return state, active, pos, home, gang, kind, resident, arrays


@pytest.mark.parametrize("seed", SEEDS)
def test_start_hour_matches_twin(seed):
    state, active, pos, home, gang, kind, resident, arrays = outing_world(seed)
    want = ref_start_hour(state, active, pos, home, gang, kind, resident, 0.2, arrays,
                          np.random.default_rng(seed))
    got_arrays = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in arrays)
    acted = np.ones(state.size, bool)
    travel = np.ones(state.size, bool)
    got_active, got_pos = active.copy(), pos.copy()
    n = aw.start_hour(state, got_active, acted, got_pos, home, gang, kind, resident, 0.2,
                      aw.AwarenessArrays(*got_arrays), travel, np.random.default_rng(seed))
    np.testing.assert_array_equal(got_active, want[0])
    np.testing.assert_array_equal(got_pos, want[1])
    np.testing.assert_array_equal(got_arrays[1], want[2])
    np.testing.assert_array_equal(got_arrays[2], want[3])
    np.testing.assert_array_equal(travel, want[4])
    assert n == want[5] and not acted.any()


@pytest.mark.parametrize("moves", [1, 3, 6, 20])
@pytest.mark.parametrize("seed", SEEDS)
def test_travel_round_walks_the_line(seed, moves):
    g = np.random.default_rng(seed)
    n = 30
    home = g.integers(0, W * H, n).astype(np.int32)
    anchor = g.integers(0, W * H, n).astype(np.int32)
    travel = g.random(n) < 0.7
    pos = home.copy()
    want_pos, want_travel = home.copy(), travel.copy()
    for r in range(moves):
        aw.travel_round(r, moves, pos, home, anchor, travel, W)
        for i in range(n):
            if not want_travel[i]:
                continue
            line = ref_line(int(home[i]), int(anchor[i]))
            length = len(line) - 1
            k = min(length, max(r + 1, math.ceil((r + 1) * length / moves)))
            want_pos[i] = line[k]
            want_travel[i] = k < length
        np.testing.assert_array_equal(pos, want_pos)
        np.testing.assert_array_equal(travel, want_travel)
    assert not travel.any()  # everyone has arrived by the hour's last round
    np.testing.assert_array_equal(pos[want_pos != home], anchor[want_pos != home])


def test_remember_sets_memory_of_burglaries_only():
    ev = np.zeros((4, N_EVENT_FIELDS), np.int64)
    ev[:, EV_TYPE] = [BURGLARY, ROBBERY, BURGLARY, BURGLARY]
    ev[:, EV_OFFENDER] = [0, 1, 2, 3]
    ev[:, EV_CELL] = [10, 11, 12, 13]
    home = np.array([5, 5, -1, 5], np.int32)
    mem_cell = np.full(5, -1, np.int32)
    mem_days = np.zeros(5, np.uint8)
    assert aw.remember(ev, 3, home, mem_cell, mem_days, 14) == 1  # row 3 not in the count
    np.testing.assert_array_equal(mem_cell, [10, -1, -1, -1, -1])
    np.testing.assert_array_equal(mem_days, [14, 0, 0, 0, 0])


def boosted_offend(w, seed, rate, mem_cell, mem_days, boost):
    n_off = w.o_pos.shape[0]
    events = np.zeros((n_off + 1, N_EVENT_FIELDS), np.int64)
    off = containers.offenders(
        pos=w.o_pos, state=w.o_state, active=w.o_active, acted=w.o_acted.copy(),
        motivation=w.o_motivation, gang=w.o_gang, resident=w.o_resident, home=w.o_home,
        mem_cell=mem_cell, mem_days=mem_days)
    res = containers.residents(
        vuln_table=w.r_vuln, vuln_group=np.arange(w.r_vuln.shape[0]), legitimacy=w.r_legitimacy,
        enrolled_until=w.r_enrolled_until, public_count=w.public_count,
        public_start=w.public_start, public_order=w.public_order,
        cell_hh_start=w.cell_hh_start, cell_hh_count=w.cell_hh_count,
        household_home=w.household_home, hh_vuln_table=w.hh_vuln,
        hh_group=np.arange(w.hh_vuln.size))
    cells = containers.cells(
        land_use=w.land_use, a0=w.a0, b=w.b, lighting=w.lighting, guardianship=w.guardianship,
        police_field=w.police_field, width=w.width)
    rb = np.ones(N_CRIME)
    rb[BURGLARY] = boost
    rates = containers.rates(rate=rate, darkness=w.darkness, repeat_boost=rb)
    n = offend(TICK, False, 2.0, off, res, cells, rates, False, w.crowd, w.compliance,
               w.enrolled_effect, w.tension, w.gang_radius, events, 0, np.random.default_rng(seed))
    return events[:n]


@pytest.mark.parametrize("seed", SEEDS)
def test_repeat_boost_multiplies_burglary_hazard_near_the_memory(seed):
    w = make_world(seed, width=6, height=2)
    n_off = w.o_pos.size
    here = w.o_pos.astype(np.int32)
    far = ((here // 6) * 6 + (here % 6 + 3) % 6).astype(np.int32)  # 3 columns away
    days = np.full(n_off, 5, np.uint8)
    scaled = w.rate.copy()
    scaled[BURGLARY] *= 4.0  # a power of two: the products are exact either way
    want = boosted_offend(w, seed, scaled, here, np.zeros(n_off, np.uint8), 4.0)
    np.testing.assert_array_equal(boosted_offend(w, seed, w.rate, here, days, 4.0), want)
    plain = boosted_offend(w, seed, w.rate, here, np.zeros(n_off, np.uint8), 4.0)
    np.testing.assert_array_equal(boosted_offend(w, seed, w.rate, far, days, 4.0), plain)
    np.testing.assert_array_equal(boosted_offend(w, seed, w.rate, here, days, 1.0), plain)


def test_repeat_boost_changes_some_burglaries():
    """The test above is not vacuous: the boost adds burglaries in some worlds."""
    more = 0
    for seed in SEEDS:
        w = make_world(seed, width=6, height=2)
        n_off = w.o_pos.size
        here = w.o_pos.astype(np.int32)
        base = boosted_offend(w, seed, w.rate, here, np.zeros(n_off, np.uint8), 8.0)
        boosted = boosted_offend(w, seed, w.rate, here, np.full(n_off, 5, np.uint8), 8.0)
        more += int((boosted[:, EV_TYPE] == BURGLARY).sum() - (base[:, EV_TYPE] == BURGLARY).sum())
    assert more > 0
