"""``crimesim run`` and ``validate`` on a civil-violence scenario; other commands refuse it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim

ROOT = Path(__file__).resolve().parents[2]
EPSTEIN = ROOT / "scenarios" / "epstein2002.toml"
BASELINE = ROOT / "scenarios" / "baseline.toml"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    from sim.cli.main import main

    out = tmp_path_factory.mktemp("cv")
    assert main(["run", str(EPSTEIN), "--ticks", "120", "--seed", "3", "--out", str(out),
                 "--quiet"]) == 0
    return out


def test_run_writes_the_three_files(run_dir):
    df = pd.read_parquet(run_dir / "metrics.parquet")
    assert list(df.columns[:4]) == ["tick", "active", "quiet", "jailed"]
    assert len(df) == 120 and (df.active + df.quiet + df.jailed == 1120).all()
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["model"] == "civil_violence" and summary["seed"] == 3
    assert summary["ticks"] == 120 and summary["citizens"] == 1120 and summary["cops"] == 64
    assert summary["totals"]["arrests"] == int(df.arrests.sum())
    assert summary["parameters"]["civil_violence"]["legitimacy"] == 0.82
    assert summary["outbursts"]["outbursts"] >= 1
    with np.load(run_dir / "fields.npz") as fields:
        assert {"state", "hardship", "grievance", "perceived_legitimacy"} <= set(fields.files)
        assert fields["state"].shape == (40, 40)


def test_run_is_reproducible(run_dir, tmp_path, capsys):
    code, _, _ = crimesim(capsys, "run", EPSTEIN, "--ticks", "120", "--seed", "3", "--out",
                          tmp_path, "--quiet")
    assert code == 0
    a = pd.read_parquet(run_dir / "metrics.parquet")
    b = pd.read_parquet(tmp_path / "metrics.parquet")
    assert a.equals(b)


def test_run_prints_the_headline(capsys):
    code, out, err = crimesim(capsys, "run", EPSTEIN, "--ticks", "50",
                              "--set", "civil_violence.legitimacy=0.95")
    assert code == 0, err
    assert "1120 citizens, 64 cops" in out and "legitimacy 0.95" in out
    active = next(line for line in out.splitlines() if line.startswith("active"))
    assert active.split()[1:] == ["0.0", "0", "0"]  # L >= 1 - T: nobody rebels


@pytest.mark.parametrize(("args", "fragments"), [
    (["--days", "3"], ["--days", "--ticks"]),
    (["--set", "offenders.count=5"], ["offenders.count", "not read by model"]),
    (["--set", "civil_violence.legitimacy=2"], ["civil_violence.legitimacy"]),
    (["--engine", "reference"], ["--engine"]),
])
def test_bad_input_is_one_line(capsys, args, fragments):
    code, _, err = crimesim(capsys, "run", EPSTEIN, "--ticks", "5", *args)
    assert_usage_error(code, err, *fragments)


def test_validate_names_the_model(capsys):
    code, out, err = crimesim(capsys, "validate", EPSTEIN)
    assert code == 0, err
    assert out.strip() == f"ok: {EPSTEIN} (epstein2002, model civil_violence)"


def test_compare_refuses_and_make_run_skips(capsys, tmp_path):
    code, _, err = crimesim(capsys, "compare", BASELINE, EPSTEIN, "--out", tmp_path)
    assert_usage_error(code, err, "epstein2002.toml", "compare runs crime scenarios only")
    code, _, err = crimesim(capsys, "compare", EPSTEIN, BASELINE, "--out", tmp_path)
    assert_usage_error(code, err, "epstein2002.toml")
    # make run's glob: the civil_violence file is skipped, even with --set crime keys
    code, _, err = crimesim(capsys, "compare", BASELINE, EPSTEIN, "--only-interventions",
                            "--set", "police.count=3", "--out", tmp_path)
    assert "skipping" in err and "epstein2002.toml: not a crime scenario" in err
    assert_usage_error(code, err.splitlines()[-1], "no alternative with interventions")


def test_bench_and_sweep_refuse(capsys, tmp_path):
    code, _, err = crimesim(capsys, "bench", "--scenario", EPSTEIN, "--days", "1",
                            "--scales", "1", "--json", tmp_path / "b.json")
    assert_usage_error(code, err, "bench --epstein")
    spec = tmp_path / "sweep.toml"
    spec.write_text(f'scenario = "{EPSTEIN}"\ndays = 1\nseeds = [1]\nmetrics = ["active"]\n'
                    '[parameters]\n"civil_violence.legitimacy" = [0.5, 0.8]\n')
    code, _, err = crimesim(capsys, "sweep", spec, "--out", tmp_path / "s")
    assert_usage_error(code, err, "sweeps run the crime model only")
