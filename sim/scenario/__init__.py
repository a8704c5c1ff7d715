"""Scenarios: validated TOML descriptions of a run, and their schema.

Also the registries the layers above fill at import time, so this layer validates a
whole scenario without importing them: the intervention plug-ins' table fields
(:mod:`sim.scenario.intervention_tables`) and the model families' schema sections
(:mod:`sim.scenario.sections`).
"""

from sim.errors import ScenarioError
from sim.scenario.intervention_tables import intervention_kinds, register_intervention_table
from sim.scenario.overrides import parse_override, parse_override_value
from sim.scenario.params import Params
from sim.scenario.scenario import Scenario
from sim.scenario.schema import SCHEMA, Field, flatten
from sim.scenario.sections import FamilySection, reads_key, register_section, section_of

__all__ = ["SCHEMA", "FamilySection", "Field", "Params", "Scenario", "ScenarioError",
           "flatten", "intervention_kinds", "parse_override", "parse_override_value",
           "reads_key", "register_intervention_table", "register_section", "section_of"]
