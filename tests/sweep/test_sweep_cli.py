"""``crimesim sweep`` and ``crimesim analyze`` from the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim
from sweep_support import ROOT, write_experiment

from sim.analysis.sweep.runner import plan_jobs
from sim.analysis.sweep.spec import load_experiment


def test_in_process_sweep_then_analyze(tmp_path, capsys):
    exp = write_experiment(tmp_path)
    out = tmp_path / "out"
    code, stdout, _ = crimesim(capsys, "sweep", exp, "--in-process", "--out", out,
                               "--no-progress")
    assert code == 0, stdout
    assert "8 runs done, 0 failed" in stdout
    assert len(pd.read_parquet(out / "results")) == 8
    code, stdout, _ = crimesim(capsys, "analyze", out)
    assert code == 0
    analysis = out / "analysis"
    assert (analysis / "report.md").read_text().startswith("# Sweep tiny")
    summary = pd.read_csv(analysis / "summary.csv")
    assert len(summary) == 4 * 3  # four points, three metrics
    assert (analysis / "response_crimes_total__police.count.png").stat().st_size > 10_000
    assert (analysis / "surface_crimes_total.png").is_file()


@pytest.mark.parametrize("args, fragments", [
    (["sweep", "missing.toml"], ["missing.toml: experiment file not found"]),
    (["sweep", "{exp}", "--workers", "0"], ["--workers", "must be at least 1"]),
    (["sweep", "{exp}", "--workers", "2", "--scheduler", "tcp://x:1"], ["not allowed with"]),
    (["sweep", "{exp}", "--retries", "-1"], ["--retries", "must not be negative"]),
    (["sweep", "{exp}", "--scheduler", "tcp://127.0.0.1:9", "--out", "{tmp}/o"],
     ["--scheduler tcp://127.0.0.1:9: cannot connect"]),
    (["analyze", "{tmp}"], ["not a sweep folder"]),
    (["analyze", "{tmp}/nothing"], ["no such folder"]),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args, fragments):
    from sim.analysis import dask_executor

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2.0)
    exp = write_experiment(tmp_path)
    argv = [a.format(exp=exp, tmp=tmp_path) for a in args]
    code, _, err = crimesim(capsys, *argv)
    assert_usage_error(code, err, *fragments)


def test_out_with_a_sweep_needs_resume(tmp_path, capsys):
    exp = write_experiment(tmp_path, top={"replications": 1}, parameters={"police.count": [2]})
    out = tmp_path / "out"
    assert crimesim(capsys, "sweep", exp, "--in-process", "--out", out, "--quiet")[0] == 0
    code, _, err = crimesim(capsys, "sweep", exp, "--in-process", "--out", out, "--quiet")
    assert_usage_error(code, err, "already holds a sweep; add --resume")
    code, stdout, _ = crimesim(capsys, "sweep", exp, "--in-process", "--out", out, "--resume",
                               "--no-progress")
    assert code == 0 and "1 runs already stored (skipped)" in stdout


def test_killed_sweep_on_a_local_cluster_resumes_with_every_run_once(tmp_path):
    """The issue's check: kill a sweep halfway, rerun with --resume, every run once."""
    exp_path = write_experiment(
        tmp_path, top={"days": 4, "replications": 4},
        parameters={"offenders.count": [20, 40, 60], "police.count": [2, 4, 8]})
    planned = {j.run_id for j in plan_jobs(load_experiment(exp_path))[1]}
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "sim.cli.main", "sweep", str(exp_path), "--workers", "2",
           "--out", str(out), "--flush-seconds", "0", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    parts = []
    while time.monotonic() < deadline and proc.poll() is None:
        parts = list((out / "results").glob("part-*.parquet"))
        if len(parts) >= 6:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up: the worst case
    proc.wait()
    stored = pd.read_parquet(out / "results")["run_id"]
    assert 6 <= stored.nunique() < len(planned)
    done = subprocess.run([*cmd, "--resume"], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "already stored (skipped)" in done.stdout
    df = pd.read_parquet(out / "results")
    assert df["run_id"].is_unique
    assert set(df["run_id"]) == planned
    assert not list(out.rglob(".tmp-*"))
