"""``crimesim compare``: output files, the table, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim

from sim.cli.main import main

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
BASELINE = SCENARIOS / "baseline.toml"
LIGHTING = SCENARIOS / "street_lighting.toml"  # starts on day 30


@pytest.fixture(scope="module")
def compare_run(tmp_path_factory, small_args):
    """A 2-replication comparison of the small city, 34 days (a 4-day window)."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("compare")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["compare", str(BASELINE), str(LIGHTING), "--reps", "2", "--days", "34",
                     "--workers", "1", "--seed", "3", "--no-progress", "--out", str(out),
                     *small_args])
    return code, buf.getvalue(), out


def test_compare_writes_csv_json_and_figures(compare_run):
    code, text, out = compare_run
    assert code == 0
    df = pd.read_csv(out / "comparison.csv")
    for col in ("scenario", "metric", "group", "baseline", "value", "change_pct", "ci_low",
                "ci_high"):
        assert col in df.columns
    assert set(df.scenario) == {"street_lighting"}
    assert {"crimes", "prevalence", "legitimacy", "reported_crimes", "arrests", "wdq", "cost",
            "cost_per_crime_prevented"} <= set(df.metric)
    meta = json.loads((out / "comparison.json").read_text())
    assert meta["base"] == "baseline" and meta["alternatives"] == ["street_lighting"]
    assert meta["seeds"] == [3, 4] and meta["window_start_tick"] == 720
    assert meta["ticks"] == 34 * 24 and meta["currency"] == "EUR"
    for name in ("effects.png", "change_map_street_lighting.png"):
        assert (out / name).read_bytes()[:4] == b"\x89PNG"


def test_compare_prints_the_table(compare_run):
    _, text, out = compare_run
    assert "street_lighting vs baseline" in text
    assert "2 replications" in text and "window day 30 to 34" in text
    assert "women and girls" in text and "WDQ" in text
    assert str(out / "comparison.csv") in text


def test_only_interventions_skips_plain_scenarios(capsys, tmp_path, small_args):
    code, out, err = crimesim(capsys, "compare", BASELINE, BASELINE, SCENARIOS / "short2008.toml",
                              LIGHTING, "--only-interventions", "--reps", "2", "--days", "31",
                              "--workers", "1", "--no-progress", "--out", tmp_path,
                              *small_args)
    assert code == 0, err
    assert "skipping" in err and "short2008.toml" in err
    df = pd.read_csv(tmp_path / "comparison.csv")
    assert set(df.scenario) == {"street_lighting"}


def test_only_interventions_with_nothing_left(capsys, tmp_path):
    code, _, err = crimesim(capsys, "compare", BASELINE, BASELINE, "--only-interventions",
                            "--quiet", "--out", tmp_path)
    assert_usage_error(code, err, "no alternative")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["compare", "no/such.toml", LIGHTING], ["no/such.toml", "not found"]),
        (["compare", BASELINE, "missing.toml"], ["missing.toml", "not found"]),
        (["compare", BASELINE], ["ALT"]),
        (["compare", BASELINE, LIGHTING, "--reps", "1"], ["--reps", "at least 2"]),
        (["compare", BASELINE, LIGHTING, "--reps", "x"], ["--reps"]),
        (["compare", BASELINE, LIGHTING, "--days", "0"], ["--days", "> 0"]),
        (["compare", BASELINE, LIGHTING, "--days", "-2"], ["--days"]),
        (["compare", BASELINE, LIGHTING, "--workers", "0"], ["--workers"]),
        (["compare", BASELINE, LIGHTING, "--seed", "-1"], ["--seed"]),
        (["compare", BASELINE, LIGHTING, "--set", "offenders.cuont=3"], ["offenders.cuont"]),
        (["compare", BASELINE, LIGHTING, "--days", "20"], ["day 30", "--days"]),
    ],
    ids=lambda v: " ".join(map(str, v)) if isinstance(v, list) else None,
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, args, fragments):
    code, _, err = crimesim(capsys, *args, "--out", tmp_path / "o")
    assert_usage_error(code, err, *fragments)
    assert not (tmp_path / "o" / "comparison.csv").exists()


def test_invalid_scenario_file(capsys, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{LIGHTING.as_posix()}"\n'
                   "[interventions.street_lighting]\nlighting = 2.0\n")
    code, _, err = crimesim(capsys, "compare", BASELINE, bad, "--out", tmp_path / "o")
    assert_usage_error(code, err, "bad.toml", "interventions.street_lighting.lighting")


def test_unwritable_out_dir(capsys, tmp_path, small_args):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = crimesim(capsys, "compare", BASELINE, LIGHTING, "--days", "31",
                            "--out", blocker / "sub", *small_args)
    assert_usage_error(code, err, "--out", "cannot write")


def test_different_cities_cannot_be_compared(capsys, tmp_path):
    code, _, err = crimesim(capsys, "compare", SCENARIOS / "small_town_map.toml", LIGHTING,
                            "--out", tmp_path)
    assert_usage_error(code, err, "differs from the base")
