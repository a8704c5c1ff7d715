"""Scenario comparison: common random numbers, a real effect, executors, outputs."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import Scenario
from sim.analysis.compare import run_comparison
from sim.analysis.comparison_table import format_table, write_csv
from sim.analysis.effects import COLUMNS, FOCUS_GROUPS, effect_rows, find, rows_frame
from sim.analysis.executor import InProcessExecutor, ProcessExecutor
from sim.analysis.figures import write_figures
from sim.config import CRIME_TYPES, GROUPS

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
#: A strong synthetic lighting scheme: every cell of a 20 x 20 centre fully lit from
#: day 5, and A0 halved there (community pride at its most optimistic).
STRONG_LIGHTING = {
    "interventions.street_lighting.start_tick": 24 * 5,
    "interventions.street_lighting.target.top_k": 0,
    "interventions.street_lighting.target.rect": [10, 10, 30, 30],
    "interventions.street_lighting.lighting": 1.0,
    "interventions.street_lighting.pride_effect": 0.5,
}
TICKS = 24 * 45


@pytest.fixture(scope="module")
def overrides(small_overrides) -> dict[str, object]:
    """The small city with twice the offenders, so 40 days hold enough crime to measure."""
    return dict(small_overrides, **{"offenders.count": 120})


@pytest.fixture(scope="module")
def base(overrides) -> Scenario:
    return Scenario.load(SCENARIOS / "baseline.toml").with_overrides(overrides)


@pytest.fixture(scope="module")
def lit(overrides) -> Scenario:
    sc = Scenario.load(SCENARIOS / "street_lighting.toml").with_overrides(overrides)
    return sc.with_overrides(STRONG_LIGHTING)


@pytest.fixture(scope="module")
def comparison(base, lit):
    return run_comparison(base, [lit], reps=5, ticks=TICKS, seed=200)


@pytest.fixture(scope="module")
def rows(comparison):
    return effect_rows(comparison)


# --- common random numbers -------------------------------------------------------------
def test_scenario_against_itself_gives_exactly_zero(lit):
    cmp = run_comparison(lit, [lit], reps=2, ticks=24 * 12, seed=5)
    rows = effect_rows(cmp)
    label = cmp.alternatives[0]
    assert label != cmp.base  # same name, told apart
    paired = [r for r in rows if r.metric not in (
        "wdq", "cost_per_crime_prevented", "crimes_prevented", "harm_prevented",
        "cost_per_harm_prevented")]
    assert len(paired) > 50
    for r in paired:
        assert r.diff == 0.0 and r.diff_low == 0.0 and r.diff_high == 0.0, r
        assert r.baseline == r.value, r
    for r in rows:
        if r.metric in ("crimes_prevented", "harm_prevented"):
            assert r.value == 0.0 and r.value_low == 0.0 and r.value_high == 0.0
    assert math.isnan(find(rows, label, "wdq", area="treated").value)
    per = find(rows, label, "cost_per_crime_prevented")
    assert math.isnan(per.value) and "no crimes prevented" in per.note
    for b, a in zip(cmp.outcomes[cmp.base], cmp.outcomes[label], strict=True):
        np.testing.assert_array_equal(b.crime_map, a.crime_map)


def test_replications_use_consecutive_seeds(comparison):
    assert comparison.seeds == [200, 201, 202, 203, 204]
    for label in (comparison.base, *comparison.alternatives):
        assert [o.seed for o in comparison.outcomes[label]] == comparison.seeds
    assert comparison.start_tick == 24 * 5  # the first intervention start
    assert all(o.start_tick == 24 * 5 for o in comparison.outcomes[comparison.base])


def test_paired_runs_differ_only_after_the_start(comparison):
    # Same seed, same city and plans: before day 5 both runs are identical, so the
    # base and the alternative have the same treated-area history up to the window.
    b = comparison.outcomes[comparison.base][0]
    a = comparison.outcomes[comparison.alternatives[0]][0]
    assert b.width == a.width and b.height == a.height
    assert b.treated is None and a.treated is not None and a.treated.sum() == 400
    assert not np.array_equal(b.crime_map, a.crime_map)


# --- a real effect ------------------------------------------------------------------------
def test_strong_lighting_lowers_crime_in_the_treated_area(comparison, rows):
    label = comparison.alternatives[0]
    treated = find(rows, label, "crimes", area="treated")
    # Paired runs, 5 replications: the whole CI lies below zero.
    assert treated.change_pct < -30
    assert treated.ci_high < 0
    assert treated.diff_high < 0
    # City-wide the effect is diluted and, with fear of crime on, less tightly paired
    # (lighting eases fear, which changes who is out, so the two runs' draws part
    # sooner): five replications cannot sign it, but the treated area falls more.
    total = find(rows, label, "crimes")
    assert treated.change_pct < total.change_pct
    assert total.ci_low < total.change_pct < total.ci_high


def test_rows_cover_every_metric_and_group(comparison, rows):
    label = comparison.alternatives[0]
    for t in (*CRIME_TYPES, "total"):
        assert find(rows, label, "crimes", t) is not None, t
    for g in GROUPS:
        assert find(rows, label, "legitimacy", group=g) is not None, g
        for kind in ("any", *CRIME_TYPES):
            assert find(rows, label, "prevalence", kind, group=g) is not None, (g, kind)
    for metric in ("reported_crimes", "arrests", "cost", "crimes_prevented",
                   "cost_per_crime_prevented"):
        assert find(rows, label, metric) is not None, metric
    for area in ("treated", "buffer", "control"):
        assert find(rows, label, "crimes", area=area) is not None, area
    assert find(rows, label, "crimes_prevented", area="treated+buffer") is not None


def test_areas_partition_the_city(comparison, rows):
    label = comparison.alternatives[0]
    parts = [find(rows, label, "crimes", area=a) for a in ("treated", "buffer", "control")]
    city = find(rows, label, "crimes")
    assert sum(p.baseline for p in parts) == pytest.approx(city.baseline)
    assert sum(p.value for p in parts) == pytest.approx(city.value)
    cells = [int(p.note.split()[0]) for p in parts]
    assert cells[0] == 400 and sum(cells) == 40 * 40
    # 20 x 20 square with a 6-cell (300 m) Euclidean ring, inside the 40 x 40 grid:
    # four 20 x 6 strips, plus at each corner the 22 cells with dx, dy >= 1 and
    # dx^2 + dy^2 <= 36 (5 + 5 + 5 + 4 + 3 for dx = 1..5) -- not the 32 x 32 - 400
    # of a square window.
    assert cells[1] == 4 * 20 * 6 + 4 * 22



def test_ring_is_the_requested_metres(comparison):
    # 300 m of 50 m cells is 6 cells exactly; a ring that is not a whole number of
    # cells keeps its metres (no rounding), and the table names both.
    assert comparison.ring == 6 and comparison.ring_m == 300
    label = comparison.alternatives[0]
    assert "buffer ring 300 m = 6 cells" in format_table(comparison, effect_rows(comparison))
    odd = replace(comparison, ring=5.6, ring_m=280.0)
    cells = int(find(effect_rows(odd), label, "crimes", area="buffer").note.split()[0])
    # Side strips 5 deep; corners: dx, dy >= 1 with dx^2 + dy^2 <= 31.36, i.e.
    # 5 + 5 + 4 + 3 + 2 = 19 cells (dx = 1..5).
    assert cells == 4 * 20 * 5 + 4 * 19
    assert "buffer ring 280 m = 5.6 cells" in format_table(odd, effect_rows(odd))

def test_net_effect_and_cost_per_crime(comparison, rows):
    label = comparison.alternatives[0]
    base, alt = comparison.outcomes[comparison.base], comparison.outcomes[label]
    net = find(rows, label, "crimes_prevented", area="treated+buffer")
    parts = [find(rows, label, "crimes", area=a) for a in ("treated", "buffer")]
    assert net.value == pytest.approx(-sum(p.diff for p in parts))
    prevented = np.mean([b.totals["crimes_total"] - a.totals["crimes_total"]
                         for b, a in zip(base, alt, strict=True)])
    cost = find(rows, label, "cost")
    assert cost.baseline == 0 and cost.value > 0 and cost.unit == "EUR"
    per = find(rows, label, "cost_per_crime_prevented")
    if prevented > 0:
        assert per.value == pytest.approx(cost.value / prevented)
    else:  # city-wide the five pairs need not show crimes prevented (see above)
        assert math.isnan(per.value) and per.note == "n/a: no crimes prevented"


def test_wdq_row_is_the_ratio_of_mean_terms(comparison, rows):
    from sim.analysis.effects import area_pairs

    label = comparison.alternatives[0]
    terms = np.array([p.terms() for p in area_pairs(comparison, label)])
    row = find(rows, label, "wdq", area="treated")
    assert row.value == pytest.approx(terms[:, 0].mean() / terms[:, 1].mean())
    assert row.note  # a reading, or why it is n/a


# --- executors ------------------------------------------------------------------------------
def test_process_executor_gives_identical_results(base, lit):
    kw = dict(reps=2, ticks=24 * 10, seed=7)
    here = run_comparison(base, [lit], executor=InProcessExecutor(), **kw)
    pool = run_comparison(base, [lit], executor=ProcessExecutor(2), **kw)
    for label in (here.base, *here.alternatives):
        for a, b in zip(here.outcomes[label], pool.outcomes[label], strict=True):
            assert a.seed == b.seed
            np.testing.assert_array_equal(a.crime_map, b.crime_map)
            np.testing.assert_array_equal(a.reported_map, b.reported_map)
            assert a.totals == b.totals and a.prevalence == b.prevalence
    pd.testing.assert_frame_equal(rows_frame(effect_rows(here)), rows_frame(effect_rows(pool)))


def test_progress_callback_sees_every_job(base, lit):
    seen: list[int] = []
    run_comparison(base, [lit], reps=2, ticks=24 * 6, on_done=seen.append)
    assert sorted(seen) == [0, 1, 2, 3]


def test_bad_requests(base, lit):
    from sim.scenario import ScenarioError

    with pytest.raises(ValueError, match="2 replications"):
        run_comparison(base, [lit], reps=1, ticks=TICKS)
    with pytest.raises(ScenarioError, match="run longer"):
        run_comparison(base, [lit], reps=2, ticks=24 * 5)  # window would be empty
    with pytest.raises(ScenarioError, match="30 x 40 city differs"):
        run_comparison(base, [lit.with_overrides({"city.width": 30})], reps=2, ticks=TICKS)


# --- outputs -----------------------------------------------------------------------------
def test_csv_is_tidy(comparison, rows, tmp_path):
    path = write_csv(rows, tmp_path / "comparison.csv")
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert list(df.columns) == list(COLUMNS)
    for col in ("scenario", "metric", "group", "baseline", "value", "change_pct",
                "ci_low", "ci_high"):
        assert col in df.columns
    assert len(df) == len(rows)
    assert not df.duplicated(["scenario", "metric", "crime_type", "group", "area"]).any()
    total = df[(df.metric == "crimes") & (df.crime_type == "total") & (df.area == "city")]
    assert len(total) == 1
    row = find(rows, comparison.alternatives[0], "crimes")
    assert total.baseline.iloc[0] == pytest.approx(row.baseline, rel=1e-5)
    assert total.change_pct.iloc[0] == pytest.approx(row.change_pct, rel=1e-5)
    prev = df[(df.metric == "prevalence") & (df.crime_type == "any")]
    assert set(FOCUS_GROUPS) <= set(prev.group)
    # A group too rarely victimised for a bounded ratio interval has NaN bounds and a
    # note saying why (Fieller: sim.analysis.stats.paired_change); the rest bracket it.
    unbounded = prev.ci_low.isna()
    assert (prev[unbounded].note.str.contains("unbounded")).all()
    bounded = prev[~unbounded]
    assert len(bounded) >= len(prev) - 1
    assert (bounded.ci_low <= bounded.change_pct).all()
    assert (bounded.change_pct <= bounded.ci_high).all()


def test_table_reads_well(comparison, rows):
    text = format_table(comparison, rows)
    label = comparison.alternatives[0]
    assert f"{label} vs {comparison.base}" in text
    for word in ("burglary", "women and girls", "elderly", "marginalised", "youth", "WDQ",
                 "buffer ring", "cost per crime prevented", "95% CI", "5 replications"):
        assert word in text, word
    assert "nan" not in text.lower()


def test_figures_are_pngs(comparison, rows, tmp_path):
    paths = write_figures(comparison, rows, tmp_path)
    names = sorted(p.name for p in paths)
    assert names == ["change_map_street_lighting.png", "effects.png"]
    for p in paths:
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_city_wide_intervention_has_no_wdq(base, lit):
    # No target at all treats every cell: nowhere for crime to be displaced to.
    everywhere = lit.with_overrides({"interventions.street_lighting.target.rect": []})
    cmp = run_comparison(base, [everywhere], reps=2, ticks=24 * 8, seed=1)
    rows = effect_rows(cmp)
    label = cmp.alternatives[0]
    assert cmp.outcomes[label][0].treated.all()
    wdq = find(rows, label, "wdq", area="treated")
    assert math.isnan(wdq.value) and "city-wide" in wdq.note
    assert find(rows, label, "crimes", area="buffer") is None
    assert "where crime moved: n/a (city-wide" in format_table(cmp, rows)


def test_intervention_figures_become_rows_with_a_mean_and_ci():
    from sim.analysis.effects import intervention_rows
    from sim.analysis.outcome import RunOutcome

    def outcome(extras):
        z = np.zeros((5, 4))
        return RunOutcome("alt", 0, 0, 10, 2, 2, z, z, {}, {}, extras=extras)

    alt = [outcome({"yp.participants": v, "yp.crimes": c})
           for v, c in ((100, 4), (110, 6), (90, 5))]
    rows = {r.crime_type: r for r in intervention_rows("alt", alt)}
    assert set(rows) == {"yp.participants", "yp.crimes"}
    r = rows["yp.participants"]
    assert r.metric == "intervention_figure" and r.value == 100 and r.n == 3
    half = 4.302653 * 10 / np.sqrt(3)  # t(0.975, 2) to six figures, * sd / sqrt(n)
    assert r.value_low == pytest.approx(100 - half) and r.value_high == pytest.approx(100 + half)
    assert np.isnan(r.baseline) and np.isnan(r.change_pct)


def test_cost_per_crime_prevented_is_cost_over_crimes_prevented(comparison):
    """The ratio when crimes were prevented: the alternative's runs given 30 fewer
    crimes each by hand, so the mean prevented is known exactly."""
    import copy

    from sim.analysis.effects import cost_rows

    label = comparison.alternatives[0]
    cmp = copy.copy(comparison)
    cmp.outcomes = dict(comparison.outcomes)
    base = cmp.outcomes[cmp.base]
    fewer = []
    for b, a in zip(base, cmp.outcomes[label], strict=True):
        a2 = copy.copy(a)
        a2.totals = {**a.totals, "crimes_total": b.totals["crimes_total"] - 30.0}
        fewer.append(a2)
    cmp.outcomes[label] = fewer
    rows = cost_rows(cmp, label)
    per = find(rows, label, "cost_per_crime_prevented")
    cost = find(rows, label, "cost")
    assert per.value == pytest.approx(cost.value / 30.0)
