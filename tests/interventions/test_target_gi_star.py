"""``target.kind = "gi_star"``: the significant Getis-Ord Gi* hot spots of reported crime.

The planted-hot-spot test: a 20 x 20 city of 100 m cells, background counts Poisson(1),
a 3 x 3 block of Poisson(20), a 150 m band (the 3 x 3 queen window), FDR 5%.

*False positives.* A cell whose window misses the block (outside the 5 x 5 around it)
is a null cell. The FDR procedure rejects only p <= alpha, so a null hot spot needs
z >= 1.96, i.e. a window sum of at least t(W) = xbar W + 1.96 S sqrt((n W - W^2) /
(n - 1)). With the planted means, xbar = (391 + 9 x 20) / 400 = 1.43 and S^2 = (391 x 2 +
9 x 420) / 400 - xbar^2 = 9.37; :func:`null_bound` uses S^2 = 6 instead, well below what
the block alone gives, to be safe. A null window sum is Poisson(W), so the expected
number of false positives is at most sum over null cells of P(Poisson(W) >= t(W)),
which the test computes with scipy (about 1e-5 per grid); over ten grids seeing one
would have probability below 1e-3.

*The block.* A block corner's window holds 4 block cells and 5 background ones: sum
about 85, z about (85 - 12.9) / 9.1 = 7.9, far beyond even the Bonferroni cut (3.7).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy.stats import false_discovery_control, poisson

from sim.city.target import TargetError, resolve_target
from sim.config import COMMERCIAL, RESIDENTIAL

N = 20
BLOCK = (slice(8, 11), slice(8, 11))
#: Cells whose 3 x 3 window touches the block: hot in Gi*'s sense, not false positives.
NEAR_BLOCK = (slice(7, 12), slice(7, 12))
GI = {"kind": "gi_star", "gi_alpha": 0.05, "gi_distance_m": 150.0, "gi_correction": "fdr"}


def planted(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    heat = rng.poisson(1.0, (N, N)).astype(float)
    heat[BLOCK] = rng.poisson(20.0, (3, 3))
    return heat


def resolve(target: dict, heat: np.ndarray, land_use: np.ndarray | None = None,
            cell_size_m: float = 100.0, preview: bool = False) -> np.ndarray:
    h, w = heat.shape
    return resolve_target(
        target, width=w, height=h, district=np.zeros(h * w, int), district_names=["All"],
        land_use=np.full(h * w, RESIDENTIAL) if land_use is None else land_use,
        heat=heat.ravel(), attractiveness=np.ones(h * w), cell_size_m=cell_size_m,
        preview=preview).reshape(h, w)


def esda_hot_spots(heat: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """esda's Gi* z with libpysal queen weights, BH by scipy: the reference answer."""
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(heat.ravel(), lat2W(*heat.shape, rook=False), transform="B", star=True,
                    permutations=0)
    z = g.Zs.reshape(heat.shape)
    adjusted = false_discovery_control(2 * g.p_norm, method="bh").reshape(heat.shape)
    return (adjusted <= alpha) & (z > 0), z


def null_bound() -> float:
    """Expected false positives per planted grid (see the module docstring)."""
    n, xbar, s = N * N, 571 / 400, math.sqrt(6.0)
    weight = np.full((N, N), 9)
    weight[0, :] = weight[-1, :] = weight[:, 0] = weight[:, -1] = 6
    weight[0, 0] = weight[0, -1] = weight[-1, 0] = weight[-1, -1] = 4
    null = np.ones((N, N), bool)
    null[NEAR_BLOCK] = False
    total = 0.0
    for w in weight[null]:
        t = xbar * w + 1.96 * s * math.sqrt((n * w - w * w) / (n - 1))
        total += poisson.sf(math.ceil(t) - 1, w)
    return total


def test_the_target_is_exactly_esdas_significant_cells():
    heat = planted(1)
    expected, _ = esda_hot_spots(heat, 0.05)
    assert (resolve(GI, heat) == expected).all()


def test_the_planted_block_is_found_with_almost_no_false_positives():
    bound = null_bound()
    assert bound < 1e-3
    false_positives = 0
    for seed in range(10):
        hot = resolve(GI, planted(seed))
        assert hot[BLOCK].all(), seed
        outside = hot.copy()
        outside[NEAR_BLOCK] = False
        false_positives += int(outside.sum())
    # expected at most 10 x bound < 0.01 over the ten grids
    assert false_positives == 0


def test_top_k_keeps_the_highest_z():
    heat = planted(3)
    expected, z = esda_hot_spots(heat, 0.05)
    assert expected.sum() > 4
    mask = resolve(GI | {"top_k": 4}, heat)
    assert mask.sum() == 4
    assert expected[mask].all()
    assert z[mask].min() >= z[expected & ~mask].max()


def test_other_parts_bound_where_hot_spots_count():
    heat = planted(4)
    expected, _ = esda_hot_spots(heat, 0.05)
    # rect x 9..19, y 0..19: the block's right two columns and what is right of them
    mask = resolve(GI | {"rect": [9, 0, 20, 20]}, heat)
    inside = np.zeros((N, N), bool)
    inside[:, 9:] = True
    assert (mask == (expected & inside)).all()
    land = np.full(N * N, RESIDENTIAL)
    land.reshape(N, N)[9, :] = COMMERCIAL
    mask = resolve(GI | {"land_use": ["commercial"]}, heat, land_use=land)
    assert mask.any() and (mask == (expected & (land.reshape(N, N) == COMMERCIAL))).all()


def test_hot_spots_outside_the_parts_leave_no_cell_and_say_so():
    with pytest.raises(TargetError, match="no significant Gi\\* hot spot inside the parts"):
        resolve(GI | {"rect": [0, 0, 3, 3]}, planted(4))


def test_bonferroni_is_stricter_than_fdr():
    heat = planted(5)
    fdr = resolve(GI, heat)
    bonferroni = resolve(GI | {"gi_correction": "bonferroni"}, heat)
    assert bonferroni[BLOCK].all() and (fdr | ~bonferroni).all()


def test_no_hot_spot_is_an_error_not_an_empty_or_whole_city_target():
    with pytest.raises(TargetError, match="no crime has been reported yet"):
        resolve(GI, np.zeros((N, N)))
    # Pure noise (Poisson(1) everywhere): under the complete null the FDR procedure
    # rejects anything with probability at most alpha; esda agrees there is nothing here.
    noise = np.random.default_rng(0).poisson(1.0, (N, N)).astype(float)
    assert not esda_hot_spots(noise, 0.05)[0].any()
    with pytest.raises(TargetError, match=r"gi_star.*no cell is a significant hot spot"):
        resolve(GI, noise)


def test_before_the_start_only_the_settings_are_checked():
    assert resolve(GI, np.zeros((N, N)), preview=True).all()
    with pytest.raises(TargetError, match="gi_distance_m: 40 m is less than one cell"):
        resolve(GI | {"gi_distance_m": 40.0}, np.zeros((N, N)), preview=True)


def test_the_distance_is_in_metres():
    # On 50 m cells 150 m is 3 cells: a single hot cell lights a disc of 29 cells,
    # not the 3 x 3 block it lights on 100 m cells.
    heat = np.zeros((N, N))
    heat[10, 10] = 50.0
    heat += np.random.default_rng(0).poisson(0.2, (N, N))
    z100 = resolve_z(heat, 100.0)
    z50 = resolve_z(heat, 50.0)
    assert z100[10, 13] < 1.0 < z50[10, 13]


def resolve_z(heat: np.ndarray, cell_size_m: float) -> np.ndarray:
    from sim.city.target import gi_star_z

    h, w = heat.shape
    return gi_star_z(GI, heat.ravel(), width=w, height=h, cell_size_m=cell_size_m,
                     periodic=False).reshape(h, w)
