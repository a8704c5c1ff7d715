"""The shipped scenarios by name: ``crimesim run NAME``, ``crimesim scenarios``, ``crimesim init``.

Expected names and descriptions come from the repository's ``scenarios/`` folder, read
here with tomllib; the copy ``init`` makes is checked by loading its files back.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from cli_support import assert_usage_error, crimesim
from repo_paths import SCENARIOS

from sim import Scenario
from sim.analysis.sweep.spec import load_experiment
from sim.scenario.shipped import resolve_scenario, shipped_dir


def repository_scenarios() -> dict[str, str]:
    """Name -> description of every scenario file in the repository's scenarios/."""
    files = [*SCENARIOS.glob("*.toml"), *SCENARIOS.glob("lessons/*.toml")]
    return {p.relative_to(SCENARIOS).with_suffix("").as_posix():
            tomllib.loads(p.read_text(encoding="utf-8"))["description"] for p in files}


def test_a_clone_reads_the_repository_folder() -> None:
    assert shipped_dir() == SCENARIOS


@pytest.mark.parametrize("reference", ["baseline", "baseline.toml", "scenarios/baseline.toml"])
def test_a_name_resolves_to_the_shipped_file(reference: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no scenarios/ folder here: only the shipped one
    assert resolve_scenario(reference) == SCENARIOS / "baseline.toml"
    assert resolve_scenario("lessons/displacement") == SCENARIOS / "lessons/displacement.toml"


def test_an_existing_file_wins_over_a_shipped_name(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").write_text('name = "mine"\n', encoding="utf-8")
    assert resolve_scenario("baseline") == Path("baseline")


def test_run_of_an_unknown_name_lists_the_closest(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = crimesim(capsys, "run", "street_lightning", "--days", "1")
    assert_usage_error(code, err, "street_lightning", "closest: street_lighting")
    code, _, err = crimesim(capsys, "compare", "baseline", "displacement", "--reps", "2")
    assert_usage_error(code, err, "displacement", "lessons/displacement")
    code, _, err = crimesim(capsys, "sensitivity", "baselin", "street_lighting")
    assert_usage_error(code, err, "baselin", "closest: baseline")
    assert not (tmp_path / "out").exists()  # refused before the output folder was made


def test_run_by_name_outside_the_clone(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       small_args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = crimesim(capsys, "run", "baseline", "--days", "2", *small_args,
                              "--out", "run", "--quiet")
    assert code == 0, err
    assert (tmp_path / "run" / "summary.json").is_file()


def test_scenarios_lists_every_file_with_its_description(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = crimesim(capsys, "scenarios")
    assert code == 0
    expected = repository_scenarios()
    lines = out.splitlines()
    for name, description in expected.items():
        assert any(line.split() and line.split()[0] == name and line.endswith(description)
                   for line in lines), (name, out)
    lessons_heading = next(i for i, line in enumerate(lines) if line.startswith("Lessons"))
    assert all(line.split()[0].startswith("lessons/") for line in lines[lessons_heading + 1:-1])
    assert len(expected) == len(list(SCENARIOS.glob("*.toml"))) + 7  # the seven lessons


def test_init_copies_files_that_load_from_the_copy(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    target = tmp_path / "my_scenarios"
    code, out, err = crimesim(capsys, "init", target)
    assert code == 0, err
    copied = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(SCENARIOS) for p in SCENARIOS.rglob("*")
                     if p.is_file() and "__pycache__" not in p.parts)
    assert copied == shipped
    assert f"copied {len(shipped) - 1} scenario files and 1 map file" in out
    # extends and map_file resolve inside the copy, and an edit there is what loads
    lesson = target / "lessons" / "displacement.toml"
    assert Scenario.load(lesson).raw() == Scenario.load(
        SCENARIOS / "lessons" / "displacement.toml").raw()
    town = Scenario.load(target / "small_town_map.toml")
    assert Path(town.params.city.map_file).resolve() == (target / "maps/small_town.csv").resolve()
    base = target / "baseline.toml"
    text = base.read_text(encoding="utf-8")
    assert "[offenders]\ncount = 450\n" in text
    base.write_text(text.replace("[offenders]\ncount = 450\n", "[offenders]\ncount = 123\n"),
                    encoding="utf-8")
    assert Scenario.load(target / "street_lighting.toml").params.offenders.count == 123


def test_init_refuses_a_folder_that_is_not_empty(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = crimesim(capsys, "init", target)
    assert_usage_error(code, err, str(target), "not empty")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no staging copy left
    code, _, err = crimesim(capsys, "init", target / "notes.txt")
    assert_usage_error(code, err, "is a file")


def test_init_fills_an_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = crimesim(capsys, "init", tmp_path / "empty")
    assert code == 0, err
    assert (tmp_path / "empty" / "baseline.toml").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_a_sweep_names_a_shipped_scenario(tmp_path: Path) -> None:
    spec = tmp_path / "sweep.toml"
    spec.write_text('scenario = "street_lighting"\ndays = 2\n[parameters]\n'
                    '"offenders.count" = [100, 200]\n', encoding="utf-8")
    experiment = load_experiment(spec)
    assert experiment.scenario.digest() == Scenario.load(
        SCENARIOS / "street_lighting.toml").digest()
