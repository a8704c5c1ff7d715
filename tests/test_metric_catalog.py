"""Metrics are declared once: the recorder, sweeps, outcomes and docs follow the catalog."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim import CivilViolenceModel, CrimeModel
from sim.analysis import outcome
from sim.analysis.sweep import metrics as sweep_metrics
from sim.analysis.sweep.labels import metric_name, over_time_label
from sim.analysis.sweep.plots import label
from sim.civil_violence import model as cv_model
from sim.config import CRIME_TYPES, FREE, GROUPS, JAILED
from sim.metrics.catalog import (
    CIVIL_VIOLENCE_METRICS,
    CRIME_METRICS,
    CRIME_RUN_MEASURES,
    FAMILIES,
    Metric,
    lookup,
    markdown_table,
    members,
    names,
)
from sim.metrics.recorder import COLUMN, INTEGER_METRICS, METRICS, MetricsRecorder

ROOT = Path(__file__).resolve().parents[1]
KINDS = {m.name: m.kind for m in CRIME_METRICS + CRIME_RUN_MEASURES}


@pytest.fixture(scope="module")
def crime_run(small_scenario):
    model = CrimeModel(scenario=small_scenario.with_overrides({"metrics.event_log": True}),
                       rng=3, agent_views=False)
    model.run_for(24 * 3)
    return model


def test_every_metric_is_declared_with_unit_help_and_label():
    for family, declared in FAMILIES.items():
        assert len(set(names(declared))) == len(declared), family
        for m in declared:
            assert m.unit and m.help and m.label, m
            assert m.kind in ("flow", "stock", "clock", "run"), m
            assert m.dtype in ("int64", "float64"), m


def test_a_declaration_needs_a_known_kind_dtype_and_text():
    with pytest.raises(ValueError, match="kind"):
        Metric("x", "level", "int64", "u", "help", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dtype"):
        Metric("x", "flow", "int32", "u", "help", "x")
    with pytest.raises(ValueError, match="required"):
        Metric("x", "flow", "int64", "", "help", "x")


def test_families_expand_over_crime_types_and_groups():
    assert [n for n in METRICS if n.startswith("crimes_") and n != "crimes_total"] == [
        f"crimes_{t}" for t in CRIME_TYPES]
    for prefix in ("victimisations_", "legitimacy_"):
        assert [n for n in METRICS if n.startswith(prefix)] == [f"{prefix}{g}" for g in GROUPS]
    assert {m.family for m in CRIME_METRICS if m.name.startswith("legitimacy_")} == {
        "legitimacy_<group>"}
    assert [m.label for m in members("crimes_<type>")] == [
        f"{t.replace('_', ' ')} crimes" for t in CRIME_TYPES]
    assert names(members("prevalence_<group>")) == tuple(f"prevalence_{g}" for g in GROUPS)
    with pytest.raises(KeyError, match="no metric family"):
        members("crimes_<group>")


def test_recorder_columns_and_dtypes_are_the_declared_ones(crime_run):
    frame = crime_run.results.to_frame()
    assert list(frame.columns) == ["tick", *names(CRIME_METRICS)]
    for m in CRIME_METRICS:
        assert frame[m.name].dtype == np.dtype(m.dtype), m.name
    assert names(CRIME_METRICS) == METRICS
    assert {n: i for i, n in enumerate(METRICS)} == COLUMN
    assert {m.name for m in CRIME_METRICS if m.dtype == "int64"} == INTEGER_METRICS


def test_civil_violence_columns_and_dtypes_are_the_declared_ones():
    model = CivilViolenceModel(rng=1)
    model.run_for(5)
    frame = model.results.to_frame()
    assert list(frame.columns) == ["tick", *names(CIVIL_VIOLENCE_METRICS)]
    for m in CIVIL_VIOLENCE_METRICS:
        assert frame[m.name].dtype == np.dtype(m.dtype), m.name
    assert names(CIVIL_VIOLENCE_METRICS) == cv_model.METRICS
    assert model.results.totals() == {n: int(frame[n].sum()) for n in ("arrests", "extortions")}


def test_kinds_say_what_the_columns_are(crime_run):
    """Flows add up to the run's events; stocks are the state at the end of the tick."""
    model = crime_run
    frame = model.results.to_frame()
    events = model.events.array
    assert KINDS["crimes_total"] == "flow" and frame["crimes_total"].sum() == len(events)
    assert KINDS["offenders_free"] == KINDS["offenders_jailed"] == "stock"
    state = model.offenders.state
    assert frame["offenders_free"].iloc[-1] == np.sum(state == FREE)
    assert frame["offenders_jailed"].iloc[-1] == np.sum(state == JAILED)
    assert KINDS["legitimacy_everyone"] == "stock"
    # Legitimacy is measured at midnight and carried through the day: read, never summed.
    assert frame.groupby("day")["legitimacy_everyone"].nunique().max() == 1


def test_recorder_totals_are_the_flows(crime_run):
    frame = crime_run.results.to_frame()
    totals = crime_run.results.totals()
    assert list(totals) == [m.name for m in CRIME_METRICS if m.kind == "flow"]
    assert totals == {n: int(frame[n].sum()) for n in totals}
    # The pinned summary's totals, hand-listed before the catalog, are all still there;
    # the newer mechanisms' flows (outings avoided for fear, the illicit market's
    # extortion counts, clearances and convictions of capacity-limited justice) come
    # after them.
    pinned = {*(f"crimes_{t}" for t in CRIME_TYPES), "crimes_total", "reported_crimes",
              "arrests", "bribes", "recruits", "desistances", "releases",
              *(f"victimisations_{g}" for g in GROUPS)}
    market = {"extortion_attempts", "extortion_payments", "extortion_reported",
              "extortion_arrests"}
    justice = {"clearances", "convictions"}
    assert pinned | {f"avoided_outings_{g}" for g in GROUPS} | market | justice == set(totals)


def test_sweep_lists_follow_the_catalog():
    assert all(KINDS[m] == "stock" for m in sweep_metrics.STOCKS)
    stocks = {m.name for m in CRIME_METRICS if m.kind == "stock"}
    flows_and_stocks = tuple(m.name for m in CRIME_METRICS if m.kind in ("flow", "stock"))
    assert stocks == sweep_metrics.STOCKS
    assert flows_and_stocks == sweep_metrics.TICK_METRICS
    assert all(KINDS[m] == "run" for m in sweep_metrics.FINAL_ONLY)
    assert set(sweep_metrics.FINAL_ONLY) == set(names(CRIME_RUN_MEASURES))
    assert set(sweep_metrics.DEFAULT_METRICS) <= set(sweep_metrics.TICK_METRICS)
    assert "day" not in sweep_metrics.TICK_METRICS and "hour" not in sweep_metrics.TICK_METRICS


def test_outcome_sums_flows_and_reads_stocks():
    assert all(KINDS[m] == "flow" for m in outcome.SUMMED)
    assert all(KINDS[m] == "stock" for m in outcome.FINAL)
    assert set(outcome.SUMMED) | set(outcome.FINAL) == set(sweep_metrics.TICK_METRICS)


def test_a_new_declaration_is_recorded_typed_and_totalled():
    """Adding a metric is one declaration: the recorder's frame and totals follow it."""
    extra = Metric("stops", "flow", "int64", "stops", "Stops in the tick.", "stops")
    rec = MetricsRecorder(8, metrics=(*CRIME_METRICS, extra))
    for t in range(3):
        row = rec.row()
        row[len(CRIME_METRICS)] = t + 1
        rec.commit(t)
    frame = rec.to_frame()
    assert frame["stops"].dtype == np.int64 and frame["stops"].tolist() == [1, 2, 3]
    assert rec.totals()["stops"] == 6


def test_labels_come_from_the_declarations():
    assert metric_name("crimes_sexual_violence") == ("sexual violence crimes", "crimes")
    assert label("prevalence_women_and_girls") == (
        "victimisation prevalence, women and girls (share of residents, 0-1)")
    daily = {"record": "day"}
    assert over_time_label(daily, "crimes_total") == "crimes, all types (crimes per day)"
    assert over_time_label(daily, "offenders_free") == (  # a level, not per day
        "offenders free at the end of each day (offenders)")
    assert metric_name("police.count") == ("police.count", "")  # a parameter, not a metric
    assert lookup("active", "civil_violence").label == "active"
    assert lookup("no_such_metric") is None


def test_the_docs_table_is_the_catalog():
    text = (ROOT / "docs" / "metrics.md").read_text()
    for declared in (CRIME_METRICS, CRIME_RUN_MEASURES, CIVIL_VIOLENCE_METRICS):
        assert markdown_table(declared) in text
    table = markdown_table(CRIME_METRICS)
    assert "| `crimes_<type>` | flow | int64 | crimes |" in table
    assert "`crimes_burglary`" not in table  # a family is one row
