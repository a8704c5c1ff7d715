"""Anti-corruption: bribes taken in the city against the baseline.

docs/evidence.md has no effect size for anti-corruption programmes, so this
target is an assumption, not evidence. The headline is the programme's direct aim --
bribes taken by officers (on the street and for solved cases) -- and the assumed range
is what an internal-affairs unit that finds a corrupt officer within about four months
should achieve over the first year: bribes down by half to nine-tenths (-90% to -50%;
no published point estimate, the centre -70% is shown). The knock-on effects (arrests,
legitimacy, reporting) are too small in the baseline city, with three corrupt officers
out of 24, to be a headline; docs/interventions/anti_corruption.md reports them.
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome

SCENARIO = "scenarios/anti_corruption.toml"
TARGET = Target("bribes taken (assumed range, no evidence)", -90.0, -50.0, -70.0,
                "assumption: no evidence figure (docs/evidence.md)")


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """Bribes taken over the window, city-wide."""
    return base.totals["bribes"], alt.totals["bribes"]
