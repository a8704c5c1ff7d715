"""Run a sweep: plan its runs, skip the stored ones, stream the rest to Parquet.

The driver validates every point against the scenario schema before the first run
(a bad value fails in a second, not hours in), then hands the runs to an executor
and writes results as they finish (:class:`~sim.analysis.sweep.store.ResultStore`).
A run that fails is retried; if it fails every attempt it is recorded with its error
and the sweep goes on. With ``resume`` the runs already stored are skipped, so a
killed sweep is finished by running the same command again with ``--resume``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from sim.analysis.executor import Executor
from sim.analysis.sweep.behaviorspace import write_behaviorspace
from sim.analysis.sweep.design import design_table, run_id
from sim.analysis.sweep.run import RunJob, execute_run
from sim.analysis.sweep.spec import Experiment, SweepError
from sim.analysis.sweep.store import ResultStore
from sim.scenario import ScenarioError

#: Write buffered results at least this often (seconds) ...
FLUSH_SECONDS = 10.0
#: ... or once this many rows wait.
FLUSH_ROWS = 50_000


@dataclass
class SweepSummary:
    """What a sweep did.

    Attributes:
        planned: Distinct runs the experiment asks for.
        skipped: Runs already stored (resume).
        done: Runs finished and stored now.
        failed: Runs that failed every attempt now.
        seconds: Wall time of the run phase.
        out: The output folder.
        failures: Failed run ids with the first line of their error.
    """

    planned: int
    skipped: int
    done: int = 0
    failed: int = 0
    seconds: float = 0.0
    out: Path = Path(".")
    failures: dict[str, str] = field(default_factory=dict)


def plan_jobs(exp: Experiment) -> tuple[pd.DataFrame, list[RunJob]]:
    """The design table and one job per distinct (point, seed), validated.

    Raises:
        SweepError: A point's values make an invalid scenario (the message names the
            point and the key).
    """
    design = design_table(exp)
    keys = [p.key for p in exp.parameters]
    tpd = exp.scenario.params.time.ticks_per_day
    jobs: list[RunJob] = []
    seen: set[str] = set()
    scenarios: dict[str, Any] = {}
    warmup_ticks = int(round(exp.warmup_days * tpd))
    records = design[keys].to_dict("records")
    for pid, pk, raw in zip(design["point_id"], design["point_key"], records, strict=True):
        values = {k: _plain(v) for k, v in raw.items()}
        if pk not in scenarios:
            try:
                scenarios[pk] = exp.scenario.with_overrides(values)
            except ScenarioError as exc:
                raise SweepError(f"design point {pid} {values}: {exc}") from None
        for seed in exp.seeds:
            rid = run_id(values, seed)
            if rid in seen:
                continue
            seen.add(rid)
            jobs.append(RunJob(run_id=rid, point_id=int(pid), point_key=pk, values=values,
                               seed=seed, scenario=scenarios[pk], ticks=exp.ticks,
                               warmup_ticks=warmup_ticks, record=exp.record,
                               metrics=exp.metrics))
    return design, jobs


def _plain(value: Any) -> Any:
    """Numpy scalar -> Python scalar (scenario validation and hashing want plain types)."""
    return value.item() if hasattr(value, "item") else value


def dataset_schema(exp: Experiment) -> pa.Schema:
    """The one schema of every part file."""
    types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_()}
    fields = [pa.field("run_id", pa.string()), pa.field("point_id", pa.int64()),
              pa.field("point_key", pa.string())]
    fields += [pa.field(p.key, types[p.kind]) for p in exp.parameters]
    fields += [pa.field("seed", pa.int64()), pa.field(exp.time_column, pa.int64())]
    fields += [pa.field(m, pa.float64()) for m in exp.metrics]
    return pa.schema(fields)


def manifest_for(exp: Experiment, planned: int, previous: dict[str, Any] | None,
                 executor_name: str) -> dict[str, Any]:
    """The manifest: what ran, from which file, with which version, when."""
    from sim import __version__

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest = {
        "name": exp.name, "description": exp.description,
        "experiment": exp.source, "experiment_sha256": exp.sha256,
        "crimesim_version": __version__,
        "started": previous["started"] if previous else now,
        "resumed": [*previous.get("resumed", []), now] if previous else [],
        "executor": executor_name,
        "scenario": exp.scenario.source or exp.scenario.name,
        "scenario_digest": exp.scenario.digest(), "setup_key": exp.setup_key(),
        "design": {"kind": exp.design.kind, "samples": exp.design.samples,
                   "levels": exp.design.levels, "second_order": exp.design.second_order,
                   "seed": exp.design_seed},
        "parameters": [p.to_dict() for p in exp.parameters],
        "seeds": list(exp.seeds), "days": exp.days, "warmup_days": exp.warmup_days,
        "record": exp.record, "time_column": exp.time_column, "metrics": list(exp.metrics),
        "runs_planned": planned, "finished": None,
    }
    return manifest


def run_sweep(exp: Experiment, out: str | Path, executor: Executor, *, resume: bool = False,
              retries: int = 2, progress: Callable[[SweepSummary], None] | None = None,
              executor_name: str = "", flush_seconds: float = FLUSH_SECONDS) -> SweepSummary:
    """Run every run of ``exp`` not yet stored under ``out``.

    Args:
        exp: The validated experiment.
        out: Output folder.
        executor: Where runs are computed (its ``stream``).
        resume: Continue a sweep already in ``out`` (otherwise ``out`` must not hold one).
        retries: Extra attempts for a failing run.
        progress: Called after every finished run with the running summary.
        executor_name: Recorded in the manifest.
        flush_seconds: Write finished runs at least this often; a killed sweep loses
            at most this much work (0: write every run at once).

    Raises:
        SweepError: ``out`` holds another sweep, or a resumed sweep's settings differ.
    """
    store = ResultStore(out)
    previous = store.manifest() if store.exists() else None
    if previous and not resume:
        raise SweepError(f"--out {out}: already holds a sweep; add --resume to finish it, "
                         "or choose another folder")
    if previous and previous.get("setup_key") != exp.setup_key():
        raise SweepError(f"--out {out}: holds a sweep with other run settings (scenario, days, "
                         "record or metrics); resume it with its own experiment, or choose "
                         "another folder")
    design, jobs = plan_jobs(exp)
    stored = store.stored_run_ids() if previous else set()
    todo = [j for j in jobs if j.run_id not in stored]
    summary = SweepSummary(planned=len(jobs), skipped=len(jobs) - len(todo), out=Path(out))
    manifest = manifest_for(exp, len(jobs), previous, executor_name)
    store.create(manifest, exp.text, design)
    schema = dataset_schema(exp)
    buffer: list[pd.DataFrame] = []
    buffered_rows = 0
    last_flush = time.monotonic()
    t0 = time.perf_counter()
    if progress:
        progress(summary)

    def flush() -> None:
        nonlocal buffered_rows, last_flush
        if buffer:
            store.write_part(buffer, schema)
            buffer.clear()
        buffered_rows = 0
        last_flush = time.monotonic()

    try:
        for fin in executor.stream(execute_run, todo, retries=retries):
            job = todo[fin.index]
            if fin.error is None:
                buffer.append(fin.result)
                buffered_rows += len(fin.result)
                summary.done += 1
                store.clear_failure(job.run_id)
            else:
                summary.failed += 1
                summary.failures[job.run_id] = fin.error.splitlines()[0]
                store.record_failure(job.run_id, {
                    "run_id": job.run_id, "point_id": job.point_id, "values": job.values,
                    "seed": job.seed, "attempts": fin.attempts, "error": fin.error,
                    "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
            if (buffered_rows >= FLUSH_ROWS
                    or time.monotonic() - last_flush >= flush_seconds):
                flush()
            if progress:
                progress(summary)
    finally:
        flush()  # whatever finished is kept, even on Ctrl-C
        summary.seconds = time.perf_counter() - t0
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    manifest["runs_stored"] = summary.skipped + summary.done
    manifest["runs_failed"] = len(store.failures())
    store.write_manifest(manifest)
    write_behaviorspace(store, exp)
    return summary


def sweep_executor(*, in_process: bool = False, scheduler: str | None = None,
                   workers: int | None = None) -> tuple[Executor, str]:
    """Where a sweep's runs go, and its name for messages and the manifest.

    Args:
        in_process: One run after another in this process (debugging).
        scheduler: The address of a running Dask cluster to use.
        workers: The size of a local Dask cluster to start (default
            :func:`~sim.analysis.executor.default_workers`).
    """
    from sim.analysis.dask_executor import DaskExecutor
    from sim.analysis.executor import InProcessExecutor, default_workers

    if in_process:
        return InProcessExecutor(), "in-process"
    if scheduler:
        return DaskExecutor(address=scheduler), f"Dask cluster {scheduler}"
    n = workers or default_workers()
    return DaskExecutor(workers=n), f"local Dask cluster ({n} workers)"
