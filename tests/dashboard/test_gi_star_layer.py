"""The Explore map's Gi* layer: hot and cold spots of reported crime by confidence."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import numpy as np
from matplotlib.colors import to_rgb
from scipy.stats import false_discovery_control

from sim.config import FREE
from sim.dashboard.figures.area_map import traced_geometry
from sim.dashboard.figures.layers import LAYERS, gi_star_hot_spots
from sim.dashboard.figures.live import map_option

LAYER = "hot spots (Gi*)"


def stand_in(heat: np.ndarray, cell_size_m: float = 100.0) -> SimpleNamespace:
    """A model with the city fields the layer and the map read, and no agents."""
    h, w = heat.shape
    none = np.zeros(0, np.int64)
    city = SimpleNamespace(width=w, height=h, cell_size_m=cell_size_m, periodic=False,
                           reported_heat=heat.copy(), crs_wkt=None, transform=None,
                           district=np.zeros((h, w), np.int64), district_names=["all"],
                           n_cells=h * w)
    return SimpleNamespace(
        city=city, day=31, hour=9, scenario=None,
        interventions=SimpleNamespace(treated_mask=lambda n: np.zeros(n, np.bool_)),
        offenders=SimpleNamespace(pos=none, state=np.full(0, FREE)),
        police=SimpleNamespace(pos=none), workers=SimpleNamespace(pos=none),
        guards=SimpleNamespace(pos=none))


def planted() -> np.ndarray:
    """16 x 16 of Poisson(1) with a hot 3 x 3 block of Poisson(15)."""
    rng = np.random.default_rng(7)
    heat = rng.poisson(1.0, (16, 16)).astype(float)
    heat[2:5, 2:5] = rng.poisson(15.0, (3, 3))
    return heat


def expected_bins(heat: np.ndarray) -> np.ndarray:
    """esda's Gi* (queen weights: 150 m on 100 m cells), BH by scipy at 10, 5 and 1%."""
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(heat.ravel(), lat2W(*heat.shape, rook=False), transform="B", star=True,
                    permutations=0)
    adjusted = false_discovery_control(2 * g.p_norm, method="bh")
    level = (adjusted <= 0.10).astype(int) + (adjusted <= 0.05) + (adjusted <= 0.01)
    return (level * np.sign(g.Zs)).reshape(heat.shape)


def test_the_layer_is_esdas_confidence_bins():
    heat = planted()
    bins = gi_star_hot_spots(stand_in(heat))
    assert (bins == expected_bins(heat)).all()
    assert bins[3, 3] == 3           # the block's centre: 99% hot
    assert set(np.unique(bins)) <= {-3, -2, -1, 0, 1, 2, 3}


def test_a_city_with_no_reports_has_no_hot_spot():
    assert not gi_star_hot_spots(stand_in(np.zeros((10, 12)))).any()


def test_the_layer_is_on_the_chooser_and_draws_white_where_nothing_is_significant():
    spec = LAYERS[LAYER]
    assert spec.cmap == "RdBu_r" and spec.vmin == -3.5 and spec.vmax == 3.5
    model = stand_in(planted())
    option = map_option(model, LAYER, traced_geometry(model.city.district, ["all"]))
    scale = option["visualMap"]
    assert (scale["min"], scale["max"]) == (-3.5, 3.5)
    drawn = np.full(model.city.district.shape, scale["min"])
    for column, row, value in option["series"][0]["data"]:
        drawn[row, column] = value
    assert (drawn == gi_star_hot_spots(model)).all()
    colours = [to_rgb(c) for c in scale["inRange"]["color"]]
    assert colours[0][2] > colours[0][0]                 # cold: blue
    assert colours[-1][0] > colours[-1][2]               # hot: red
    middle = colours[len(colours) // 2]
    assert np.allclose(middle, 1.0, atol=0.05)           # not significant: (near) white
    assert "Gi*" in option["title"]["text"]


def test_the_explore_page_offers_the_gi_star_target(root, small_overrides):
    from sim.dashboard.state.explore_session import TARGET_KEYS, ExploreSession

    assert {"kind", "gi_alpha"} <= set(TARGET_KEYS)
    session = ExploreSession(root / "scenarios" / "hotspot_policing.toml", small_overrides)
    key = "interventions.hotspot_policing.target"
    assert session.set_field(f"{key}.kind", "gi_star") is None
    assert session.value(f"{key}.kind") == "gi_star"
    message = session.set_field(f"{key}.gi_alpha", "0.9")
    assert message == f"{key}.gi_alpha: 0.9 is above the maximum 0.5"
    assert session.value(f"{key}.gi_alpha") == 0.05
