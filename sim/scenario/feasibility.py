"""Combinations of settings no city can run, refused before a model is built.

Each key can be valid on its own while the combination is impossible: more offenders
than the residents they are drawn from, a generated city with nobody in it, thirty
thousand people on a few cells, a police intervention in a city without officers.
The model would not fail on them -- it would quietly clamp, place people on top of
each other or do nothing -- so a user would read results of a city they did not ask
for. This check runs inside the scenario's validation (:func:`sim.scenario.values.
cross_checks`), so ``crimesim run --set`` refuses such a file with exit status 2 and
the dashboard's Explore page shows the same one-line message before it restarts.
"""

from __future__ import annotations

import math
from typing import Any

from sim.errors import ScenarioError

#: Most residents per square kilometre a city may hold. The model places households on
#: cells without a cap (docs/ODD.md §2.3), so the cap is a plausibility bound: the
#: densest urban districts on record hold about 130,000 people per km² (Mong Kok,
#: Hong Kong); 150,000 leaves room for them and refuses only the impossible.
MAX_RESIDENTS_PER_KM2 = 150_000

#: Intervention plug-ins that work through the police force, and what they need of it.
POLICE_INTERVENTIONS: dict[str, str] = {
    "hotspot_policing": "redeploys patrol officers",
    "procedural_justice": "trains the force's officers",
    "anti_corruption": "audits the force's officers",
}


def check_feasible(values: dict[str, Any]) -> None:
    """Refuse settings whose combination no city can run.

    Args:
        values: A validated scenario's values (defaults filled in, interventions by
            label with their ``type``).

    Raises:
        ScenarioError: One line naming the keys and the problem.
    """
    residents = values["residents"]["count"]
    offenders = values["offenders"]["count"]
    city = values["city"]
    if residents == 0 and city["layout"] == "generated":
        raise ScenarioError(
            "residents.count: a generated city needs residents (only the lattice layout "
            "of Short et al. runs with none)")
    if 0 < residents < offenders:
        raise ScenarioError(
            f"offenders.count: {offenders:,} offenders but only {residents:,} residents "
            "(offenders are drawn from the residents)")
    if city["layout"] != "map":
        _check_density(residents, city["width"], city["height"], city["cell_size_m"])
    if values["police"]["count"] == 0:
        for label, table in values.get("interventions", {}).items():
            need = POLICE_INTERVENTIONS.get(table.get("type", label))
            if need:
                raise ScenarioError(
                    f"interventions.{label}: {need}, but police.count is 0")


def _check_density(residents: int, width: int, height: int, cell_size_m: float) -> None:
    """Refuse more residents than the city's area can hold (:data:`MAX_RESIDENTS_PER_KM2`)."""
    area_km2 = width * height * (cell_size_m / 1000.0) ** 2
    if residents <= MAX_RESIDENTS_PER_KM2 * area_km2:
        return
    side = math.ceil(math.sqrt(residents / MAX_RESIDENTS_PER_KM2) * 1000.0 / cell_size_m)
    raise ScenarioError(
        f"city: {residents:,} residents on {width} x {height} cells of {cell_size_m:g} m "
        f"({area_km2:.3g} km²) is more than {MAX_RESIDENTS_PER_KM2:,} per km²; make the "
        f"city at least {side} x {side} cells or have fewer residents")
