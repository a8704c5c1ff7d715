"""Urban renewal (vacant-lot greening): total crime in the greened cells.

Branas et al. (2018, PNAS 115:2946), cluster-randomised trial in Philadelphia: in
neighbourhoods below the poverty line, total crime -13% around greened lots (gun
violence -29%, burglary -22%). The paper reports the -13% with a confidence interval
this project has not checked, so the accepted range is set at -20% to -6%, about
half the point estimate either side.

Settings (scenarios/urban_renewal.toml): the two poorest districts' residential, shop
and park cells from day 30, ``disorder_reduction`` 0.5 -- an assumption (nothing
measures it), not tuned. The fall is a prediction of the attractiveness mechanism.
"""

from __future__ import annotations

from experiments.calibration.target import Target
from sim.analysis.outcome import RunOutcome

SCENARIO = "scenarios/urban_renewal.toml"
TARGET = Target("total crime in the greened cells", -20.0, -6.0, -13.0,
                "Branas et al. 2018 (poor areas)")


def measure(base: RunOutcome, alt: RunOutcome) -> tuple[float, float]:
    """All crime in the treated cells over the window, base and alternative."""
    cells = alt.treated
    return float(base.crime_map[:, cells].sum()), float(alt.crime_map[:, cells].sum())
