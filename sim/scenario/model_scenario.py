"""``model.scenario`` is the crimesim Scenario, for every model family.

Mesa 3.5's ``Model.__init__`` sets ``self.scenario`` to its own experimental
Scenario placeholder. Each crimesim model (the fast crime model, the plain-Mesa
reference, the civil-violence model) keeps its validated
:class:`~sim.scenario.Scenario` under that name instead; this mixin is that one
property, listed before ``mesa.Model`` among a model's bases.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from sim.scenario import Scenario, ScenarioError


class ScenarioAttribute:
    """Mixin: ``scenario`` holds our Scenario; Mesa's placeholder goes aside."""

    _crime_scenario: Scenario
    _mesa_scenario: Any = None

    @property
    def scenario(self) -> Scenario:
        """The crimesim :class:`~sim.scenario.Scenario` of this run."""
        return self._crime_scenario

    @scenario.setter
    def scenario(self, value: Any) -> None:
        if isinstance(value, Scenario):
            self._crime_scenario = value
        else:  # Mesa's base class sets its own placeholder scenario first
            self._mesa_scenario = value


def resolve_scenario(scenario: Scenario | str | os.PathLike | None, overrides: dict[str, Any],
                     *, family: str, default: Callable[[], Scenario],
                     refusal: str) -> Scenario:
    """The Scenario a model of ``family`` runs, from what its constructor was given.

    Args:
        scenario: A Scenario, the path of a scenario file, or None for ``default()``.
        overrides: Scenario keys with ``__`` for the dots (Mesa-style keyword
            parameters, so ``mesa.batch_run`` can sweep them).
        family: The ``model`` key this model runs.
        default: The scenario to use when none is given.
        refusal: What to say, after the file and its ``model``, when the scenario
            belongs to another family.

    Raises:
        ScenarioError: Bad file or key, or a scenario of another model family.
    """
    if isinstance(scenario, str | os.PathLike):
        scenario = Scenario.load(scenario)
    scenario = scenario if scenario is not None else default()
    if overrides:
        scenario = scenario.with_overrides(
            {key.replace("__", "."): value for key, value in overrides.items()})
    if scenario.params.model != family:
        where = f"{scenario.source}: " if scenario.source else ""
        raise ScenarioError(f"{where}model = {scenario.params.model!r}: {refusal}")
    return scenario
