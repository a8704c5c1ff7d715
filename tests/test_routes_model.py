"""Routes and gravity destinations in a running model (small city, two days).

With route exposure (the default) residents on their way are in public on the cells
between home and their destination -- residential streets included -- and flagged
travelling; with it off (the first release) nobody is ever travelling and nobody is in
public on a residential cell. Gravity sends local outings to shops and parks.
"""

from __future__ import annotations

import numpy as np

from sim import CrimeModel
from sim.config import COMMERCIAL, IN_PUBLIC, NIGHTLIFE, PARK, RESIDENTIAL


def hours_in_public(scenario, days=2):
    m = CrimeModel(scenario=scenario, rng=3, agent_views=False)
    lu = m.state.city.arrays.land_use
    on_residential = travelling = travelling_not_public = 0
    for _ in range(days * 24):
        m.step()
        r = m.residents
        public = r.state == IN_PUBLIC
        on_residential += int((lu[r.pos[public]] == RESIDENTIAL).sum())
        travelling += int(r.travelling.sum())
        travelling_not_public += int((r.travelling & ~public).sum())
    return m, on_residential, travelling, travelling_not_public


def test_routes_put_travellers_on_residential_streets(small_scenario):
    m, on_residential, travelling, odd = hours_in_public(small_scenario)
    assert on_residential > 0 and travelling > 0
    assert odd == 0  # a traveller is always in public


def test_without_routes_nobody_travels_or_stands_on_residential_cells(small_scenario):
    sc = small_scenario.with_overrides({"routines.route_exposure": False})
    _, on_residential, travelling, _ = hours_in_public(sc)
    assert on_residential == 0 and travelling == 0


def test_gravity_sends_outings_to_places_of_their_kind(small_scenario):
    m = CrimeModel(scenario=small_scenario, rng=5, agent_views=False)
    m.run_for(1)
    r, lu = m.residents, m.state.city.arrays.land_use
    outing = r.day_public & (r.day_cell >= 0)
    assert outing.any()
    assert np.isin(lu[r.day_cell[outing]], (COMMERCIAL, PARK)).all()
    eve = r.eve_cell >= 0
    assert np.isin(lu[r.eve_cell[eve]], (COMMERCIAL, PARK, NIGHTLIFE)).all()
