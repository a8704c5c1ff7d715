"""Scenarios: validated TOML descriptions of a run, and their schema."""

from sim.scenario.scenario import (
    Params,
    Scenario,
    ScenarioError,
    parse_override,
    parse_override_value,
)
from sim.scenario.schema import SCHEMA, Field, flatten

__all__ = ["SCHEMA", "Field", "Params", "Scenario", "ScenarioError", "flatten",
           "parse_override", "parse_override_value"]
