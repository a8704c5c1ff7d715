"""Anti-corruption: bribes taken in the city against the baseline.

docs/evidence.md has no effect size for anti-corruption programmes, so this
target is an assumption, not evidence. The headline is the programme's direct aim --
bribes taken by officers (on the street and for solved cases). The assumed range, bribes
down by half to nine-tenths in the first year (-90% to -50%; no published point
estimate, the centre -70% is shown), was set before issue 14 and is kept as it was; the
scenario's settings (integrity tests at the New York police's 1990s rate, Osborne 2007;
an assumed deterrent of 0.3) are not tuned to it. The knock-on effects (arrests,
legitimacy, reporting) are reported on docs/interventions/anti_corruption.md.
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
