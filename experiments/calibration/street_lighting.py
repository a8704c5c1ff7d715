"""Street lighting: crime in the lit cells against the same cells unlit.

Welsh & Farrington (2008, Campbell review): crime fell 21% in treated against control
areas (docs/evidence.md marks it "check"); Painter & Farrington (1999, Stoke-on-Trent):
-26% in the treated area. Accepted range -30% to -12%.

Settings (scenarios/street_lighting.toml): the 150 hottest cells lit to 0.95 from day 30,
``pride_effect`` 0 (no measured size). Nothing in the plug-in is tuned: the fall is a
prediction of the darkness mechanism.
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome

SCENARIO = "scenarios/street_lighting.toml"
TARGET = Target("crime in the lit cells", -30.0, -12.0, -21.0,
                "Welsh & Farrington 2008; Painter & Farrington 1999", check=True)


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """All crime in the treated cells over the window, base and alternative."""
    cells = alt.treated
    return float(base.crime_map[:, cells].sum()), float(alt.crime_map[:, cells].sum())
