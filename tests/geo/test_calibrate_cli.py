"""``crimesim calibrate`` on the command line: resuming a study, and refusing bad input.

A study stopped after some trials and run again continues where it stopped: the
finished trials are kept as they were, and the whole matches a run that never stopped
(the sampler of each batch is seeded from --seed and the trials done). A run killed
mid-batch leaves unfinished trials in the journal; they are marked failed and redone
under new numbers. Every bad input is one line, exit status 2, and no --out folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from calibration_city import write_calibration_city
from geo_city import write_city
from repo_paths import ROOT

from sim.analysis.simulated_crimes import write_simulated_crimes
from sim.cli.main import main
from sim.geo.crimes import import_crimes
from sim.scenario import Scenario

FAST = ["--replications", "1", "--batch", "2", "--workers", "1",
        "--fit", "crime.robbery.rate", "--fit", "attractiveness.deprivation_gain", "--quiet"]


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("calibrate_cli")
    scenario = write_calibration_city(folder / "city")
    observed = folder / "observed.parquet"
    write_simulated_crimes(Scenario.load(scenario), 5, 2, observed)
    return scenario, observed


def _trials(folder: Path) -> list[dict[str, str]]:
    with (folder / "trials.csv").open() as fh:
        return list(csv.DictReader(fh))


def _params(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(r["crime.robbery.rate"], r["attractiveness.deprivation_gain"]) for r in rows]


def test_a_stopped_study_resumes_without_repeating_trials(city, tmp_path):
    scenario, observed = city
    args = ["calibrate", str(scenario), "--observed", str(observed), *FAST]
    straight = tmp_path / "straight"
    assert main([*args, "--trials", "4", "--out", str(straight)]) == 0
    stopped = tmp_path / "stopped"
    assert main([*args, "--trials", "2", "--out", str(stopped)]) == 0
    first = _trials(stopped)
    assert len(first) == 2
    # a kill mid-batch: a trial asked but never told stays RUNNING in the journal
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    storage = JournalStorage(JournalFileBackend(str(stopped / "study.log")))
    study = optuna.load_study(study_name="crimesim-calibrate", storage=storage)
    study.ask()
    assert main([*args, "--trials", "4", "--out", str(stopped), "--resume"]) == 0
    resumed = _trials(stopped)
    assert resumed[:2] == first  # finished trials kept as they were
    assert [r["trial"] for r in resumed] == ["0", "1", "3", "4"]  # 2 was cut off: failed
    assert _params(resumed) == _params(_trials(straight))
    states = [t.state.name for t in optuna.load_study(
        study_name="crimesim-calibrate", storage=storage).trials]
    assert states.count("FAIL") == 1 and states.count("COMPLETE") == 4


def test_processes_give_the_same_trials_and_other_inputs_are_refused(city, tmp_path,
                                                                      capsys):
    scenario, observed = city
    args = ["calibrate", str(scenario), "--observed", str(observed), *FAST]
    here, pool = tmp_path / "here", tmp_path / "pool"
    assert main([*args, "--trials", "2", "--out", str(here)]) == 0
    assert main([*args, "--trials", "2", "--out", str(pool), "--workers", "2"]) == 0
    assert _trials(pool) == _trials(here)
    assert (pool / "scenario.toml").read_text() == (here / "scenario.toml").read_text()
    before = (here / "study.log").read_bytes()
    assert main([*args, "--trials", "4", "--out", str(here), "--seed", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds a calibration with other inputs (seed" in err
    assert (here / "study.log").read_bytes() == before


def _refused(argv: list[str], out: Path, capsys, match: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("crimesim: error: "), err
    assert match in err, err
    assert not out.exists()


def test_bad_inputs_are_one_line_and_leave_no_output(city, tmp_path, capsys):
    scenario, observed = city
    out = tmp_path / "out"
    base = ["calibrate", str(scenario), "--observed", str(observed), "--out", str(out)]
    _refused([*base, "--trials", "0"], out, capsys, "argument --trials: must be at least 1, got 0")
    _refused([*base, "--fit", "crime.robbery.speed"], out, capsys,
             "--fit crime.robbery.speed: unknown scenario key")
    _refused([*base, "--fit", "residents.count"], out, capsys, "an integer key, not a real number")
    _refused([*base, "--fit", "crime.robbery.rate=0.01:0.001"], out, capsys,
             "LOW < HIGH")
    _refused([*base, "--fit", "crime.robbery.rate=0:0.01"], out, capsys,
             "a rate's range must be above 0")
    _refused([*base, "--fit", "crime.gang_violence.rate"], out, capsys,
             "has no gang_violence")
    _refused([*base, "--holdout-months", "3"], out, capsys, "at least one must be left")
    missing = tmp_path / "none.parquet"
    _refused(["calibrate", str(scenario), "--observed", str(missing), "--out", str(out)],
             out, capsys, "none.parquet: file not found")
    _refused(["calibrate", str(tmp_path / "none.toml"), "--observed", str(observed),
              "--out", str(out)], out, capsys, "none.toml: file not found")
    _refused([*base, "--resume"], out, capsys, "holds no calibration to continue")
    _refused(["calibrate", str(ROOT / "scenarios" / "baseline.toml"), "--observed",
              str(observed), "--out", str(out)], out, capsys,
             "calibrate needs your city's map")
    other = tmp_path / "other.parquet"
    import_crimes([ROOT / "tests" / "fixtures" / "police_uk" / "street.csv"],
                  write_city(tmp_path / "other_city"), other)
    _refused(["calibrate", str(scenario), "--observed", str(other), "--out", str(out)],
             out, capsys, "placed on a 20 x 10 grid, but the city is 24 x 24")


def test_a_folder_that_is_not_a_calibration_is_refused(city, tmp_path, capsys):
    scenario, observed = city
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    assert main(["calibrate", str(scenario), "--observed", str(observed), "--out",
                 str(taken)]) == 2
    assert "is not a calibration folder" in capsys.readouterr().err
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]
