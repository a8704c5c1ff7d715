"""Harm-weighted outcomes and full cost accounting, checked against hand computations.

Expected values come from the published weights (docs/comparison.md: days of the
sentencing guidelines' starting points), the annuity formula and the costs a user
would compute by hand: officers x days x the price of an officer-day.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim
from repo_paths import SCENARIOS

from sim import Scenario
from sim.analysis.compare import run_comparison
from sim.analysis.comparison_files import write_comparison_files
from sim.analysis.comparison_table import format_table
from sim.analysis.cost_account import CostSettings, cost_components
from sim.analysis.effects import effect_rows, find
from sim.analysis.outcome import measure_run
from sim.analysis.stats import paired_change
from sim.config import CRIME_TYPES, EV_TICK, EV_TYPE, EV_VICTIM, GROUPS
from sim.crime.model import CrimeModel

#: The Cambridge CHI days of docs/comparison.md, typed in from the table (not the code).
CHI_DAYS = {"burglary": 30.0, "robbery": 365.0, "assault": 30.0,
            "sexual_violence": 1825.0, "gang_violence": 1460.0}
START_DAY, END_DAY = 4, 12
OFFICER_DAY = 1450.0  # the default of costs.officer_day (docs/comparison.md)


@pytest.fixture(scope="module")
def overrides(small_overrides) -> dict[str, object]:
    """The small city with eight officers, so a quarter of them is two."""
    return dict(small_overrides, **{"police.count": 8})


@pytest.fixture(scope="module")
def hot_spots(overrides):
    base = Scenario.load(SCENARIOS / "baseline.toml").with_overrides(overrides)
    alt = Scenario.load(SCENARIOS / "hotspot_policing.toml").with_overrides(overrides)
    alt = alt.with_overrides({"interventions.hotspot_policing.start_tick": 24 * START_DAY,
                              "interventions.hotspot_policing.coverage": 0.25})
    cmp = run_comparison(base, [alt], reps=2, ticks=24 * END_DAY, seed=31)
    return cmp, effect_rows(cmp)


def test_harm_is_crimes_times_published_weights(hot_spots):
    cmp, rows = hot_spots
    label = cmp.alternatives[0]
    for side, outcomes in (("baseline", cmp.outcomes[cmp.base]),
                           ("value", cmp.outcomes[label])):
        crimes = np.array([[o.totals[f"crimes_{t}"] for t in CRIME_TYPES] for o in outcomes])
        twin = crimes * np.array([CHI_DAYS[t] for t in CRIME_TYPES])
        for i, t in enumerate(CRIME_TYPES):
            row = find(rows, label, "harm", t)
            assert row.unit == "CHI days"
            assert getattr(row, side) == pytest.approx(twin[:, i].mean()), (t, side)
        total = find(rows, label, "harm")
        assert getattr(total, side) == pytest.approx(twin.sum(axis=1).mean())
    prevented = find(rows, label, "harm_prevented")
    total = find(rows, label, "harm")
    assert prevented.value == pytest.approx(total.baseline - total.value)
    assert prevented.value_low <= prevented.value <= prevented.value_high
    for g in GROUPS:
        assert find(rows, label, "harm", "total", group=g) is not None, g


def test_officer_time_and_annualised_setup_by_hand(hot_spots):
    cmp, rows = hot_spots
    label = cmp.alternatives[0]
    officers = 0.25 * 8
    days = END_DAY - START_DAY
    assert find(rows, label, "cost", "officer_time").value == pytest.approx(
        officers * days * OFFICER_DAY)
    # Set-up 1,500 per officer spread as a 5-year annuity at 3.5% a year.
    annuity = 0.035 / (1 - 1.035 ** -5)
    setup = 1500.0 * officers * annuity * days / 365
    assert find(rows, label, "cost", "setup_annualised").value == pytest.approx(setup)
    running = 30.0 * officers * days
    assert find(rows, label, "cost", "running").value == pytest.approx(running)
    total = find(rows, label, "cost", "total")
    assert total.value == pytest.approx(setup + running + officers * days * OFFICER_DAY)
    assert total.unit == "EUR" and total.baseline == 0
    assert find(rows, label, "cost", "public").value == pytest.approx(total.value)
    assert find(rows, label, "cost", "private").value == pytest.approx(0.0)
    for metric in ("cost_per_crime_prevented", "cost_per_harm_prevented"):
        for payer in ("total", "public"):
            assert find(rows, label, metric, payer) is not None, (metric, payer)


def test_table_csv_and_json_carry_harm_and_costs(hot_spots, tmp_path):
    cmp, rows = hot_spots
    text = format_table(cmp, rows)
    assert "costs in EUR, 2024 prices" in text
    assert "harm (CHI days)" in text and "redeployed officers' time" in text
    assert "cost per CHI day prevented" in text
    write_comparison_files(cmp, rows, tmp_path, runtime_s=1.0, workers=1)
    df = pd.read_csv(tmp_path / "comparison.csv")
    harm = df[(df.metric == "harm") & (df.group == "all")]
    assert set(harm.crime_type) == {*CRIME_TYPES, "total"}
    assert set(df[df.metric == "cost"].crime_type) == {
        "total", "public", "private", "setup_annualised", "running", "officer_time"}
    assert {"harm_prevented", "cost_per_harm_prevented"} <= set(df.metric)
    meta = json.loads((tmp_path / "comparison.json").read_text())
    assert meta["currency"] == "EUR" and meta["price_year"] == 2024
    assert meta["horizon_years"] == 5 and meta["officer_day"] == OFFICER_DAY
    assert meta["harm"]["weights"] == CHI_DAYS


def test_group_harm_is_the_recount_of_its_victimisations(overrides):
    sc = Scenario.load(SCENARIOS / "baseline.toml").with_overrides(overrides)
    # No gang violence: its bystanders are victims the event log does not name.
    sc = sc.with_overrides({"offenders.count": 150, "crime.gang_violence.rate": 0.0})
    model = CrimeModel(scenario=sc, rng=5, agent_views=False)
    start = 24 * 2
    # Burglaries come about once a week here: 58 measured days expect about eight, and
    # fewer than two has Poisson probability ~0.3% (a 10-day run often held only one).
    outcome = measure_run(model, 24 * 60, start)
    ev = model.events.array
    sel = (ev[:, EV_TICK] >= start) & (ev[:, EV_VICTIM] >= 0)
    victims, kinds = ev[sel, EV_VICTIM].astype(int), ev[sel, EV_TYPE].astype(int)
    weights = np.array([CHI_DAYS[t] for t in CRIME_TYPES])
    assert sel.sum() > 10 and (kinds == 0).sum() >= 2  # some burglaries among them
    res = model.residents
    for g, mask in model.group_masks().items():
        expected = 0.0
        for v, k in zip(victims, kinds, strict=True):
            if k == 0:  # a burglary: the household's members share its harm equally
                members = np.arange(res.hh_first[v], res.hh_first[v] + res.hh_size[v])
                expected += weights[k] * mask[members].mean()
            elif mask[v]:
                expected += weights[k]
        assert outcome.group_harm(g) == pytest.approx(expected), g
    assert outcome.group_harm("everyone") == pytest.approx(outcome.harm())


def test_partnership_public_and_private_parts(overrides):
    sc = Scenario.load(SCENARIOS / "public_private_partnership.toml").with_overrides(overrides)
    sc = sc.with_overrides({"interventions.public_private_partnership.start_tick": 0,
                            "interventions.public_private_partnership.public_share": 0.3})
    model = CrimeModel(scenario=sc, rng=2, agent_views=False)
    model.run_for(24 * 3)
    account = model.interventions.costs()
    settings = CostSettings(discount_rate=0.0, horizon_years=4.0)
    parts = cost_components(account, settings)
    units, days = account[0]["units"], account[0]["days_active"]
    assert units > 0 and days == 3
    # Straight line: a set-up of 3,000 a cell over 4 years, 3 days of it; 65 a cell a day.
    whole = units * (3000.0 * days / (4 * 365) + 65.0 * days)
    assert parts["total"] == pytest.approx(whole)
    assert parts["public"] + parts["private"] == pytest.approx(parts["total"])
    assert parts["public"] == pytest.approx(0.3 * parts["total"])
    assert parts["officer_time"] == 0


@pytest.mark.parametrize("table, problem", [
    ("[harm.weights]\nrobbery = -5\n", "harm.weights.robbery"),
    ("[harm.weights]\nshoplifting = 3\n", "harm.weights.shoplifting"),
    ("[costs]\nhorizon_years = 0\n", "costs.horizon_years"),
    ("[costs]\nofficer_day = -1\n", "costs.officer_day"),
])
def test_bad_harm_or_cost_keys_exit_2(capsys, tmp_path, table, problem):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n{table}')
    out = tmp_path / "out"
    code, _, err = crimesim(capsys, "run", bad, "--ticks", "2", "--out", out, "--no-progress")
    assert_usage_error(code, err, problem)
    assert not out.exists() or not any(out.iterdir())


def test_percentage_ci_never_below_minus_100(hot_spots):
    """The trial's "-149%": the old interval, diff_low / mean(base), gives -146% here."""
    base = np.array([20.0, 24.0, 18.0, 30.0])  # crimes in four paired replications
    alt = np.array([2.0, 0.0, 9.0, 1.0])
    d = alt - base
    old_low = 100 * (d.mean() - 3.182446 * d.std(ddof=1) / 2) / base.mean()  # t(3) = 3.18
    assert old_low == pytest.approx(-146.5, abs=0.1)
    pc = paired_change(base, alt)
    assert pc.change_pct == pytest.approx(100 * (3 / 23 - 1))
    assert pc.ci_low == -100.0 and -100 < pc.ci_high < 0
    # Every % interval a comparison reports (table, CSV, dashboard) comes from there.
    _, rows = hot_spots
    lows = [r.ci_low for r in rows if math.isfinite(r.ci_low)]
    assert lows and min(lows) >= -100.0
