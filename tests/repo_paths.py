"""Paths of the repository and a small, fast variant of the baseline city.

Plain module (not a conftest): test files import it by name, which is unambiguous
even when several folders have a conftest.py.
"""

from __future__ import annotations

from pathlib import Path

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
