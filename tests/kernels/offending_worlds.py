"""Worlds and the plain-numpy reference for the tests of sim.kernels.offending.

Shared by test_offending.py (equivalence with the reference, Short et al.'s lattice)
and test_offending_choice.py (victim and type choice, properties, rival_at). The
reference is written from the kernel module's docstring (see test_offending.py).
"""

from __future__ import annotations

from types import SimpleNamespace

import containers
import numpy as np

from sim.config import (
    BURGLARY,
    DEAD,
    EV_CELL,
    EV_HOME,
    EV_OFFENDER,
    EV_RELATIONSHIP,
    EV_RESIDENT,
    EV_TICK,
    EV_TYPE,
    EV_VICTIM,
    FREE,
    GANG_VIOLENCE,
    JAILED,
    N_CRIME,
    N_EVENT_FIELDS,
    NO_GANG,
    REL_ACQUAINTANCE,
    REL_FAMILY,
    REL_NONE,
    REL_STRANGER,
    RESIDENTIAL,
    STREET_CRIMES,
)
from sim.kernels.offending import offend

INT = np.int64
SEEDS = range(8)
TICK = 10


# --- world builders ------------------------------------------------------------------
def make_world(seed, width=3, height=2, n_res=40, n_hh=15, n_off=30, n_gangs=3,
               abstract=False, gang_radius=None):
    g = np.random.default_rng(1000 + seed)
    n_cells = width * height
    w = SimpleNamespace(abstract=abstract, width=width)
    w.gang_radius = seed % 3 if gang_radius is None else gang_radius
    w.land_use = g.integers(0, 6, n_cells).astype(np.int8)
    w.land_use[: n_cells // 2 + 1] = RESIDENTIAL
    w.a0 = g.uniform(0.05, 1.0, n_cells)
    w.b = g.uniform(0.0, 0.5, n_cells)
    w.lighting = g.uniform(0.0, 1.0, n_cells)
    w.guardianship = g.uniform(0.0, 0.5, n_cells)
    w.police_field = g.uniform(0.0, 0.5, n_cells)
    w.rate = g.uniform(0.2, 1.5, N_CRIME)
    if seed % 3 == 1:
        w.rate[g.integers(0, N_CRIME)] = 0.0
    w.darkness = g.uniform(0.0, 2.0, N_CRIME)
    w.crowd = float(g.uniform(0.0, 0.3))
    w.compliance = float(g.uniform(0.0, 1.0))
    w.enrolled_effect = float(g.uniform(0.0, 1.0))
    w.tension = 1.0 + g.uniform(0.0, 2.0, (n_gangs, n_gangs))
    if abstract:
        n_res = n_hh = 0
    # households, sorted by cell
    hh_home = np.sort(g.integers(0, n_cells, n_hh))
    w.cell_hh_count = np.bincount(hh_home, minlength=n_cells).astype(INT)
    w.cell_hh_start = np.concatenate([[0], np.cumsum(w.cell_hh_count)[:-1]]).astype(INT)
    w.household_home = g.integers(0, 3, n_hh).astype(INT)  # members at home; 0 = empty
    w.hh_vuln = g.uniform(0.5, 2.0, n_hh)
    # residents
    r_pos = g.integers(0, n_cells, n_res).astype(INT)
    r_state = g.integers(0, 3, n_res).astype(np.int8)
    w.r_vuln = g.uniform(0.0, 2.0, (n_res, N_CRIME))
    w.r_vuln[g.random((n_res, N_CRIME)) < 0.2] = 0.0
    w.r_legitimacy = g.uniform(0.0, 1.0, n_res)
    w.r_enrolled_until = g.integers(0, 2 * TICK, n_res).astype(INT)
    w.public_count, w.public_start, w.public_order = containers.public_buckets(
        r_pos, r_state, n_cells)
    # offenders
    w.o_pos = g.integers(0, n_cells, n_off).astype(INT)
    w.o_state = g.choice(np.array([DEAD, FREE, FREE, FREE, FREE, JAILED], np.int8), n_off)
    w.o_active = g.random(n_off) < 0.85
    w.o_acted = g.random(n_off) < 0.1
    w.o_motivation = g.gamma(2.0, 0.6, n_off)
    w.o_gang = g.integers(-1, n_gangs, n_off).astype(INT)
    if n_res:
        w.o_resident = np.where(g.random(n_off) < 0.7, g.integers(0, n_res, n_off), -1)
    else:
        w.o_resident = np.full(n_off, -1)
    w.o_resident = w.o_resident.astype(INT)
    w.o_home = g.integers(-1, n_cells, n_off).astype(INT)
    # Who knows whom (relationships.enabled): households, activity cells and homes, from
    # a generator of their own so the worlds above are unchanged. Few households and
    # activity cells on a small grid, so many people present are known.
    k = np.random.default_rng(900 + seed)
    w.r_household = k.integers(0, 8, n_res).astype(INT)
    w.r_activity = k.integers(-1, 4, n_res).astype(INT)
    w.r_home = k.integers(0, n_cells, n_res).astype(INT)
    # Who is on the way somewhere this hour (routes), from a generator of its own.
    w.r_travelling = np.random.default_rng(950 + seed).random(n_res) < 0.4
    return w


def abstract_lattice(a, n_per_cell, b=None):
    """Short et al.'s lattice: no residents, one house per cell, neutral modifiers."""
    a = np.asarray(a, float)
    n_cells = a.size
    n_off = n_cells * n_per_cell
    w = SimpleNamespace(abstract=True, width=n_cells, gang_radius=0)
    w.land_use = np.full(n_cells, RESIDENTIAL, np.int8)
    w.a0 = a.copy() if b is None else a - b
    w.b = np.zeros(n_cells) if b is None else np.asarray(b, float)
    w.lighting = np.ones(n_cells)
    w.guardianship = np.zeros(n_cells)
    w.police_field = np.zeros(n_cells)
    w.rate = np.array([1.0, 0.7, 0.3, 0.2, 0.9])
    w.darkness = np.array([0.5, 1.0, 1.0, 1.0, 0.5])
    w.crowd = 0.1
    w.compliance = 0.0
    w.enrolled_effect = 0.3
    w.tension = np.ones((1, 1))
    w.cell_hh_count = np.zeros(n_cells, INT)
    w.cell_hh_start = np.zeros(n_cells, INT)
    w.household_home = np.zeros(0, INT)
    w.hh_vuln = np.zeros(0)
    w.r_vuln = np.zeros((0, N_CRIME))
    w.r_legitimacy = np.zeros(0)
    w.r_enrolled_until = np.zeros(0, INT)
    w.public_count = np.zeros(n_cells, INT)
    w.public_start = np.zeros(n_cells, INT)
    w.public_order = np.zeros(0, INT)
    w.o_pos = np.repeat(np.arange(n_cells), n_per_cell).astype(INT)
    w.o_state = np.full(n_off, FREE, np.int8)
    w.o_active = np.ones(n_off, np.bool_)
    w.o_acted = np.zeros(n_off, np.bool_)
    w.o_motivation = np.ones(n_off)
    w.o_gang = np.full(n_off, NO_GANG, INT)
    w.o_resident = np.full(n_off, -1, INT)
    w.o_home = np.full(n_off, -1, INT)
    w.r_household = w.r_activity = w.r_home = np.zeros(0, INT)
    return w


def run_offend(w, night, dt, rng, tick=TICK, capacity=None, rows=None, know=None,
               acquaintance=1.0, transit=None):
    """Call the kernel on copies; return (events, acted).

    ``know``: pass ``relationships.enabled`` (and ``acquaintance``) to the kernel; by
    default neither is passed (the kernel's defaults: the classic model). ``transit``:
    pass the travellers' weight too (and who travels).

    ``rows``: optional (r_vuln table, row per resident, hh_vuln table, row per
    household) for the kernel; by default every resident and household has its own
    row of ``w.r_vuln`` and ``w.hh_vuln``.
    """
    n_off = w.o_pos.shape[0]
    events = np.full((capacity or n_off + 1, N_EVENT_FIELDS), -7, INT)
    acted = w.o_acted.copy()
    if rows is None:
        rows = (w.r_vuln, np.arange(w.r_vuln.shape[0]), w.hh_vuln, np.arange(w.hh_vuln.size))
    r_vuln, r_row, hh_vuln, hh_row = rows
    risk_sens = getattr(w, "risk_sens", 0.0)  # deterrence by perceived risk (0: off)
    extra = {"risk": w.o_risk} if risk_sens else {}
    off = containers.offenders(
        pos=w.o_pos, state=w.o_state, active=w.o_active, acted=acted,
        motivation=w.o_motivation, gang=w.o_gang, resident=w.o_resident, home=w.o_home,
        **extra)
    res = containers.residents(
        vuln_table=r_vuln, vuln_group=r_row, legitimacy=w.r_legitimacy,
        enrolled_until=w.r_enrolled_until, public_count=w.public_count,
        public_start=w.public_start, public_order=w.public_order,
        cell_hh_start=w.cell_hh_start, cell_hh_count=w.cell_hh_count,
        household_home=w.household_home, hh_vuln_table=hh_vuln, hh_group=hh_row,
        household=w.r_household, activity_cell=w.r_activity, home=w.r_home,
        **({} if transit is None else {"travelling": w.r_travelling}))
    cells = containers.cells(
        land_use=w.land_use, a0=w.a0, b=w.b, lighting=w.lighting, guardianship=w.guardianship,
        police_field=w.police_field, width=w.width)
    rates = containers.rates(rate=w.rate, darkness=w.darkness)
    args = (tick, night, dt, off, res, cells, rates, w.abstract, w.crowd, w.compliance,
            w.enrolled_effect, w.tension, w.gang_radius, events, 0, rng)
    if risk_sens:
        n = offend(*args, acquaintance, bool(know), 1.0 if transit is None else transit,
                   risk_sens, w.risk_ref)
    elif transit is not None:
        n = offend(*args, acquaintance, bool(know), transit)
    else:
        n = offend(*args) if know is None else offend(*args, acquaintance, know)
    assert 0 <= n <= events.shape[0]
    np.testing.assert_array_equal(events[n:], -7)  # nothing written past the count
    return events[:n], acted


# --- the reference -------------------------------------------------------------------
def pick(weights, u):
    """Index drawn with probability proportional to ``weights`` from a uniform u."""
    cum = np.cumsum(weights)
    k = int(np.searchsorted(cum, u * cum[-1], side="right"))
    k = min(k, len(weights) - 1)
    while weights[k] <= 0.0:
        k -= 1
    return k


def people_in_public(w, c):
    s = w.public_start[c]
    return w.public_order[s: s + w.public_count[c]]


def empty_households(w, c):
    hh = np.arange(w.cell_hh_start[c], w.cell_hh_start[c] + w.cell_hh_count[c])
    return hh[w.household_home[hh] == 0]


def eligible(w, i, acted):
    return w.o_state[i] == FREE and w.o_active[i] and not acted[i]


def chebyshev(a, b, width):
    return max(abs(a % width - b % width), abs(a // width - b // width))


def rivals_present(w, i):
    """Active free members of other gangs within gang_radius cells of offender i."""
    g = w.o_gang[i]
    return [j for j in range(w.o_pos.shape[0])
            if w.o_gang[j] != NO_GANG and w.o_gang[j] != g
            and w.o_state[j] == FREE and w.o_active[j]
            and chebyshev(w.o_pos[i], w.o_pos[j], w.width) <= w.gang_radius]


def ref_weights(w, people, k, transit):
    """Vulnerability of the people present, a traveller's times ``transit``."""
    weight = w.r_vuln[people, k].copy()
    if transit is not None:
        weight[w.r_travelling[people]] *= transit
    return weight


def ref_hazards(w, i, night, tick=TICK, transit=None):
    """h_k of offender i, straight from the module docstring."""
    c = w.o_pos[i]
    people = people_in_public(w, c)
    suit = np.zeros(N_CRIME)
    if w.abstract:
        suit[BURGLARY] = 1.0 if w.land_use[c] == RESIDENTIAL else 0.0
    else:
        suit[BURGLARY] = w.hh_vuln[empty_households(w, c)].sum()
    for k in STREET_CRIMES:
        suit[k] = ref_weights(w, people, k, transit).sum()
    g = w.o_gang[i]
    if g != NO_GANG:
        suit[GANG_VIOLENCE] = sum(w.tension[g, w.o_gang[j]] for j in rivals_present(w, i))
    attract = w.a0[c] + w.b[c]
    dark = 1.0 + w.darkness * (1.0 - w.lighting[c]) if night else np.ones(N_CRIME)
    deter = np.exp(-(w.police_field[c] + w.guardianship[c]))
    if getattr(w, "risk_sens", 0.0):  # perceived risk above the prior deters
        deter *= np.exp(-w.risk_sens * (float(w.o_risk[i]) - w.risk_ref))
    m = w.o_motivation[i]
    r = w.o_resident[i]
    if r >= 0:
        m *= 1.0 - w.compliance * w.r_legitimacy[r]
        if w.r_enrolled_until[r] > tick:
            m *= 1.0 - w.enrolled_effect
    crowd = np.ones(N_CRIME)
    public = list(STREET_CRIMES) + [GANG_VIOLENCE]
    crowd[public] = 1.0 / (1.0 + w.crowd * people.size)
    return w.rate * attract * suit * dark * deter * m * crowd


def ref_relation(w, r, j):
    """Who resident j is to resident r, from the rule: the same household is family;
    the same school or workplace, or a home within one cell, an acquaintance."""
    if j == r:
        return REL_STRANGER
    if w.r_household[j] == w.r_household[r]:
        return REL_FAMILY
    if w.r_activity[r] >= 0 and w.r_activity[j] == w.r_activity[r]:
        return REL_ACQUAINTANCE
    if chebyshev(w.r_home[r], w.r_home[j], w.width) <= 1:
        return REL_ACQUAINTANCE
    return REL_STRANGER


def ref_offend(w, night, dt, rng, tick=TICK, know=False, acquaintance=1.0, transit=None):
    """The reference; with ``know``, victims the offender knows weigh ``acquaintance``
    times their vulnerability and the relationship is family, acquaintance or stranger."""
    acted = w.o_acted.copy()
    rows = []
    for i in range(w.o_pos.shape[0]):
        if not eligible(w, i, acted):
            continue
        h = ref_hazards(w, i, night, tick, transit)
        p = 1.0 - np.exp(-dt * h.sum())
        if not rng.random() < p:
            continue
        k = pick(h, rng.random())
        u = rng.random()
        c = w.o_pos[i]
        v = -1
        if k == BURGLARY and not w.abstract:
            empty = empty_households(w, c)
            v = empty[pick(w.hh_vuln[empty], u)]
        elif k in STREET_CRIMES:
            people = people_in_public(w, c)
            weight = ref_weights(w, people, k, transit)
            r = w.o_resident[i]
            if know and r >= 0:
                known = np.array([ref_relation(w, r, j) != REL_STRANGER for j in people], bool)
                weight[known] *= acquaintance
            v = people[pick(weight, u)]
        row = np.zeros(N_EVENT_FIELDS, INT)
        row[EV_TICK], row[EV_TYPE], row[EV_CELL] = tick, k, c
        row[EV_OFFENDER], row[EV_VICTIM], row[EV_HOME] = i, v, w.o_home[i]
        row[EV_RESIDENT] = w.o_resident[i]
        # nobody for a burglary, a known rival for gang violence, a stranger otherwise
        row[EV_RELATIONSHIP] = (REL_NONE if k == BURGLARY else
                                REL_ACQUAINTANCE if k == GANG_VIOLENCE else REL_STRANGER)
        if know and k in STREET_CRIMES and w.o_resident[i] >= 0:
            row[EV_RELATIONSHIP] = ref_relation(w, w.o_resident[i], v)
        rows.append(row)
        acted[i] = True
    return np.array(rows, INT).reshape(-1, N_EVENT_FIELDS), acted
