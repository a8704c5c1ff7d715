"""The reference engine implements the classic model only: its tests run that model.

The baseline fixture and the command-line overrides get every newer mechanism
switched off (:func:`sim.scenario.classic.classic`), so the fast engine and
the reference are compared on the one model both implement.
"""

from __future__ import annotations

import pytest
from repo_paths import BASELINE, small_set_args

from sim import Scenario
from sim.scenario.classic import CLASSIC_OVERRIDES, classic


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The baseline scenario, classic (shadows the suite-wide fixture of that name)."""
    return classic(Scenario.load(BASELINE))


@pytest.fixture(scope="session")
def small_args() -> list[str]:
    """The small overrides and the classic ones as ``--set key=value`` arguments."""
    args = small_set_args()
    for key, value in CLASSIC_OVERRIDES.items():
        args += ["--set", f"{key}={str(value).lower() if isinstance(value, bool) else value}"]
    return args
