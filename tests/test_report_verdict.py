"""The brief's verdict sentences, from rows built by hand (sim.report.verdict)."""

from __future__ import annotations

import math

from sim.analysis.effects import Row
from sim.report.verdict import (
    change_phrase,
    cost_phrase,
    displacement_phrase,
    group_cell,
    group_verdict,
    headline,
)

NAN = math.nan


def change(pct, lo, hi, *, diff=NAN, dlo=NAN, dhi=NAN, n=5, metric="crimes", group="all",
           kind="total", label="lights") -> Row:
    return Row(label, metric, kind, group, "city", "crimes", 100.0, 100.0 + pct, diff, dlo,
               dhi, pct, lo, hi, n=n)


def test_a_significant_fall_and_rise():
    assert change_phrase(change(-12.0, -19.0, -5.0), "crime") == (
        "reduces crime by 12% (95% CI 5-19%)")
    assert change_phrase(change(8.0, 2.0, 14.0), "crime") == (
        "increases crime by 8% (95% CI 2-14%)")


def test_a_non_significant_change_says_how_many_replications_would_resolve_it():
    # diff -3, 95% CI -9 to +3 (half-width 6) with 5 replications:
    # sd = 6 / t(0.975, 4) * sqrt(5) = 6 / 2.776445 * 2.236068 = 4.8322;
    # normal n = ((1.959964 + 0.841621) * 4.8322 / 3)^2 = 4.5126^2 = 20.36 -> 21;
    # the smallest n >= 21 meeting the t formula (tables): n 21, df 20:
    # ((2.085963 + 0.859964) * 1.61073)^2 = 22.52 > 21; n 22: 22.41 > 22;
    # n 23, df 22: ((2.073873 + 0.858266) * 1.61073)^2 = 22.31 <= 23 -> 23
    row = change(-3.0, -9.0, 3.0, diff=-3.0, dlo=-9.0, dhi=3.0)
    assert change_phrase(row, "crime") == (
        "no detectable effect on crime at this number of replications (5); about 23 "
        "replications would detect a change of this size (-3.0%)")


def test_an_effect_about_zero_has_no_practical_number():
    row = change(0.01, -5.0, 5.0, diff=0.01, dlo=-5.0, dhi=5.0)
    assert "is about zero: no practical number of replications" in change_phrase(row, "crime")


def test_significance_falls_back_to_the_difference_when_the_percentage_ci_is_unbounded():
    row = change(-20.0, NAN, NAN, diff=-20.0, dlo=-30.0, dhi=-10.0)
    assert change_phrase(row, "crime") == (
        "reduces crime by 20% (95% CI of the percentage unbounded)")


def cost(value, lo, hi, note="") -> Row:
    return Row("lights", "cost_per_crime_prevented", "total", "all", "city", "EUR per crime",
               NAN, value, value_low=lo, value_high=hi, n=5, note=note)


def test_cost_per_crime_prevented_with_a_bounded_and_an_unbounded_ci():
    assert cost_phrase(cost(9300.0, 5000.0, 21000.0)) == (
        "9,300 EUR per crime prevented (95% CI 5,000-21,000)")
    unbounded = cost(9300.0, NAN, NAN, "CI unbounded (crimes prevented not significant)")
    assert cost_phrase(unbounded) == ("9,300 EUR per crime prevented (CI unbounded: the "
                                      "crimes prevented are not significant)")
    none = cost(NAN, NAN, NAN, "n/a: no crimes prevented")
    assert cost_phrase(none) == "no cost per crime prevented: no crimes prevented"


def wdq(value, lo, hi, note) -> Row:
    return Row("lights", "wdq", "total", "all", "treated", "ratio", NAN, value,
               value_low=lo, value_high=hi, n=5, note=note)


def test_displacement_wording_from_the_wdq_note():
    assert displacement_phrase(wdq(0.4, -0.2, 1.1, "diffusion of benefits at the estimate; CI "
                                   "includes 0 (no clear displacement or diffusion)")) == (
        "no evidence of displacement (WDQ +0.40, 95% CI -0.20 to +1.10)")
    assert displacement_phrase(wdq(0.5, 0.2, 0.9, "diffusion of benefits")).startswith(
        "crime also fell around the treated area (diffusion of benefits)")
    assert displacement_phrase(wdq(-0.3, -0.6, -0.1, "displacement smaller than the benefit")
                               ).startswith("some crime moved next door, less than was prevented")
    assert displacement_phrase(wdq(-1.6, -2.5, -1.1, "displacement exceeds the benefit")
                               ).startswith("more crime moved next door than was prevented")
    assert displacement_phrase(wdq(NAN, NAN, NAN, "n/a: no crime in the control area")) == (
        "displacement not measurable (no crime in the control area)")
    assert displacement_phrase(None) == "displacement not measured"


def test_the_headline_joins_crime_harm_displacement_and_cost():
    rows = [change(-12.0, -19.0, -5.0),
            Row("lights", "harm", "total", "all", "city", "harm", 500.0, 420.0, -80.0, -120.0,
                -40.0, -16.0, -24.0, -8.0, n=5),
            wdq(0.5, 0.2, 0.9, "diffusion of benefits"), cost(9300.0, 5000.0, 21000.0)]
    assert headline(rows, "lights") == (
        "lights: reduces crime by 12% (95% CI 5-19%); reduces crime harm by 16% (95% CI "
        "8-24%); crime also fell around the treated area (diffusion of benefits) (WDQ "
        "+0.50, 95% CI +0.20 to +0.90); 9,300 EUR per crime prevented (95% CI 5,000-21,000).")


def test_group_sentence_and_cell_name_significance_in_words():
    row = change(-12.0, -19.0, -5.0, metric="prevalence", kind="any", group="women_and_girls")
    assert group_verdict([row], "lights", "women_and_girls") == (
        "Reduces the share of women and girls victimised by 12% (95% CI 5-19%).")
    assert group_cell(row) == ("-12.0% (-19.0 to -5.0%)", "significant fall")
    flat = change(1.0, -4.0, 6.0, diff=0.1, dlo=-0.4, dhi=0.6, metric="prevalence", kind="any")
    assert group_cell(flat)[1] == "no detectable change"
    assert group_cell(None) == ("n/a", "not measured")


def test_a_zero_baseline_has_no_percentage():
    row = Row("lights", "prevalence", "any", "elderly", "city", "%", 0.0, 0.1, 0.1, -0.2, 0.4,
              n=2)
    assert group_verdict([row], "lights", "elderly") == (
        "The share of elderly people victimised: no percentage change (none in the base runs).")
    assert group_cell(row) == ("n/a", "none victimised in the base runs")
