"""Helpers for sweep tests: small experiment files on a small city."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"

#: A city small enough that a 3-day run takes a few hundredths of a second.
TINY_SET: dict[str, Any] = {
    "city.width": 24, "city.height": 24, "city.districts": 4, "city.schools": 2,
    "residents.count": 800, "offenders.count": 40, "police.count": 4, "services.count": 2,
    "security.guards": 3,
}


def toml_value(value: Any) -> str:
    """A Python value as a TOML literal (enough for these tests)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def write_experiment(folder: Path, *, name: str = "tiny", parameters: dict[str, Any] | None = None,
                     design: dict[str, Any] | None = None, top: dict[str, Any] | None = None,
                     fixed: dict[str, Any] | None = None) -> Path:
    """Write an experiment file over the tiny city and return its path."""
    top = {"name": name, "scenario": str(BASELINE), "days": 3, "replications": 2, "seed": 1,
           "record": "final", "metrics": ["crimes_total", "arrests", "offenders_free"],
           **(top or {})}
    parameters = parameters or {"offenders.count": [20, 60], "police.count": [2, 8]}
    design = design or {"kind": "grid"}
    lines = [f"{k} = {toml_value(v)}" for k, v in top.items() if v is not None]
    lines += ["", "[set]"] + [f'"{k}" = {toml_value(v)}' for k, v in
                              {**TINY_SET, **(fixed or {})}.items()]
    lines += ["", "[design]"] + [f"{k} = {toml_value(v)}" for k, v in design.items()]
    lines += ["", "[parameters]"] + [f'"{k}" = {toml_value(v)}' for k, v in parameters.items()]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n")
    return path
