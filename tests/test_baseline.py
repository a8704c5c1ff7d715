"""The baseline city against victim surveys (docs/evidence.md, docs/calibration.md).

One simulated year of ``scenarios/baseline.toml`` (seeded) must give annual
victimisation prevalence inside the ranges the surveys report for cities, and the group
gradients in the right direction. The ranges come from the evidence -- national versus
main-city rates, different surveys and age bands -- not from a fitted run: each is far
wider than the sampling error of a year of 30,000 residents (e.g. ~15,000 women at
p = 3% gives a standard error of 0.14 points), so a pass or a fail is about the model,
not the seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import CrimeModel, Scenario
from sim.config import DOMESTIC_OFFENDER

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def year() -> dict:
    sc = Scenario.load(ROOT / "scenarios/baseline.toml")
    model = CrimeModel(scenario=sc, rng=2024, agent_views=False)
    model.run_for(365 * 24)
    assert len(model.yearly_prevalence) == 0  # the year closes at the next midnight
    model.run_for(1)
    survey = model.yearly_prevalence[0]
    return {"model": model, "groups": survey["groups"],
            "households": survey["households_burgled"]}


def pct(year: dict, group: str, crime: str) -> float:
    return 100.0 * year["groups"][group][crime]


def test_the_city_is_mid_size():
    p = Scenario.load(ROOT / "scenarios/baseline.toml").params
    assert p.city.width * p.city.height >= 90 * 90
    assert 10_000 <= p.residents.count <= 99_999


def test_household_burglary_in_survey_range(year):
    # ICVS 2004-05: 1.8% of households burgled in a year (European average).
    assert 0.9 <= 100 * year["households"] <= 3.6


def test_robbery_in_city_range(year):
    # ICVS: robbery 1.0% nationally, 2.4% in main cities.
    assert 1.0 <= pct(year, "everyone", "robbery") <= 4.0


def test_sexual_violence_women_far_above_men(year):
    # CSEW 2017: 3.1% of women vs 0.8% of men aged 16-59.
    women = pct(year, "women_and_girls", "sexual_violence")
    men = pct(year, "men_and_boys", "sexual_violence")
    assert 1.5 <= women <= 6.0
    assert 0.2 <= men <= 1.6
    assert women > 2.5 * men


def test_assault_falls_steeply_with_age(year):
    # Australia 2005: 9.9% at 15-19 vs 0.8% at 65+ (our youth are 10-24).
    youth = pct(year, "youth", "assault")
    elderly = pct(year, "elderly", "assault")
    assert 4.0 <= youth <= 15.0
    assert elderly <= 2.0
    assert youth > 5 * elderly


def test_youth_robbed_more_than_elderly(year):
    assert pct(year, "youth", "robbery") > 2 * pct(year, "elderly", "robbery")


def test_overall_prevalence_below_ten_crime_icvs_figure(year):
    # 16% of people were victims of at least one of ten ICVS crimes; we model five.
    overall = pct(year, "everyone", "any")
    assert 4.0 <= overall < 16.0


def test_marginalised_victimised_more(year):
    assert pct(year, "marginalised", "any") > 1.2 * pct(year, "everyone", "any")


def test_offender_population_stays_near_its_start(year):
    # Recruitment balances desistance and jail: no runaway growth or collapse. Domestic
    # abusers hold their slots all run (free or jailed), outside these flows.
    model = year["model"]
    df = model.results.to_frame()
    abusers = int((model.offenders.kind == DOMESTIC_OFFENDER).sum())
    pool = df["offenders_free"] + df["offenders_jailed"] - abusers
    start = Scenario.load(ROOT / "scenarios/baseline.toml").params.offenders.count
    assert 0.7 * start <= pool.iloc[-1] <= 1.4 * start


def test_reporting_below_half(year):
    # The dark figure: most crime goes unreported (sexual violence: 83% unreported).
    totals = year["model"].results.totals()
    share = totals["reported_crimes"] / totals["crimes_total"]
    assert 0.25 <= share <= 0.6
