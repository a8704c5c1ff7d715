"""Residents and their households, as a structure of arrays.

Residents are created household by household and households cell by cell, so the
members of a household are contiguous and so are the households (and residents) of a
cell: the kernels find "who lives here" with two offsets instead of a search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.city import City
from sim.config import (
    ADULT,
    AGE_GROUPS,
    COMMERCIAL,
    CRIME_TYPES,
    ELDERLY,
    FLOAT,
    INDUSTRIAL,
    INT,
    N_CRIME,
    NIGHTLIFE,
    PARK,
    RESIDENTIAL,
    SCHOOL,
    YOUTH,
)
from sim.kernels.grid import nearest_source
from sim.scenario import Params


@dataclass
class Residents:
    """Resident and household arrays (index = resident id / household id)."""

    home: np.ndarray
    household: np.ndarray
    age: np.ndarray
    female: np.ndarray
    marginalised: np.ndarray
    employed: np.ndarray
    activity_cell: np.ndarray
    legitimacy: np.ndarray
    legitimacy_baseline: np.ndarray
    vulnerability: np.ndarray
    victim_counts: np.ndarray
    enrolled_until: np.ndarray
    enrolled_by: np.ndarray
    offender_of: np.ndarray
    home_deprivation: np.ndarray
    home_district: np.ndarray
    pos: np.ndarray
    state: np.ndarray
    # daily plan (see sim.kernels.routines.plan_day)
    day_cell: np.ndarray
    day_start: np.ndarray
    day_end: np.ndarray
    day_public: np.ndarray
    eve_cell: np.ndarray
    eve_start: np.ndarray
    eve_end: np.ndarray
    early_cell: np.ndarray
    early_end: np.ndarray
    # households
    hh_home: np.ndarray
    hh_first: np.ndarray
    hh_size: np.ndarray
    hh_vuln: np.ndarray
    household_home: np.ndarray
    # per-cell offsets: households and residents living in each cell
    cell_hh_start: np.ndarray
    cell_hh_count: np.ndarray
    cell_res_start: np.ndarray
    cell_res_count: np.ndarray
    # per-cell public buckets, refreshed every tick
    public_count: np.ndarray
    public_start: np.ndarray
    public_order: np.ndarray

    @property
    def n(self) -> int:
        """Number of residents."""
        return int(self.home.shape[0])

    def nbytes(self) -> int:
        """Bytes held by the resident and household arrays."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))


def vulnerability_table(crime: Params) -> np.ndarray:
    """Return the victim-choice multipliers as an array ``[type, column]``.

    Columns: youth, adult, elderly, female, male, marginalised (the keys of each
    ``[crime.<type>.vulnerability]`` table; a crime type without a key gets 1).
    """
    cols = ("youth", "adult", "elderly", "female", "male", "marginalised")
    out = np.ones((len(CRIME_TYPES), len(cols)), FLOAT)  # absent multipliers are 1
    for k, name in enumerate(CRIME_TYPES):
        table = crime[name].to_dict().get("vulnerability", {})
        for j, col in enumerate(cols):
            out[k, j] = table.get(col, 1.0)
    return out


def resident_vulnerability(
    age: np.ndarray, female: np.ndarray, marginalised: np.ndarray, table: np.ndarray
) -> np.ndarray:
    """Per-resident, per-type victim-choice weight: age x sex x marginalisation."""
    sex_col = np.where(female, 3, 4)
    w = table[:, age].T * table[np.arange(N_CRIME)[None, :], sex_col[:, None]]
    w = w * np.where(marginalised[:, None], table[None, :, 5], 1.0)
    return np.ascontiguousarray(w, FLOAT)


def build_residents(city: City, p: Params, rng: np.random.Generator) -> Residents:
    """Create ``p.residents.count`` residents in households on residential cells.

    Households have ``1 + Poisson(size - 1)`` members (at most 8); deprived cells hold
    more households; marginalised households concentrate in deprived cells; baseline
    legitimacy is lower in deprived districts and among the marginalised (Sampson &
    Bartusch 1998). Every draw comes from ``rng``.
    """
    rp = p.residents
    n_target = rp.count
    n_cells = city.n_cells
    dep_flat = city.deprivation.ravel()
    res_cells = city.cells_of(RESIDENTIAL)
    if n_target > 0 and res_cells.size == 0:
        res_cells = np.arange(n_cells)
    # Households until the population is reached; the last one is trimmed.
    sizes = []
    total = 0
    while total < n_target:
        chunk = 1 + rng.poisson(max(rp.household_size - 1.0, 0.0), size=max(16, n_target // 2))
        chunk = np.minimum(chunk, 8)
        for s in chunk:
            s = int(min(s, n_target - total))
            sizes.append(s)
            total += s
            if total >= n_target:
                break
    hh_size = np.array(sizes, INT)
    n_hh = hh_size.size
    if n_hh:
        weight = 1.0 + 0.5 * dep_flat[res_cells]
        hh_home = rng.choice(res_cells, size=n_hh, p=weight / weight.sum())
    else:
        hh_home = np.zeros(0, INT)
    order = np.argsort(hh_home, kind="stable")
    hh_home = hh_home[order].astype(INT)
    hh_size = hh_size[order]
    hh_first = np.concatenate([[0], np.cumsum(hh_size)[:-1]]).astype(INT) if n_hh else hh_size
    n = int(hh_size.sum())
    household = np.repeat(np.arange(n_hh, dtype=INT), hh_size)
    home = hh_home[household] if n else np.zeros(0, INT)
    # Marginalised households, concentrated where deprivation is high.
    hh_dep = dep_flat[hh_home] if n_hh else np.zeros(0)
    factor = 0.3 + 1.4 * hh_dep
    p_marg = np.clip(rp.marginalised_share * factor / max(factor.mean(), 1e-9), 0, 1) if n_hh \
        else factor
    hh_marg = rng.random(n_hh) < p_marg
    marginalised = hh_marg[household]
    u = rng.random(n)
    age = np.where(u < rp.youth_share, YOUTH,
                   np.where(u < rp.youth_share + rp.elderly_share, ELDERLY, ADULT)).astype(np.int8)
    female = rng.random(n) < rp.female_share
    employed = (age == ADULT) & (rng.random(n) < p.routines.employment)
    home_dep = dep_flat[home] if n else np.zeros(0)
    home_district = city.district.ravel()[home].astype(INT) if n else np.zeros(0, INT)
    dep_mean = float(dep_flat.mean())
    l0 = (rp.legitimacy_mean
          - rp.legitimacy_deprivation_gap * (home_dep - dep_mean)
          - rp.legitimacy_marginalised_gap * (marginalised - rp.marginalised_share)
          + rp.legitimacy_sd * rng.standard_normal(n))
    l0 = np.clip(l0, 0.02, 0.98).astype(FLOAT)
    activity_cell = _activity_cells(city, home, age, employed, rng)
    table = vulnerability_table(p.crime)
    vul = resident_vulnerability(age, female, marginalised, table)
    hh_vuln = np.where(hh_marg, table[0, 5], 1.0).astype(FLOAT)
    cell_hh_count = np.bincount(hh_home, minlength=n_cells).astype(INT)
    cell_hh_start = np.concatenate([[0], np.cumsum(cell_hh_count)[:-1]]).astype(INT)
    cell_res_count = np.bincount(home, minlength=n_cells).astype(INT)
    cell_res_start = np.concatenate([[0], np.cumsum(cell_res_count)[:-1]]).astype(INT)

    def ints(fill: int = 0) -> np.ndarray:
        return np.full(n, fill, INT)

    return Residents(
        home=home.astype(INT), household=household, age=age, female=female,
        marginalised=marginalised, employed=employed, activity_cell=activity_cell,
        legitimacy=l0.copy(), legitimacy_baseline=l0,
        vulnerability=vul, victim_counts=np.zeros((n, N_CRIME), np.int32),
        enrolled_until=ints(), enrolled_by=ints(-1), offender_of=ints(-1),
        home_deprivation=home_dep.astype(FLOAT), home_district=home_district,
        pos=home.astype(INT).copy(), state=np.zeros(n, np.int8),
        day_cell=ints(-1), day_start=ints(), day_end=ints(), day_public=np.zeros(n, np.bool_),
        eve_cell=ints(-1), eve_start=ints(), eve_end=ints(), early_cell=ints(-1),
        early_end=ints(),
        hh_home=hh_home, hh_first=hh_first, hh_size=hh_size, hh_vuln=hh_vuln,
        household_home=np.zeros(n_hh, INT),
        cell_hh_start=cell_hh_start, cell_hh_count=cell_hh_count,
        cell_res_start=cell_res_start, cell_res_count=cell_res_count,
        public_count=np.zeros(n_cells, INT), public_start=np.zeros(n_cells, INT),
        public_order=np.zeros(n, INT),
    )


def _activity_cells(
    city: City, home: np.ndarray, age: np.ndarray, employed: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Assign work cells to employed adults and the nearest school to youth.

    Any commercial, industrial, nightlife or school cell can be a workplace: people
    commute across the city.
    """
    n = home.shape[0]
    out = np.full(n, -1, INT)
    lu = city.land_use.ravel()
    workplaces = np.flatnonzero(np.isin(lu, (COMMERCIAL, INDUSTRIAL, NIGHTLIFE, SCHOOL)))
    workers = np.flatnonzero(employed)
    if workplaces.size and workers.size:
        out[workers] = rng.choice(workplaces, size=workers.size)
    schools = lu == SCHOOL
    youth = np.flatnonzero(age == YOUTH)
    if schools.any() and youth.size:
        nearest = nearest_source(schools, city.width, city.height)
        out[youth] = nearest[home[youth]]
    return out


def nearest_public_cells(city: City) -> np.ndarray:
    """Nearest shop, park or nightlife cell to every cell (home itself if none exist)."""
    lu = city.land_use.ravel()
    public = np.isin(lu, (COMMERCIAL, PARK, NIGHTLIFE))
    if not public.any():
        return np.arange(city.n_cells, dtype=INT)
    return nearest_source(public, city.width, city.height)


__all__ = ["AGE_GROUPS", "Residents", "build_residents", "nearest_public_cells",
           "resident_vulnerability", "vulnerability_table"]
