"""Every shipped intervention scenario, at its shipped settings, moves crime as the evidence says.

Each ``scenarios/<name>.toml`` with interventions runs against the baseline city with
the same seeds (common random numbers: the same city, population, plans and draws
until the intervention starts on day 30; sim/analysis/compare.py), for ``DAYS`` days,
measured from day 30. For each scenario two signs are asserted, in its treated area
and city-wide, each the direction its evidence gives (docs/interventions/*.md):

- street lighting: crime in the lit cells falls; city-wide crime falls too (Welsh &
  Farrington 2008; Painter & Farrington 1999 found diffusion of benefits nearby);
- youth programme: crime in the three districts where the participants live falls
  (Heller 2014; Heller et al. 2017: participants' violence falls by 43-50%); city-wide
  crime falls;
- anti-corruption: bribes fall (its headline; the whole city is its area); mean
  legitimacy does not fall city-wide (a corrupt officer's contact costs trust, ODD
  §7.13, so fewer bribes should raise it; no study gives a size, and the model's rise,
  +0.2%, would need some 45 seeds to be detected: a guard, not a powered test);
- hot-spot policing: crime in the hot spots falls (Braga et al. 2019); city-wide
  crime does not rise (diffusion of benefits is more common than displacement; Braga &
  Weisburd 2020) -- a guard: the model's city-wide fall, -2.0%, needs some 36 seeds
  (below);
- procedural justice: legitimacy of the target area's residents rises against a
  sham (the same scenario with nothing changed: same cells), and mean legitimacy rises
  city-wide (Mazerolle et al. 2013: direction only);
- public-private partnership: robbery in the business cells falls (MacDonald et al.
  2010); city-wide crime falls;
- urban renewal: crime in the greened cells falls (Branas et al. 2018); city-wide
  crime does not rise (Branas et al. found no displacement to the surrounding areas) --
  a guard against displacement exceeding the benefit: the greened cells hold a sixth of
  the city's crime, so a city-wide fall of about 2% would need some 38 seeds (below);
- focused deterrence: violent crime in the target districts falls (Braga, Weisburd
  & Turchan 2018); city-wide crime does not rise -- a guard: its city-wide fall, -2.4%,
  needs some 30 seeds (below);
- integrated action (youth programme + focused deterrence + anti-corruption):
  crime in the three target districts falls; city-wide crime falls.

The test. Each sign is a one-sided paired t-test at ``ALPHA`` = 0.05 on the
per-seed differences ``alt - base`` (n - 1 degrees of freedom): a fall must have
``mean(d) / (sd(d) / sqrt(n)) < -t(0.95, n - 1)``. "Does not rise" (or "does not
fall") is the same test the other way round, required NOT to reject.

Power (how ``SEEDS`` was chosen). From 16 paired seeds (101-116, 180 days) on today's
model, the mean difference ``m`` and standard deviation ``s`` of each asserted
difference give the replications a one-sided test at alpha 0.05 needs for power 0.8:
``n = ((z_0.95 + z_0.8) s / m)^2 = (2.49 s / m)^2``. Measured (change, n):

    lighting, lit cells         -12.0%, 4      city  -4.2%, 11
    youth, districts             -8.7%, 4      city  -5.8%, 5
    anti-corruption, bribes     -28.5%, 8      legitimacy  +0.2%, 45 (guarded)
    hot spots, 30 cells         -22.5%, 7      city  -2.0%, 36 (guarded)
    procedural justice, area legitimacy vs sham +7.2%, 2    city legitimacy +3.4%, 1
    partnership, business-cell robbery  -15.4%, 3           city  -7.9%, 3
    urban renewal, greened cells  -8.7%, 10    city  -2.2%, 38 (guarded)
    focused deterrence, district violence  -11.2%, 3        city  -2.4%, 30 (guarded)
    integrated action, districts  -18.8%, 2    city  -11.8%, 2

so 12 seeds for every scenario and the baseline (the largest n below 12 is 11, and
the t distribution's heavier tails at small n need one more); the four differences
that would need 30 to 45 are asserted as guards. The two city-wide figures of hot-spot
policing and focused deterrence were re-measured on 48 paired seeds (101-148, 180
days) when the residents' plans moved to the counter-based stream (issue 17): hot
spots -2.0% (95% CI -3.4% to -0.6%; sd of the differences 70.7 crimes on a baseline
of 1,481), focused deterrence -2.4% (-4.0% to -0.9%; sd 79.5). Both fall, but by
less than the -5.3% and -7.2% the sequential stream's seeds 101-116 had shown: that
realisation was a favourable one (the old code's seeds 101-112 gave -4.4% and -7.5%;
the same code with one more draw a day from the plans' stream gave +0.2% and -3.2%),
and a test powered on it passed by luck. The docs' 365-day headlines (-2.9% and
-3.2%, not significant on 8 seeds) already said so. The seeds are 101 and up:
validation seeds, never those the baseline was calibrated on (1-8) or the
interventions' strengths were once tuned on (1000-1007; docs/calibration.md §11,
§13). The runs, 132 of 180 days, take about 5 minutes on two cores; they are shared
by every test here (a module fixture). A sign today's model gets wrong would be
marked ``xfail(strict=True)`` in :data:`XFAIL` with the reason; none is.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from repo_paths import SCENARIOS
from scipy.stats import t as student_t

from sim import Scenario
from sim.analysis.compare import RunJob, run_job
from sim.analysis.executor import make_executor
from sim.analysis.outcome import RunOutcome
from sim.config import ROBBERY

DAYS = 180
START_TICK = 720  # every shipped scenario starts on day 30
SEEDS = tuple(range(101, 113))
ALPHA = 0.05

NAMES = ("street_lighting", "youth_programme", "anti_corruption", "hotspot_policing",
         "procedural_justice", "public_private_partnership", "urban_renewal",
         "focused_deterrence", "integrated_action")
#: The procedural-justice sham: same cells and officers, nothing done (as the calibration's).
PJ_SHAM = {
    "interventions.procedural_justice.coverage": 0.0,
    "interventions.procedural_justice.fair_contact_gain": 0.0,
    "interventions.procedural_justice.contacts": 0,
    "interventions.procedural_justice.home_visits": 0,
    "interventions.procedural_justice.fair_share": 0.0,  # max() with the scenario's: no change
}

pytestmark = pytest.mark.slow

Runs = dict[str, list[RunOutcome]]


def paired_t(base: np.ndarray, alt: np.ndarray) -> float:
    """Paired t statistic of ``alt - base`` (0 when every difference is 0)."""
    d = np.asarray(alt, float) - np.asarray(base, float)
    sd = d.std(ddof=1)
    if sd == 0:
        return 0.0 if d.mean() == 0 else math.copysign(math.inf, d.mean())
    return float(d.mean() / (sd / math.sqrt(d.size)))


def critical(n: int) -> float:
    """One-sided critical t at ``ALPHA`` with n - 1 degrees of freedom."""
    return float(student_t.ppf(1 - ALPHA, n - 1))


def test_paired_t_by_hand() -> None:
    # differences -1, -2, -3: mean -2, sd 1, t = -2 / (1 / sqrt 3) = -3.464
    assert paired_t(np.array([10, 10, 10]), np.array([9, 8, 7])) == pytest.approx(-3.4641, 1e-4)
    assert critical(3) == pytest.approx(2.920, abs=1e-3)  # t(0.95, 2)
    assert paired_t(np.array([1, 2]), np.array([1, 2])) == 0.0


@pytest.fixture(scope="module")
def runs() -> Runs:
    """Base and scenario outcomes per seed, run once for the whole module."""
    base = Scenario.load(SCENARIOS / "baseline.toml")
    scenarios = {"baseline": base} | {n: Scenario.load(SCENARIOS / f"{n}.toml") for n in NAMES}
    scenarios["pj_sham"] = scenarios["procedural_justice"].with_overrides(PJ_SHAM)
    ticks = DAYS * base.params.time.ticks_per_day
    plan = [(label, s) for label in scenarios for s in SEEDS]
    jobs = [RunJob.of(scenarios[label], s, ticks, START_TICK) for label, s in plan]
    out: Runs = {label: [] for label in scenarios}
    for (label, _), outcome in zip(plan, make_executor(2).map(run_job, jobs), strict=True):
        out[label].append(outcome)
    return out


def in_cells(rows: slice | int = slice(None)) -> Callable[[RunOutcome, RunOutcome], float]:
    """Crimes of ``rows`` (crime types) of ``run`` in the treated cells of ``masked``."""
    def measure(run: RunOutcome, masked: RunOutcome) -> float:
        return float(run.crime_map[rows][..., masked.treated].sum())
    return measure


def total(key: str) -> Callable[[RunOutcome, RunOutcome], float]:
    """A metric over the window (flows summed, stocks at the end)."""
    def measure(run: RunOutcome, alt: RunOutcome) -> float:
        return run.totals[key]
    return measure


def extra(key: str) -> Callable[[RunOutcome, RunOutcome], float]:
    """A figure the intervention reports (the run must have the intervention)."""
    def measure(run: RunOutcome, alt: RunOutcome) -> float:
        return run.extras[key]
    return measure


@dataclass(frozen=True)
class Sign:
    """One asserted direction: ``measure`` under ``base`` and ``scenario``."""

    scenario: str
    what: str
    measure: Callable[[RunOutcome, RunOutcome], float]
    direction: str  # "falls", "rises", "does not rise" or "does not fall"
    base: str = "baseline"
    mask_of: str | None = None  # whose treated cells (default: the scenario's)

    @property
    def id(self) -> str:
        return f"{self.scenario}: {self.what} {self.direction}"


VIOLENT = slice(1, None)  # every type but burglary (sim.config order)

SIGNS = [
    Sign("street_lighting", "crime in the lit cells", in_cells(), "falls"),
    Sign("street_lighting", "city-wide crime", total("crimes_total"), "falls"),
    Sign("youth_programme", "crime in the programme's districts", in_cells(), "falls"),
    Sign("youth_programme", "city-wide crime", total("crimes_total"), "falls"),
    Sign("anti_corruption", "bribes taken", total("bribes"), "falls"),
    Sign("anti_corruption", "city-wide mean legitimacy", total("legitimacy_everyone"),
         "does not fall"),
    Sign("hotspot_policing", "crime in the hot spots", in_cells(), "falls"),
    Sign("hotspot_policing", "city-wide crime", total("crimes_total"), "does not rise"),
    Sign("procedural_justice", "legitimacy of the area's residents (vs sham)",
         extra("procedural_justice.legitimacy_area"), "rises", base="pj_sham"),
    Sign("procedural_justice", "city-wide mean legitimacy", total("legitimacy_everyone"),
         "rises"),
    Sign("public_private_partnership", "robbery in the business cells", in_cells(ROBBERY),
         "falls"),
    Sign("public_private_partnership", "city-wide crime", total("crimes_total"), "falls"),
    Sign("urban_renewal", "crime in the greened cells", in_cells(), "falls"),
    Sign("urban_renewal", "city-wide crime", total("crimes_total"), "does not rise"),
    Sign("focused_deterrence", "violent crime in the target districts", in_cells(VIOLENT),
         "falls"),
    Sign("focused_deterrence", "city-wide crime", total("crimes_total"), "does not rise"),
    # The integrated scenario's area is the whole city (anti-corruption audits the whole
    # force): its districts are the youth programme's, the same target on the same city.
    Sign("integrated_action", "crime in the three target districts", in_cells(),
         "falls", mask_of="youth_programme"),
    Sign("integrated_action", "city-wide crime", total("crimes_total"), "falls"),
]


#: Signs today's model gets wrong, with the reason (strict: an unexpected pass fails).
#: Empty since the darkness calibration and 12 seeds (issue 14); kept for the next
#: mechanism change, so that a wrong sign is recorded rather than deleted.
XFAIL: dict[str, str] = {}


def _params(signs: list[Sign]) -> list:
    """Each sign as a test case, strictly expected to fail if it is in :data:`XFAIL`."""
    return [pytest.param(s, id=s.id, marks=pytest.mark.xfail(strict=True, reason=XFAIL[s.id]))
            if s.id in XFAIL else pytest.param(s, id=s.id) for s in signs]


@pytest.mark.parametrize("sign", _params(SIGNS))
def test_shipped_scenario_sign(runs: Runs, sign: Sign) -> None:
    alts = runs[sign.scenario]
    bases = runs[sign.base][:len(alts)]
    masks = runs[sign.mask_of] if sign.mask_of else alts
    b = np.array([sign.measure(base, m) for base, m in zip(bases, masks, strict=True)])
    a = np.array([sign.measure(alt, m) for alt, m in zip(alts, masks, strict=True)])
    t_stat, crit = paired_t(b, a), critical(len(a))
    change = 100.0 * (a.mean() / b.mean() - 1.0) if b.mean() else math.nan
    detail = (f"{sign.id}: base {b.mean():.4g}, scenario {a.mean():.4g} ({change:+.1f}%), "
              f"paired t {t_stat:+.2f} over {len(a)} seeds, one-sided critical {crit:.2f}")
    if sign.direction == "falls":
        assert t_stat < -crit, detail
    elif sign.direction == "rises":
        assert t_stat > crit, detail
    elif sign.direction == "does not rise":
        assert not t_stat > crit, detail
    else:
        assert sign.direction == "does not fall", sign.direction
        assert not t_stat < -crit, detail
