"""The city grid: its layers, the generator, the Short et al. lattice and map files.

Also the target areas of interventions (:mod:`sim.city.target`): which cells a policy
treats is a question about the city, asked by the crime engine's daily hot-spot list
and by the plug-ins alike, so it lives here, below both.
"""

from __future__ import annotations

import numpy as np

from sim.city.city import City, static_attractiveness
from sim.city.generator import generate_city, lattice_city
from sim.city.mapfile import load_map, save_map
from sim.city.target import TARGET_FIELDS, TargetError, hot_spot_cells, resolve_target
from sim.scenario import Params, ScenarioError


def build_city(params: Params, rng: np.random.Generator) -> City:
    """Build the city a scenario asks for, dispatching on ``params.city.layout``.

    Args:
        params: The whole scenario's parameters (uses ``.city`` and ``.attractiveness``).
        rng: Source of every random draw (unused by the lattice).

    Returns:
        The City: generated, the uniform lattice, or loaded from ``city.map_file``.

    Raises:
        ScenarioError: For an unknown layout or a bad map file.

    """
    city, attractiveness = params.city, params.attractiveness
    layout = city.layout
    if layout == "generated":
        return generate_city(city, attractiveness, rng)
    if layout == "lattice":
        return lattice_city(city, attractiveness)
    if layout == "map":
        if not city.map_file:
            raise ScenarioError("city.map_file: required when city.layout = 'map'")
        return load_map(city.map_file, city, attractiveness, rng)
    raise ScenarioError(
        f"city.layout: {layout!r} is not one of 'generated', 'lattice', 'map'"
    )


__all__ = [
    "TARGET_FIELDS",
    "City",
    "TargetError",
    "build_city",
    "generate_city",
    "hot_spot_cells",
    "lattice_city",
    "load_map",
    "resolve_target",
    "save_map",
    "static_attractiveness",
]
