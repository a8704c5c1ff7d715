"""Capable guardians: police officers, outreach workers and private security guards.

Each kind is a small structure of arrays. Officers carry a patrol strategy and an
integrity flag; outreach workers a district; guards a fixed post at a business.
Districts that need them most (highest deprivation) get beats and workers first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.city import City
from sim.config import COMMERCIAL, COMMUNITY_PATROL, INT, NIGHTLIFE, RESIDENTIAL, STRATEGIES
from sim.scenario import Params


@dataclass
class Police:
    """Officer arrays: cell, strategy code, target cell, beat district, corrupt flag."""

    pos: np.ndarray
    strategy: np.ndarray
    target: np.ndarray
    beat: np.ndarray
    corrupt: np.ndarray

    @property
    def n(self) -> int:
        """Number of officers on patrol."""
        return int(self.pos.shape[0])

    def deterrence_weight(self, corrupt_deterrence: float) -> np.ndarray:
        """How much each officer deters: 1 if honest, ``corrupt_deterrence`` if not."""
        return np.where(self.corrupt, corrupt_deterrence, 1.0)


@dataclass
class Workers:
    """Outreach worker arrays: cell, district, caseload."""

    pos: np.ndarray
    district: np.ndarray
    caseload: np.ndarray

    @property
    def n(self) -> int:
        """Number of workers."""
        return int(self.pos.shape[0])


@dataclass
class Guards:
    """Private security guard posts (cells)."""

    pos: np.ndarray

    @property
    def n(self) -> int:
        """Number of guards."""
        return int(self.pos.shape[0])


def split_by_shares(n: int, shares: list[float]) -> np.ndarray:
    """Counts per category summing to ``n`` (largest-remainder rounding)."""
    raw = np.asarray(shares, float) * n
    counts = np.floor(raw).astype(int)
    rest = n - counts.sum()
    counts[np.argsort(-(raw - counts), kind="stable")[:rest]] += 1
    return counts


def _needy_districts(city: City, k: int) -> np.ndarray:
    """District indices in order of deprivation, most deprived first, repeated to k."""
    order = np.argsort(-city.district_deprivation(), kind="stable")
    return order[np.arange(k) % order.size]


def _random_cell_in(city: City, district: int, rng: np.random.Generator) -> int:
    cells = np.flatnonzero(city.district.ravel() == district)
    res = cells[city.land_use.ravel()[cells] == RESIDENTIAL]
    pool = res if res.size else cells
    return int(pool[rng.integers(pool.size)])


def build_police(city: City, p: Params, rng: np.random.Generator) -> Police:
    """Officers split over strategies by share; a random ``corrupt_share`` corrupt.

    Community officers get beats in the most deprived districts first; all start at
    random cells (community officers inside their beat).
    """
    pp = p.police
    n = pp.count
    counts = split_by_shares(n, [getattr(pp, s) for s in STRATEGIES])
    strategy = np.repeat(np.arange(len(STRATEGIES), dtype=INT), counts)
    corrupt = np.zeros(n, np.bool_)
    n_corrupt = int(round(pp.corrupt_share * n))
    if n_corrupt:
        corrupt[rng.choice(n, size=n_corrupt, replace=False)] = True
    pos = rng.integers(0, city.n_cells, size=n).astype(INT)
    beat = city.district.ravel()[pos].astype(INT)
    community = np.flatnonzero(strategy == COMMUNITY_PATROL)
    beat[community] = _needy_districts(city, community.size)
    for i in community:
        pos[i] = _random_cell_in(city, int(beat[i]), rng)
    return Police(pos=pos, strategy=strategy, target=np.full(n, -1, INT), beat=beat,
                  corrupt=corrupt)


def build_workers(city: City, p: Params, rng: np.random.Generator) -> Workers:
    """Outreach workers assigned to the most deprived districts first."""
    n = p.services.count
    district = _needy_districts(city, n).astype(INT)
    pos = np.array([_random_cell_in(city, int(d), rng) for d in district], INT)
    return Workers(pos=pos, district=district, caseload=np.zeros(n, INT))


def build_guards(city: City, p: Params, rng: np.random.Generator) -> Guards:
    """Post guards at commercial and nightlife cells (nightlife twice as likely: door staff)."""
    n = p.security.guards
    lu = city.land_use.ravel()
    cells = np.flatnonzero(np.isin(lu, (COMMERCIAL, NIGHTLIFE)))
    if n == 0 or cells.size == 0:
        return Guards(pos=np.zeros(0, INT))
    w = np.where(lu[cells] == NIGHTLIFE, 2.0, 1.0)
    return Guards(pos=rng.choice(cells, size=n, p=w / w.sum()).astype(INT))
