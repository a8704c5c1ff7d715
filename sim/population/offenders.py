"""Offenders as a pool of slots: arrays that recruitment fills and desistance frees.

An offender is usually one of the residents (``resident`` links them; the resident's
``offender_of`` links back), anchored at that resident's home. On the abstract lattice
of Short et al. there are no residents and burglars have no home (-1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.city import City
from sim.config import (
    DEAD,
    ELDERLY,
    FLOAT,
    FREE,
    INDEX,
    INT,
    NO_GANG,
    REL_NONE,
    STREET_OFFENDER,
    YOUTH,
)
from sim.population.residents import Residents
from sim.scenario import Params


@dataclass
class Offenders:
    """Offender slot arrays; ``state == DEAD`` marks a free slot."""

    state: np.ndarray
    pos: np.ndarray
    home: np.ndarray
    motivation: np.ndarray
    gang: np.ndarray
    resident: np.ndarray
    release: np.ndarray
    born: np.ndarray
    arrests: np.ndarray
    active: np.ndarray
    acted: np.ndarray
    free_stack: np.ndarray
    free_top: np.ndarray
    kind: np.ndarray  # STREET_OFFENDER, or DOMESTIC_OFFENDER (offends at home only)
    # The awareness space (sim.kernels.awareness): 3 activity nodes, the outing's anchor
    # and hours left, the remembered burglary and days it lasts (22 bytes a slot).
    aw_nodes: np.ndarray  # (slots, 3) int32
    aw_anchor: np.ndarray  # int32
    aw_hours: np.ndarray  # uint8
    mem_cell: np.ndarray  # int32
    mem_days: np.ndarray  # uint8
    target: np.ndarray  # a domestic offender's victim (resident), -1 for street offenders
    relation: np.ndarray  # who the target is to them: REL_PARTNER or REL_FAMILY (int8)
    # Perceived risk of arrest (sim.kernels.perceived_risk), float32: 4 bytes a slot.
    risk: np.ndarray

    @property
    def capacity(self) -> int:
        """Number of slots."""
        return int(self.state.shape[0])

    def grow(self, new_capacity: int) -> None:
        """Enlarge every array to ``new_capacity`` slots, adding them to the free stack."""
        old = self.capacity
        if new_capacity <= old:
            return
        extra = new_capacity - old
        fills = {"state": DEAD, "pos": 0, "home": -1, "motivation": 0.0, "gang": NO_GANG,
                 "resident": -1, "release": 0, "born": 0, "arrests": 0, "active": False,
                 "acted": False, "kind": STREET_OFFENDER, "aw_nodes": -1, "aw_anchor": -1,
                 "aw_hours": 0, "mem_cell": -1, "mem_days": 0, "target": -1,
                 "relation": REL_NONE, "risk": 0.0}
        for name, fill in fills.items():
            arr = getattr(self, name)
            more = np.full((extra, *arr.shape[1:]), fill, arr.dtype)
            setattr(self, name, np.concatenate([arr, more]))
        top = int(self.free_top[0])
        stack = np.empty(new_capacity, INDEX)
        # New slots go below the existing free ones, so old slots are reused first.
        stack[: extra] = np.arange(new_capacity - 1, old - 1, -1)
        stack[extra: extra + top] = self.free_stack[:top]
        self.free_stack = stack
        self.free_top[0] = extra + top

    def nbytes(self) -> int:
        """Bytes held by the offender arrays."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))


def empty_offenders(capacity: int) -> Offenders:
    """A pool of ``capacity`` free slots."""
    # Cells, residents and slots are INDEX; release and birth ticks stay INT (a
    # jail term is an unbounded draw). Arrests are counted in INDEX.
    return Offenders(
        state=np.full(capacity, DEAD, np.int8), pos=np.zeros(capacity, INDEX),
        home=np.full(capacity, -1, INDEX), motivation=np.zeros(capacity, FLOAT),
        gang=np.full(capacity, NO_GANG, INT), resident=np.full(capacity, -1, INDEX),
        release=np.zeros(capacity, INT), born=np.zeros(capacity, INT),
        arrests=np.zeros(capacity, INDEX), active=np.zeros(capacity, np.bool_),
        acted=np.zeros(capacity, np.bool_),
        free_stack=np.arange(capacity - 1, -1, -1, dtype=INDEX),
        free_top=np.array([capacity], INT), kind=np.full(capacity, STREET_OFFENDER, np.int8),
        aw_nodes=np.full((capacity, 3), -1, INDEX), aw_anchor=np.full(capacity, -1, INDEX),
        aw_hours=np.zeros(capacity, np.uint8), mem_cell=np.full(capacity, -1, INDEX),
        mem_days=np.zeros(capacity, np.uint8),
        target=np.full(capacity, -1, INDEX), relation=np.full(capacity, REL_NONE, np.int8),
        risk=np.zeros(capacity, np.float32),
    )


def gang_territories(city: City, gangs: int) -> np.ndarray:
    """Return the gang holding each district (-1: none).

    The ``2 * gangs`` most deprived districts are dealt out in turn, so gangs sit where
    deprivation is highest (Thrasher 1927).
    """
    out = np.full(city.n_districts, NO_GANG, INT)
    if gangs <= 0:
        return out
    order = np.argsort(-city.district_deprivation(), kind="stable")
    held = order[: min(2 * gangs, city.n_districts)]
    out[held] = np.arange(held.size) % gangs
    return out


def build_offenders(
    city: City, residents: Residents, p: Params, territory: np.ndarray,
    rng: np.random.Generator,
) -> Offenders:
    """Create the initial offenders.

    With residents, offenders are drawn from them, weighted toward young men, deprived
    homes and marginalisation (Farrington 1986's age-crime curve; Sampson et al. 1997).
    Without residents (the lattice), they are placed uniformly at random.
    """
    op = p.offenders
    count = op.count
    capacity = op.capacity or max(4 * count, 1024)
    capacity = max(capacity, count)
    off = empty_offenders(capacity)
    if count == 0:
        return off
    if residents.n > 0:
        w = np.select([residents.age == YOUTH, residents.age == ELDERLY], [4.0, 0.05], 1.0)
        w = w * np.where(residents.female, 1.0, 3.0)
        w = w * (1.0 + 2.0 * residents.home_deprivation)
        w = w * np.where(residents.marginalised, 1.5, 1.0)
        count = min(count, residents.n)
        who = rng.choice(residents.n, size=count, replace=False, p=w / w.sum())
        who.sort()
        home = residents.home[who]
        motivation = rng.gamma(op.motivation_shape, op.motivation_mean / op.motivation_shape,
                               size=count)
        g = territory[residents.home_district[who]]
        in_territory = g != NO_GANG
        share = op.gang_share * count / max(int(in_territory.sum()), 1)
        joins = in_territory & (rng.random(count) < min(share, 1.0))
        gang = np.where(joins, g, NO_GANG)
        resident = who.astype(INT)
    else:
        home_cells = rng.integers(0, city.n_cells, size=count)
        home = np.full(count, -1, INT) if op.transient else home_cells
        motivation = (np.ones(count) if op.transient else
                      rng.gamma(op.motivation_shape, op.motivation_mean / op.motivation_shape,
                                size=count))
        gang = np.full(count, NO_GANG, INT)
        resident = np.full(count, -1, INT)
        off.pos[:count] = home_cells
    slots = off.free_stack[capacity - count:][::-1].copy()  # pop order: 0, 1, 2, ...
    off.free_top[0] = capacity - count
    off.state[slots] = FREE
    off.home[slots] = home
    if residents.n > 0:
        off.pos[slots] = home
    off.motivation[slots] = motivation
    off.gang[slots] = gang
    off.resident[slots] = resident
    if residents.n > 0:
        residents.offender_of[resident] = slots
    return off
