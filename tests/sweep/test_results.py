"""The sweep reader's whole-run values: the same however the sweep recorded its runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.executor import InProcessExecutor
from sim.analysis.sweep.results import SweepResults
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import load_experiment

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.toml"
METRICS = ["crimes_total", "arrests", "reported_crimes", "offenders_free",
           "legitimacy_everyone"]


def experiment(record: str) -> str:
    """Two points, two seeds, a tiny city, six days of which the first is warm-up."""
    return f"""
name = "rec_{record}"
scenario = "{BASELINE}"
days = 6
warmup_days = 1
replications = 2
record = "{record}"
metrics = {METRICS!r}
[design]
kind = "grid"
[parameters]
"offenders.count" = [120, 360]
[set]
"city.width" = 30
"city.height" = 30
"residents.count" = 2000
"""


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, SweepResults]:
    """The same experiment recorded once per run, per day and per tick."""
    out = {}
    for record in ("final", "day", "tick"):
        work = tmp_path_factory.mktemp(record)
        path = work / "exp.toml"
        path.write_text(experiment(record))
        run_sweep(load_experiment(path), work / "out", InProcessExecutor())
        out[record] = SweepResults.open(work / "out")
    return out


def by_run(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("run_id").sort_index()[METRICS]


def test_final_records_are_their_own_whole_run_values(recorded):
    final = recorded["final"]
    pd.testing.assert_frame_equal(final.run_values(), final.final())


@pytest.mark.parametrize("record", ["day", "tick"])
def test_per_day_and_per_tick_runs_roll_up_as_a_final_record_keeps_them(recorded, record):
    expected = by_run(recorded["final"].run_values())
    got = by_run(recorded[record].run_values())
    assert expected["crimes_total"].sum() > 0  # the flows compared are not all zero
    pd.testing.assert_frame_equal(got, expected)


def test_whole_run_flows_leave_out_the_warm_up_and_levels_stay_at_the_end(recorded):
    daily = recorded["day"]
    last_day, whole = by_run(daily.final()), by_run(daily.run_values())
    measured = daily.rows[daily.rows["day"] >= 1].groupby("run_id")["crimes_total"].sum()
    everything = daily.rows.groupby("run_id")["crimes_total"].sum()
    pd.testing.assert_series_equal(whole["crimes_total"], measured.sort_index(),
                                   check_names=False)
    assert whole["crimes_total"].sum() > last_day["crimes_total"].sum()
    assert (everything >= measured).all() and everything.sum() > measured.sum()
    pd.testing.assert_series_equal(whole["offenders_free"], last_day["offenders_free"])


def test_an_empty_sweep_has_no_run_values(recorded, tmp_path):
    folder = shutil.copytree(recorded["day"].root, tmp_path / "empty")
    for part in (folder / "results").glob("part-*.parquet"):
        part.unlink()
    assert SweepResults.open(folder).run_values().empty
