"""Seeded generator of plausible cities, and the Short et al. (2008) lattice.

The generated city follows the concentric-zone picture of Burgess (1925): a commercial
centre with a nightlife core and nightlife streets, residential districts around it,
industry at one edge, parks and small shops scattered through the residential fabric.
Deprivation is drawn per district and clustered on the industrial side and in the
"zone in transition" around the centre (Shaw & McKay 1942); lighting falls and
disorder rises with deprivation. docs/city.md gives the reasoning and the parameters.

Every random draw comes from the ``rng`` passed in, in a fixed order, so one seed gives
one city. Everything is vectorised numpy apart from short loops over blobs. The parts
live beside this module: districts (:mod:`sim.city.districts`), land-use placement
(:mod:`sim.city.land_use`) and the derived cell layers (:mod:`sim.city.layers`).
"""

from __future__ import annotations

import numpy as np

from sim.city.city import City
from sim.city.districts import (
    axis_offsets,
    beta_values,
    district_names,
    spread_cells,
    voronoi_districts,
)
from sim.city.land_use import (
    GUARANTEE_SIDE,
    edge_gradient,
    guarantee_land_uses,
    place_blobs,
    street_cells,
)
from sim.city.layers import a0_of, derive_cctv, derive_disorder, derive_lighting
from sim.config import (
    CODE,
    COMMERCIAL,
    FLOAT,
    INDUSTRIAL,
    INT,
    NIGHTLIFE,
    PARK,
    RESIDENTIAL,
    SCHOOL,
)
from sim.scenario import Params, ScenarioError

#: Share of cells that are small local shops (corner shops, parades) in residential areas.
LOCAL_SHOP_SHARE = 0.025
#: Nightlife core radius as a share of the centre radius.
NIGHTLIFE_CORE = 0.4
#: Cell-level deprivation noise per unit of ``deprivation_spread`` (0 spread: uniform).
CELL_DEPRIVATION_NOISE = 0.1


def generate_city(city: Params, attractiveness: Params, rng: np.random.Generator) -> City:
    """Build a seeded, plausible city from the scenario's ``city`` section.

    Args:
        city: The ``city`` parameters (size, districts, shares, lighting...).
        attractiveness: The ``attractiveness`` parameters (A0 per land use and gains).
        rng: Source of every random draw; the same seed gives the same city.

    Returns:
        A City whose layers are ``(height, width)`` arrays indexed ``[y, x]``.

    Raises:
        ScenarioError: If there are more districts than cells.

    """
    width, height = int(city.width), int(city.height)
    n_cells = width * height
    n_districts = int(city.districts)
    periodic = bool(city.periodic)
    radius = float(city.centre_radius)
    if n_districts > n_cells:
        raise ScenarioError(
            f"city.districts: {n_districts} districts do not fit in a {width}x{height} grid"
        )

    # Centre, slightly off the middle; distances to it (wrapped on a torus).
    jitter = 0.04 * min(width, height)
    cx = int(np.clip(round((width - 1) / 2 + rng.normal(0.0, jitter)), 0, width - 1))
    cy = int(np.clip(round((height - 1) / 2 + rng.normal(0.0, jitter)), 0, height - 1))
    dist_c = np.sqrt(
        axis_offsets(height, np.array([cy]), periodic) ** 2
        + axis_offsets(width, np.array([cx]), periodic).T ** 2
    )
    edge = int(rng.integers(4))
    gradient = edge_gradient(width, height, edge)

    # Land use: centre, nightlife, industry, parks, shops, schools; the rest residential.
    land = np.full((height, width), RESIDENTIAL, CODE)
    land[dist_c <= radius] = COMMERCIAL
    land[dist_c <= NIGHTLIFE_CORE * radius] = NIGHTLIFE
    streets = street_cells(
        width, height, cx, cy, radius, int(city.nightlife_streets), periodic, rng
    )
    land.ravel()[streets] = NIGHTLIFE

    n_ind = round(city.industrial_share * n_cells)
    if n_ind > 0:
        ind_area = float(np.clip(n_ind / 3.0, 4.0, 2500.0))
        k = max(1, round(n_ind / ind_area))
        band = (gradient >= 0.88) & (land == RESIDENTIAL)
        if not band.any():
            band = land == RESIDENTIAL
        band_idx = np.flatnonzero(band.ravel())
        if len(band_idx):
            centres = rng.choice(band_idx, size=min(k, len(band_idx)), replace=False)
            along = 0.0 if edge >= 2 else np.pi / 2  # stretch estates along their edge
            place_blobs(land, INDUSTRIAL, n_ind, centres, 1.8,
                         np.full(len(centres), along), periodic, rng)

    n_park = round(city.park_share * n_cells)
    if n_park > 0:
        park_area = float(np.clip(n_cells * 0.004, 4.0, 300.0))
        k = max(1, round(n_park / park_area))
        free = np.flatnonzero((land == RESIDENTIAL).ravel())
        if len(free):
            centres = rng.choice(free, size=min(k, len(free)), replace=False)
            place_blobs(land, PARK, n_park, centres, 1.5, None, periodic, rng)

    resid = np.flatnonzero((land == RESIDENTIAL).ravel())
    n_shop = min(len(resid), round(LOCAL_SHOP_SHARE * n_cells))
    if n_shop > 0:
        land.ravel()[rng.choice(resid, size=n_shop, replace=False)] = COMMERCIAL

    eligible = (land == RESIDENTIAL) & (dist_c > radius)
    if eligible.sum() < int(city.schools):
        eligible = land == RESIDENTIAL
    land.ravel()[spread_cells(eligible, int(city.schools), rng)] = SCHOOL

    if width >= GUARANTEE_SIDE and height >= GUARANTEE_SIDE:
        guarantee_land_uses(land, dist_c, gradient, rng)

    # Districts and deprivation, clustered on the industrial side and around the centre.
    district = voronoi_districts(width, height, n_districts, periodic, rng)
    names = district_names(n_districts, rng)
    counts = np.bincount(district.ravel(), minlength=n_districts)
    side = np.bincount(district.ravel(), gradient.ravel(), n_districts) / counts
    ring_field = np.exp(-(((dist_c - 2.0 * radius) / (radius + 1.0)) ** 2))
    ring = np.bincount(district.ravel(), ring_field.ravel(), n_districts) / counts
    propensity = 0.55 * side + 0.15 * ring + 0.30 * rng.random(n_districts)
    values = np.sort(beta_values(city.deprivation_mean, city.deprivation_spread,
                                 n_districts, rng))
    dep_of_district = np.empty(n_districts, FLOAT)
    dep_of_district[np.argsort(propensity, kind="stable")] = values
    noise_sd = CELL_DEPRIVATION_NOISE * city.deprivation_spread
    deprivation = np.clip(
        dep_of_district[district] + rng.normal(0.0, noise_sd, (height, width)), 0.0, 1.0
    ).astype(FLOAT)

    lighting = derive_lighting(land, deprivation, city, rng)
    cctv = derive_cctv(land, city, rng)
    disorder = derive_disorder(land, deprivation, city, rng)
    return City(
        width=width,
        height=height,
        cell_size_m=float(city.cell_size_m),
        periodic=periodic,
        land_use=land,
        district=district,
        district_names=names,
        deprivation=deprivation,
        lighting=lighting,
        disorder=disorder,
        cctv=cctv,
        a0=a0_of(land, deprivation, disorder, attractiveness),
    )


def lattice_city(city: Params, attractiveness: Params) -> City:
    """Build the homogeneous lattice of Short et al. (2008): uniform A0, no structure.

    Every cell is residential in one district "Lattice", with no deprivation or disorder,
    full lighting and no CCTV, so A0 equals ``attractiveness.residential`` everywhere and
    any pattern that appears comes from the near-repeat dynamics alone.
    """
    width, height = int(city.width), int(city.height)
    shape = (height, width)
    land = np.full(shape, RESIDENTIAL, CODE)
    zeros = np.zeros(shape, FLOAT)
    return City(
        width=width,
        height=height,
        cell_size_m=float(city.cell_size_m),
        periodic=bool(city.periodic),
        land_use=land,
        district=np.zeros(shape, INT),
        district_names=["Lattice"],
        deprivation=zeros.copy(),
        lighting=np.ones(shape, FLOAT),
        disorder=zeros.copy(),
        cctv=zeros.copy(),
        a0=a0_of(land, zeros, zeros, attractiveness),
    )
