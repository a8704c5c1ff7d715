"""Cell layers derived from land use and deprivation: lighting, disorder, CCTV, A0.

Shared by the generator (:mod:`sim.city.generator`) and map files
(:mod:`sim.city.mapfile`), which fill in any layer a map leaves out the same way.
docs/city.md gives the reasoning and the parameters.
"""

from __future__ import annotations

import numpy as np

from sim.city.city import static_attractiveness
from sim.config import COMMERCIAL, FLOAT, INDUSTRIAL, LAND_USES, NIGHTLIFE, PARK
from sim.scenario import Params

#: Noise (standard deviation) of lighting and disorder around their deprivation trend.
LAYER_NOISE = 0.05
#: Lighting bonus in commercial and nightlife cells, and malus in parks.
LIGHTING_COMMERCIAL = 0.15
LIGHTING_PARK = -0.3
#: Extra disorder in industrial cells (vacant lots, fly-tipping).
DISORDER_INDUSTRIAL = 0.2


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
