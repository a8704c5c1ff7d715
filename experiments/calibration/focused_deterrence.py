"""Focused deterrence: violent crime in the target area against the baseline.

Braga, Weisburd & Turchan (2018, Campbell review): focused deterrence gives a moderate
fall in crime (d ~ 0.38; gang and group violence programmes ~0.66, marked "check" in
docs/evidence.md); the one percentage in the evidence file is High Point's
violent crime -34%. A standardised mean difference does not translate into a percent
change of a count without the studies' variances, so the range is chosen around the
High Point figure, wide enough for "moderate": -40% to -20%, point -34%. Violent crime
(robbery, assault, sexual and gang violence) rather than gang violence alone is the
headline because the model's city has a few dozen gang-violence crimes a year: too
few for a tight paired estimate.
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome

SCENARIO = "scenarios/focused_deterrence.toml"
TARGET = Target("violent crime in the target area", -40.0, -20.0, -34.0,
                "Braga, Weisburd & Turchan 2018; High Point", check=True)


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """Violent crimes (every type but burglary) in the treated cells, base and strategy."""
    cells = alt.treated
    return float(base.crime_map[1:, cells].sum()), float(alt.crime_map[1:, cells].sum())
