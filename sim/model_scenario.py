"""``model.scenario`` is the crimesim Scenario, for every model family.

Mesa 3.5's ``Model.__init__`` sets ``self.scenario`` to its own experimental
Scenario placeholder. Each crimesim model (the fast crime model, the plain-Mesa
reference, the civil-violence model) keeps its validated
:class:`~sim.scenario.Scenario` under that name instead; this mixin is that one
property, listed before ``mesa.Model`` among a model's bases.
"""

from __future__ import annotations

from typing import Any

from sim.scenario import Scenario


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
