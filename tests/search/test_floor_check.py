"""Coverage floors no mix can meet are refused before any run, from a hand count.

Street lighting's units are its target cells (``top_k = 150`` by default) and each
costs its set-up (10,000) plus its running cost (2 a day) over the planned days, so a
floor ``f`` needs ``f x 150 x (10,000 + 2 x planned days)`` of the window's money.
"""

from __future__ import annotations

import dataclasses

import pytest
from test_search_cli import experiment

from sim.analysis.search.experiment import load_search_experiment
from sim.analysis.search.floor_check import MARGIN, floor_needs, floor_problem

LIGHTING_CELLS, SETUP, RUNNING = 150, 10_000.0, 2.0


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_search_experiment(experiment(tmp_path_factory.mktemp("floors")))


def hand_need(exp, floor: float) -> float:
    """The money a lighting floor needs over the window, by hand."""
    planned_days = exp.scenario.params.time.days - exp.start_day  # open-ended: to the end
    return floor * LIGHTING_CELLS * (SETUP + RUNNING * planned_days)


def test_a_floors_least_cost_is_the_hand_count(tiny):
    exp = dataclasses.replace(tiny, floors={"street_lighting": 0.3})
    (need,) = floor_needs(exp)
    assert need.full_units == LIGHTING_CELLS
    assert need.money == pytest.approx(hand_need(exp, 0.3), rel=1e-12)


def test_floors_the_budget_cannot_buy_are_refused_and_others_pass(tiny):
    window_years = (tiny.days - tiny.start_day) / 365.0
    least_per_year = hand_need(tiny, 0.3) / window_years
    poor = dataclasses.replace(tiny, floors={"street_lighting": 0.3},
                               budget_per_year=least_per_year / MARGIN * 0.99)
    problem = floor_problem(poor)
    assert problem is not None and "[floors] need about" in problem
    assert "street_lighting 0.3" in problem
    enough = dataclasses.replace(poor, budget_per_year=least_per_year * 1.01)
    assert floor_problem(enough) is None


def test_a_floor_above_the_interventions_coverage_is_refused(tiny):
    exp = dataclasses.replace(tiny, floors={"youth_programme": 0.9})  # its coverage: 0.5
    problem = floor_problem(exp)
    assert problem is not None and "youth_programme: 0.9 is above the coverage" in problem
