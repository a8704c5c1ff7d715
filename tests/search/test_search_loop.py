"""The search loop on a cheap problem: it finds a known optimum, respects the budget
and a killed search resumes with every evaluation exactly once.

The problem has the crime search's shape (levers with ranges, objectives per
uncertainty sample, a cost held to a budget) but its objectives are formulas:
harm prevented ``u * (1 - (x - 0.7)^2 - (y - 0.2)^2)`` in a future where the
uncertainty is ``u`` (0.5, 1 or 1.5), and cost ``x``. Its best point is
(x, y) = (0.7, 0.2) without a budget, and (0.5, 0.2) when cost must stay <= 0.5.
"""

from __future__ import annotations

import math

import pytest

from sim.analysis.search.optimiser import Lever, SearchProblem, finished, run_search
from sim.errors import UsageError

FUTURES = (0.5, 1.0, 1.5)


def problem(**changes) -> SearchProblem:
    settings = dict(levers=(Lever("x", 0.0, 1.0), Lever("y", 0.0, 1.0)),
                    objectives=("harm_prevented.everyone", "cost_per_year"),
                    maximise=(True, False), statistic="quantile", quantile=0.25,
                    trials=48, batch=8, seed=7, fingerprint={"problem": "cheap"})
    settings.update(changes)
    return SearchProblem(**settings)


def evaluate(candidates):
    return [[{"harm_prevented.everyone": u * (1 - (c["x"] - 0.7) ** 2 - (c["y"] - 0.2) ** 2),
              "cost_per_year": c["x"]} for u in FUTURES] for c in candidates]


def best(results, budget=math.inf):
    ok = [r for r in results if r.robust["cost_per_year"] <= budget]
    return max(ok, key=lambda r: r.robust["harm_prevented.everyone"])


def test_the_search_finds_the_known_optimum(tmp_path):
    results = run_search(problem(), evaluate, tmp_path)
    assert len(results) == 48 and len({r.number for r in results}) == 48
    top = best(results)
    # Within 0.15 of (0.7, 0.2): even 48 uniform random points miss that disc with
    # probability (1 - pi 0.15^2)^48 = 0.03; NSGA-II's generations close in on it.
    assert math.dist((top.levers["x"], top.levers["y"]), (0.7, 0.2)) < 0.15
    # the robust harm is the 0.25 quantile over the futures (numpy's linear method:
    # 0.5 + 0.5 * (1.0 - 0.5) = 0.75 of the point's value at u = 1)
    value = 1 - (top.levers["x"] - 0.7) ** 2 - (top.levers["y"] - 0.2) ** 2
    assert top.robust["harm_prevented.everyone"] == pytest.approx(0.75 * value)


def test_the_budget_makes_dearer_candidates_infeasible(tmp_path):
    results = run_search(problem(budget=0.5, fingerprint={"problem": "budget"}), evaluate,
                         tmp_path)
    for r in results:
        assert r.feasible == (r.levers["x"] <= 0.5)  # cost = x, held to 0.5
    top = best([r for r in results if r.feasible])
    assert math.dist((top.levers["x"], top.levers["y"]), (0.5, 0.2)) < 0.15
    # feasible candidates dominate the later generations (NSGA-II's constraint rule)
    last = [r for r in results if r.number >= 40]
    assert sum(r.feasible for r in last) >= len(last) / 2


def test_a_killed_search_resumes_with_every_evaluation_once(tmp_path):
    before_kill: list[dict[str, float]] = []

    def dies_in_the_third_batch(candidates):
        if len(before_kill) == 16:
            raise KeyboardInterrupt  # the user's Ctrl-C, mid-search
        before_kill.extend(candidates)
        return evaluate(candidates)

    with pytest.raises(KeyboardInterrupt):
        run_search(problem(), dies_in_the_third_batch, tmp_path)
    seen: list[dict[str, float]] = []

    def counting(candidates):
        seen.extend(candidates)
        return evaluate(candidates)

    resumed = run_search(problem(), counting, tmp_path)
    assert len(seen) == 48 - 16  # the two finished batches are not evaluated again
    assert len(resumed) == 48 and len({r.number for r in resumed}) == 48
    assert [r.levers for r in resumed[:16]] == before_kill  # kept as they were
    assert [r.levers for r in resumed[16:]] == seen  # and each new one once
    # the killed batch's candidates (trials 16-23) were asked, never finished: not kept
    assert not {16, 17, 18, 19, 20, 21, 22, 23} & {r.number for r in resumed}


def test_another_experiment_in_the_same_folder_is_refused(tmp_path):
    run_search(problem(trials=8), evaluate, tmp_path)
    with pytest.raises(UsageError, match="holds a search with another experiment"):
        run_search(problem(trials=8, fingerprint={"problem": "other"}), evaluate, tmp_path)


def test_random_search_runs_through_the_same_loop(tmp_path):
    results = run_search(problem(sampler="random", trials=16), evaluate, tmp_path)
    assert len(results) == 16
    from optuna import load_study
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    study = load_study(storage=JournalStorage(JournalFileBackend(str(tmp_path / "study.log"))),
                       study_name="crimesim-search")
    assert [r.levers for r in finished(study, problem(trials=16))] == [r.levers for r in results]
