"""Epstein's (2002) civil violence Model I: a second model family on the same engine.

``CivilViolenceModel`` runs scenarios with ``model = "civil_violence"``
(``scenarios/epstein2002.toml``); docs/ODD.md §11 describes it, and
docs/civil_violence/ holds the experiments' report and the benchmark against Mesa's
bundled example. Importing the package registers the ``[civil_violence]`` section
with the scenario layer (:mod:`sim.civil_violence.schema`).
"""

from sim.civil_violence.model import METRICS, CivilViolenceModel
from sim.civil_violence.schema import SECTION

__all__ = ["METRICS", "SECTION", "CivilViolenceModel"]
