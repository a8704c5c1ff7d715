"""The intervention framework: the plug-in base class, its registry, runner and spells.

A layer below the crime engine (:mod:`sim.crime`), which runs a scenario's
interventions through :class:`InterventionSet`, and below the plug-ins themselves
(:mod:`sim.interventions`), which subclass :class:`Intervention` and register. It
refers to the model only for type checking, so the engine can import it without a
cycle.
"""

from sim.plugins.base import COMMON_FIELDS, Intervention, InterventionError
from sim.plugins.registry import REGISTRY, get, names, register
from sim.plugins.runner import InterventionSet

__all__ = [
    "COMMON_FIELDS",
    "REGISTRY",
    "Intervention",
    "InterventionError",
    "InterventionSet",
    "get",
    "names",
    "register",
]
