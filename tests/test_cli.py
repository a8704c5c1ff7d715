"""The ``crimesim`` command line, in-process and as a real process (sim.cli)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim

from sim import __version__
from sim.cli.main import main
from sim.config import CRIME_TYPES

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = SCENARIOS / "baseline.toml"

METRIC_COLUMNS = ["tick", *(f"crimes_{t}" for t in CRIME_TYPES), "offenders_free"]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, small_args):
    """One 2-day run of the small baseline with seed 1, written by the real CLI."""
    out = tmp_path_factory.mktemp("run")
    code = main(["run", str(BASELINE), "--days", "2", "--seed", "1", "--out", str(out),
                 "--quiet", *small_args])
    assert code == 0
    return out


# --- run: output files --------------------------------------------------------------------
def test_run_writes_metrics_parquet(run_dir):
    df = pd.read_parquet(run_dir / "metrics.parquet")
    for col in METRIC_COLUMNS:
        assert col in df.columns, col
    assert len(df) == 48  # one row per tick of two 24-tick days
    assert df["tick"].tolist() == list(range(48))
    for t in CRIME_TYPES:
        assert (df[f"crimes_{t}"] >= 0).all()
    assert (df["offenders_free"] > 0).all()


def test_run_writes_summary_json(run_dir):
    summary = json.loads((run_dir / "summary.json").read_text())
    for key in ("scenario", "seed", "version", "totals"):
        assert key in summary, key
    assert summary["scenario"] == "baseline"
    assert summary["seed"] == 1
    assert summary["version"] == __version__
    df = pd.read_parquet(run_dir / "metrics.parquet")
    for t in CRIME_TYPES:
        assert summary["totals"][f"crimes_{t}"] == int(df[f"crimes_{t}"].sum())
    assert summary["parameters"]["residents"]["count"] == 3000


def test_run_writes_fields_npz(run_dir):
    with np.load(run_dir / "fields.npz") as z:
        names = set(z.files)
        assert {"attractiveness", "attractiveness_dynamic", "attractiveness_static"} <= names
        a, a0, b = z["attractiveness"], z["attractiveness_static"], z["attractiveness_dynamic"]
    assert a.shape == (40, 40)
    assert a0.shape == b.shape == a.shape
    np.testing.assert_allclose(a, a0 + b, rtol=0, atol=1e-12)
    assert np.isfinite(a).all() and (b >= 0).all()


def test_run_prints_headline(capsys, small_args):
    code, out, err = crimesim(capsys, "run", BASELINE, "--ticks", "5", "--no-progress",
                              *small_args)
    assert code == 0, err
    assert "baseline" in out and "burglary" in out
    assert "wrote" not in out  # no --out, no files


def test_run_ticks(capsys, tmp_path, small_args):
    code, _, err = crimesim(capsys, "run", BASELINE, "--ticks", "30", "--out", tmp_path,
                            "--quiet", *small_args)
    assert code == 0, err
    df = pd.read_parquet(tmp_path / "metrics.parquet")
    assert df["tick"].tolist() == list(range(30))


def test_run_fractional_days(capsys, tmp_path, small_args):
    code, _, err = crimesim(capsys, "run", BASELINE, "--days", "0.5", "--out", tmp_path,
                            "--quiet", *small_args)
    assert code == 0, err
    assert len(pd.read_parquet(tmp_path / "metrics.parquet")) == 12


def test_set_takes_effect(capsys, tmp_path, small_overrides):
    args = []
    for key, value in small_overrides.items():
        if key != "offenders.count":
            args += ["--set", f"{key}={value}"]
    code, _, err = crimesim(capsys, "run", BASELINE, "--ticks", "2", "--out", tmp_path,
                            "--quiet", *args, "--set", "offenders.count=500",
                            # no domestic abusers: their slots would join the pool
                            "--set", "relationships.enabled=false")
    assert code == 0, err
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["parameters"]["offenders"]["count"] == 500
    df = pd.read_parquet(tmp_path / "metrics.parquet")
    # 500 offenders at the start: free plus jailed is the pool.
    assert df["offenders_free"].iloc[0] + df["offenders_jailed"].iloc[0] == 500


def test_last_set_wins(capsys, tmp_path, small_args):
    code, _, err = crimesim(capsys, "run", BASELINE, "--ticks", "1", "--out", tmp_path,
                            "--quiet", *small_args, "--set", "police.count=7")
    assert code == 0, err
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["parameters"]["police"]["count"] == 7


# --- run: bad input -------------------------------------------------------------------------
def test_ticks_and_days_are_exclusive(capsys, tmp_path):
    code, _, err = crimesim(capsys, "run", BASELINE, "--ticks", "5", "--days", "1",
                            "--out", tmp_path)
    assert_usage_error(code, err, "--days")
    assert not (tmp_path / "metrics.parquet").exists()


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["run", "no/such/scenario.toml"], ["no/such/scenario.toml", "not found"]),
        (["run", BASELINE, "--set", "offenders.cuont=5"], ["offenders.cuont", "unknown"]),
        (["run", BASELINE, "--set", "offenders.count=abc"], ["offenders.count", "integer"]),
        (["run", BASELINE, "--set", "offenders.count=-3"], ["offenders.count", "minimum"]),
        (["run", BASELINE, "--set", "offenders.count"], ["offenders.count", "KEY=VALUE"]),
        (["run", BASELINE, "--set", "police.detect_prob=1.5"], ["police.detect_prob"]),
        (["run", BASELINE, "--seed", "-1"], ["--seed"]),
        (["run", BASELINE, "--seed", "abc"], ["--seed"]),
        (["run", BASELINE, "--days", "abc"], ["--days", "abc"]),
        (["run", BASELINE, "--days", "-1"], ["--days"]),
        (["run", BASELINE, "--days", "nan"], ["--days"]),
        (["run", BASELINE, "--days", "inf"], ["--days"]),
        (["run", BASELINE, "--ticks", "1.5"], ["--ticks"]),
        (["run", BASELINE, "--bogus"], ["--bogus"]),
        (["run"], ["scenario"]),
        (["frobnicate"], ["frobnicate"]),
    ],
    ids=lambda v: " ".join(map(str, v)) if isinstance(v, list) else None,
)
def test_bad_run_input(capsys, args, fragments):
    code, out, err = crimesim(capsys, *args)
    assert_usage_error(code, err, *fragments)


def test_invalid_toml_file(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n[[[\n")
    code, _, err = crimesim(capsys, "run", bad, "--days", "1")
    assert_usage_error(code, err, "bad.toml", "TOML")


def test_invalid_value_in_file(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[police]\ndetect_prob = 1.5\n")
    code, _, err = crimesim(capsys, "run", bad, "--days", "1")
    assert_usage_error(code, err, "bad.toml", "police.detect_prob")


def test_out_is_a_file(capsys, tmp_path, small_args):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = crimesim(capsys, "run", BASELINE, "--ticks", "1", "--out", blocker,
                            "--quiet", *small_args)
    assert_usage_error(code, err)


# --- validate and version ------------------------------------------------------------------
def test_validate_good_files(capsys):
    files = sorted(SCENARIOS.glob("*.toml"))
    code, out, err = crimesim(capsys, "validate", *files)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == len(files)
    for path, line in zip(files, lines, strict=True):
        assert line.startswith("ok") and str(path) in line
    assert err == ""


def test_validate_bad_file(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[offenders]\ncuont = 5\n")
    code, out, err = crimesim(capsys, "validate", BASELINE, bad)
    assert code == 2
    assert "Traceback" not in err
    assert out.startswith("ok")  # the good file is still reported
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crimesim: error:")
    assert "offenders.cuont" in lines[0]


def test_validate_missing_file(capsys, tmp_path):
    code, _, err = crimesim(capsys, "validate", tmp_path / "missing.toml")
    assert_usage_error(code, err, "missing.toml")


def test_version(capsys):
    code, out, _ = crimesim(capsys, "--version")
    assert code == 0
    assert out.strip() == f"crimesim {__version__}"


def test_no_command_is_an_error(capsys):
    code, _, _ = crimesim(capsys)
    assert code == 2


# --- as a real process ------------------------------------------------------------------------
def run_process(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.cli.main", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_subprocess_run(tmp_path, small_args):
    proc = run_process("run", "scenarios/baseline.toml", "--days", "1", "--seed", "3",
                       "--out", tmp_path, "--no-progress", *small_args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    df = pd.read_parquet(tmp_path / "metrics.parquet")
    assert df["tick"].tolist() == list(range(24))
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seed"] == 3
    assert "wrote" in proc.stdout


def test_subprocess_bad_input():
    proc = run_process("run", "scenarios/baseline.toml", "--set", "offenders.count=abc")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crimesim: error:"), proc.stderr
    assert "offenders.count" in lines[0]
    assert proc.stdout == ""


def test_valid_long_scenario_runs_one_tick(tmp_path, small_args):
    import resource

    def limit_memory() -> None:  # keep the outcome independent of overcommit settings
        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))

    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli.main", "run", "scenarios/baseline.toml",
         "--ticks", "1", "--quiet", "--out", str(tmp_path), *small_args,
         "--set", "time.days=100000", "--set", "time.ticks_per_day=100000"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, preexec_fn=limit_memory)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr[-500:]
    assert len(pd.read_parquet(tmp_path / "metrics.parquet")) == 1
