"""Which assumptions drive a result: a quick one-at-a-time (OAT) sensitivity check.

A comparison says an intervention changes total crime by some percentage. That figure
rests on the model's assumptions: how many offenders there are, how strongly police
deter, how far offenders travel, ... This module moves each such key down and up by a
relative ``step`` (25% by default), one at a time, in **both** the base and the
alternative (an assumption about the city holds in both worlds), reruns the paired
comparison, and ranks the keys by how far the effect swings between the low and the
high value. An intervention's own parameters (its coverage and dose keys) are moved in
the scenarios that hold the intervention.

The effect is the one the comparison reports: the % change in total crime over the
evaluation window (from the first intervention start, :func:`evaluation_start`), the
alternative against the base, paired over the same seeds (common random numbers) and
averaged over replications -- the same formula as :func:`sim.analysis.stats.
paired_change`, so a row's effect equals a comparison run with ``--set key=value``.

Runs that are the same scenario with the same seed are run once: a perturbed base is
shared by every alternative, and a perturbation that leaves a scenario unchanged reuses
its central run. All runs go to the executor in one replication-major batch.

This is a local screen around one point, not a global sensitivity analysis: it misses
interactions and non-linear responses further away (docs/sweeps.md has the Sobol tools).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from sim.analysis.compare import RunJob, plan, run_job, unique_labels
from sim.analysis.effects import find
from sim.analysis.executor import Executor, InProcessExecutor
from sim.analysis.outcome import evaluation_start
from sim.analysis.quantiles import t95
from sim.analysis.sensitivity_defaults import BRIEF_REPS, BRIEF_WINDOW_DAYS
from sim.fields import Field
from sim.plugins.registry import get as plugin_class
from sim.scenario import Scenario, ScenarioError, flatten

#: The model's main behavioural assumptions, checked by default, with plain labels.
#: Chosen from the mechanisms every intervention acts through (docs/ODD.md): the
#: offenders (how many, how motivated, how restrained by trust), police presence and
#: deterrence, the journey to crime, near-repeat and repeat victimisation, guardianship
#: and trust in police, and the night-time risk street lighting works on.
CANDIDATES: dict[str, str] = {
    "offenders.count": "number of offenders",
    "offenders.motivation_mean": "offenders' mean motivation",
    "offenders.compliance": "how much trust in police restrains offenders",
    "police.count": "patrol units on duty",
    "police.deterrence": "deterrence by each officer nearby",
    "deterrence.sensitivity": "offenders' response to their perceived risk of arrest",
    "awareness.leisure_km": "distance of offenders' leisure places from home "
                            "(journey to crime)",
    "near_repeat.theta": "near-repeat rise in a cell's attractiveness per crime",
    "repeat.boost": "repeat-burglary risk near a remembered burglary",
    "guardianship.crowd": "natural surveillance by people present",
    "guardianship.cooperation": "guardianship from residents' trust in police",
    "residents.legitimacy_mean": "residents' mean trust in police",
    "crime.robbery.darkness": "extra night-time robbery risk in unlit streets",
}

#: Common intervention keys that are not doses: timing and money (costs change what a
#: policy costs, not what it does to crime).
NOT_DOSES = frozenset({"type", "start_tick", "end_tick", "budget", "setup_cost",
                       "running_cost"})

#: Relative step of the check: each key at (1 - step) and (1 + step) times its value.
DEFAULT_STEP = 0.25


@dataclass(frozen=True)
class SensitivityRow:
    """How the effect moves when one key is set low and high.

    Attributes:
        key: The dotted key (``offenders.count``, ``interventions.<label>.coverage``).
        label: What the key means, in plain words.
        low_value, high_value: The key's value in the low and high runs (the base's
            value for model keys, the alternative's for intervention keys).
        effect_low_pct, effect_high_pct: % change in total crime, alternative vs
            base, with the key low and high.
        swing_pct: ``|effect_high_pct - effect_low_pct|``, in percentage points.
    """

    key: str
    label: str
    low_value: float
    high_value: float
    effect_low_pct: float
    effect_high_pct: float
    swing_pct: float


@dataclass
class SensitivityResult:
    """One alternative's check: its central effect, the ranked rows, the keys skipped.

    Attributes:
        central_pct: % change in total crime with every key at its value.
        rows: The keys that could be moved, largest swing first (``top`` of them).
        skipped: Key -> why it was not moved (at 0, a step that rounds away, a value
            the scenario refuses).
        reps: Paired replications per point.
        days: Days per run.
        start_day: First day of the evaluation window.
        step: The relative step.
        noise_pct: The swing one would see from replication noise alone: sqrt(2) x
            the standard error of the central effect, in percentage points (the low
            and high effects are two such estimates). NaN with one replication, which
            cannot tell a swing from noise.
    """

    central_pct: float
    rows: list[SensitivityRow]
    skipped: dict[str, str] = field(default_factory=dict)
    reps: int = 1
    days: float = 0.0
    start_day: float = 0.0
    step: float = DEFAULT_STEP
    noise_pct: float = math.nan


def crimes_in_window(job: RunJob) -> float:
    """Total crimes in the job's evaluation window (module-level: process pools pickle it)."""
    return float(run_job(job).totals["crimes_total"])


def percent_change(base: np.ndarray, alt: np.ndarray) -> float:
    """% change of the paired means, as :func:`sim.analysis.stats.paired_change` computes it."""
    b = float(np.asarray(base, float).mean())
    if b == 0:
        return math.nan
    return 100.0 * float((np.asarray(alt, float) - np.asarray(base, float)).mean()) / b


def swing_noise(base: np.ndarray, alt: np.ndarray) -> float:
    """sqrt(2) x the standard error of :func:`percent_change`, from the paired runs."""
    base, alt = np.asarray(base, float), np.asarray(alt, float)
    b = float(base.mean())
    if base.size < 2 or b == 0:
        return math.nan
    se = float((alt - base).std(ddof=1)) / math.sqrt(base.size)
    return math.sqrt(2.0) * 100.0 * se / abs(b)


def key_field(scenario: Scenario, key: str) -> Field:
    """The declaration of ``key`` in ``scenario``, checked to be a number.

    Raises:
        ScenarioError: An unknown key, an intervention the scenario does not hold,
            or a key that is not a number.
    """
    parts = key.split(".")
    if parts[0] == "interventions":
        if len(parts) != 3:
            raise ScenarioError(f"{key}: name an intervention's key as "
                                "interventions.<label>.<key>")
        settings = scenario.params.interventions.to_dict().get(parts[1])
        if settings is None:
            raise ScenarioError(f"{key}: the scenario has no intervention {parts[1]!r}")
        declared = plugin_class(settings["type"]).fields().get(parts[2])
        if not isinstance(declared, Field):
            raise ScenarioError(f"{key}: unknown key of intervention {parts[1]!r}")
    else:
        declared = flatten().get(key)
        if declared is None:
            raise ScenarioError(f"{key}: unknown key")
    if declared.kind not in ("int", "float") or parts[-1] in NOT_DOSES:
        raise ScenarioError(f"{key}: not a numeric assumption a step can move "
                            f"({declared.kind})")
    return declared


def check_keys(base: Scenario, alternatives: Sequence[Scenario], keys: Sequence[str]) -> None:
    """Check every key is a number the check can move, before anything runs.

    An ``interventions.<label>.<key>`` must name an intervention some alternative holds.

    Raises:
        ScenarioError: The first unknown or non-numeric key.
    """
    for key in keys:
        owners = [base] if not key.startswith("interventions.") else [
            a for a in alternatives if len(key.split(".")) > 1
            and key.split(".")[1] in a.params.interventions.to_dict()]
        key_field(owners[0] if owners else base, key)


def dose_keys(alternative: Scenario) -> list[str]:
    """The alternative's own numeric intervention parameters: coverage and dose keys."""
    keys = []
    for label, settings in alternative.params.interventions.to_dict().items():
        for name, declared in plugin_class(settings["type"]).fields().items():
            if (isinstance(declared, Field) and declared.kind in ("int", "float")
                    and name not in NOT_DOSES):
                keys.append(f"interventions.{label}.{name}")
    return keys


def label_of(key: str, declared: Field) -> str:
    """A plain label: the curated one, else the first clause of the key's help."""
    if key in CANDIDATES:
        return CANDIDATES[key]
    text = declared.help.split(";")[0].split(" (")[0].strip()
    if key.startswith("interventions."):
        return f"{key.split('.')[1].replace('_', ' ')}: {text}"
    return text


def stepped(value: float, declared: Field, factor: float) -> float | int:
    """``value * factor`` kept inside the key's range; integers rounded."""
    new = value * factor
    if declared.low is not None:
        new = max(new, declared.low)
    if declared.high is not None:
        new = min(new, declared.high)
    if declared.kind == "int":
        new = int(round(new))
        if declared.low is not None and new < declared.low:
            new = int(math.ceil(declared.low))
        return new
    return float(f"{new:.12g}")  # 0.45, not 0.44999999999999996, in files and tables


def perturbed(scenario: Scenario, key: str, factor: float) -> tuple[Scenario, float]:
    """``scenario`` with ``key`` scaled by ``factor`` (unchanged if it lacks the key).

    Returns:
        The scenario and the key's new value (NaN if it lacks the key).

    Raises:
        ScenarioError: The new value is refused by the scenario's cross-checks.
    """
    try:
        value = scenario[key]
    except KeyError:
        return scenario, math.nan
    new = stepped(float(value), key_field(scenario, key), factor)
    if new == value:
        return scenario, float(new)
    return scenario.with_overrides({key: new}), float(new)


@dataclass
class _Point:
    """One (key, direction): the perturbed base and alternatives, and the key's value."""

    key: str
    factor: float
    base: Scenario
    alternatives: dict[str, Scenario]
    value: float


def _points(base: Scenario, alts: dict[str, Scenario], keys: Sequence[str] | None,
            step: float) -> tuple[list[_Point], dict[str, dict[str, str]], dict[str, str]]:
    """Every (key, direction) to run, the keys skipped per alternative, the labels."""
    skipped: dict[str, dict[str, str]] = {label: {} for label in alts}
    labels: dict[str, str] = {}
    wanted: dict[str, list[str]] = {}
    for label, alt in alts.items():
        own = list(keys) if keys is not None else [*CANDIDATES, *dose_keys(alt)]
        wanted[label] = [k for k in own if not k.startswith("interventions.")
                         or k.split(".")[1] in alt.params.interventions.to_dict()]
    all_keys = list(dict.fromkeys(k for ks in wanted.values() for k in ks))
    points = []
    for key in all_keys:
        owner = base if not key.startswith("interventions.") else next(
            a for lab, a in alts.items() if key in wanted[lab])
        declared = key_field(owner, key)
        labels[key] = label_of(key, declared)
        if float(owner[key]) == 0.0:
            reason = "0 here: a relative step leaves it at 0"
        else:
            reason = ""
            steps = [stepped(float(owner[key]), declared, f) for f in (1 - step, 1 + step)]
            if all(v == owner[key] for v in steps):
                reason = f"a {step:.0%} step does not change it (rounding or its range)"
        for factor in (1 - step, 1 + step):
            if reason:
                break
            try:
                b, _ = perturbed(base, key, factor)
                moved = {lab: perturbed(alt, key, factor) for lab, alt in alts.items()
                         if key in wanted[lab]}
            except ScenarioError as exc:
                reason = f"refused at {factor:g}x: {exc}"
                points = [p for p in points if p.key != key]
                break
            points.append(_Point(key, factor, b, {lab: s for lab, (s, _) in moved.items()},
                                 float(stepped(float(owner[key]), declared, factor))))
        for lab in alts:
            if reason and key in wanted[lab]:
                skipped[lab][key] = reason
    return points, skipped, labels


def _distinct(base: Scenario, alts: dict[str, Scenario],
              points: list[_Point]) -> dict[str, Scenario]:
    """Digest -> scenario, each distinct scenario once.

    A moved base serves every alternative, and a step that leaves a scenario unchanged
    reuses its central run.
    """
    unique: dict[str, Scenario] = {}
    for sc in (base, *alts.values(), *(s for p in points for s in (p.base,
                                                                     *p.alternatives.values()))):
        unique.setdefault(sc.digest(), sc)
    return unique


def planned_runs(base: Scenario, alternatives: Sequence[Scenario], *,
                 keys: Sequence[str] | None = None, reps: int = 2,
                 step: float = DEFAULT_STEP) -> int:
    """How many runs :func:`sensitivity_analysis` makes with these arguments.

    For a progress bar's total or a run-time estimate; runs nothing.
    """
    alts = dict(zip(unique_labels([base, *alternatives])[1:], alternatives, strict=True))
    if keys is not None:
        check_keys(base, alternatives, keys)
    points, _, _ = _points(base, alts, keys, step)
    return reps * len(_distinct(base, alts, points))


def sensitivity_analysis(base: Scenario, alternatives: Sequence[Scenario], *,
                         keys: Sequence[str] | None = None, reps: int = 2,
                         days: float | None = None, seed: int = 1,
                         executor: Executor | None = None, step: float = DEFAULT_STEP,
                         top: int = 10, on_done: Callable[[int], None] | None = None,
                         ) -> dict[str, SensitivityResult]:
    """The one-at-a-time check of every alternative against ``base``, in one batch.

    Args:
        base: The base scenario.
        alternatives: The alternatives, labelled as a comparison labels them
            (:func:`sim.analysis.compare.unique_labels`).
        keys: Dotted keys to move; default :data:`CANDIDATES` plus each alternative's
            :func:`dose_keys`. An ``interventions.<label>.<key>`` applies to the
            alternatives holding that intervention.
        reps: Paired replications per point; replication i uses ``seed + i``.
        days: Days per run (default: the base's ``time.days``).
        seed: Seed of the first replication.
        executor: Where runs are computed (default: in this process).
        step: Relative step, in (0, 1).
        top: Rows kept per alternative, largest swing first.
        on_done: Called with a job index after each run (a progress bar).

    Returns:
        Alternative label -> :class:`SensitivityResult`.

    Raises:
        ScenarioError: An unknown or non-numeric key, or scenarios that cannot be
            compared over ``days``.
        ValueError: No alternative, reps below 1 or a step outside (0, 1).
    """
    if not alternatives:
        raise ValueError("a sensitivity check needs at least one alternative")
    if reps < 1:
        raise ValueError("a sensitivity check needs at least 1 replication")
    if not 0 < step < 1:
        raise ValueError(f"the step must be between 0 and 1, got {step:g}")
    tpd = base.params.time.ticks_per_day
    ticks = int(round((base.params.time.days if days is None else days) * tpd))
    start = plan(base, alternatives, ticks)
    names = unique_labels([base, *alternatives])[1:]
    alts = dict(zip(names, alternatives, strict=True))
    if keys is not None:
        check_keys(base, alternatives, keys)
    points, skipped, labels = _points(base, alts, keys, step)
    unique = _distinct(base, alts, points)
    seeds = [seed + i for i in range(reps)]
    jobs = [RunJob.of(sc, s, ticks, start) for s in seeds for sc in unique.values()]
    totals = (executor or InProcessExecutor()).map(crimes_in_window, jobs, on_done)
    order = list(unique)

    def crimes(sc: Scenario) -> np.ndarray:
        k = order.index(sc.digest())
        return np.array([totals[r * len(order) + k] for r in range(reps)], float)

    results = {}
    for label, alt in alts.items():
        rows = []
        mine = [p for p in points if label in p.alternatives]
        for low, high in zip(mine[::2], mine[1::2], strict=True):
            lo = percent_change(crimes(low.base), crimes(low.alternatives[label]))
            hi = percent_change(crimes(high.base), crimes(high.alternatives[label]))
            rows.append(SensitivityRow(low.key, labels[low.key], low.value, high.value,
                                       lo, hi, abs(hi - lo)))
        rows.sort(key=lambda r: -r.swing_pct if math.isfinite(r.swing_pct) else math.inf)
        results[label] = SensitivityResult(
            central_pct=percent_change(crimes(base), crimes(alt)), rows=rows[:top],
            skipped=skipped[label], reps=reps, days=ticks / tpd, start_day=start / tpd,
            step=step, noise_pct=swing_noise(crimes(base), crimes(alt)))
    return results


def one_at_a_time(base: Scenario, alternative: Scenario, *, keys: list[str] | None = None,
                  reps: int = 2, days: float | None = None, seed: int = 1,
                  executor: Executor | None = None, step: float = DEFAULT_STEP,
                  top: int = 10, on_done: Callable[[int], None] | None = None,
                  ) -> list[SensitivityRow]:
    """The keys the alternative's effect on total crime is most sensitive to.

    The single-alternative form of :func:`sensitivity_analysis` (same arguments);
    its :class:`SensitivityResult` also holds the central effect and the keys skipped.
    """
    result = sensitivity_analysis(base, [alternative], keys=keys, reps=reps, days=days,
                                  seed=seed, executor=executor, step=step, top=top,
                                  on_done=on_done)
    return next(iter(result.values())).rows


#: Columns of ``sensitivity.csv``.
CSV_COLUMNS = ("scenario", "rank", "key", "label", "low_value", "high_value",
               "effect_low_pct", "effect_high_pct", "swing_pct", "central_pct", "noise_pct",
               "reps", "days", "start_day", "step")


def csv_records(results: dict[str, SensitivityResult]) -> list[dict[str, Any]]:
    """One record per (alternative, key), ranked, with the check's settings."""
    out = []
    for label, res in results.items():
        for rank, row in enumerate(res.rows, 1):
            out.append({"scenario": label, "rank": rank, "key": row.key, "label": row.label,
                        "low_value": row.low_value, "high_value": row.high_value,
                        "effect_low_pct": row.effect_low_pct,
                        "effect_high_pct": row.effect_high_pct, "swing_pct": row.swing_pct,
                        "central_pct": res.central_pct, "noise_pct": res.noise_pct,
                        "reps": res.reps, "days": res.days,
                        "start_day": res.start_day, "step": res.step})
    return out


def noise_from_comparison(ci_low: float, ci_high: float, n: int, compare_window_days: float,
                          check_window_days: float, reps: int) -> float:
    """The swing replication noise alone would give in a check, from the comparison's CI.

    A check with one replication cannot measure its own noise (``noise_pct`` is NaN),
    but the comparison it accompanies can: its 95% CI of the % change in total crime
    gives the spread of one replication's effect, sd = half-width / t(0.975, n-1) x
    sqrt(n). Counts over a window of length W vary like Poisson counts, so a % effect's
    spread grows like 1/sqrt(W): over the check's shorter window it is
    sd x sqrt(W_comparison / W_check). A swing is the difference of two such effects,
    each the mean of ``reps`` replications: noise = sqrt(2) x sd_check / sqrt(reps).

    Args:
        ci_low: Lower end of the comparison's 95% CI of the % change in total crime.
        ci_high: Its upper end.
        n: Its replications.
        compare_window_days: Its evaluation window in days.
        check_window_days: The check's evaluation window in days.
        reps: The check's replications.

    Returns:
        Percentage points; NaN when the CI is not finite or a window is empty.
    """
    if not (math.isfinite(ci_low) and math.isfinite(ci_high)) or n < 2:
        return math.nan
    if compare_window_days <= 0 or check_window_days <= 0 or reps < 1:
        return math.nan
    sd_one = (ci_high - ci_low) / 2 / t95(n - 1) * math.sqrt(n)
    sd_check = sd_one * math.sqrt(compare_window_days / check_window_days)
    return math.sqrt(2.0) * sd_check / math.sqrt(reps)


def brief_days(base: Scenario, alternatives: Sequence[Scenario], compare_days: float) -> float:
    """Days per run of the brief's check: the window after the first start, at most the run."""
    tpd = base.params.time.ticks_per_day
    start_day = evaluation_start([base, *alternatives]) / tpd
    return min(start_day + BRIEF_WINDOW_DAYS, compare_days)


def brief_check(base: Scenario, alternatives: Sequence[Scenario], cmp: Any, rows: list[Any],
                *, days: float | None = None, reps: int = BRIEF_REPS,
                executor: Executor | None = None,
                on_done: Callable[[int], None] | None = None) -> dict[str, SensitivityResult]:
    """The decision brief's check of every alternative, as the CLI and the dashboard run it.

    One function for both, so the Compare page's report.html says what
    ``crimesim compare --report`` says. A check of one replication cannot measure its
    own noise; ``noise_pct`` is then estimated from the comparison's CI of the change
    in total crime (:func:`noise_from_comparison`).

    Args:
        base: The comparison's base scenario (overrides applied).
        alternatives: Its alternatives, in the comparison's order.
        cmp: The finished comparison (:class:`~sim.analysis.compare.Comparison`): its
            seed, window and days.
        rows: Its effect rows (:func:`sim.analysis.effects.effect_rows`).
        days: Days per run; None for :func:`brief_days`.
        reps: Paired replications per point.
        executor: Where runs are computed (the comparison's).
        on_done: Called with a job index after each run.
    """
    compare_days = cmp.ticks / cmp.ticks_per_day
    days = brief_days(base, alternatives, compare_days) if days is None else days
    results = sensitivity_analysis(base, alternatives, reps=reps, days=days,
                                   seed=cmp.seeds[0], executor=executor, on_done=on_done)
    for label, res in results.items():
        row = find(rows, label, "crimes")
        if row is not None and not math.isfinite(res.noise_pct):
            noise = noise_from_comparison(row.ci_low, row.ci_high, row.n, cmp.window_days,
                                          res.days - res.start_day, res.reps)
            results[label] = replace(res, noise_pct=noise)
    return results
