"""Seeded generator of plausible cities, and the Short et al. (2008) lattice.

The generated city follows the concentric-zone picture of Burgess (1925): a commercial
centre with a nightlife core and nightlife streets, residential districts around it,
industry at one edge, parks and small shops scattered through the residential fabric.
Deprivation is drawn per district and clustered on the industrial side and in the
"zone in transition" around the centre (Shaw & McKay 1942); lighting falls and
disorder rises with deprivation. docs/city.md gives the reasoning and the parameters.

Every random draw comes from the ``rng`` passed in, in a fixed order, so one seed gives
one city. Everything is vectorised numpy apart from short loops over blobs.
"""

from __future__ import annotations

import math

import numpy as np

from sim.city.city import City, static_attractiveness
from sim.config import (
    CODE,
    COMMERCIAL,
    FLOAT,
    INDUSTRIAL,
    INT,
    LAND_USES,
    NIGHTLIFE,
    PARK,
    RESIDENTIAL,
    SCHOOL,
)
from sim.scenario import Params, ScenarioError

#: Made-up neighbourhood names; drawn without replacement, suffixed when exhausted.
NEIGHBOURHOOD_NAMES: tuple[str, ...] = (
    "Northgate", "Riverside", "Old Town", "Eastfield", "Westbrook", "Southmead",
    "Highbury", "Millbank", "Ashford", "Kingsmead", "Brookside", "Fairview",
    "Hillcrest", "Oakwood", "Elmwood", "Greenhill", "Marston", "Harbourside",
    "Cathedral Quarter", "Canal Side", "Foundry Lane", "Ironbridge", "Stoneleigh",
    "Bridgeford", "Parkside", "Moorfield", "Westgate", "Eastgate", "Southgate",
    "Market Hill", "Church End", "Castleton", "Redcliffe", "Newtown", "Ashgrove",
    "Beechwood", "Chapel Fields", "Dockside", "Thornbury", "Weavers Row", "Hollowell",
    "Larkfield", "Meadowbank", "Orchard Park", "Pennington", "Queensway", "Rosehill",
    "Saltmarsh", "Tanners Yard", "Upper Heath", "Victoria Park", "Willowdale",
    "Yarrow Green", "Brickfields", "Copperfield", "Daleside", "Fernhill",
    "Glassworks", "Hawthorn", "Lower Marsh",
)  # fmt: skip

#: Share of cells that are small local shops (corner shops, parades) in residential areas.
LOCAL_SHOP_SHARE = 0.025
#: Nightlife core radius as a share of the centre radius.
NIGHTLIFE_CORE = 0.4
#: Cell-level deprivation noise per unit of ``deprivation_spread`` (0 spread: uniform).
CELL_DEPRIVATION_NOISE = 0.1
#: Noise (standard deviation) of lighting and disorder around their deprivation trend.
LAYER_NOISE = 0.05
#: Lighting bonus in commercial and nightlife cells, and malus in parks.
LIGHTING_COMMERCIAL = 0.15
LIGHTING_PARK = -0.3
#: Extra disorder in industrial cells (vacant lots, fly-tipping).
DISORDER_INDUSTRIAL = 0.2
#: Smallest grid side on which every land use is guaranteed to be present.
GUARANTEE_SIDE = 20


# --- small helpers shared with sim.city.mapfile ----------------------------------------


def district_names(n: int, rng: np.random.Generator) -> list[str]:
    """Return ``n`` unique neighbourhood names in a seeded random order.

    Past the pool, names repeat with a number ("Northgate 2") so they stay unique.
    """
    pool = len(NEIGHBOURHOOD_NAMES)
    order = rng.permutation(pool)
    names = []
    for i in range(n):
        base = NEIGHBOURHOOD_NAMES[order[i % pool]]
        names.append(base if i < pool else f"{base} {i // pool + 1}")
    return names


def _axis_offsets(size: int, centres: np.ndarray, periodic: bool) -> np.ndarray:
    """Distances along one axis from every coordinate ``0..size-1`` to each centre.

    Returns shape ``(size, len(centres))``; wrapped when the city is a torus.
    """
    d = np.abs(np.arange(size, dtype=FLOAT)[:, None] - np.asarray(centres, FLOAT)[None, :])
    if periodic:
        d = np.minimum(d, size - d)
    return d


def spread_cells(eligible: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Pick ``n`` distinct eligible cells spread evenly over the grid (flat indices).

    Jittered stratified sampling: the grid is cut into about ``n`` rectangular slots, one
    random eligible cell is taken per slot, and ``n`` of those are kept. This spreads
    district seeds and schools like a real city without an O(n^2) spacing loop.
    """
    height, width = eligible.shape
    idx = np.flatnonzero(eligible.ravel())
    if n <= 0:
        return np.empty(0, INT)
    if n >= len(idx):
        return rng.permutation(idx).astype(INT)
    nx = max(1, round(math.sqrt(n * width / height)))
    ny = max(1, -(-n // nx))
    slot = (idx // width) * ny // height * nx + (idx % width) * nx // width
    perm = rng.permutation(len(idx))
    _, first = np.unique(slot[perm], return_index=True)
    reps = idx[perm[first]]
    if len(reps) >= n:
        return rng.choice(reps, size=n, replace=False).astype(INT)
    rest = np.setdiff1d(idx, reps)
    extra = rng.choice(rest, size=n - len(reps), replace=False)
    return np.concatenate([reps, extra]).astype(INT)


def voronoi_districts(
    width: int, height: int, n: int, periodic: bool, rng: np.random.Generator
) -> np.ndarray:
    """District index per cell: the Voronoi partition of ``n`` spread-out seed cells.

    Seeds are distinct cells, so each seed's own cell is nearest to it and no district is
    empty. Distances are computed in row blocks to bound memory on large grids.
    """
    if n > width * height:
        raise ScenarioError(
            f"city.districts: {n} districts do not fit in a {width}x{height} grid"
        )
    seeds = spread_cells(np.ones((height, width), bool), n, rng)
    dx2 = (_axis_offsets(width, seeds % width, periodic) ** 2).astype(np.float32)
    dy2 = (_axis_offsets(height, seeds // width, periodic) ** 2).astype(np.float32)
    out = np.empty((height, width), INT)
    rows = max(1, 4_000_000 // max(1, width * n))
    for y0 in range(0, height, rows):
        d = dy2[y0 : y0 + rows, None, :] + dx2[None, :, :]
        out[y0 : y0 + rows] = d.argmin(axis=2)
    return out


def beta_values(mean: float, spread: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw ``n`` district deprivations from a Beta distribution.

    ``spread`` is the standard deviation as a share of the largest one a [0, 1] variable
    with this mean can have, sqrt(mean * (1 - mean)); so the Beta concentration is
    ``1 / spread**2 - 1`` and spread 0 gives every district exactly the mean.
    """
    if spread <= 0.0 or mean <= 0.0 or mean >= 1.0:
        return np.full(n, mean, FLOAT)
    s = min(spread, 0.99)
    kappa = 1.0 / (s * s) - 1.0
    return rng.beta(mean * kappa, (1.0 - mean) * kappa, size=n).astype(FLOAT)


def derive_lighting(
    land_use: np.ndarray, deprivation: np.ndarray, city: Params, rng: np.random.Generator
) -> np.ndarray:
    """Street lighting: lower in deprived areas and parks, higher in the centre.

    Poorer areas tend to have older, sparser lighting (a modelling assumption); busy
    commercial streets are lit for trade; parks are mostly unlit at night.
    """
    light = (
        city.lighting_mean
        - city.lighting_deprivation_gap * deprivation
        + rng.normal(0.0, LAYER_NOISE, deprivation.shape)
    )
    light += LIGHTING_COMMERCIAL * ((land_use == COMMERCIAL) | (land_use == NIGHTLIFE))
    light += LIGHTING_PARK * (land_use == PARK)
    return np.clip(light, 0.0, 1.0).astype(FLOAT)


def derive_disorder(
    land_use: np.ndarray, deprivation: np.ndarray, city: Params, rng: np.random.Generator
) -> np.ndarray:
    """Physical disorder: rises with deprivation (Sampson & Raudenbush 1999), plus industry."""
    dis = city.disorder_deprivation * deprivation + rng.normal(0.0, LAYER_NOISE, deprivation.shape)
    dis += DISORDER_INDUSTRIAL * (land_use == INDUSTRIAL)
    return np.clip(dis, 0.0, 1.0).astype(FLOAT)


def derive_cctv(land_use: np.ndarray, city: Params, rng: np.random.Generator) -> np.ndarray:
    """CCTV 1.0 on a random ``cctv_share`` of commercial and nightlife cells, else 0.

    Public-area CCTV is concentrated in town centres and shopping streets
    (Welsh & Farrington 2009).
    """
    cctv = np.zeros(land_use.shape, FLOAT)
    idx = np.flatnonzero(((land_use == COMMERCIAL) | (land_use == NIGHTLIFE)).ravel())
    k = min(len(idx), round(city.cctv_share * len(idx)))
    if k > 0:
        cctv.ravel()[rng.choice(idx, size=k, replace=False)] = 1.0
    return cctv


def a0_of(
    land_use: np.ndarray, deprivation: np.ndarray, disorder: np.ndarray, attractiveness: Params
) -> np.ndarray:
    """Compute static attractiveness A0 from the scenario's ``attractiveness`` section."""
    return static_attractiveness(
        land_use,
        deprivation,
        disorder,
        base={name: float(getattr(attractiveness, name)) for name in LAND_USES},
        deprivation_gain=attractiveness.deprivation_gain,
        disorder_gain=attractiveness.disorder_gain,
    )


# --- land use ---------------------------------------------------------------------------


def _blob_score(
    shape: tuple[int, int],
    centres: np.ndarray,
    areas: np.ndarray,
    stretch: np.ndarray,
    angle: np.ndarray,
    periodic: bool,
    rng: np.random.Generator,
) -> np.ndarray:
    """Score field of irregular elliptical blobs: 1 at a centre, 0 on the rim, < 0 outside.

    Each blob is an ellipse of the given area with a wobbly rim (two random harmonics),
    evaluated only in its bounding box. Taking the top-scoring cells then gives blobs of
    an exact total area, grown or shrunk evenly when they overlap or are clipped.
    """
    height, width = shape
    score = np.full(shape, -np.inf)
    wob = rng.uniform(0.0, 0.2, (len(areas), 2))
    phase = rng.uniform(0.0, 2 * np.pi, (len(areas), 2))
    for i, c in enumerate(centres):
        cy, cx = divmod(int(c), width)
        r = math.sqrt(max(areas[i], 1.0) / math.pi)
        a, b = r * stretch[i], r / stretch[i]
        reach = math.ceil(2.0 * a) + 1
        xs = np.arange(cx - reach, cx + reach + 1)
        ys = np.arange(cy - reach, cy + reach + 1)
        if periodic:
            xs = xs if len(xs) <= width else np.arange(cx - width // 2, cx - width // 2 + width)
            ys = ys if len(ys) <= height else np.arange(cy - height // 2, cy - height // 2 + height)
            xi, yi = xs % width, ys % height
        else:
            xs = xs[(xs >= 0) & (xs < width)]
            ys = ys[(ys >= 0) & (ys < height)]
            xi, yi = xs, ys
        dx = (xs - cx)[None, :].astype(FLOAT)
        dy = (ys - cy)[:, None].astype(FLOAT)
        ca, sa = math.cos(angle[i]), math.sin(angle[i])
        u, v = dx * ca + dy * sa, -dx * sa + dy * ca
        rho = np.sqrt((u / a) ** 2 + (v / b) ** 2)
        theta = np.arctan2(v, u)
        rim = 1.0 + wob[i, 0] * np.cos(theta + phase[i, 0]) + wob[i, 1] * np.cos(
            2 * theta + phase[i, 1]
        )
        block = np.ix_(yi, xi)
        score[block] = np.maximum(score[block], 1.0 - rho / rim)
    return score


def _top_cells(score: np.ndarray, eligible: np.ndarray, n: int) -> np.ndarray:
    """Flat indices of the (up to) ``n`` eligible cells with the highest finite score."""
    flat = score.ravel()
    idx = np.flatnonzero(eligible.ravel() & np.isfinite(flat))
    if n <= 0:
        return np.empty(0, INT)
    if len(idx) <= n:
        return idx
    return idx[np.argpartition(-flat[idx], n - 1)[:n]]


def _place_blobs(
    land: np.ndarray,
    code: int,
    n: int,
    centres: np.ndarray,
    stretch_max: float,
    angle: np.ndarray | None,
    periodic: bool,
    rng: np.random.Generator,
) -> None:
    """Turn about ``n`` residential cells around ``centres`` into land use ``code``."""
    k = len(centres)
    if n <= 0 or k == 0:
        return
    weights = rng.lognormal(0.0, 0.5, k)
    areas = n * weights / weights.sum()
    stretch = rng.uniform(1.0, stretch_max, k)
    if angle is None:
        angle = rng.uniform(0.0, np.pi, k)
    score = _blob_score(land.shape, centres, areas, stretch, angle, periodic, rng)
    land.ravel()[_top_cells(score, land == RESIDENTIAL, n)] = code


def _street_cells(
    width: int, height: int, cx: int, cy: int, radius: float, n: int, periodic: bool,
    rng: np.random.Generator,
) -> np.ndarray:
    """Flat indices of ``n`` one-cell-wide streets radiating from the centre.

    Streets are evenly spaced in angle (with jitter) and 1.5-2x the centre radius long,
    so nightlife spills out of the centre along a few arteries, as it does in real towns.
    """
    if n <= 0:
        return np.empty(0, INT)
    angles = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(n) / n
    angles += rng.normal(0.0, 0.15 * 2 * np.pi / n, n)  # sd: 15% of the spacing
    lengths = rng.uniform(1.5, 2.0, n) * max(radius, 1.0)
    cells = []
    for ang, length in zip(angles, lengths, strict=True):
        t = np.arange(0.0, length + 0.5, 0.5)
        x = np.rint(cx + t * math.cos(ang)).astype(INT)
        y = np.rint(cy + t * math.sin(ang)).astype(INT)
        if periodic:
            x, y = x % width, y % height
        else:
            ok = (x >= 0) & (x < width) & (y >= 0) & (y < height)
            x, y = x[ok], y[ok]
        cells.append(y * width + x)
    return np.unique(np.concatenate(cells))


def _edge_gradient(width: int, height: int, edge: int) -> np.ndarray:
    """1 on the given edge (0 west, 1 east, 2 north, 3 south), falling to 0 opposite it."""
    x = np.arange(width, dtype=FLOAT) / max(width - 1, 1)
    y = np.arange(height, dtype=FLOAT) / max(height - 1, 1)
    if edge == 0:
        g = np.broadcast_to(1.0 - x[None, :], (height, width))
    elif edge == 1:
        g = np.broadcast_to(x[None, :], (height, width))
    elif edge == 2:
        g = np.broadcast_to(1.0 - y[:, None], (height, width))
    else:
        g = np.broadcast_to(y[:, None], (height, width))
    return np.ascontiguousarray(g)


def _guarantee_land_uses(
    land: np.ndarray, dist_c: np.ndarray, gradient: np.ndarray, rng: np.random.Generator
) -> None:
    """Make sure every land use has at least one cell, so every routine has a destination.

    A missing use takes the best-placed cell of a use that has cells to spare,
    residential first: commercial and nightlife nearest the centre, industry nearest the
    industrial edge, parks, schools and housing anywhere.
    """
    flat = land.ravel()
    random_key = rng.random(flat.size)
    anchor = {
        COMMERCIAL: dist_c.ravel(),
        NIGHTLIFE: dist_c.ravel(),
        INDUSTRIAL: 1.0 - gradient.ravel(),
    }
    for code in range(len(LAND_USES)):
        counts = np.bincount(flat, minlength=len(LAND_USES))
        if counts[code] > 0:
            continue
        spare = counts[flat] >= 2
        key = anchor.get(code, random_key) + 1e6 * (flat != RESIDENTIAL)
        key = np.where(spare, key, np.inf)
        flat[int(np.argmin(key))] = code


# --- public API -------------------------------------------------------------------------


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
        _axis_offsets(height, np.array([cy]), periodic) ** 2
        + _axis_offsets(width, np.array([cx]), periodic).T ** 2
    )
    edge = int(rng.integers(4))
    gradient = _edge_gradient(width, height, edge)

    # Land use: centre, nightlife, industry, parks, shops, schools; the rest residential.
    land = np.full((height, width), RESIDENTIAL, CODE)
    land[dist_c <= radius] = COMMERCIAL
    land[dist_c <= NIGHTLIFE_CORE * radius] = NIGHTLIFE
    streets = _street_cells(
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
            _place_blobs(land, INDUSTRIAL, n_ind, centres, 1.8,
                         np.full(len(centres), along), periodic, rng)

    n_park = round(city.park_share * n_cells)
    if n_park > 0:
        park_area = float(np.clip(n_cells * 0.004, 4.0, 300.0))
        k = max(1, round(n_park / park_area))
        free = np.flatnonzero((land == RESIDENTIAL).ravel())
        if len(free):
            centres = rng.choice(free, size=min(k, len(free)), replace=False)
            _place_blobs(land, PARK, n_park, centres, 1.5, None, periodic, rng)

    resid = np.flatnonzero((land == RESIDENTIAL).ravel())
    n_shop = min(len(resid), round(LOCAL_SHOP_SHARE * n_cells))
    if n_shop > 0:
        land.ravel()[rng.choice(resid, size=n_shop, replace=False)] = COMMERCIAL

    eligible = (land == RESIDENTIAL) & (dist_c > radius)
    if eligible.sum() < int(city.schools):
        eligible = land == RESIDENTIAL
    land.ravel()[spread_cells(eligible, int(city.schools), rng)] = SCHOOL

    if width >= GUARANTEE_SIDE and height >= GUARANTEE_SIDE:
        _guarantee_land_uses(land, dist_c, gradient, rng)

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
