"""Map files with a georeference and a population layer: what ``load_map`` refuses.

The arrays are synthetic, built here; each bad one must give one ``ScenarioError``
naming the file and the array.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS

from sim.city import load_map
from sim.scenario import ScenarioError

WKT = CRS.from_epsg(32630).to_wkt()
TRANSFORM = np.array([50.0, 0.0, 500_000.0, 0.0, -50.0, 5_701_000.0])


@pytest.fixture
def params(baseline):
    return baseline.params


def write(tmp_path, **arrays):
    path = tmp_path / "m.npz"
    base = {"land_use": np.zeros((3, 4), np.int8)}
    np.savez(path, **{**base, **arrays})
    return path


def load(path, params):
    return load_map(path, params.city, params.attractiveness, np.random.default_rng(0))


def test_georeference_and_population_are_kept(tmp_path, params):
    pop = np.arange(12, dtype=float).reshape(3, 4)
    city = load(write(tmp_path, crs_wkt=np.array(WKT), transform=TRANSFORM, population=pop),
                params)
    assert city.crs_wkt == WKT
    assert city.transform == (50.0, 0.0, 500_000.0, 0.0, -50.0, 5_701_000.0)
    assert np.array_equal(city.population, pop)


def test_a_plain_map_has_no_georeference(tmp_path, params):
    city = load(write(tmp_path), params)
    assert city.crs_wkt is None and city.transform is None and city.population is None


@pytest.mark.parametrize(("arrays", "fragment"), [
    ({"transform": TRANSFORM}, "'transform' given without array 'crs_wkt'"),
    ({"crs_wkt": np.array(WKT)}, "'crs_wkt' given without array 'transform'"),
    ({"crs_wkt": np.array([WKT]), "transform": TRANSFORM}, "0-d unicode"),
    ({"crs_wkt": np.array(WKT), "transform": TRANSFORM[:4]}, "6 finite floats"),
    ({"crs_wkt": np.array(WKT), "transform": np.zeros(6)}, "singular"),
    ({"population": -np.ones((3, 4))}, "'population' has value -1.0"),
    ({"population": np.ones((4, 3))}, "'population' has shape (4, 3)"),
    ({"population": np.array([["a"] * 4] * 3)}, "'population' must hold numbers"),
])
def test_bad_georeference_is_refused(tmp_path, params, arrays, fragment):
    path = write(tmp_path, **arrays)
    with pytest.raises(ScenarioError) as info:
        load(path, params)
    assert str(info.value).startswith(str(path)) and fragment in str(info.value)


def test_home_weight_uses_the_population_layer_or_falls_back(tmp_path, params):
    """Weights are the layer's values; a layer of zeros falls back to 1 + 0.5 deprivation."""
    from sim.population.residents import home_weight

    dep = np.full((3, 4), 0.4)
    pop = np.zeros((3, 4))
    pop[0, :2] = [30.0, 10.0]
    city = load(write(tmp_path, deprivation=dep, population=pop), params)
    assert home_weight(city, np.array([0, 1, 5])).tolist() == [30.0, 10.0, 0.0]
    city.population = np.zeros((3, 4))
    assert home_weight(city, np.array([0, 1])).tolist() == pytest.approx([1.2, 1.2])
