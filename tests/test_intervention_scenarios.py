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
  legitimacy rises city-wide (a corrupt officer's contact costs trust, ODD §7.13);
- hot-spot policing: crime in the hot spots falls (Braga et al. 2019); city-wide
  crime does not rise (diffusion of benefits is more common than displacement;
  Braga & Weisburd 2020) -- a guard against displacement exceeding the benefit, not
  a powered test of a fall;
- procedural justice: legitimacy of the target area's residents rises against a
  sham (the same scenario with nothing changed: same cells), and mean legitimacy rises
  city-wide (Mazerolle et al. 2013: direction only);
- public-private partnership: robbery in the business cells falls (MacDonald et al.
  2010); city-wide crime falls;
- urban renewal: crime in the greened cells falls (Branas et al. 2018); city-wide
  crime falls;
- focused deterrence: violent crime in the target districts falls (Braga, Weisburd
  & Turchan 2018); city-wide crime falls;
- integrated action (youth programme + focused deterrence + anti-corruption):
  crime in the three target districts falls; city-wide crime falls.

The test. Each sign is a one-sided paired t-test at ``ALPHA`` = 0.05 on the
per-seed differences ``alt - base`` (n - 1 degrees of freedom): a fall must have
``mean(d) / (sd(d) / sqrt(n)) < -t(0.95, n - 1)``. "Does not rise" is the same test
the other way round, required NOT to reject.

Power (how ``SEEDS`` was chosen). From 4 paired seeds (1-4, 180 days) the measured
mean difference ``m`` and standard deviation ``s`` of each asserted difference give the
replications a one-sided test at alpha 0.05 needs for power 0.8:
``n = ((z_0.95 + z_0.8) s / m)^2 = (2.49 s / m)^2``, plus one or two for the t
distribution's heavier tails at small n. Measured (m, s, n):

    lighting, lit cells        -75, 29  -> 1       city  -120, 58  -> 2
    youth, districts           -57, 24  -> 2       city   -87, 76  -> 5
    anti-corruption, bribes    -5.8, 2.6 -> 2      legitimacy  +0.001, 0.0004 -> 2
    hot spots, 30 cells        -16, 16  -> 6-8 (a few outlying seeds: 12 are run)
    procedural justice, area legitimacy vs sham, +7%: t = 9 at n = 4 -> 2
    partnership, robbery in business cells  -72, 69 -> 6      city  -105, 105 -> 6
    urban renewal, greened cells  -62, 29 -> 2       city   -89, 94 -> 7
    focused deterrence, violent in districts -59, 36 -> 2  city -116, 85 -> 3
    integrated action, districts and city  t > 5 at n = 4 -> 2

so 8 seeds for every scenario and 12 for hot-spot policing (and the baseline). The
seeds are 101 and up: validation seeds, never those the baseline was calibrated on
(1-8) or the interventions' strengths tuned on (1000-1007; docs/calibration.md §11,
§13). The runs, 104 of 180 days, take about 4 minutes on two cores; they are shared
by every test here (a module fixture). A sign today's model gets wrong is marked
``xfail(strict=True)`` with the reason, for the lead engineer.
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
SEEDS = tuple(range(101, 109))
#: Hot-spot policing's 30 cells hold about 60 crimes in the window: more seeds.
HOTSPOT_SEEDS = tuple(range(101, 113))
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
    plan = [(label, s) for label in scenarios
            for s in (HOTSPOT_SEEDS if label in ("baseline", "hotspot_policing") else SEEDS)]
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
    direction: str  # "falls", "rises" or "does not rise"
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
    Sign("anti_corruption", "city-wide mean legitimacy", total("legitimacy_everyone"), "rises"),
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
    Sign("urban_renewal", "city-wide crime", total("crimes_total"), "falls"),
    Sign("focused_deterrence", "violent crime in the target districts", in_cells(VIOLENT),
         "falls"),
    Sign("focused_deterrence", "city-wide crime", total("crimes_total"), "falls"),
    # The integrated scenario's area is the whole city (anti-corruption audits the whole
    # force): its districts are the youth programme's, the same target on the same city.
    Sign("integrated_action", "crime in the three target districts", in_cells(),
         "falls", mask_of="youth_programme"),
    Sign("integrated_action", "city-wide crime", total("crimes_total"), "falls"),
]


#: Signs today's model gets wrong, with the reason (strict: an unexpected pass fails).
XFAIL = {
    "street_lighting: city-wide crime falls": (
        "issue 14: with the tuned day-time pride effect removed, lighting acts at night "
        "in 150 cells only; seeds 101-108, 180 days: city -1.9%, paired t -0.86"),
    "urban_renewal: city-wide crime falls": (
        "issue 14: disorder_reduction is now an untuned assumption (0.5, was tuned 0.75); "
        "seeds 101-108, 180 days: city -1.4%, paired t -1.04"),
}


#: Signs right but not significant at the documented doses of issue 14 (180 days, seeds
#: 101-112; measured before the merge of the recalibrated rates): hot spots -11.3%, t
#: -1.49 (12 seeds; 8 x 365 days give -20.7% [-28.1, -10.4]); focused deterrence's area
#: violence -7.6%, t -1.81, and city-wide crime -3.8%, t -1.83 (critical 1.89). Not
#: strict: a borderline t may pass on another model state.
UNDERPOWERED = {
    "hotspot_policing: crime in the hot spots falls": "3 officers (the Minneapolis dose) "
    "on 30 cells: about 45 crimes per run in 150 days, too few for 12 seeds",
    "focused_deterrence: violent crime in the target districts falls": "warning through "
    "perceived risk (assumed 0.5) fades; -7.6% is below this test's power",
    "focused_deterrence: city-wide crime falls": "-3.8% city-wide is below this test's power",
    "anti_corruption: city-wide mean legitimacy rises": "at New York's integrity-testing "
    "rate (0.044 tests per officer a year) few corrupt officers are caught: +0.2%, paired t "
    "+1.18 on seeds 101-108 (critical 1.89), after the issue-14 merge",
}


def _params(signs: list[Sign]) -> list:
    """Strict xfail for a wrong sign, non-strict for a right but underpowered one."""
    out = []
    for s in signs:
        if s.id in XFAIL:
            out.append(pytest.param(s, id=s.id, marks=pytest.mark.xfail(
                strict=True, reason=XFAIL[s.id])))
        elif s.id in UNDERPOWERED:
            out.append(pytest.param(s, id=s.id, marks=pytest.mark.xfail(
                strict=False, reason=UNDERPOWERED[s.id])))
        else:
            out.append(pytest.param(s, id=s.id))
    return out


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
    else:
        assert not t_stat > crit, detail
