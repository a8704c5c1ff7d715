"""Reading a search folder back (sim/analysis/search/search_results.py).

The folder is the session's tiny real search (tests/search_support.py, the
``tiny_search`` fixture); unfinished and broken folders are copies of it with files
removed, truncated or replaced. Expected values come from the files as the search
wrote them, from the experiment's numbers, and from what ``crimesim search`` printed
from its own in-memory result.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from search_support import BUDGET, DAYS, SPLIT, START_DAY

from sim.analysis.search.experiment import load_search_experiment
from sim.analysis.search.prim_boxes import PrimBox, boxes_table
from sim.analysis.search.search_manifest import MANIFEST
from sim.analysis.search.search_results import (
    SearchFolderError,
    open_search,
    read_boxes,
)
from sim.analysis.search.search_run import run_policy_search
from sim.errors import UsageError


@pytest.fixture
def copy(tiny_search, tmp_path):
    """A copy of the finished search to damage."""
    return Path(shutil.copytree(tiny_search.out, tmp_path / "copy"))


def test_a_finished_search_reads_as_finished_with_its_statement(tiny_search):
    results = open_search(tiny_search.out)
    evaluations = pd.read_csv(tiny_search.out / "evaluations.csv")
    assert results.name == "tiny"
    assert results.done == evaluations["trial"].nunique() == 4 and results.running == 0
    assert results.finished
    assert results.status() == "4 of 4 candidates done; finished."
    statement = dict(results.statement())
    assert statement["Levers"] == ("the budget of 400,000 EUR a year, split between "
                                   "street_lighting and youth_programme")
    assert statement["Uncertainties"] == "police.deterrence from 0.8 to 1.6"
    assert statement["Robustness"].startswith("the 25th percentile of harm prevented over "
                                              "2 futures per candidate (cost at the 75th")
    assert "1 seed each" in statement["Robustness"]
    assert "for everyone and women_and_girls" in statement["Objectives"]
    assert statement["Constraints"] == "public cost within 400,000 EUR a year"
    assert statement["Runs"].startswith(f"harm and cost counted from day {START_DAY} to "
                                        f"day {DAYS}; city small.toml")
    assert results.manifest["description"].startswith("Lighting or youth work")
    assert results.brief == tiny_search.out / "brief" / "report.html"
    assert results.problems == ()


def test_the_manifest_states_the_experiment_file(tiny_search):
    manifest = json.loads((tiny_search.out / MANIFEST).read_text())
    raw = tomllib.loads(tiny_search.experiment.read_text())
    assert manifest["trials"] == raw["trials"] and manifest["split"] == raw["budget"]["split"]
    assert manifest["uncertainties"] == [{"key": "police.deterrence", "low": 0.8,
                                          "high": 1.6, "integer": False}]
    assert manifest["objectives"] == ["harm_prevented.everyone",
                                      "harm_prevented.women_and_girls", "cost_per_year"]
    assert manifest["budget_per_year"] == BUDGET and manifest["currency"] == "EUR"


def test_the_pareto_mixes_come_best_for_everyone_first(tiny_search):
    results = open_search(tiny_search.out)
    pareto = pd.read_csv(tiny_search.out / "pareto.csv")
    by_hand = sorted(pareto.itertuples(), key=lambda r: (-r._6, r.cost_per_year))
    assert pareto.columns[5] == "harm_prevented.everyone"
    assert results.pareto_trials() == [int(r.trial) for r in by_hand]
    assert results.chosen() == [int(p.stem.removeprefix("mix_"))
                                for p in (tiny_search.out / "mixes").glob("mix_*.toml")]


def test_a_mix_reads_as_its_budget_shares_cost_and_harm(tiny_search):
    """Shares by hand from the chosen mix's scenario file: each budget is the share of
    the yearly budget over the 15 days the interventions run."""
    results = open_search(tiny_search.out)
    trial = results.chosen()[0]
    mix = results.mix(trial)
    written = tomllib.loads(mix.path.read_text())["interventions"]
    for label in SPLIT:
        assert written[label]["budget"] == pytest.approx(
            mix.shares[label] * BUDGET * (DAYS - START_DAY) / 365)
    assert sum(mix.shares.values()) == pytest.approx(1.0)
    row = pd.read_csv(tiny_search.out / "pareto.csv").set_index("trial").loc[trial]
    assert mix.cost_per_year == row["cost_per_year"]
    assert mix.harm_prevented == {"everyone": row["harm_prevented.everyone"],
                                  "women_and_girls": row["harm_prevented.women_and_girls"]}
    assert set(mix.max_regret) == {"everyone", "women_and_girls"}
    others = [t for t in results.pareto_trials() if t != trial]
    assert all(results.mix(t).path is None for t in others)  # not written: not chosen
    with pytest.raises(SearchFolderError, match="no candidate 999"):
        results.mix(999)


def test_the_prim_sentences_are_what_the_search_said(tiny_search):
    """The command printed the stress test's sentences from its own result; the folder,
    read back, says the same."""
    printed = tiny_search.printed
    match = re.search(r"stress test of mix_(\d+): (.*?)\nwrote in", printed, re.S)
    assert match, printed
    said = [line.strip() for line in match.group(2).splitlines()]
    results = open_search(tiny_search.out)
    assert results.stress_tested == int(match.group(1)) == results.chosen()[0]
    assert results.prim_sentences() == said
    futures = pd.read_csv(tiny_search.out / "discovery.csv")
    assert said[0].startswith(f"the mix failed in {int(futures['failed'].sum())} of "
                              f"{len(futures)} new futures")


def test_boxes_survive_the_csv():
    boxes = [PrimBox({"police.deterrence": (-math.inf, 0.9), "offenders.count": (520.0,
                                                                                  math.inf)},
                     coverage=0.71, density=0.825, mass=0.2, n_cases=20, n_failures_inside=16),
             PrimBox({}, coverage=1.0, density=0.9, mass=1.0, n_cases=100,
                     n_failures_inside=90)]
    futures = pd.DataFrame({"failed": [True] * 90 + [False] * 10})
    back = read_boxes(boxes_table(boxes), futures)
    assert [b.describe() for b in back] == [b.describe() for b in boxes]
    assert back[0].describe() == ("fails in 83% of cases (coverage 71% of all failures) when "
                                  "police.deterrence is below 0.9 and offenders.count is "
                                  "above 520")
    assert (back[1].n_cases, back[1].n_failures_inside) == (100, 90)


def test_reading_leaves_a_running_search_untouched(copy):
    log = copy / "study.log"
    before = (log.read_bytes(), log.stat().st_mtime_ns)
    open_search(copy)
    assert (log.read_bytes(), log.stat().st_mtime_ns) == before
    assert not list(copy.glob("*.lock"))  # no journal lock left behind


# --- unfinished searches ---------------------------------------------------------------------
def ask_one_more(folder: Path) -> None:
    """Leave one candidate running in the study, as a search mid-batch (or killed) does."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    study = optuna.load_study(storage=JournalStorage(JournalFileBackend(
        str(folder / "study.log"))), study_name="crimesim-search")
    study.ask()


def set_trials(folder: Path, trials: int) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["trials"] = trials
    (folder / MANIFEST).write_text(json.dumps(manifest))


def test_a_running_search_says_how_far_it_got(copy):
    for name in ("candidates.csv", "pareto.csv", "discovery.csv", "prim_boxes.csv"):
        (copy / name).unlink()
    shutil.rmtree(copy / "brief")
    shutil.rmtree(copy / "mixes")
    set_trials(copy, 6)
    ask_one_more(copy)
    results = open_search(copy)
    assert (results.done, results.running, results.wanted) == (4, 1, 6)
    assert not results.finished and results.candidates is None
    assert results.status().startswith("4 of 6 candidates done, 1 running")
    assert "the tables appear when every candidate is done" in results.status()
    assert results.discovery is None and results.brief is None and results.chosen() == []


def test_tables_of_an_earlier_run_are_named_so(copy):
    candidates = pd.read_csv(copy / "candidates.csv")
    candidates.iloc[:-1].to_csv(copy / "candidates.csv", index=False)
    results = open_search(copy)
    assert not results.tables_current and not results.finished
    assert "the tables below are the 3 candidates of the run before" in results.status()


def test_a_search_not_started_yet_says_so(copy):
    for path in copy.iterdir():
        if path.name != MANIFEST:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    results = open_search(copy)
    assert results.done == 0 and results.status().startswith(
        "0 of 4 candidates done: the search is starting")


def test_the_brief_still_to_come_is_named(copy):
    shutil.rmtree(copy / "brief")
    results = open_search(copy)
    assert not results.finished
    assert "the decision brief is still being written" in results.status()


class NoRuns:
    """An executor that records whether search.json existed when asked to run anything."""

    workers = 1

    def __init__(self, out: Path) -> None:
        self.out, self.seen = out, None

    def map(self, fn, jobs):
        self.seen = (self.out / MANIFEST).is_file()
        raise RuntimeError("stop: no runs in this test")


def test_the_manifest_is_written_before_the_first_run(tiny_search, tmp_path):
    exp = load_search_experiment(tiny_search.experiment)
    executor = NoRuns(tmp_path / "new")
    with pytest.raises(RuntimeError, match="no runs"):
        run_policy_search(exp, executor, tmp_path / "new")
    assert executor.seen is True
    assert json.loads((tmp_path / "new" / MANIFEST).read_text())["name"] == "tiny"


class BaseOnly:
    """Hands back empty base runs: enough to reach the study, which refuses the folder."""

    workers = 1

    def map(self, fn, jobs):
        return [None] * len(jobs)


def test_a_resume_refused_for_another_experiment_keeps_the_manifest(tiny_search, copy,
                                                                    tmp_path):
    changed = tmp_path / "changed.toml"
    shutil.copy(tiny_search.experiment.parent / "small.toml", tmp_path / "small.toml")
    changed.write_text(tiny_search.experiment.read_text().replace("seeds = 1", "seeds = 2"))
    before = (copy / MANIFEST).read_bytes()
    with pytest.raises(UsageError, match="another experiment"):
        run_policy_search(load_search_experiment(changed), BaseOnly(), copy)
    assert (copy / MANIFEST).read_bytes() == before


# --- broken folders -------------------------------------------------------------------------
def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(("damage", "message"), [
    (lambda f: f / "missing", "no such folder"),
    (lambda f: f / MANIFEST, "is a file"),
    (lambda f: (f / MANIFEST).unlink() or f, "no search.json: an older crimesim search"),
    (lambda f: [p.unlink() for p in (f / MANIFEST, f / "study.log")] and f,
     "not a search folder (no search.json)"),
    (lambda f: _write(f / MANIFEST, "{not json").parent, "cannot read search.json"),
    (lambda f: _write(f / MANIFEST, json.dumps({"name": "x", "design": "grid"})).parent,
     "search.json is not a crimesim search's manifest"),
    (lambda f: _write(f / MANIFEST, json.dumps({"kind": "crimesim search"})).parent,
     "search.json lacks 'name'"),
    (lambda f: (f / "pareto.csv").unlink() or f, "pareto.csv is missing beside "
                                                 "candidates.csv"),
    (lambda f: _write(f / "candidates.csv", "a,b\n1,2\n").parent,
     "candidates.csv lacks the column 'trial'"),
    (lambda f: _write(f / "candidates.csv", "").parent, "cannot read candidates.csv"),
])
def test_a_broken_folder_is_one_line(copy, damage, message):
    with pytest.raises(SearchFolderError) as caught:
        open_search(damage(copy))
    text = str(caught.value)
    assert message in text and "\n" not in text and "Traceback" not in text


def test_an_unreadable_stress_test_is_a_problem_and_the_rest_opens(copy):
    (copy / "prim_boxes.csv").write_text("box,uncertainty\n1,x\n")
    results = open_search(copy)
    assert results.discovery is None and results.prim_sentences() == []
    assert results.problems == ("the stress test cannot be read: prim_boxes.csv lacks the "
                                "column 'lower'",)
    assert results.pareto_trials() and results.brief is not None


def test_an_unreadable_study_counts_the_tables(copy):
    (copy / "study.log").write_text("not a journal\n")
    results = open_search(copy)
    assert results.done == 4
    assert results.problems and results.problems[0].startswith("cannot read study.log")
