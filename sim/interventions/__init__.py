"""Interventions: declared plug-ins that change layers, arrays and rates of a model.

Each plug-in is one module here (``street_lighting.py``, ``youth_programme.py``, ...)
holding one registered :class:`Intervention` subclass. Importing the package imports
every module, which registers them; a scenario then names them in
``[interventions.<label>]`` tables (docs/interventions.md).
"""

from __future__ import annotations

import importlib
import pkgutil

from sim.interventions.base import COMMON_FIELDS, Intervention, InterventionError
from sim.interventions.registry import REGISTRY, get, names, register
from sim.interventions.target import TARGET_FIELDS

_FRAMEWORK = {"base", "registry", "target", "runner"}
for _info in pkgutil.iter_modules(__path__):
    if _info.name not in _FRAMEWORK and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = [
    "COMMON_FIELDS",
    "REGISTRY",
    "TARGET_FIELDS",
    "Intervention",
    "InterventionError",
    "get",
    "names",
    "register",
]
