"""What the Explore page needs to know about each model family, in one place.

A scenario file names its model family (``model = "crime"`` or ``"civil_violence"``)
and the two differ in everything the page shows: which model class runs, which keys
a user edits first, whether there are interventions, what a step is (an hour and a
day of the city; one and ten ticks of Epstein's lattice), the map's layers and the
series. Rather than test the family in every component, each family is one
:class:`ModelFamily` record here, and the session and the page ask the record of the
scenario they hold (:func:`family_of`). A third family is one more record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sim import families
from sim.crime.model import CrimeModel
from sim.dashboard.clock import speed_label, status_clock, step_buttons
from sim.dashboard.figures.civil import (
    CIVIL_LAYERS,
    civil_map_option,
    civil_series_option,
    civil_status,
)
from sim.dashboard.figures.layers import LAYERS
from sim.dashboard.figures.live import map_geometry, map_option, series_option
from sim.scenario import Scenario, reads_key

#: Scenario keys the crime family offers as fields (the ones a teacher or policymaker
#: changes first); every other key keeps the scenario file's value.
CRIME_KEYS: tuple[str, ...] = (
    "residents.count",
    "offenders.count",
    "police.count",
    "services.count",
    "security.guards",
    "city.width",
    "city.height",
)

#: Scenario keys the civil-violence family offers as fields: Epstein's parameters, the
#: legitimacy schedule (a sudden or gradual fall) and corruption (docs/ODD.md §11).
CIVIL_KEYS: tuple[str, ...] = (
    "civil_violence.legitimacy",
    "civil_violence.citizen_density",
    "civil_violence.cop_density",
    "civil_violence.citizen_vision",
    "civil_violence.cop_vision",
    "civil_violence.active_threshold",
    "civil_violence.max_jail_term",
    "civil_violence.legitimacy_drop",
    "civil_violence.legitimacy_drop_start",
    "civil_violence.legitimacy_drop_ticks",
    "civil_violence.corruption",
    "civil_violence.corruption_loss",
    "city.width",
    "city.height",
)


def crime_status(model: CrimeModel) -> str:
    """Where the run is: day, hour, tick, and crimes and arrests so far."""
    totals = model.results.totals()
    return (f"{status_clock(model)} - "
            f"{totals.get('crimes_total', 0)} crimes, {totals.get('arrests', 0)} arrests so far")


@dataclass(frozen=True)
class ModelFamily:
    """How Explore builds, steps and draws one model family.

    Attributes:
        name: The scenario's ``model`` value.
        title: The family in words, for the page.
        key_fields: Scenario keys shown as fields above "More settings".
        interventions: Whether the family takes the intervention plug-ins.
        layers: Map layer names, the default first.
        speeds: Ticks per frame offered while playing.
        speed_label: The speed chooser's label (with its unit).
        build: Makes the model of a scenario and seed.
        steps: The step buttons of a model: label and ticks each.
        status: The status line of a model (where the run is).
        map_option: The ECharts option of a model's map: model, layer and the
            geometry :attr:`geometry` made for that model.
        series_option: The ECharts option of a model's series.
        geometry: What the map draws that stays as long as the model does (the
            areas' boundaries), made once per model; None for a family without it.
        reads: Whether the family reads a (dotted) scenario key.
        model_speed_label: The speed label of one model, when it depends on the
            model's time unit (the crime model: hours in a city, steps of dt on
            Short et al.'s lattice); None keeps :attr:`speed_label`.
    """

    name: str
    title: str
    key_fields: tuple[str, ...]
    interventions: bool
    layers: tuple[str, ...]
    speeds: tuple[int, ...]
    speed_label: str
    build: Callable[[Scenario, int], Any]
    steps: Callable[[Any], tuple[tuple[str, int], ...]]
    status: Callable[[Any], str]
    map_option: Callable[[Any, str, Any], dict[str, Any]]
    series_option: Callable[[Any], dict[str, Any]]
    geometry: Callable[[Any], Any]
    reads: Callable[[str], bool]
    model_speed_label: Callable[[Any], str] | None = None

    def speed_label_of(self, model: Any) -> str:
        """The speed chooser's label for ``model``, in its time unit."""
        return self.model_speed_label(model) if self.model_speed_label else self.speed_label

    def layer(self, chosen: str) -> str:
        """``chosen`` if it is one of this family's layers, else the default one.

        The page keeps its layer choice across a scenario change; a layer of the
        other family falls back rather than failing.
        """
        return chosen if chosen in self.layers else self.layers[0]

    def speed(self, chosen: int) -> int:
        """``chosen`` if this family offers it, else its slowest speed."""
        return chosen if chosen in self.speeds else self.speeds[0]


def _crime_reads(key: str) -> bool:
    return reads_key(families.CRIME.model, key)


def _civil_reads(key: str) -> bool:
    return reads_key(families.CIVIL_VIOLENCE.model, key)


CRIME = ModelFamily(
    name=families.CRIME.name,
    title=families.CRIME.title,
    key_fields=CRIME_KEYS,
    interventions=families.CRIME.interventions,
    layers=tuple(LAYERS),
    speeds=(1, 3, 6, 12, 24),
    speed_label="speed (hours per frame)",
    build=lambda scenario, seed: families.CRIME.build(scenario, seed, agent_views=False),
    steps=step_buttons,
    status=crime_status,
    map_option=map_option,
    series_option=series_option,
    geometry=map_geometry,
    reads=_crime_reads,
    model_speed_label=speed_label,
)

CIVIL_VIOLENCE = ModelFamily(
    name=families.CIVIL_VIOLENCE.name,
    title=families.CIVIL_VIOLENCE.title,
    key_fields=CIVIL_KEYS,
    interventions=families.CIVIL_VIOLENCE.interventions,
    layers=tuple(CIVIL_LAYERS),
    speeds=(1, 2, 5, 10, 25),
    speed_label="speed (ticks per frame)",
    build=families.CIVIL_VIOLENCE.build,
    steps=lambda model: (("Step 1 tick", 1), ("Step 10 ticks", 10)),
    status=civil_status,
    map_option=lambda model, layer, _geometry: civil_map_option(model, layer),
    series_option=civil_series_option,
    geometry=lambda model: None,
    reads=_civil_reads,
)

#: Every family Explore runs, by the scenario's ``model`` value.
FAMILIES: dict[str, ModelFamily] = {family.name: family for family in (CRIME, CIVIL_VIOLENCE)}


def family_of(scenario: Scenario) -> ModelFamily:
    """The family that runs ``scenario`` (the crime model for a family not listed).

    The family is looked up in the registry (:func:`sim.families.family_for`), as the
    command line does; this module adds only how the page shows it.
    """
    try:
        name = families.family_for(scenario).name
    except LookupError:
        return CRIME
    return FAMILIES.get(name, CRIME)
