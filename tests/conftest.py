"""Shared fixtures: the repository root and a small, fast variant of the baseline city."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.toml"

#: Overrides that shrink the baseline city about tenfold (a 10-day run takes ~0.1 s).
SMALL_OVERRIDES: dict[str, object] = {
    "city.width": 40,
    "city.height": 40,
    "city.districts": 4,
    "residents.count": 3000,
    "offenders.count": 60,
    "police.count": 6,
    "services.count": 3,
    "security.guards": 5,
    "city.schools": 4,
}


def small_set_args() -> list[str]:
    """The small overrides as ``--set key=value`` command-line arguments."""
    args: list[str] = []
    for key, value in SMALL_OVERRIDES.items():
        args += ["--set", f"{key}={value}"]
    return args


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
