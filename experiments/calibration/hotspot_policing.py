"""Hot-spot policing: crime in the hot spots chosen at the start, patrolled or not.

Braga et al. (2019, Campbell review): a small significant fall in treated hot spots,
d = 0.12 (about -8%) up to a log relative incidence ratio near -16%; diffusion of
benefits to the surroundings outweighs displacement. Accepted range -16% to -8%,
point -12% (the middle of the range the review spans). The scenario's dose, 3 of 24
officers on 20 hot spots (~3 h per hot spot a day, the Minneapolis trial's; Sherman &
Weisburd 1995), is the scheme's design, not tuned to this range.
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome

SCENARIO = "scenarios/hotspot_policing.toml"
TARGET = Target("crime in the hot spots (top cells at start)", -16.0, -8.0, -12.0,
                "Braga et al. 2019; Braga & Weisburd 2020")


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """All crime in the target hot spots over the window, base and alternative."""
    cells = alt.treated
    return float(base.crime_map[:, cells].sum()), float(alt.crime_map[:, cells].sum())
