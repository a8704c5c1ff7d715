"""``crimesim search`` on a small city: the files, the numbers behind them, resuming,
and bad experiment files refused in one line before any run."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from cli_support import assert_usage_error, crimesim
from search_support import small_city as write_small_city

from sim import Scenario
from sim.analysis.outcome import run_outcome

SPLIT = ["street_lighting", "youth_programme"]


def small_city(folder) -> str:
    """A small baseline city as a scenario file beside the experiment."""
    return write_small_city(folder).name


def experiment(folder, **changes: str) -> str:
    """A tiny search: 2 levers, 2 futures, 1 seed, 4 candidates (``changes``: raw lines)."""
    parts = {
        "top": f'name = "tiny"\nscenario = "{small_city(folder)}"\ndays = 20\n'
               'start_day = 5\nseed = 101\nseeds = 1\ntrials = 4\nbatch = 2\n',
        "budget": f"[budget]\nper_year = 400000\nsplit = {SPLIT!r}\n".replace("'", '"'),
        "uncertainties": '[uncertainties]\n"police.deterrence" = [0.8, 1.6]\n',
        "robustness": "[robustness]\nstatistic = \"quantile\"\nquantile = 0.25\nsamples = 2\n",
        "objectives": '[objectives]\ngroups = ["everyone", "women_and_girls"]\n',
        "discovery": "[discovery]\nsamples = 8\nseeds = 2\nfails_below = 0.0\n",
        "brief": "[brief]\nmixes = 1\nreps = 2\n",
    }
    parts.update(changes)
    path = folder / "search.toml"
    path.write_text("\n".join(textwrap.dedent(p) for p in parts.values()))
    return str(path)


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    exp = experiment(folder)
    code = crimesim_quiet(["search", exp, "--workers", "1", "--out", str(folder / "out"),
                           "--quiet"])
    assert code == 0
    return folder, exp


def crimesim_quiet(args):
    from sim.cli.main import main

    return main(args)


def test_every_evaluation_is_written_once(searched):
    folder, _ = searched
    out = folder / "out"
    evaluations = pd.read_csv(out / "evaluations.csv")
    assert len(evaluations) == 4 * 2  # candidates x futures
    assert not evaluations.duplicated(["trial", "sample"]).any()
    candidates = pd.read_csv(out / "candidates.csv")
    assert sorted(candidates["trial"]) == sorted(evaluations["trial"].unique())
    shares = candidates[[f"budget_share.{s}" for s in SPLIT]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    assert (out / "pareto.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_pareto_set_is_the_non_dominated_feasible_candidates(searched):
    folder, _ = searched
    candidates = pd.read_csv(folder / "out" / "candidates.csv")
    pareto = pd.read_csv(folder / "out" / "pareto.csv")
    feasible = candidates[candidates["feasible"]]
    harm = ["harm_prevented.everyone", "harm_prevented.women_and_girls"]
    for _, row in feasible.iterrows():  # by hand: dominated <=> not in the Pareto table
        better = ((feasible[harm] >= row[harm]).all(axis=1)
                  & (feasible["cost_per_year"] <= row["cost_per_year"])
                  & ((feasible[harm] > row[harm]).any(axis=1)
                     | (feasible["cost_per_year"] < row["cost_per_year"])))
        assert better.any() == (row["trial"] not in set(pareto["trial"]))


def test_harm_prevented_is_the_base_runs_harm_minus_the_candidates(searched):
    """One evaluation rebuilt by hand from the experiment's words: the same seed and
    future, the shares' budgets over the 15 running days, measured from day 5."""
    folder, _ = searched
    evaluations = pd.read_csv(folder / "out" / "evaluations.csv")
    row = evaluations.iloc[0]
    base = Scenario.load(folder / "small.toml").with_overrides(
        {"police.deterrence": float(row["uncertainty.police.deterrence"])})
    weights = np.array([row[f"share.{s}"] for s in SPLIT])
    over = {}
    for label, weight in zip(SPLIT, weights, strict=True):
        over[f"interventions.{label}.start_tick"] = 5 * 24
        over[f"interventions.{label}.budget"] = weight / weights.sum() * 400000 * 15 / 365
    alt = base.with_overrides(over)
    b = run_outcome(base, 101, 20 * 24, 5 * 24)
    a = run_outcome(alt, 101, 20 * 24, 5 * 24)
    for group in ("everyone", "women_and_girls"):
        assert row[f"harm_prevented.{group}"] == pytest.approx(
            b.group_harm(group) - a.group_harm(group))


def test_a_stress_test_future_is_the_mean_of_its_paired_seeds(searched):
    """The first discovery future rebuilt by hand: the chosen mix's levers, that
    future's deterrence, seeds 101 and 102 for the mix and the base city alike."""
    folder, _ = searched
    out = folder / "out"
    pareto = pd.read_csv(out / "pareto.csv")
    best = pareto.sort_values("harm_prevented.everyone", ascending=False).iloc[0]
    future = pd.read_csv(out / "discovery.csv").iloc[0]
    deterrence = {"police.deterrence": float(future["uncertainty.police.deterrence"])}
    base = Scenario.load(folder / "small.toml").with_overrides(deterrence)
    mix = Scenario.load(out / "mixes" / f"mix_{int(best['trial'])}.toml").with_overrides(
        deterrence)
    prevented = [run_outcome(base, seed, 20 * 24, 5 * 24).group_harm("everyone")
                 - run_outcome(mix, seed, 20 * 24, 5 * 24).group_harm("everyone")
                 for seed in (101, 102)]
    assert future["harm_prevented.everyone"] == pytest.approx(np.mean(prevented))


def test_a_second_run_needs_resume_and_then_continues(searched, capsys, tmp_path):
    folder, exp = searched
    out = str(folder / "out")
    code, _, err = crimesim(capsys, "search", exp, "--workers", "1", "--out", out)
    assert_usage_error(code, err, "holds a search already", "--resume")
    code, _, err = crimesim(capsys, "search", exp, "--resume", "--out", str(tmp_path / "new"))
    assert_usage_error(code, err, "--resume", "holds no search")
    before = pd.read_csv(folder / "out" / "candidates.csv")
    more = experiment(folder, top='name = "tiny"\nscenario = "small.toml"\ndays = 20\n'
                      'start_day = 5\nseed = 101\nseeds = 1\ntrials = 6\nbatch = 2\n')
    code, _, _ = crimesim(capsys, "search", more, "--workers", "1", "--out", out, "--resume",
                          "--quiet")
    assert code == 0
    after = pd.read_csv(folder / "out" / "candidates.csv")
    assert len(after) == 6
    pd.testing.assert_frame_equal(after[after["trial"].isin(before["trial"])][
        ["trial", *[f"share.{s}" for s in SPLIT]]].reset_index(drop=True),
        before[["trial", *[f"share.{s}" for s in SPLIT]]])


def test_the_chosen_mix_is_a_scenario_file_a_comparison_and_a_stress_test(searched):
    folder, _ = searched
    out = folder / "out"
    pareto = pd.read_csv(out / "pareto.csv")
    best = pareto.sort_values("harm_prevented.everyone", ascending=False).iloc[0]
    mix = Scenario.load(out / "mixes" / f"mix_{int(best['trial'])}.toml")
    plugins = mix.params.interventions.to_dict()
    weights = np.array([best[f"share.{s}"] for s in SPLIT])
    for label, weight in zip(SPLIT, weights, strict=True):  # the shares' budgets, by hand
        assert plugins[label]["start_tick"] == 5 * 24
        assert plugins[label]["budget"] == pytest.approx(
            weight / weights.sum() * 400000 * 15 / 365)
    futures = pd.read_csv(out / "discovery.csv")
    assert len(futures) == 8
    assert (futures["failed"] == (futures["harm_prevented.everyone"] <= 0.0)).all()
    boxes = pd.read_csv(out / "prim_boxes.csv")
    assert list(boxes.columns) == ["box", "uncertainty", "lower", "upper", "coverage",
                                   "density", "mass"]
    assert (out / "prim_boxes.png").read_bytes()[:4] == b"\x89PNG"
    report = (out / "brief" / "report.html").read_text()
    assert f"mix_{int(best['trial'])}" in report and "<script" not in report


def test_a_local_dask_cluster_gives_the_same_candidates(searched, tmp_path):
    """Common random numbers and seeded generations: the executor changes nothing."""
    folder, exp = searched
    code = crimesim_quiet(["search", exp, "--workers", "2", "--cluster", "--out",
                           str(tmp_path / "dask"), "--quiet"])
    assert code == 0
    here = pd.read_csv(folder / "out" / "evaluations.csv").sort_values(["trial", "sample"])
    there = pd.read_csv(tmp_path / "dask" / "evaluations.csv").sort_values(["trial", "sample"])
    pd.testing.assert_frame_equal(here.reset_index(drop=True), there.reset_index(drop=True))


BAD = [
    ({"budget": "[budget]\nper_year = 0\nsplit = [\"street_lighting\"]\n"},
     "[budget] per_year: must be > 0"),
    ({"budget": "[budget]\nper_year = -5\nsplit = [\"street_lighting\"]\n"},
     "[budget] per_year: must be > 0"),
    ({"budget": "[budget]\nper_year = 1000\n"}, "no levers"),
    ({"budget": "[budget]\nsplit = [\"street_lighting\"]\n"}, "[budget] per_year: missing"),
    ({"uncertainties": '[uncertainties]\n"police.deterence" = [0.8, 1.6]\n'},
     "[uncertainties] police.deterence: not a scenario key"),
    ({"uncertainties": '[uncertainties]\n"police.deterrence" = [1.6, 0.8]\n'},
     "the range must go from low to high"),
    ({"budget": "[budget]\nper_year = 1000\nsplit = [\"street_lights\"]\n"},
     "'street_lights' is not an intervention"),
    ({"objectives": '[objectives]\ngroups = ["teenagers"]\n'}, "unknown group 'teenagers'"),
    ({"top": 'name = "x"\nscenario = "small.toml"\ntrails = 4\n'}, "unknown key 'trails'"),
    ({"robustness": "[robustness]\nstatistic = \"median\"\n"},
     "[robustness] statistic: expected one of quantile, mean"),
    ({"floors": "[floors]\nstreet_lighting = 0.5\n"},
     "[floors] need about"),  # 75 lamps cost far more than 400,000 a year
    ({"floors": "[floors]\nyouth_programme = 0.9\n"},
     "youth_programme: 0.9 is above the coverage"),
]


@pytest.mark.parametrize(("changes", "words"), BAD, ids=[w for _, w in BAD])
def test_a_bad_experiment_is_one_line_before_any_run(tmp_path, capsys, changes, words):
    exp = experiment(tmp_path, **changes)
    out = tmp_path / "out"
    code, _, err = crimesim(capsys, "search", exp, "--out", str(out))
    assert_usage_error(code, err, words)
    assert not out.exists()  # nothing ran, nothing was written
