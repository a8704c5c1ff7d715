"""The search loop: optuna proposes candidates in batches, the executors evaluate them.

Any problem with the same shape runs through :func:`run_search`: levers with ranges,
objectives to maximise or minimise, and an ``evaluate`` function that turns a batch
of candidates into each candidate's objectives per uncertainty sample. The crime
model's evaluation is :mod:`sim.analysis.search.evaluation`; the tests also run a cheap
analytic problem with a known Pareto set through this same loop.

The many-objective search is optuna's NSGA-II (``NSGAIISampler``: Deb et al. 2002, the
usual choice for several objectives with constraints), or random search. Each batch's
sampler is seeded from the experiment's seed and the number of candidates done, so a
search gives the same candidates whatever executor or worker count runs it.

The study lives in ``DIR/study.log`` (optuna's journal file, no database). Running the
search again on the same folder continues it: finished candidates are kept and never
evaluated again; candidates that a killed run left unfinished are marked failed and
not counted, so the finished search holds every evaluation exactly once.

Constraints (a candidate is feasible when all are <= 0):

- ``cost_per_year`` (its robust value) minus the budget;
- per floor: the floor minus the lowest coverage of that intervention in any sample.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.search.robust import robust_value
from sim.errors import UsageError

#: The journal file of the study, in the output folder.
STUDY_LOG = "study.log"
#: The study's name in the journal.
STUDY_NAME = "crimesim-search"
#: Objective named in a problem whose robust value is held to the budget.
COST = "cost_per_year"

#: Evaluates a batch: candidates' lever values -> per candidate, per sample, objectives.
Evaluate = Callable[[list[dict[str, float]]], list[list[dict[str, float]]]]


@dataclass(frozen=True)
class Lever:
    """A searched value: name and range (whole numbers if ``integer``)."""

    name: str
    low: float
    high: float
    integer: bool = False


@dataclass(frozen=True)
class SearchProblem:
    """What :func:`run_search` needs to know of a search.

    Attributes:
        levers: The searched values.
        objectives: Objective names, as ``evaluate`` returns them per sample.
        maximise: Per objective, whether more is better.
        statistic: ``quantile`` or ``mean`` (sim/analysis/search/robust.py).
        quantile: The quantile of objectives to maximise (1 - it for the others).
        trials: Candidates to finish in all.
        batch: Candidates proposed and evaluated at once.
        seed: Seeds each batch's sampler (with the number of candidates done).
        sampler: ``nsga2`` or ``random``.
        budget: The cap on the robust ``cost_per_year`` objective (None: none).
        floors: Name -> the lowest value a sample's ``coverage.<name>`` may have.
        fingerprint: What a resumed search must share with the stored one.
    """

    levers: tuple[Lever, ...]
    objectives: tuple[str, ...]
    maximise: tuple[bool, ...]
    statistic: str
    quantile: float
    trials: int
    batch: int
    seed: int
    sampler: str = "nsga2"
    budget: float | None = None
    floors: dict[str, float] = field(default_factory=dict)
    fingerprint: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluated:
    """One finished candidate.

    Attributes:
        number: optuna's trial number.
        levers: Its lever values.
        samples: Its objectives (and coverages) in each uncertainty sample.
        robust: Objective -> its robust value (what the search optimised).
        constraints: The constraint values by name (<= 0: met).
    """

    number: int
    levers: dict[str, float]
    samples: list[dict[str, float]]
    robust: dict[str, float]
    constraints: dict[str, float]

    @property
    def feasible(self) -> bool:
        """Whether every constraint is met."""
        return all(c <= 0 for c in self.constraints.values())


def robust_objectives(problem: SearchProblem, samples: list[dict[str, float]]
                      ) -> dict[str, float]:
    """Each objective's robust value across the samples."""
    return {name: robust_value(np.array([s[name] for s in samples]), problem.statistic,
                               problem.quantile, up)
            for name, up in zip(problem.objectives, problem.maximise, strict=True)}


def constraints_of(problem: SearchProblem, samples: list[dict[str, float]],
                   robust: dict[str, float]) -> dict[str, float]:
    """The constraint values by name (see the module docstring); <= 0 means met."""
    out = {}
    if problem.budget is not None:
        out["budget"] = robust[COST] - problem.budget
    for name, floor in sorted(problem.floors.items()):
        out[f"floor.{name}"] = floor - min(s.get(f"coverage.{name}", 0.0) for s in samples)
    return out


def _open_study(problem: SearchProblem, out: Path) -> Any:
    """Create or load the study in ``out/study.log``; refuse one made for another search."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    existed = (out / STUDY_LOG).is_file()
    out.mkdir(parents=True, exist_ok=True)
    storage = JournalStorage(JournalFileBackend(str(out / STUDY_LOG)))
    if existed:
        try:
            study = optuna.load_study(storage=storage, study_name=STUDY_NAME)
        except (KeyError, ValueError) as exc:
            raise UsageError(f"--out {out}: {STUDY_LOG} holds no search ({exc}); choose a "
                             "new folder") from None
    else:
        study = optuna.create_study(
            storage=storage, study_name=STUDY_NAME,
            directions=["maximize" if up else "minimize" for up in problem.maximise])
    saved = study.user_attrs.get("fingerprint")
    if saved is None:
        study.set_user_attr("fingerprint", problem.fingerprint)
    elif saved != problem.fingerprint:
        changed = sorted(k for k in set(saved) | set(problem.fingerprint)
                         if saved.get(k) != problem.fingerprint.get(k))
        raise UsageError(f"--out {out}: holds a search with another experiment (changed: "
                         f"{', '.join(changed)}); choose a new folder or restore the file")
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        study.tell(trial.number, state=TrialState.FAIL)  # a killed run's unfinished ones
    return study


def finished(study: Any, problem: SearchProblem) -> list[Evaluated]:
    """The study's finished candidates, in trial order."""
    from optuna.trial import TrialState

    out = []
    for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)):
        a = t.user_attrs
        out.append(Evaluated(t.number, {lv.name: float(t.params[lv.name])
                                        for lv in problem.levers},
                             list(a["samples"]), dict(a["robust"]), dict(a["constraints"])))
    return sorted(out, key=lambda e: e.number)


def _sampler(problem: SearchProblem, done: int) -> Any:
    import optuna

    seed = int(np.random.SeedSequence([problem.seed, done]).generate_state(1)[0])
    if problem.sampler == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        # constraints: each trial's set_constraint values (optuna >= 5 reads them)
        return optuna.samplers.NSGAIISampler(population_size=max(problem.batch, 2),
                                             seed=seed)


def run_search(problem: SearchProblem, evaluate: Evaluate, out: str | Path,
               progress: Callable[[int, int], None] | None = None) -> list[Evaluated]:
    """Run (or continue) the search until ``problem.trials`` candidates are finished.

    Args:
        problem: The levers, objectives and settings.
        evaluate: Evaluates a batch of candidates (see :data:`Evaluate`).
        out: The output folder (holds the study's journal).
        progress: Called after each batch with (finished, wanted).

    Returns:
        Every finished candidate, in trial order.
    """
    from optuna.distributions import FloatDistribution, IntDistribution

    out = Path(out)
    dists = {lv.name: (IntDistribution(int(lv.low), int(lv.high)) if lv.integer
                       else FloatDistribution(lv.low, lv.high)) for lv in problem.levers}
    study = _open_study(problem, out)
    done = finished(study, problem)
    while len(done) < problem.trials:
        n = min(problem.batch, problem.trials - len(done))
        study.sampler = _sampler(problem, len(done))
        trials = [study.ask(dists) for _ in range(n)]
        candidates = [{name: float(t.params[name]) for name in dists} for t in trials]
        results = evaluate(candidates)
        for trial, samples in zip(trials, results, strict=True):
            robust = robust_objectives(problem, samples)
            trial.set_user_attr("samples", samples)
            trial.set_user_attr("robust", robust)
            constraints = constraints_of(problem, samples, robust)
            for name, value in constraints.items():
                trial.set_constraint(name, value)
            trial.set_user_attr("constraints", constraints)
            study.tell(trial, [robust[name] for name in problem.objectives])
        done = finished(study, problem)
        if progress:
            progress(len(done), problem.trials)
    return done
