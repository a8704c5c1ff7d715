"""Running a sweep in-process: the dataset, the manifest, resume, failures."""

from __future__ import annotations

import csv
import json

import duckdb
import pandas as pd
import pyarrow.dataset as ds
import pytest
from sweep_support import write_experiment

from sim import CrimeModel
from sim.analysis.executor import InProcessExecutor
from sim.analysis.sweep.runner import plan_jobs, run_sweep
from sim.analysis.sweep.spec import SweepError, load_experiment
from sim.analysis.sweep.store import ResultStore


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    exp = load_experiment(write_experiment(folder, top={"warmup_days": 1}))
    summary = run_sweep(exp, folder / "out", InProcessExecutor())
    return exp, folder / "out", summary


def test_dataset_is_one_tidy_table_read_in_one_call(finished):
    exp, out, summary = finished
    assert summary.planned == 8 and summary.done == 8 and summary.failed == 0
    df = pd.read_parquet(out / "results")
    assert len(df) == 8 and df["run_id"].is_unique
    assert list(df.columns) == ["run_id", "point_id", "point_key", "offenders.count",
                                "police.count", "seed", "day", "crimes_total", "arrests",
                                "offenders_free"]
    assert set(zip(df["offenders.count"], df["police.count"], df["seed"], strict=True)) == {
        (o, p, s) for o in (20, 60) for p in (2, 8) for s in (1, 2)}
    assert ds.dataset(out / "results").to_table().num_rows == 8
    con = duckdb.connect()
    n, = con.execute(f"select count(*) from read_parquet('{out}/results/*.parquet')").fetchone()
    assert n == 8


def test_final_figures_match_a_direct_run(finished):
    exp, out, _ = finished
    df = pd.read_parquet(out / "results")
    row = df[(df["offenders.count"] == 60) & (df["police.count"] == 8) & (df.seed == 2)].iloc[0]
    sc = exp.scenario.with_overrides({"offenders.count": 60, "police.count": 8})
    model = CrimeModel(scenario=sc, rng=2, agent_views=False)
    model.run_for(exp.ticks)
    frame = model.results.to_frame()
    assert row["crimes_total"] == frame.crimes_total[frame.tick >= 24].sum()
    assert row["offenders_free"] == frame.offenders_free.iloc[-1]
    assert row["day"] == 2


def test_manifest_and_behaviorspace_table(finished):
    exp, out, _ = finished
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["experiment_sha256"] == exp.sha256
    assert manifest["experiment"] == exp.source
    assert manifest["crimesim_version"] and manifest["started"] and manifest["finished"]
    assert manifest["runs_planned"] == manifest["runs_stored"] == 8
    assert (out / "experiment.toml").read_text() == exp.text
    with open(out / "table.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0].startswith("BehaviorSpace results")
    assert rows[4] == ["min-pxcor", "max-pxcor", "min-pycor", "max-pycor"]
    assert rows[6] == ["[run number]", "offenders.count", "police.count", "[step]",
                       "crimes_total", "arrests", "offenders_free"]
    body = rows[7:]
    assert sorted(int(r[0]) for r in body) == list(range(1, 9))
    assert {r[3] for r in body} == {"72"}  # [step] is the tick the run ended at
    with open(out / "table.csv") as fh:
        assert all(line.startswith('"') for line in fh)  # every value quoted


def test_an_existing_sweep_needs_resume(finished):
    exp, out, _ = finished
    with pytest.raises(SweepError, match="already holds a sweep; add --resume"):
        run_sweep(exp, out, InProcessExecutor())
    summary = run_sweep(exp, out, InProcessExecutor(), resume=True)
    assert summary.skipped == 8 and summary.done == 0


def test_resume_refuses_other_run_settings(finished, tmp_path):
    _, out, _ = finished
    other = load_experiment(write_experiment(tmp_path, top={"days": 4}))
    with pytest.raises(SweepError, match="other run settings"):
        run_sweep(other, out, InProcessExecutor(), resume=True)


class _StopAfter:
    """A progress callback that interrupts the sweep after n runs, like Ctrl-C."""

    def __init__(self, n: int):
        self.n = n

    def __call__(self, summary) -> None:
        if summary.done >= self.n:
            raise KeyboardInterrupt


def test_interrupted_sweep_resumes_with_every_run_once(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(exp, out, InProcessExecutor(), progress=_StopAfter(3))
    store = ResultStore(out)
    assert len(store.stored_run_ids()) == 3  # what finished was written on the way out
    summary = run_sweep(exp, out, InProcessExecutor(), resume=True)
    assert (summary.skipped, summary.done) == (3, 5)
    df = store.read()
    assert len(df) == 8 and df["run_id"].is_unique
    assert set(df["run_id"]) == {j.run_id for j in plan_jobs(exp)[1]}
    manifest = store.manifest()
    assert len(manifest["resumed"]) == 1


def test_extended_design_runs_only_the_new_points(tmp_path):
    out = tmp_path / "out"
    run_sweep(load_experiment(write_experiment(tmp_path, name="a")), out, InProcessExecutor())
    bigger = load_experiment(write_experiment(
        tmp_path, name="b", parameters={"offenders.count": [20, 60, 90],
                                        "police.count": [2, 8]}))
    summary = run_sweep(bigger, out, InProcessExecutor(), resume=True)
    assert (summary.skipped, summary.done) == (8, 4)


def test_a_failing_run_is_retried_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    exp = load_experiment(write_experiment(tmp_path))
    victim = plan_jobs(exp)[1][2].run_id
    monkeypatch.setenv("CRIMESIM_FAIL_RUN", victim)
    out = tmp_path / "out"
    summary = run_sweep(exp, out, InProcessExecutor(), retries=1)
    assert (summary.done, summary.failed) == (7, 1)
    failure = ResultStore(out).failures()[victim]
    assert failure["attempts"] == 2
    assert "failed on purpose" in failure["error"]
    assert failure["values"] == plan_jobs(exp)[1][2].values
    monkeypatch.delenv("CRIMESIM_FAIL_RUN")
    again = run_sweep(exp, out, InProcessExecutor(), resume=True)
    assert (again.skipped, again.done, again.failed) == (7, 1, 0)
    assert ResultStore(out).failures() == {}
    assert ResultStore(out).manifest()["runs_failed"] == 0


@pytest.mark.parametrize("record, rows_per_run, time_col", [("day", 3, "day"),
                                                            ("tick", 72, "tick")])
def test_per_day_and_per_tick_records(tmp_path, record, rows_per_run, time_col):
    exp = load_experiment(write_experiment(
        tmp_path, top={"record": record, "replications": 1},
        parameters={"police.count": [2, 8]}))
    out = tmp_path / "out"
    run_sweep(exp, out, InProcessExecutor())
    df = pd.read_parquet(out / "results")
    assert len(df) == 2 * rows_per_run
    assert sorted(df[time_col].unique()) == list(range(rows_per_run))
    assert df.groupby("run_id")[time_col].is_monotonic_increasing.all()


def test_a_point_that_makes_an_invalid_scenario_fails_before_any_run(tmp_path):
    exp = load_experiment(write_experiment(
        tmp_path, parameters={"police.random": [0.5, 2.0]}))
    with pytest.raises(SweepError, match=r"design point 1 \{'police.random': 2.0\}"):
        plan_jobs(exp)
