"""Shared fixtures: the repository root and a small, fast variant of the baseline city."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_paths import BASELINE, ROOT, SCENARIOS, SMALL_OVERRIDES, small_set_args  # noqa: F401

from sim import Scenario


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return Scenario.load(BASELINE)


@pytest.fixture(scope="session")
def small_scenario(baseline: Scenario) -> Scenario:
    """The baseline with a 40 x 40 city, 3000 residents and 60 offenders."""
    return baseline.with_overrides(SMALL_OVERRIDES)


@pytest.fixture(scope="session")
def small_overrides() -> dict[str, object]:
    return dict(SMALL_OVERRIDES)


@pytest.fixture(scope="session")
def small_args() -> list[str]:
    """The small overrides as ``--set key=value`` arguments for ``crimesim run``."""
    return small_set_args()


@pytest.fixture(scope="session")
def tiny_search(tmp_path_factory: pytest.TempPathFactory):
    """A finished tiny policy search (tests/search_support.py), run once per session."""
    from search_support import run_tiny_search

    return run_tiny_search(tmp_path_factory.mktemp("tiny-search"))
