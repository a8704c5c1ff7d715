"""Short et al. (2008): the homogeneous equilibrium and the measures of its patterns.

The lattice model's homogeneous steady state follows from two balances, which is why
the formulas are exact for the discrete model and not only its continuum limit:

- *attractiveness*: B(t+dt) = [...](1 - omega dt) + theta E. Averaged over the
  lattice, diffusion cancels, and in steady state burglaries per site per step equal
  spawns, Gamma dt; so B = B (1 - omega dt) + theta Gamma dt, i.e.
  ``B_bar = theta Gamma / omega`` -- in every regime, hotspots or not;
- *burglars*: each burgles with p = 1 - exp(-A dt) per step and is then removed, so
  n (1 - exp(-A dt)) = Gamma dt, i.e. ``n_bar = Gamma dt / (1 - exp(-A_bar dt))``
  with ``A_bar = A0 + B_bar`` -- only where A is uniform: in a patterned state burglars
  crowd onto high A and are used up faster, so fewer are on the lattice.

The same balances are in docs/evidence.md and tests/test_short2008.py. The
burglary rate per site (Gamma per unit time) holds in every regime and is the third
check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ShortParams:
    """One parameter set of Short et al.'s lattice model.

    Attributes:
        label: The Figure 3 panel, e.g. ``"a"``.
        eta: Share of B spread to the neighbours per step.
        theta: Rise of B per burglary.
        gamma: Burglars spawned per site per unit time.
        omega: Decay rate of B.
        a0: Static attractiveness.
        dt: Time step.
        regime: What the paper reports for the set.
    """

    label: str
    eta: float
    theta: float
    gamma: float
    omega: float = 1.0 / 15.0
    a0: float = 1.0 / 30.0
    dt: float = 0.01
    regime: str = ""

    @property
    def b_bar(self) -> float:
        """Homogeneous equilibrium of B: theta Gamma / omega."""
        return self.theta * self.gamma / self.omega

    @property
    def a_bar(self) -> float:
        """Homogeneous equilibrium of A: A0 + B_bar."""
        return self.a0 + self.b_bar

    @property
    def n_bar(self) -> float:
        """Homogeneous equilibrium of burglars per site: Gamma dt / (1 - exp(-A_bar dt))."""
        return self.gamma * self.dt / (1.0 - math.exp(-self.a_bar * self.dt))


#: Figure 3 of Short et al. (2008): 128 x 128, dt 0.01, omega 1/15, A0 1/30.
FIGURE3 = (
    ShortParams("a", eta=0.2, theta=0.56, gamma=0.019, regime="homogeneous"),
    ShortParams("b", eta=0.2, theta=5.6, gamma=0.002, regime="dynamic hotspots"),
    ShortParams("c", eta=0.03, theta=0.56, gamma=0.019, regime="stationary hotspots"),
    ShortParams("d", eta=0.03, theta=5.6, gamma=0.002, regime="dynamic hotspots"),
)


def ou_mean_se(x: np.ndarray, steps_per_unit: int, omega: float) -> tuple[float, float]:
    """Time average of a per-step series and its standard error.

    The lattice mean of B is an Ornstein-Uhlenbeck process with correlation time
    1/omega, so a series of T time units holds about T omega / 2 independent values:
    SE = sd * sqrt(2 / (omega T)) (the argument of tests/test_short2008.py). Burglar
    counts relax faster (1/A), so the same SE is conservative for them.
    """
    x = np.asarray(x, dtype=float)
    t_units = x.size / steps_per_unit
    return float(x.mean()), float(x.std() * math.sqrt(2.0 / (omega * t_units)))


def spatial_cv(field: np.ndarray) -> float:
    """Coefficient of variation of a map: 0 when flat, large with hotspots."""
    m = float(field.mean())
    return float(field.std()) / m if m > 0 else float("nan")


def map_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two maps: near 1 when hotspots stay put."""
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    flat = 1e-12 * max(abs(float(a.mean())), abs(float(b.mean())), 1e-300)
    if a.std() <= flat or b.std() <= flat:  # a flat map has no pattern to correlate
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def classify(cv: float, persistence: float, cv_flat: float = 0.5,
             persistent: float = 0.7) -> str:
    """Name a regime from the map's CV and its persistence across a long lag.

    Args:
        cv: Spatial CV of the time-averaged B map.
        persistence: Correlation of B maps averaged over windows far apart in time.
        cv_flat: Below this CV the lattice counts as flat (homogeneous).
        persistent: Above this correlation hotspots count as stationary.
    """
    if cv < cv_flat:
        return "homogeneous"
    return "stationary hotspots" if persistence >= persistent else "dynamic hotspots"


def burglary_rate(burglaries: np.ndarray, burglars: np.ndarray, n_sites: int,
                  steps_per_unit: int, gamma: float) -> tuple[float, float]:
    """Burglaries per site per unit time, and its standard error if the rate is Gamma.

    Over a window, burglaries = spawns - (burglars at the end - burglars at the start).
    Spawns are independent Poisson draws of mean Gamma per site per unit, and the
    burglar count at the two ends adds a boundary term, so under the hypothesis that
    the rate is Gamma: Var = Gamma / (N T) + 2 Var(burglars) / (N T)^2.

    Args:
        burglaries: Burglaries per step over the window.
        burglars: Burglars on the lattice per step over the window.
        n_sites: Sites N.
        steps_per_unit: Steps per model time unit.
        gamma: Spawn rate Gamma (the hypothesis).
    """
    t_units = burglaries.size / steps_per_unit
    nt = n_sites * t_units
    rate = float(np.sum(burglaries)) / nt
    se = math.sqrt(gamma / nt + 2.0 * float(np.var(burglars)) / nt**2)
    return rate, se
