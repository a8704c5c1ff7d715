"""``crimesim calibrate``: fit crime rates and spatial keys to a city's recorded crime.

The search is optuna's, asked and told in batches: each batch's trials are proposed
at once, their simulations are jobs on the project's executors (in-process, local
processes or Dask), and the results are told back in trial order. Every trial runs the
same simulation seeds (common random numbers, derived from ``--seed``), so two trials
start from the same city, residents and offenders and differ by their parameters and
what follows from them; the sampler of each batch is seeded from ``--seed``
and the number of trials done. Results therefore depend on the inputs, ``--seed``,
``--batch`` and the trial count, never on ``--workers``.

The study lives in ``DIR/study.log`` (optuna's journal file: no database). Running the
command again on the same folder continues it: finished trials are kept, never run
again; trials a killed run left unfinished are marked failed and not counted.

Each batch also gets one proposal that is not the sampler's: the best trial so far with
each rate scaled by observed / simulated crimes of its type. Expected counts are nearly
proportional to the rates, so this lands near the best rates in one step; the
sampler's trials around it are what the rates' emulator and the spatial keys' profiles
are fitted to (:func:`summarise`).
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.calibration_space import FittedKey, fitted_keys
from sim.analysis.city_counts import (
    CountJob,
    ObservedCounts,
    SimCounts,
    cells_per_month,
    city_shape,
    count_job,
    count_jobs,
    expected_counts,
    load_observed,
    type_totals,
)
from sim.analysis.count_likelihood import (
    CHI2_95_1DF,
    ProfileInterval,
    dispersion,
    floor_expected,
    poisson_deviance,
    profile_interval,
)
from sim.analysis.executor import Executor
from sim.analysis.rate_emulator import estimate_rate
from sim.analysis.spatial_profile import surface_intervals
from sim.errors import UsageError
from sim.scenario import Scenario

STUDY_LOG = "study.log"
STUDY_NAME = "crimesim-calibrate"


@dataclass(frozen=True)
class CalibrationSetup:
    """Everything a calibration needs, checked before anything is written.

    Attributes:
        scenario_path: The scenario file fitted (the output extends it).
        scenario: It, loaded.
        observed_path: The importer's Parquet.
        observed: Its counts, split into training and held-out months.
        keys: The keys fitted.
        out: The output folder.
        trials: Trials wanted in all (a rerun with more continues).
        seed: Seeds the sampler and the simulations.
        batch: Trials proposed and run at once.
        seeds: The simulation seeds every trial runs (common random numbers).
        burn_in_days: Days each simulation runs before the first observed month.
    """

    scenario_path: Path
    scenario: Scenario
    observed_path: Path
    observed: ObservedCounts
    keys: list[FittedKey]
    out: Path
    trials: int
    seed: int
    batch: int
    seeds: list[int]
    burn_in_days: int

    @property
    def n_train_months(self) -> int:
        """Months the fit uses."""
        return len(self.observed.train_months)

    def fingerprint(self) -> dict[str, Any]:
        """What must not change between a study's runs for its trials to stay valid."""
        blob = self.observed_path.read_bytes()
        return {
            "scenario": self.scenario.digest(),
            "observed": hashlib.sha256(blob).hexdigest()[:16],
            "keys": [[k.key, k.low, k.high, k.log] for k in self.keys],
            "seed": self.seed, "batch": self.batch, "seeds": self.seeds,
            "burn_in_days": self.burn_in_days,
            "holdout_months": self.observed.holdout_months,
        }


def prepare(scenario_path: str | Path, observed_path: str | Path, out: str | Path, *,
            trials: int, seed: int = 0, batch: int = 4, replications: int = 2,
            burn_in_days: int = 0, holdout_months: int | None = None,
            fit: list[str] | None = None) -> CalibrationSetup:
    """Check every input and read the observed crime; write nothing.

    Raises:
        UsageError: Any bad input, in one line (ScenarioError for the scenario file).
    """
    for flag, value in (("--trials", trials), ("--batch", batch),
                        ("--replications", replications)):
        if value < 1:
            raise UsageError(f"{flag} {value}: must be at least 1")
    if burn_in_days < 0:
        raise UsageError(f"--burn-in-days {burn_in_days}: must be 0 or more")
    scenario_path, observed_path, out = Path(scenario_path), Path(observed_path), Path(out)
    if not scenario_path.is_file():
        raise UsageError(f"{scenario_path}: file not found")
    scenario = Scenario.load(scenario_path)
    shape = city_shape(scenario)
    observed = load_observed(observed_path, shape, holdout_months)
    keys = fitted_keys(scenario, list(fit or []), observed.types)
    if out.exists() and (not out.is_dir() or (any(out.iterdir())
                                              and not (out / STUDY_LOG).is_file())):
        raise UsageError(f"--out {out}: exists and is not a calibration folder (no "
                         f"{STUDY_LOG}); choose a new or empty folder")
    seeds = [int(s) for s in np.random.SeedSequence(seed).generate_state(replications)]
    return CalibrationSetup(scenario_path, scenario, observed_path, observed, keys, out,
                            trials, seed, batch, seeds, burn_in_days)


@dataclass
class TrialResult:
    """One finished trial.

    Attributes:
        number: optuna's trial number.
        params: Key -> value.
        deviance: Poisson deviance over the training months (the objective).
        deviance_by_type: Its part for each fitted type.
        holdout_deviance: Poisson deviance over the held-out months (NaN if none).
        expected: Expected crimes in the training months by area and type, shape
            (areas, types): the mean over the trial's runs.
        expected_holdout: The same for the held-out months.
        run_totals: Each run's crimes per type in the training months, (runs, types).
    """

    number: int
    params: dict[str, float]
    deviance: float
    deviance_by_type: list[float]
    holdout_deviance: float
    expected: np.ndarray
    expected_holdout: np.ndarray
    run_totals: np.ndarray


@dataclass
class CalibrationResult:
    """The finished search: every trial, the best, and the intervals.

    Attributes:
        setup: The inputs.
        trials: Every finished trial, in trial order.
        best: The trial with the lowest training deviance.
        fitted: Key -> fitted value (the written scenario's).
        intervals: Key -> 95% interval (on the key's own scale, not the log).
        phi: The dispersion the spatial keys' intervals were widened by.
        final: The fitted values run once more (the written scenario), scored like a
            trial (number -1): the report's figures are of it.
        best_cells: Its expected crimes per cell per month.
        new_trials: Trials run by this call (0 if the study was already complete).
        between_runs: The pooled between-run dispersion the intervals include.
    """

    setup: CalibrationSetup
    trials: list[TrialResult]
    best: TrialResult
    fitted: dict[str, float]
    intervals: dict[str, ProfileInterval]
    phi: float
    final: TrialResult
    best_cells: np.ndarray
    new_trials: int = 0
    between_runs: float = 1.0


def _jobs(setup: CalibrationSetup, params: dict[str, float]) -> list[CountJob]:
    """The simulations of one trial: the scenario with ``params``, once per seed."""
    return count_jobs(setup.scenario.with_overrides(params), setup.seeds, setup.observed,
                      setup.burn_in_days)


def floored(setup: CalibrationSetup, expected: np.ndarray) -> np.ndarray:
    """Expected counts floored at half a simulated crime (over the trial's runs)."""
    return floor_expected(expected, 0.5 / len(setup.seeds))


def score(setup: CalibrationSetup, runs: list[SimCounts]) -> dict[str, Any]:
    """A trial's expected counts, training deviance by type and held-out deviance."""
    obs = setup.observed
    train = expected_counts(runs, obs, held_out=False)
    held = expected_counts(runs, obs, held_out=True)
    by_type = poisson_deviance(obs.train, floored(setup, train)).sum(axis=0)
    held_dev = (float(poisson_deviance(obs.holdout, floored(setup, held)).sum())
                if obs.holdout_months else math.nan)
    return {"deviance_by_type": [float(v) for v in by_type], "holdout_deviance": held_dev,
            "expected": train.tolist(), "expected_holdout": held.tolist(),
            "run_totals": type_totals(runs, obs).tolist()}


def level(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Each type's observed over expected crimes: the scale that matches its total."""
    return observed.sum(axis=0) / np.maximum(expected.sum(axis=0), 1e-12)


def shape_deviance(observed: np.ndarray, expected: np.ndarray) -> float:
    """Poisson deviance after scaling each type's expected counts to the observed total.

    What is left measures where crime is, not how much: the part the spatial keys
    act on (the rates set the totals).
    """
    return float(poisson_deviance(observed, expected * level(observed, expected)).sum())


def between_run_dispersion(trials: list[TrialResult]) -> float:
    """Variance over mean of a type's crimes between runs of the same trial, pooled.

    Offenders differ from seed to seed (their motivation, where they live), so a city's
    crime varies between runs more than Poisson counts do; the observed city is one
    such draw. Pooled over trials and types, at least 1; 1 with one run per trial.
    """
    squares, weights = 0.0, 0.0
    for t in trials:
        totals = t.run_totals
        if totals.shape[0] < 2:
            return 1.0
        mean = totals.mean(axis=0)
        squares += float(np.sum(totals.var(axis=0, ddof=1)))
        weights += float(np.sum(mean))
    return max(1.0, squares / weights) if weights > 0 else 1.0


def _open_study(setup: CalibrationSetup) -> Any:
    """Create or load the study in ``out/study.log``; refuse one made with other inputs."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    existed = (setup.out / STUDY_LOG).is_file()
    setup.out.mkdir(parents=True, exist_ok=True)
    storage = JournalStorage(JournalFileBackend(str(setup.out / STUDY_LOG)))
    if existed:  # loading writes nothing, so a refused study stays as it was
        try:
            study = optuna.load_study(storage=storage, study_name=STUDY_NAME)
        except (KeyError, ValueError) as exc:
            raise UsageError(f"--out {setup.out}: {STUDY_LOG} holds no calibration study "
                             f"({exc}); choose a new folder") from None
    else:
        study = optuna.create_study(storage=storage, study_name=STUDY_NAME,
                                    direction="minimize")
    settings = setup.fingerprint()
    saved = study.user_attrs.get("settings")
    if saved is None:
        study.set_user_attr("settings", settings)
    elif saved != settings:
        changed = [k for k in settings if saved.get(k) != settings[k]]
        raise UsageError(f"--out {setup.out}: holds a calibration with other inputs "
                         f"({', '.join(changed)}); choose a new folder")
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        study.tell(trial.number, state=TrialState.FAIL)
    return study


def _completed(study: Any, setup: CalibrationSetup) -> list[TrialResult]:
    from optuna.trial import TrialState

    out = []
    for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)):
        a = t.user_attrs
        out.append(TrialResult(t.number, {k.key: float(t.params[k.key]) for k in setup.keys},
                               float(t.value), list(a["deviance_by_type"]),
                               float(a["holdout_deviance"]),
                               np.asarray(a["expected"], np.float64),
                               np.asarray(a["expected_holdout"], np.float64),
                               np.asarray(a["run_totals"], np.float64)))
    return sorted(out, key=lambda r: r.number)


def _rate_matched(setup: CalibrationSetup, done: list[TrialResult]) -> dict[str, float] | None:
    """The best trial with each fitted rate scaled by observed / simulated crimes."""
    if not done:
        return {k.key: k.start for k in setup.keys}
    best = min(done, key=lambda r: r.deviance)
    obs_total = setup.observed.train.sum(axis=0)
    sim_total = best.expected.sum(axis=0)
    params = dict(best.params)
    moved = False
    for k in setup.keys:
        t = k.crime_type
        if t is None or t not in setup.observed.types:
            continue
        i = setup.observed.types.index(t)
        ratio = obs_total[i] / max(sim_total[i], 0.5)
        if abs(math.log(max(ratio, 1e-9))) > 0.02:
            params[k.key] = k.clip(params[k.key] * ratio)
            moved = True
    known = {tuple(r.params[k.key] for k in setup.keys) for r in done}
    if not moved or tuple(params[k.key] for k in setup.keys) in known:
        return None
    return params


def run_calibration(setup: CalibrationSetup, executor: Executor,
                    progress: Callable[[int, int, float], None] | None = None
                    ) -> CalibrationResult:
    """Run (or continue) the search until ``setup.trials`` trials are finished.

    Args:
        setup: From :func:`prepare`.
        executor: Runs the simulations.
        progress: Called after each batch with (trials done, trials wanted, best deviance).
    """
    import optuna
    from optuna.distributions import FloatDistribution

    dists = {k.key: FloatDistribution(k.low, k.high, log=k.log) for k in setup.keys}
    study = _open_study(setup)
    done = _completed(study, setup)
    new = 0
    while len(done) < setup.trials:
        n = min(setup.batch, setup.trials - len(done))
        batch_seed = int(np.random.SeedSequence([setup.seed, len(done)]).generate_state(1)[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            study.sampler = optuna.samplers.TPESampler(
                seed=batch_seed, multivariate=True,
                n_startup_trials=max(4, min(10, setup.trials // 3)))
        proposal = _rate_matched(setup, done)
        trials = []
        for i in range(n):
            if i == 0 and proposal is not None:
                study.enqueue_trial(proposal)
            trials.append(study.ask(dists))
        params = [{k.key: float(t.params[k.key]) for k in setup.keys} for t in trials]
        jobs = [job for p in params for job in _jobs(setup, p)]
        runs = executor.map(count_job, jobs)
        r = len(setup.seeds)
        for j, trial in enumerate(trials):
            scores = score(setup, runs[j * r:(j + 1) * r])
            for name, value in scores.items():
                trial.set_user_attr(name, value)
            study.tell(trial, sum(scores["deviance_by_type"]))
        new += n
        done = _completed(study, setup)
        if progress:
            progress(len(done), setup.trials, min(t.deviance for t in done))
    return summarise(setup, done, executor, new)


def _rate_interval(setup: CalibrationSetup, design: np.ndarray, totals: np.ndarray,
                   observed: float, spread: float, column: int, at: np.ndarray,
                   spatial: dict[int, ProfileInterval], fitted: dict[str, float]
                   ) -> ProfileInterval:
    """A rate's estimate (into ``fitted``) and interval, over the spatial keys' intervals.

    The rate that matches the observed total depends on the spatial keys (a stronger
    deprivation gain makes more crime at the same rate). The emulator gives the rate
    with them at the best trial's values; the interval is the union of the intervals
    with each spatial key at either end of its own interval, so their uncertainty is
    carried into the rate's.
    """
    k = setup.keys[column]
    bounds = (k.scale(k.low), k.scale(k.high))
    runs = len(setup.seeds)
    est = estimate_rate(design, totals, runs, observed, spread, bounds, column, at)
    fitted[k.key] = math.exp(est.log_rate)
    low, high, open_low, open_high = est.low, est.high, est.open_low, est.open_high
    corners = [at.copy()]
    for j, iv in spatial.items():
        corners = [c2 for c in corners for c2 in (c, _with(c, j, iv.low), _with(c, j, iv.high))]
    for corner in corners:
        e = estimate_rate(design, totals, runs, observed, spread, bounds, column, corner)
        low, open_low = min(low, e.low), open_low or e.open_low
        high, open_high = max(high, e.high), open_high or e.open_high
    return ProfileInterval(low, high, open_low, open_high)


def _with(values: np.ndarray, j: int, value: float) -> np.ndarray:
    out = values.copy()
    out[j] = value
    return out


def summarise(setup: CalibrationSetup, done: list[TrialResult], executor: Executor,
              new_trials: int) -> CalibrationResult:
    """The fitted values and their 95% intervals, from every finished trial.

    A spatial key acts on where crime is, not how much, so it is read from the shape
    deviance (each type scaled to its observed total): from the minimum and profile of
    a quadratic surface fitted to the trials (:mod:`sim.analysis.spatial_profile`),
    or, when that surface has no minimum, from the trial with the best shape and the
    profile over the trials
    (:func:`~sim.analysis.count_likelihood.profile_interval`). A rate sets how much
    crime there is and is read from the emulator of its type's crimes
    (:mod:`sim.analysis.rate_emulator`), which smooths over all trials so one lucky
    run does not decide it.
    """
    best = min(done, key=lambda r: (r.deviance, r.number))
    obs = setup.observed
    noise = 1.0 + 1.0 / len(setup.seeds)
    spread = between_run_dispersion(done)
    pearson = dispersion(obs.train, floored(setup, best.expected) * level(
        obs.train, floored(setup, best.expected)), len(setup.keys), noise * spread)
    phi = noise * spread * pearson
    shapes = np.array([shape_deviance(obs.train, floored(setup, t.expected)) for t in done])
    best_shape = done[int(np.argmin(shapes))]
    fitted = dict(best_shape.params)
    design = np.array([[k.scale(t.params[k.key]) for k in setup.keys] for t in done])
    at = np.array([k.scale(best_shape.params[k.key]) for k in setup.keys])
    is_rate = [k.crime_type is not None for k in setup.keys]
    scaled: dict[int, ProfileInterval] = {}
    where = [j for j in range(len(setup.keys)) if not is_rate[j]]
    cut = phi * CHI2_95_1DF
    bounds = [(setup.keys[j].scale(setup.keys[j].low), setup.keys[j].scale(setup.keys[j].high))
              for j in where]
    surface = surface_intervals(design[:, where], shapes, bounds, cut) if where else None
    for n, j in enumerate(where):
        k = setup.keys[j]
        if surface is not None:
            s = surface[n]
            scaled[j] = ProfileInterval(s.low, s.high, s.open_low, s.open_high)
            at[j] = s.value
            fitted[k.key] = s.value
        else:
            scaled[j] = profile_interval(design[:, j], shapes, cut, bounds[n])
    spatial = dict(scaled)
    for j, k in enumerate(setup.keys):
        if is_rate[j]:
            i = obs.types.index(k.crime_type)
            totals = np.array([t.run_totals[:, i].sum() for t in done])
            scaled[j] = _rate_interval(setup, design, totals, float(obs.train[:, i].sum()),
                                       spread, j, at, spatial, fitted)
    intervals = {}
    for j, k in enumerate(setup.keys):
        iv = scaled[j]
        if k.log:
            iv = ProfileInterval(math.exp(iv.low), math.exp(iv.high), iv.open_low,
                                 iv.open_high)
        intervals[k.key] = iv
    runs = executor.map(count_job, _jobs(setup, fitted))
    scores = score(setup, runs)
    final = TrialResult(-1, fitted, sum(scores["deviance_by_type"]),
                        scores["deviance_by_type"], scores["holdout_deviance"],
                        np.asarray(scores["expected"]), np.asarray(scores["expected_holdout"]),
                        np.asarray(scores["run_totals"]))
    return CalibrationResult(setup, done, best, fitted, intervals, phi, final,
                             cells_per_month(runs, obs), new_trials, spread)
