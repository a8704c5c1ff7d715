"""Tests of the city generator, the lattice and map files (sim.city)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.city import build_city, generate_city, lattice_city, load_map, save_map
from sim.city.districts import NEIGHBOURHOOD_NAMES
from sim.config import (
    COMMERCIAL,
    INDUSTRIAL,
    LAND_USE_LETTERS,
    LAND_USES,
    NIGHTLIFE,
    PARK,
    RESIDENTIAL,
    SCHOOL,
)
from sim.scenario import Scenario, ScenarioError

LAYERS = ("land_use", "district", "deprivation", "lighting", "disorder", "cctv", "a0")


def params(**overrides):
    """Scenario params with dotted ``city.*`` overrides given as ``city__width=...``."""
    dotted = {k.replace("__", "."): v for k, v in overrides.items()}
    return Scenario.default().with_overrides(dotted).params


def make(seed=1, **overrides):
    p = params(**overrides)
    return generate_city(p.city, p.attractiveness, np.random.default_rng(seed))


def assert_same_city(a, b):
    assert (a.width, a.height) == (b.width, b.height)
    assert a.district_names == b.district_names
    for name in LAYERS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


# --- generator ---------------------------------------------------------------------------


def test_same_seed_same_city_and_different_seed_differs():
    a, b, c = make(7), make(7), make(8)
    assert_same_city(a, b)
    assert not np.array_equal(a.land_use, c.land_use)
    assert not np.array_equal(a.deprivation, c.deprivation)


def test_shapes_dtypes_and_ranges():
    c = make(city__width=60, city__height=40)
    assert c.land_use.shape == (40, 60)
    assert np.issubdtype(c.land_use.dtype, np.integer)
    assert np.issubdtype(c.district.dtype, np.integer)
    for name in ("deprivation", "lighting", "disorder", "cctv"):
        arr = getattr(c, name)
        assert arr.dtype == np.float64
        assert arr.min() >= 0.0 and arr.max() <= 1.0, name


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"city__width": 20, "city__height": 20},
        {
            "city__width": 20,
            "city__height": 25,
            "city__park_share": 0.0,
            "city__industrial_share": 0.0,
            "city__schools": 0,
            "city__nightlife_streets": 0,
            "city__centre_radius": 0.0,
        },
        {"city__width": 30, "city__height": 30, "city__park_share": 1.0},
    ],
)
def test_every_land_use_present(overrides):
    c = make(3, **overrides)
    counts = np.bincount(c.land_use.ravel(), minlength=len(LAND_USES))
    assert (counts > 0).all(), counts


def test_land_use_shares_and_layout():
    c = make(2)
    n = c.n_cells
    counts = np.bincount(c.land_use.ravel(), minlength=len(LAND_USES))
    assert counts[PARK] == pytest.approx(0.06 * n, rel=0.05)
    assert counts[INDUSTRIAL] == pytest.approx(0.05 * n, rel=0.05)
    assert counts[SCHOOL] == 25
    assert counts[RESIDENTIAL] > 0.7 * n
    # Nightlife sits in and around the centre, schools outside it.
    ys, xs = np.nonzero(c.land_use == NIGHTLIFE)
    assert np.hypot(xs - xs.mean(), ys - ys.mean()).max() < 2.5 * 7 + 2
    assert c.cctv[(c.land_use != COMMERCIAL) & (c.land_use != NIGHTLIFE)].sum() == 0
    shops = (c.land_use == COMMERCIAL) | (c.land_use == NIGHTLIFE)
    assert c.cctv[shops].mean() == pytest.approx(0.15, abs=0.02)


def test_tiny_grids_build():
    for w, h, d in [(2, 2, 1), (3, 7, 5), (5, 5, 25)]:
        # residents few enough for the grid (a scenario refuses more than 150,000 per km²)
        c = make(city__width=w, city__height=h, city__districts=d, residents__count=100,
                 offenders__count=10)
        assert c.land_use.shape == (h, w)
        assert c.n_districts == d


def test_periodic_city_builds():
    c = make(city__periodic=True)
    assert c.periodic
    assert (np.bincount(c.land_use.ravel(), minlength=6) > 0).all()


@pytest.mark.parametrize("n", [1, 12, 75])
def test_district_count_non_empty_and_unique_names(n):
    c = make(city__districts=n)
    assert c.n_districts == n
    assert c.district.min() == 0 and c.district.max() == n - 1
    assert (np.bincount(c.district.ravel(), minlength=n) > 0).all()
    assert len(set(c.district_names)) == n
    assert all(name.strip() for name in c.district_names)


def test_name_pool_is_unique():
    assert len(NEIGHBOURHOOD_NAMES) == len(set(NEIGHBOURHOOD_NAMES)) >= 60


def test_more_districts_than_cells_is_an_error():
    with pytest.raises(ScenarioError, match="city.districts"):
        make(city__width=3, city__height=3, city__districts=10, residents__count=100,
             offenders__count=10)


def test_deprivation_varies_between_districts():
    dep = make(city__deprivation_spread=0.35).district_deprivation()
    assert dep.std() > 0.05
    assert dep.mean() == pytest.approx(0.4, abs=0.15)


def test_deprivation_equal_when_spread_zero():
    c = make(city__deprivation_spread=0.0, city__deprivation_mean=0.3)
    np.testing.assert_allclose(c.deprivation, 0.3)


def test_lighting_lower_where_deprived():
    c = make()
    res = c.land_use == RESIDENTIAL
    r = np.corrcoef(c.lighting[res], c.deprivation[res])[0, 1]
    assert r < 0
    assert c.lighting[c.land_use == PARK].mean() < c.lighting[res].mean()


def test_disorder_rises_with_deprivation():
    c = make()
    assert np.corrcoef(c.disorder.ravel(), c.deprivation.ravel())[0, 1] > 0


def test_a0_formula():
    p = params()
    c = generate_city(p.city, p.attractiveness, np.random.default_rng(5))
    a = p.attractiveness
    base = np.array([getattr(a, name) for name in LAND_USES])
    want = (
        base[c.land_use]
        * (1 + a.deprivation_gain * c.deprivation)
        * (1 + a.disorder_gain * c.disorder)
    )
    np.testing.assert_allclose(c.a0, want)


def test_lattice_is_uniform():
    p = params(city__layout="lattice", city__width=30, city__height=20)
    c = lattice_city(p.city, p.attractiveness)
    assert c.land_use.shape == (20, 30)
    assert (c.land_use == RESIDENTIAL).all()
    assert c.district_names == ["Lattice"] and (c.district == 0).all()
    assert (c.deprivation == 0).all() and (c.disorder == 0).all() and (c.cctv == 0).all()
    assert (c.lighting == 1).all()
    np.testing.assert_allclose(c.a0, p.attractiveness.residential)


# --- map files ----------------------------------------------------------------------------


def test_npz_round_trip(tmp_path):
    p = params(city__width=40, city__height=30)
    city = generate_city(p.city, p.attractiveness, np.random.default_rng(4))
    path = tmp_path / "city.npz"
    save_map(city, path)
    back = load_map(path, p.city, p.attractiveness, np.random.default_rng(99))
    assert_same_city(city, back)


def test_npz_minimal_derives_layers(tmp_path):
    p = params(city__districts=4)
    land = np.zeros((12, 15), np.int16)
    land[5:7, 5:8] = COMMERCIAL
    land[0, 0] = NIGHTLIFE
    path = tmp_path / "m.npz"
    np.savez(path, land_use=land)
    c = load_map(path, p.city, p.attractiveness, np.random.default_rng(0))
    assert (c.width, c.height) == (15, 12)
    np.testing.assert_array_equal(c.land_use, land)
    assert c.n_districts == 4
    assert (np.bincount(c.district.ravel(), minlength=4) > 0).all()
    np.testing.assert_allclose(c.deprivation, p.city.deprivation_mean)
    assert c.lighting.min() >= 0 and c.lighting.max() <= 1
    assert c.cctv[land == RESIDENTIAL].sum() == 0

    one = load_map(path, params(city__districts=1).city, p.attractiveness,
                   np.random.default_rng(0))
    assert one.district_names == ["Map"] and (one.district == 0).all()


def test_npz_districts_without_names(tmp_path):
    p = params()
    land = np.zeros((4, 4), int)
    district = np.repeat([[0, 0, 1, 1]], 4, axis=0)
    path = tmp_path / "d.npz"
    np.savez(path, land_use=land, district=district, deprivation=np.full((4, 4), 0.25))
    c = load_map(path, p.city, p.attractiveness, np.random.default_rng(0))
    assert c.district_names == ["District 0", "District 1"]
    np.testing.assert_allclose(c.deprivation, 0.25)


def test_csv_loading(tmp_path):
    p = params()
    plain = tmp_path / "plain.csv"
    plain.write_text("# a small town\nRRCN\nrPIS\n\nRRRR\n")
    commas = tmp_path / "commas.csv"
    commas.write_text("R,R,C,N\nR, P, I, S\nR,R,R,R\n")
    a = load_map(plain, p.city, p.attractiveness, np.random.default_rng(0))
    b = load_map(commas, p.city, p.attractiveness, np.random.default_rng(0))
    want = np.array([[0, 0, 1, 2], [0, 3, 4, 5], [0, 0, 0, 0]])
    np.testing.assert_array_equal(a.land_use, want)
    assert_same_city(a, b)


def test_csv_round_trip(tmp_path):
    city = make(city__width=25, city__height=20)
    path = tmp_path / "city.csv"
    save_map(city, path)
    p = params()
    back = load_map(path, p.city, p.attractiveness, np.random.default_rng(0))
    np.testing.assert_array_equal(back.land_use, city.land_use)
    assert path.read_text().splitlines()[0].count(",") == 24


def _npz(tmp_path: Path, **arrays) -> Path:
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    return path


LAND = np.zeros((3, 4), int)


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda d: (d / "x.csv", "RRX\nRRR\n"), r"unknown land-use letter 'X' at line 1, column 3"),
        (lambda d: (d / "x.csv", "R,R,R\nR,Q,R\n"), r"'Q' at line 2, column 2"),
        (lambda d: (d / "x.csv", "RRR\nRR\n"), r"ragged rows: line 2 has 2 cells but line 1 has 3"),
        (lambda d: (d / "x.csv", "R,,R\nRRR\n"), r"empty cell at line 1, column 2"),
        (lambda d: (d / "x.csv", "# nothing\n\n"), r"no rows"),
        (lambda d: (d / "x.csv", "RRR\n"), r"at least 2x2"),
        (lambda d: (d / "x.txt", "RR\nRR\n"), r"unsupported map file extension '.txt'"),
        (lambda d: (d / "x.npz", "not a zip"), r"not a readable .npz file"),
    ],
)
def test_bad_text_maps(tmp_path, make_file, message):
    path, text = make_file(tmp_path)
    path.write_text(text)
    p = params()
    with pytest.raises(ScenarioError, match=message) as info:
        load_map(path, p.city, p.attractiveness, np.random.default_rng(0))
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"district": LAND}, r"missing required array 'land_use'"),
        ({"land_use": LAND.astype(float)}, r"'land_use' must hold integers, got dtype float64"),
        ({"land_use": np.zeros(5, int)}, r"must be 2-D"),
        ({"land_use": np.full((3, 4), 6)}, r"'land_use' has value 6 at row 0, column 0"),
        ({"land_use": LAND, "deprivation": np.full((3, 4), 1.5)}, r"'deprivation' has value 1.5"),
        ({"land_use": LAND, "lighting": np.full((3, 4), np.nan)}, r"must be in \[0, 1\]"),
        ({"land_use": LAND, "cctv": np.zeros((4, 3))}, r"'cctv' has shape \(4, 3\), but land_use"),
        ({"land_use": LAND, "district": np.zeros((3, 4))}, r"'district' must hold integers"),
        ({"land_use": LAND, "district": np.full((3, 4), -1)}, r"negative index"),
        ({"land_use": LAND, "disorder": np.full((3, 4), "a")}, r"'disorder' must hold numbers"),
        ({"land_use": LAND, "lightning": LAND}, r"unknown array 'lightning'"),
        (
            {"land_use": LAND, "district_names": np.array(["A"])},
            r"'district_names' given without array 'district'",
        ),
        (
            {"land_use": LAND, "district": LAND, "district_names": np.array(["A", "B"])},
            r"has 2 names but 'district' uses indices 0..0",
        ),
        (
            {"land_use": LAND, "district": LAND + np.eye(3, 4, dtype=int),
             "district_names": np.array(["A", "A"])},
            r"unique, non-empty",
        ),
    ],
)
def test_bad_npz_maps(tmp_path, arrays, message):
    path = _npz(tmp_path, **arrays)
    p = params()
    with pytest.raises(ScenarioError, match=message) as info:
        load_map(path, p.city, p.attractiveness, np.random.default_rng(0))
    assert str(path) in str(info.value)


def test_missing_map_file(tmp_path):
    p = params()
    with pytest.raises(ScenarioError, match="map file not found"):
        load_map(tmp_path / "nope.npz", p.city, p.attractiveness, np.random.default_rng(0))


def test_save_map_bad_extension(tmp_path):
    with pytest.raises(ScenarioError, match="unsupported"):
        save_map(make(city__width=20, city__height=20), tmp_path / "city.png")


# --- dispatch -----------------------------------------------------------------------------


def test_build_city_dispatches(tmp_path):
    rng = np.random.default_rng
    gen = build_city(params(), rng(1))
    assert_same_city(gen, make(1))
    lat = build_city(params(city__layout="lattice"), rng(1))
    assert lat.district_names == ["Lattice"]
    path = tmp_path / "town.csv"
    path.write_text("\n".join([LAND_USE_LETTERS] * 3))
    sc = Scenario.from_dict({"city": {"layout": "map", "map_file": str(path)}})
    town = build_city(sc.params, rng(1))
    assert (town.width, town.height) == (6, 3)
