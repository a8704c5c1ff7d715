"""Residents and their households, as a structure of arrays.

Residents are created household by household and households cell by cell, so the
members of a household are contiguous and so are the households (and residents) of a
cell: the kernels find "who lives here" with two offsets instead of a search.

Memory per resident is what limits the largest city a machine can hold, so the arrays
are as narrow as their values allow (``sim.config.INDEX`` for cells, people and ticks,
``HOUR`` for the plan's hours) and nothing is stored per resident that a small table
or the city already holds: victim-choice weights are one row per group (age group x
sex x marginalisation: 12 rows) looked up through a one-byte group code, a
household's burglary weight likewise, home deprivation and district are read from
the city's layers through the home cell, and a household's home is its first member's.
Lookups give the very same values as the per-resident copies they replace, so results
are unchanged. The household of each resident is kept (4 bytes): the hourly placement
reads it for every resident, and walking the households instead cost 60% more time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.city import City
from sim.config import (
    ADULT,
    AGE_GROUPS,
    CODE,
    COMMERCIAL,
    CRIME_TYPES,
    ELDERLY,
    FEAR,
    FLOAT,
    HOUR,
    INDEX,
    INDUSTRIAL,
    INT,
    N_CRIME,
    NIGHTLIFE,
    PARK,
    RESIDENTIAL,
    SCHOOL,
    VICTIM_COUNT,
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
    vuln_group: np.ndarray  # row of vuln_table per resident (vulnerability_group)
    vuln_table: np.ndarray  # victim-choice weights [group, crime type]
    victim_counts: np.ndarray
    enrolled_until: np.ndarray
    enrolled_by: np.ndarray
    offender_of: np.ndarray
    pos: np.ndarray
    state: np.ndarray
    travelling: np.ndarray  # in public on the way to or from a place this hour
    fear: np.ndarray  # fear of crime, 0..1 stored as uint16 (x / FEAR_SCALE)
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
    route_frac: np.ndarray  # uint16: where along their routes today (sim.kernels.routes)
    # households (members are contiguous: hh_first[h] .. hh_first[h] + hh_size[h] - 1)
    hh_first: np.ndarray
    hh_size: np.ndarray
    hh_group: np.ndarray  # row of hh_vuln_table per household: 1 if marginalised
    hh_vuln_table: np.ndarray  # burglary weight of an ordinary, a marginalised household
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
    # the city's layers, flat (views, not copies): read through each resident's home
    cell_deprivation: np.ndarray
    cell_district: np.ndarray

    @property
    def n(self) -> int:
        """Number of residents."""
        return int(self.home.shape[0])

    @property
    def hh_home(self) -> np.ndarray:
        """Home cell of each household (a new array): its first member's home."""
        return self.home[self.hh_first]

    @property
    def vulnerability(self) -> np.ndarray:
        """Victim-choice weight per resident and crime type (a new ``(n, types)`` array)."""
        return self.vuln_table[self.vuln_group]

    @property
    def hh_vuln(self) -> np.ndarray:
        """Burglary victim-choice weight per household (a new array)."""
        return self.hh_vuln_table[self.hh_group]

    @property
    def home_deprivation(self) -> np.ndarray:
        """Deprivation of each resident's home cell (a new array)."""
        return self.cell_deprivation[self.home]

    @property
    def home_district(self) -> np.ndarray:
        """District of each resident's home cell (a new array)."""
        return self.cell_district[self.home]

    def nbytes(self) -> int:
        """Bytes held by the resident and household arrays (not the city's layers)."""
        return sum(v.nbytes for k, v in vars(self).items()
                   if isinstance(v, np.ndarray) and k not in CITY_LAYERS)


#: Fields of :class:`Residents` that are the city's layers, not the residents' own.
CITY_LAYERS = ("cell_deprivation", "cell_district")


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


def worker_index_dtype(workers: int) -> type:
    """Dtype of ``enrolled_by``: int16 while worker indices fit (workers never grow)."""
    return np.int16 if workers < np.iinfo(np.int16).max else INDEX


def vulnerability_group(age: np.ndarray, female: np.ndarray,
                        marginalised: np.ndarray) -> np.ndarray:
    """Group code per resident, ``4 * age + 2 * female + marginalised`` (0..11)."""
    return (4 * np.asarray(age, np.int8) + 2 * np.asarray(female, np.int8)
            + np.asarray(marginalised, np.int8)).astype(CODE)


def group_vulnerability(table: np.ndarray) -> np.ndarray:
    """Victim-choice weights of the 12 groups of :func:`vulnerability_group`.

    Row ``g`` is :func:`resident_vulnerability` of a resident of group ``g``, computed
    by the same expression, so a lookup gives exactly the per-resident floats.
    """
    g = np.arange(4 * len(AGE_GROUPS))
    return resident_vulnerability(g // 4, (g // 2) % 2 == 1, g % 2 == 1, table)


def home_weight(city: City, cells: np.ndarray) -> np.ndarray:
    """Relative chance that a household lives in each of ``cells``.

    A census population layer (an imported city's ``population``) says where people
    live, so it is used as it is; without one, deprived cells hold more households
    (denser housing). A layer that is zero on every candidate cell carries no
    information about them, so the default is used then too.
    """
    if city.population is not None:
        weight = city.population.ravel()[cells].astype(np.float64)
        if weight.sum() > 0:
            return weight
    return 1.0 + 0.5 * city.deprivation.ravel()[cells]


def build_residents(city: City, p: Params, rng: np.random.Generator) -> Residents:
    """Create ``p.residents.count`` residents in households on residential cells.

    Households have ``1 + Poisson(size - 1)`` members (at most 8); homes follow the
    city's population layer if it has one, else deprived cells hold more households;
    marginalised households concentrate in deprived cells; baseline legitimacy is lower
    in deprived districts and among the marginalised (Sampson & Bartusch 1998). Every
    draw comes from ``rng``.
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
        weight = home_weight(city, res_cells)
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
    dep_mean = float(dep_flat.mean())
    l0 = (rp.legitimacy_mean
          - rp.legitimacy_deprivation_gap * (home_dep - dep_mean)
          - rp.legitimacy_marginalised_gap * (marginalised - rp.marginalised_share)
          + rp.legitimacy_sd * rng.standard_normal(n))
    l0 = np.clip(l0, 0.02, 0.98).astype(FLOAT)
    activity_cell = _activity_cells(city, home, age, employed, rng)
    table = vulnerability_table(p.crime)
    hh_vuln_table = np.array([1.0, table[0, 5]], FLOAT)  # as np.where(marg, t, 1.0)
    cell_hh_count = np.bincount(hh_home, minlength=n_cells)
    cell_hh_start = np.concatenate([[0], np.cumsum(cell_hh_count)[:-1]])
    cell_res_count = np.bincount(home, minlength=n_cells)
    cell_res_start = np.concatenate([[0], np.cumsum(cell_res_count)[:-1]])

    def index(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a, INDEX)

    def indices(fill: int = 0) -> np.ndarray:
        return np.full(n, fill, INDEX)

    def hours() -> np.ndarray:
        return np.zeros(n, HOUR)

    return Residents(
        home=index(home), household=index(household), age=age, female=female,
        marginalised=marginalised, employed=employed, activity_cell=index(activity_cell),
        legitimacy=l0.copy(), legitimacy_baseline=l0,
        vuln_group=vulnerability_group(age, female, marginalised),
        vuln_table=group_vulnerability(table),
        victim_counts=np.zeros((n, N_CRIME), VICTIM_COUNT),
        enrolled_until=indices(), offender_of=indices(-1),
        enrolled_by=np.full(n, -1, worker_index_dtype(p.services.count)),
        pos=index(home).copy(), state=np.zeros(n, np.int8), travelling=np.zeros(n, np.bool_),
        fear=np.zeros(n, FEAR),
        day_cell=indices(-1), day_start=hours(), day_end=hours(),
        day_public=np.zeros(n, np.bool_), eve_cell=indices(-1), eve_start=hours(),
        eve_end=hours(), early_cell=indices(-1), early_end=hours(),
        route_frac=np.zeros(n, np.uint16),
        hh_first=index(hh_first), hh_size=hh_size.astype(CODE),
        hh_group=hh_marg.astype(CODE), hh_vuln_table=hh_vuln_table,
        household_home=np.zeros(n_hh, CODE),
        cell_hh_start=index(cell_hh_start), cell_hh_count=index(cell_hh_count),
        cell_res_start=index(cell_res_start), cell_res_count=index(cell_res_count),
        public_count=np.zeros(n_cells, INDEX), public_start=np.zeros(n_cells, INDEX),
        public_order=np.zeros(n, INDEX),
        cell_deprivation=dep_flat, cell_district=city.district.ravel(),
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
    out = np.full(n, -1, INDEX)
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


__all__ = ["AGE_GROUPS", "CITY_LAYERS", "Residents", "build_residents", "group_vulnerability",
           "nearest_public_cells", "resident_vulnerability", "vulnerability_group",
           "vulnerability_table", "worker_index_dtype"]
