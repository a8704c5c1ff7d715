"""Interventions: declared plug-ins that change layers, arrays and rates of a model.

Each plug-in is one module here (``street_lighting.py``, ``youth_programme.py``, ...)
holding one registered :class:`Intervention` subclass; the framework they plug into
(base class, registry, runner) is :mod:`sim.plugins`. Importing this package imports
every module, which registers them, with the scenario layer too, so a scenario's
``[interventions.<label>]`` tables are checked against their fields
(docs/interventions.md). ``sim/__init__.py`` imports this package, so loading a
scenario always sees every plug-in.
"""

from __future__ import annotations

import importlib
import pkgutil

from sim.city.target import TARGET_FIELDS
from sim.plugins import (
    COMMON_FIELDS,
    REGISTRY,
    Intervention,
    InterventionError,
    get,
    names,
    register,
)

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_"):
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
