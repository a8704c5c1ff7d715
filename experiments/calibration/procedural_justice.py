"""Procedural justice: trust of the target area's residents against the same area untreated.

Mazerolle et al. (2013, Campbell review): procedurally just policing improves
satisfaction, confidence, compliance and cooperation. The review gives a direction
only, so the target is a direction with a band that is an assumption, not evidence:
mean legitimacy of the residents of the target area at the end of the window rises by
+2% to +25% (a rise that stands out of the noise, but not a transformation of
policing's standing in a year). The base is a sham: the same scenario with nobody
moved and no change to the contact rates or their fairness, so the target area is the
same cells. The programme's settings are not tuned to this band (issue 14).
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome

SCENARIO = "scenarios/procedural_justice.toml"
BASE = "scenarios/procedural_justice.toml"
BASE_OVERRIDES = {
    "interventions.procedural_justice.coverage": 0.0,
    "interventions.procedural_justice.fair_contact_gain": 0.0,
    "interventions.procedural_justice.contacts": 0,
    "interventions.procedural_justice.home_visits": 0,
    "interventions.procedural_justice.fair_share": 0.0,  # max() with the scenario's: no change
}
TARGET = Target("legitimacy of target-area residents (direction only)", 2.0, 25.0, float("nan"),
                "Mazerolle et al. 2013 (direction; band assumed)")


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """Mean legitimacy of the residents of the target area at the window's end."""
    key = "procedural_justice.legitimacy_area"
    return base.extras[key], alt.extras[key]
