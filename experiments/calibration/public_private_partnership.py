"""Public-private partnership (business improvement district): robbery in its cells.

MacDonald et al. (2010), Los Angeles business improvement districts against matched
areas: robbery -12% (95% CI -2% to -24%), violent crime -8%. Accepted range: the
confidence interval, -24% to -2%.

Settings (scenarios/public_private_partnership.toml): every business cell from day 30, a
guard post in one in ten, CCTV 0.25 -- a stated design (no per-block dose is
published), not re-tuned. The fall is a prediction of guardianship and CCTV.
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome
from sim.config import ROBBERY

SCENARIO = "scenarios/public_private_partnership.toml"
TARGET = Target("robbery in the district's cells", -24.0, -2.0, -12.0,
                "MacDonald et al. 2010")


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """Robberies in the treated cells over the window, base and alternative."""
    cells = alt.treated
    return (float(base.crime_map[ROBBERY, cells].sum()),
            float(alt.crime_map[ROBBERY, cells].sum()))
