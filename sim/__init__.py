"""crimesim: an agent-based simulation of urban crime prevention policies.

from sim import Scenario, CrimeModel
sc = Scenario.load("scenarios/baseline.toml").with_overrides({"offenders.count": 500})
model = CrimeModel(scenario=sc, rng=42)
model.run_for(24 * 30)
df = model.results.to_frame()

Epstein's (2002) civil violence model runs on the same engine:
CivilViolenceModel(scenario="scenarios/epstein2002.toml", rng=1).
"""

# Mesa first, without the stack inspection of its logging set-up (sim/mesa_import.py:
# otherwise the largest single item of the package's import time).
import sim.mesa_import  # noqa: F401

# isort: split

# Importing the plug-ins and the model families registers them with the scenario layer
# (intervention tables, family sections), so loading any scenario checks every table.
import sim.interventions  # noqa: F401
from sim.civil_violence import CivilViolenceModel
from sim.crime.model import CrimeModel
from sim.scenario import Scenario, ScenarioError
from sim.version import __version__

__all__ = ["CivilViolenceModel", "CrimeModel", "Scenario", "ScenarioError", "__version__"]
