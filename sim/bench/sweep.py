"""Benchmark of sweeps on Dask: parallel efficiency and worker start-up.

Parallel efficiency is T1 / (k * Tk): the run phase of the same sweep on one local
worker and on k, so 100% means k workers finish k times faster. Runs are 1-2 s
baseline-city simulations, the size where scheduling overhead would show. Start-up
is measured twice per worker count: from asking for a cluster to every worker being
ready (process spawn, imports, connection), and the kernels' load inside each worker
from numba's on-disk cache (the cache is warm: the driver loads the kernels first).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sim.analysis.dask_executor import DaskExecutor
from sim.analysis.sweep.runner import run_sweep
from sim.analysis.sweep.spec import Experiment, parse_experiment


@dataclass
class SweepTiming:
    """One sweep timed on a local cluster of ``workers`` workers.

    Attributes:
        workers: Cluster size.
        runs: Runs in the sweep.
        cluster_seconds: Asking for the cluster until every worker is warm.
        kernel_load_seconds: The slowest worker's kernel load from the warm cache.
        run_seconds: The sweep's run phase (submission to last result stored).
    """

    workers: int
    runs: int
    cluster_seconds: float
    kernel_load_seconds: float
    run_seconds: float


def benchmark_experiment(runs: int, days: float, scenario: str) -> Experiment:
    """A sweep of ``runs`` baseline runs (one seed per point: police numbers vary)."""
    values = [20 + i for i in range(runs)]
    return parse_experiment({
        "name": "bench_sweep", "scenario": str(Path(scenario).resolve()), "days": days,
        "replications": 1, "record": "final", "metrics": ["crimes_total", "arrests"],
        "parameters": {"police.count": values}}, source="<benchmark>")


def time_sweep(exp: Experiment, workers: int) -> SweepTiming:
    """Run the sweep on a fresh local cluster; time start-up and the run phase."""
    with tempfile.TemporaryDirectory() as tmp, DaskExecutor(workers=workers) as ex:
        summary = run_sweep(exp, Path(tmp) / "out", ex, flush_seconds=3600)
        if summary.failed:
            raise RuntimeError(f"benchmark runs failed: {summary.failures}")
        return SweepTiming(workers=workers, runs=summary.done,
                           cluster_seconds=ex.cluster_seconds,
                           kernel_load_seconds=max(ex.startup_seconds.values()),
                           run_seconds=summary.seconds)


def run_benchmark(runs: int = 12, days: float = 60.0, workers: int = 2,
                  scenario: str = "scenarios/baseline.toml") -> dict[str, object]:
    """Time the sweep on 1 and on ``workers`` workers; return the figures."""
    exp = benchmark_experiment(runs, days, scenario)
    t0 = time.perf_counter()
    one = time_sweep(exp, 1)
    many = time_sweep(exp, workers)
    return {
        "runs": runs, "days": days, "seconds_per_run_one_worker": one.run_seconds / runs,
        "one": one.__dict__, "many": many.__dict__,
        "efficiency": one.run_seconds / (workers * many.run_seconds),
        "speedup": one.run_seconds / many.run_seconds,
        "total_seconds": time.perf_counter() - t0,
    }


def sweep_bench(args: argparse.Namespace) -> int:
    """``crimesim bench --sweep``: time a Dask sweep on one worker and on ``--workers``.

    Prints the run phase, cluster start-up and kernel load of each, the parallel
    efficiency and the per-worker start-up, and writes ``bench_sweep.json``.
    """
    print(f"sweep of {args.sweep_runs} runs of {args.sweep_days:g} days on a local Dask "
          f"cluster of 1, then {args.workers} workers ...", flush=True)
    r = run_benchmark(runs=args.sweep_runs, days=args.sweep_days, workers=args.workers,
                      scenario=args.scenario)
    one, many = r["one"], r["many"]
    print(f"{'workers':>8}{'run phase s':>13}{'cluster ready s':>17}{'kernel load s':>15}")
    for t in (one, many):
        print(f"{t['workers']:>8}{t['run_seconds']:>13.2f}{t['cluster_seconds']:>17.2f}"
              f"{t['kernel_load_seconds']:>15.2f}")
    print(f"seconds per run (one worker): {r['seconds_per_run_one_worker']:.2f}")
    print(f"speed-up {r['speedup']:.2f}x on {args.workers} workers: parallel efficiency "
          f"{100 * r['efficiency']:.0f}% (target >= 85%)")
    print(f"per-worker start-up with a warm cache: kernels load in "
          f"{max(one['kernel_load_seconds'], many['kernel_load_seconds']):.2f} s; a cluster of "
          f"{args.workers} is ready in {many['cluster_seconds']:.2f} s (target <= 1.5 s per "
          "worker)")
    if args.json:
        from sim.bench.output import write_json_beside

        print(f"wrote {write_json_beside(args.json, 'bench_sweep.json', r)}")
    return 0
