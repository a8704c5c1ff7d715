"""Journey-to-crime distances, histograms and the rate per available cell."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from experiments.validation.geometry import Grid
from experiments.validation.journey import (
    available_cells,
    band_counts,
    histogram,
    journey_lengths,
    rate_per_cell,
    summarise,
)


def test_distances_between_cell_centres():
    g = Grid(10, 5, cell_m=50.0)
    # cell 0 is (0, 0); cell 9 is (9, 0); cell 13 is (3, 1)
    assert g.distance_m(np.array([0]), np.array([9]))[0] == pytest.approx(450.0)
    assert g.distance_m(np.array([0]), np.array([13]))[0] == pytest.approx(50 * np.hypot(3, 1))
    torus = Grid(10, 5, cell_m=50.0, periodic=True)
    assert torus.distance_m(np.array([0]), np.array([9]))[0] == pytest.approx(50.0)
    assert torus.distance_m(np.array([0]), np.array([40]))[0] == pytest.approx(50.0)  # (0, 4)


def test_journeys_without_a_home_are_dropped():
    g = Grid(10, 10, cell_m=100.0)
    d = journey_lengths(np.array([0, -1, 11]), np.array([2, 5, 11]), g)
    np.testing.assert_allclose(d, [200.0, 0.0])


def test_summary_and_histogram_of_hand_made_lengths():
    d = np.array([0.0, 100.0, 250.0, 900.0, 2500.0])
    s = summarise(d)
    assert (s.n, s.median_m, s.max_m) == (5, 250.0, 2500.0)
    assert s.within_800 == pytest.approx(0.6)
    assert s.within_2000 == pytest.approx(0.8)
    share = histogram(d, edges=(0.0, 100.0, 1000.0))
    np.testing.assert_allclose(share, [0.2, 0.6])  # 2500 m lies beyond the last edge
    assert summarise(np.array([])).n == 0


def test_available_cells_around_a_home():
    g = Grid(3, 3, cell_m=50.0)
    # From the centre: itself at 0 m, four at 50 m, four at 70.7 m.
    counts = available_cells(np.array([4, 4]), g, edges=(0.0, 1.0, 60.0, 100.0))
    np.testing.assert_allclose(counts, [2, 8, 8])  # two journeys from the same home
    # From a corner: itself, two at 50 m, one at 70.7 m; two at exactly 100 m lie on
    # the last edge, outside the left-closed, right-open bands.
    np.testing.assert_allclose(available_cells(np.array([0]), g,
                                               edges=(0.0, 1.0, 60.0, 100.0)), [1, 2, 1])


def synthetic_journeys(scale_m: float | None, n: int, seed: int) -> tuple[np.ndarray, ...]:
    """Offenders at random homes choosing cells with weight exp(-d / scale) (or uniformly)."""
    g = Grid(40, 40, cell_m=50.0)
    rng = np.random.default_rng(seed)
    homes = rng.integers(0, g.n_cells, size=n)
    cells = np.arange(g.n_cells)
    dest = np.empty(n, dtype=np.int64)
    for k, h in enumerate(homes):
        if scale_m is None:
            dest[k] = rng.integers(0, g.n_cells)
        else:
            w = np.exp(-g.distance_m(np.full(g.n_cells, h), cells) / scale_m)
            dest[k] = rng.choice(cells, p=w / w.sum())
    return g, homes, journey_lengths(homes, dest, g)


EDGES = tuple(float(e) for e in range(0, 1201, 200))


def test_rate_per_cell_recovers_an_exponential_decay():
    g, homes, d = synthetic_journeys(150.0, 1500, 1)
    rate = rate_per_cell(d, homes, g, edges=EDGES)
    assert spearmanr(np.arange(rate.size), rate).statistic == pytest.approx(-1.0)
    # Between band midpoints 100 m and 300 m the rate falls by about exp(-200/150) = 0.26.
    assert 0.15 < rate[1] / rate[0] < 0.45


def test_rate_per_cell_is_flat_when_places_are_chosen_at_random():
    g, homes, d = synthetic_journeys(None, 3000, 2)
    rate = rate_per_cell(d, homes, g, edges=EDGES)
    expected = 1.0 / g.n_cells  # every cell equally likely
    counts = band_counts(d, EDGES)
    # Each band's rate is a binomial share: within 4 standard errors of 1/N.
    se = expected / np.sqrt(np.maximum(counts, 1))
    assert np.all(np.abs(rate - expected) < 4 * se + 1e-12), (rate * g.n_cells, counts)


def test_journey_contrasts_by_hand():
    """Four crimes on a 10-cell-wide grid of 50 m cells, offenders at home cell 0:
    a youth's burglary 2 cells east (100 m), an adult's burglary 4 cells east (200 m), a
    youth's assault 1 cell east (50 m), an adult's sexual violence 3 cells south
    (150 m). Youth median 75 m against adults' 175 m: -100 m. Violence median 100 m
    against burglary's 150 m: -50 m."""
    from experiments.validation.stylised_facts import journey_contrasts
    from sim.config import (
        ADULT,
        ASSAULT,
        BURGLARY,
        EV_CELL,
        EV_HOME,
        EV_RELATIONSHIP,
        EV_TYPE,
        N_EVENT_FIELDS,
        REL_PARTNER,
        REL_STRANGER,
        SEXUAL_VIOLENCE,
        YOUTH,
    )

    ev = np.zeros((4, N_EVENT_FIELDS), np.int64)
    ev[:, EV_TYPE] = [BURGLARY, BURGLARY, ASSAULT, SEXUAL_VIOLENCE]
    ev[:, EV_CELL] = [2, 4, 1, 30]
    ev[:, EV_HOME] = 0
    ev[:, EV_RELATIONSHIP] = REL_STRANGER
    age = np.array([YOUTH, ADULT, YOUTH, ADULT])
    out = journey_contrasts(ev, age, Grid(10, 10, 50.0, False))
    assert out["youth_minus_adult_m"] == pytest.approx(-100.0)
    assert out["violence_minus_burglary_m"] == pytest.approx(-50.0)
    assert np.isnan(journey_contrasts(ev, None, Grid(10, 10, 50.0, False))[
        "youth_minus_adult_m"])
    # An adult's assault of his partner at home is no journey: it is left out.
    home = np.zeros((1, N_EVENT_FIELDS), np.int64)
    home[0, [EV_TYPE, EV_CELL, EV_HOME, EV_RELATIONSHIP]] = [ASSAULT, 0, 0, REL_PARTNER]
    out2 = journey_contrasts(np.vstack([ev, home]), np.append(age, ADULT),
                             Grid(10, 10, 50.0, False))
    assert out2 == pytest.approx(out)
