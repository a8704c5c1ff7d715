"""crimesim: an agent-based simulation of urban crime prevention policies.

from sim import Scenario, CrimeModel
sc = Scenario.load("scenarios/baseline.toml").with_overrides({"offenders.count": 500})
model = CrimeModel(scenario=sc, rng=42)
model.run_for(24 * 30)
df = model.results.to_frame()

Epstein's (2002) civil violence model runs on the same engine:
CivilViolenceModel(scenario="scenarios/epstein2002.toml", rng=1).
"""

from importlib.metadata import PackageNotFoundError, version

# Importing the plug-ins and the model families registers them with the scenario layer
# (intervention tables, family sections), so loading any scenario checks every table.
import sim.interventions  # noqa: F401
from sim.civil_violence import CivilViolenceModel
from sim.crime.model import CrimeModel
from sim.scenario import Scenario, ScenarioError

try:
    __version__ = version("crimesim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.1.0"

__all__ = ["CivilViolenceModel", "CrimeModel", "Scenario", "ScenarioError", "__version__"]
