"""The reference model implements the first release: compare it with the classic model.

Every mechanism added since (``sim.scenario.classic.CLASSIC_OVERRIDES``) is switched
off in the scenarios these tests run, for both models.
"""

from __future__ import annotations

import pytest
from repo_paths import BASELINE

from sim import Scenario
from sim.scenario.classic import CLASSIC_OVERRIDES


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The baseline scenario, classic (shadows the suite-wide fixture of that name)."""
    return Scenario.load(BASELINE).with_overrides(CLASSIC_OVERRIDES)
