"""Fixtures for the place-focused intervention tests: paired runs on the small city.

The effect-direction tests compare crime in the treated cells with and without an
intervention, over a few seeds, with common random numbers (same seed, same city,
population and plans). ``falls_significantly`` is a z-test on Poisson counts: pooled
over seeds, the treated-area count must fall by more than ``Z`` standard deviations of
the difference of two independent Poisson counts, ``sqrt(base + alt)``. Common random
numbers make the two runs positively correlated, so the true standard deviation of the
difference is smaller and the test is conservative (it can only miss a real effect,
not invent one).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from sim import CrimeModel, Scenario
from sim.analysis.outcome import run_outcome

#: One-sided z for the effect-direction tests (false alarm about 0.1% per test).
Z = 3.1


def _run_to(scenario: Scenario, seed: int, tick: int) -> CrimeModel:
    model = CrimeModel(scenario=scenario, rng=seed, agent_views=False)
    if tick:
        model.run_for(tick)
    return model


def _effect_counts(base: Scenario, alt: Scenario, seeds: list[int], days: int,
                   crime_types: list[int] | None = None) -> tuple[float, float]:
    tot_b = tot_a = 0.0
    ticks = days * base.params.time.ticks_per_day
    start = min(spec["start_tick"] for spec in alt.params.interventions.to_dict().values())
    rows = slice(None) if crime_types is None else crime_types
    for seed in seeds:
        b = run_outcome(base, seed, ticks, start)
        a = run_outcome(alt, seed, ticks, start)
        tot_b += float(b.crime_map[rows][..., a.treated].sum())
        tot_a += float(a.crime_map[rows][..., a.treated].sum())
    return tot_b, tot_a


def _falls_significantly(base_count: float, alt_count: float) -> bool:
    return base_count - alt_count > Z * math.sqrt(base_count + alt_count)


@pytest.fixture(scope="session")
def busy_scenario(small_scenario: Scenario) -> Scenario:
    """The small city with 200 offenders instead of 60, so that the treated cells of a
    four-month run hold a few hundred crimes: enough for the z-test to see a real
    effect of 20-50% without long runs."""
    return small_scenario.with_overrides({"offenders.count": 200})


@pytest.fixture(scope="session")
def run_to() -> Callable[[Scenario, int, int], CrimeModel]:
    """``run_to(scenario, seed, tick)``: a model run for ``tick`` ticks (no agent views)."""
    return _run_to


@pytest.fixture(scope="session")
def effect_counts() -> Callable[..., tuple[float, float]]:
    """``effect_counts(base, alt, seeds, days, crime_types=None)``: crimes in the
    alternative's treated cells from its start tick, pooled over seeds, base and alt."""
    return _effect_counts


@pytest.fixture(scope="session")
def falls_significantly() -> Callable[[float, float], bool]:
    """``falls_significantly(base, alt)``: the z-test described in the module docstring."""
    return _falls_significantly
