"""The event-context kernel against a plain-numpy twin (sim/kernels/event_context.py).

The twin is written from the rules in the kernel's docstring: burglary happens at a
home; a person crime happens at home if the victim was at home, in transit if the
victim was on their route, otherwise the crime cell's land use decides; the journey is
the Euclidean distance from the offender's home to the crime, in metres, rounded.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.config import (
    AT_HOME,
    BURGLARY,
    COMMERCIAL,
    EV_CELL,
    EV_DISTANCE,
    EV_HOME,
    EV_SETTING,
    EV_TYPE,
    EV_VICTIM,
    EV_VICTIM_HOME,
    GANG_VIOLENCE,
    N_CRIME,
    N_EVENT_FIELDS,
    NIGHTLIFE,
    SCHOOL,
    SET_COMMERCIAL,
    SET_HOME,
    SET_LEISURE,
    SET_SCHOOL,
    SET_STREET,
    SET_TRANSIT,
)
from sim.kernels.event_context import annotate

CELL_M = 50.0


def twin(events, res_home, res_state, travelling, hh_first, land_use, width, height,
         periodic):
    """Plain numpy: the same three columns, from the rules."""
    out = events.copy()
    k, v, c, oh = (events[:, EV_TYPE], events[:, EV_VICTIM], events[:, EV_CELL],
                   events[:, EV_HOME])
    person = (v >= 0) & (k != BURGLARY)
    burgled = (v >= 0) & (k == BURGLARY)
    home = np.full(len(events), -1)
    home[person] = res_home[v[person]]
    home[burgled] = res_home[hh_first[v[burgled]]]
    by_land = np.full(6, SET_STREET)
    by_land[[COMMERCIAL, NIGHTLIFE, SCHOOL]] = [SET_COMMERCIAL, SET_LEISURE, SET_SCHOOL]
    setting = by_land[land_use[c]]
    placed = person & (k != GANG_VIOLENCE)
    setting[placed & travelling[np.maximum(v, 0)]] = SET_TRANSIT
    setting[placed & (res_state[np.maximum(v, 0)] == AT_HOME)] = SET_HOME
    setting[k == BURGLARY] = SET_HOME
    dx = np.abs(oh % width - c % width)
    dy = np.abs(oh // width - c // width)
    if periodic:
        dx, dy = np.minimum(dx, width - dx), np.minimum(dy, height - dy)
    dist = np.floor(np.hypot(dx, dy) * CELL_M + 0.5).astype(int)
    out[:, EV_VICTIM_HOME] = home
    out[:, EV_SETTING] = setting
    out[:, EV_DISTANCE] = np.where(oh >= 0, dist, -1)
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("periodic", [False, True])
def test_annotate_matches_numpy_twin(seed, periodic):
    g = np.random.default_rng(seed)
    width, height, n_res, n_hh, n_ev = 9, 7, 50, 20, 200
    n_cells = width * height
    res_home = g.integers(0, n_cells, n_res)
    res_state = g.integers(0, 3, n_res).astype(np.int8)
    travelling = g.random(n_res) < 0.3
    hh_first = np.sort(g.choice(n_res, n_hh, replace=False))
    land_use = g.integers(0, 6, n_cells)
    events = np.zeros((n_ev, N_EVENT_FIELDS), np.int64)
    events[:, EV_TYPE] = g.integers(0, N_CRIME, n_ev)
    events[:, EV_CELL] = g.integers(0, n_cells, n_ev)
    events[:, EV_HOME] = np.where(g.random(n_ev) < 0.2, -1, g.integers(0, n_cells, n_ev))
    burg = events[:, EV_TYPE] == BURGLARY
    events[:, EV_VICTIM] = np.where(burg, g.integers(0, n_hh, n_ev), g.integers(0, n_res, n_ev))
    events[g.random(n_ev) < 0.15, EV_VICTIM] = -1
    want = twin(events, res_home, res_state, travelling, hh_first, land_use, width, height,
                periodic)
    got = events.copy()
    annotate(got, 0, n_ev, res_home, res_state, travelling, hh_first, land_use, width,
             height, periodic, CELL_M)
    np.testing.assert_array_equal(got, want)


def test_hand_example():
    """One burglary 3 cells east and 4 south of the burglar's home: 250 m at 50 m cells."""
    width = 10
    events = np.zeros((1, N_EVENT_FIELDS), np.int64)
    events[0, [EV_TYPE, EV_CELL, EV_HOME, EV_VICTIM]] = [BURGLARY, 4 * width + 3, 0, 0]
    annotate(events, 0, 1, np.array([4 * width + 3]), np.zeros(1, np.int8),
             np.zeros(1, np.bool_), np.array([0]), np.zeros(100, np.int64), width, 10, False,
             CELL_M)
    assert events[0, EV_DISTANCE] == 250
    assert events[0, EV_SETTING] == SET_HOME
    assert events[0, EV_VICTIM_HOME] == 4 * width + 3


def test_lattice_without_residents():
    """No residents (Short et al.'s lattice): no victim's home, setting from land use."""
    events = np.zeros((1, N_EVENT_FIELDS), np.int64)
    events[0, [EV_TYPE, EV_CELL, EV_HOME, EV_VICTIM]] = [BURGLARY, 5, -1, -1]
    annotate(events, 0, 1, np.zeros(0, np.int64), np.zeros(0, np.int8), np.zeros(0, np.bool_),
             np.zeros(0, np.int64), np.zeros(16, np.int64), 4, 4, True, CELL_M)
    assert events[0, EV_VICTIM_HOME] == -1
    assert events[0, EV_DISTANCE] == -1
    assert events[0, EV_SETTING] == SET_HOME
