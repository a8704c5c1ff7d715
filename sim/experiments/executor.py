"""Executors: where an experiment's independent runs are computed.

Every experiment (comparison, sweep, calibration) is a list of independent jobs --
one simulation each -- whose results are gathered in job order. An executor only has
to run ``fn(job)`` for every job and hand the results back; the experiment never
knows whether they ran here, in local processes or on a cluster. That keeps the
numbers identical across executors (a run depends on its scenario and seed alone),
which the tests check.

A new backend (e.g. Dask, planned for sweeps) implements :class:`Executor`: a
``map`` that calls ``on_done`` as each job finishes, for progress bars.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol, TypeVar

J = TypeVar("J")
R = TypeVar("R")


class Executor(Protocol):
    """Runs independent jobs and returns their results in job order."""

    #: How many jobs run at once (for messages and progress estimates).
    workers: int

    def map(self, fn: Callable[[J], R], jobs: Sequence[J],
            on_done: Callable[[int], None] | None = None) -> list[R]:
        """Return ``[fn(job) for job in jobs]``.

        Args:
            fn: A module-level function (process and cluster backends pickle it).
            jobs: Picklable job descriptions.
            on_done: Called with the job's index whenever a job finishes, in
                completion order.
        """
        ...


class InProcessExecutor:
    """Runs jobs one after another in this process: simplest, best for debugging."""

    workers = 1

    def map(self, fn: Callable[[J], R], jobs: Sequence[J],
            on_done: Callable[[int], None] | None = None) -> list[R]:
        """Run every job here, in order."""
        out = []
        for i, job in enumerate(jobs):
            out.append(fn(job))
            if on_done:
                on_done(i)
        return out


class ProcessExecutor:
    """Runs jobs in a pool of local processes (one simulation per core).

    Each worker compiles nothing: numba's kernels come from the on-disk cache, so
    start-up costs about a second per worker, paid once per :meth:`map`. Workers
    start from a fork server (spawned where there is none), never by forking this
    process: a fork copies held locks of threads that numba, tqdm or a GUI may be
    running, and can deadlock.

    Args:
        workers: Number of processes.
    """

    def __init__(self, workers: int):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers

    def map(self, fn: Callable[[J], R], jobs: Sequence[J],
            on_done: Callable[[int], None] | None = None) -> list[R]:
        """Run the jobs in ``workers`` processes; results in job order."""
        results: list[R | None] = [None] * len(jobs)
        workers = min(self.workers, max(1, len(jobs)))
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
        try:
            futures = {pool.submit(fn, job): i for i, job in enumerate(jobs)}
            for fut in as_completed(futures):
                i = futures[fut]
                results[i] = fut.result()
                if on_done:
                    on_done(i)
        except BaseException:
            # A failed run, Ctrl-C, or an on_done that raises (a Stop button): drop the
            # runs not yet started instead of waiting for them.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return results  # type: ignore[return-value]


def _context() -> multiprocessing.context.BaseContext:
    """The safest fast start method: ``forkserver`` where available, else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # The server imports the model once; every worker forked from it starts warm.
    ctx.set_forkserver_preload(["sim.model"])
    return ctx


def default_workers() -> int:
    """Two processes, or one on a single-core machine.

    More rarely pays on a laptop: each run is memory-bound and a third worker mostly
    competes with the user's other work.
    """
    return max(1, min(2, os.cpu_count() or 1))


def make_executor(workers: int | None = None) -> Executor:
    """An executor for ``workers`` processes: in-process for 1, a process pool above."""
    n = default_workers() if workers is None else workers
    return InProcessExecutor() if n <= 1 else ProcessExecutor(n)
