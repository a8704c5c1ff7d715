"""Executors: where an experiment's independent runs are computed.

Every experiment (comparison, sweep, calibration) is a list of independent jobs --
one simulation each -- whose results are gathered in job order. An executor only has
to run ``fn(job)`` for every job and hand the results back; the experiment never
knows whether they ran here, in local processes or on a cluster. That keeps the
numbers identical across executors (a run depends on its scenario and seed alone),
which the tests check.

A backend implements :class:`Executor`: ``map`` (results in job order, ``on_done``
called as each job finishes, for progress bars) and ``stream`` (each job's outcome as
it finishes, failures retried and then handed back rather than raised: a sweep writes
results as they come and goes on past a failed run). Backends: in-process, local
processes (here) and Dask (:mod:`sim.analysis.dask_executor`).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    wait,
)
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sim.analysis.stop_signal import RunStoppedError, stop_requested
from sim.kernels.threads import single_thread

#: Seconds between a process pool's checks of its stop signal.
STOP_POLL_S = 0.25

J = TypeVar("J")
R = TypeVar("R")


@dataclass
class Finished:
    """One job's outcome, as :meth:`Executor.stream` hands it back.

    Attributes:
        index: The job's position in the submitted list.
        result: What the job returned (None if it failed).
        error: The last failure's message and traceback, or None on success.
        attempts: How many times the job ran.
    """

    index: int
    result: Any
    error: str | None
    attempts: int


def describe_error(exc: BaseException) -> str:
    """A failure as text: the exception line, then the traceback (kept in failure logs)."""
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return f"{type(exc).__name__}: {exc}\n" + "".join(lines)


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

    def stream(self, fn: Callable[[J], R], jobs: Sequence[J],
               retries: int = 0) -> Iterator[Finished]:
        """Yield every job's :class:`Finished` outcome in completion order.

        A job that raises is run again up to ``retries`` times; if it still fails its
        outcome carries the error instead of stopping the other jobs.
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

    def stream(self, fn: Callable[[J], R], jobs: Sequence[J],
               retries: int = 0) -> Iterator[Finished]:
        """Run every job here, in order, retrying failures."""
        for i, job in enumerate(jobs):
            for attempt in range(1, retries + 2):
                try:
                    result = fn(job)
                except Exception as exc:  # noqa: BLE001 - a run's failure is data here
                    if attempt > retries:
                        yield Finished(i, None, describe_error(exc), attempt)
                    continue
                yield Finished(i, result, None, attempt)
                break


class ProcessExecutor:
    """Runs jobs in a pool of local processes (one simulation per core).

    Each worker compiles nothing: numba's kernels come from the on-disk cache, so
    start-up costs about a second per worker, paid once per :meth:`map`. Workers
    start from a fork server (spawned where there is none), never by forking this
    process: a fork copies held locks of threads that numba, tqdm or a GUI may be
    running, and can deadlock. Each worker runs its kernels on one thread
    (:func:`sim.kernels.threads.single_thread`): the pool already keeps every core busy.

    Args:
        workers: Number of processes.
        stop_file: A :class:`~sim.analysis.stop_signal.StopSignal`'s path: :meth:`map`
            checks it every :data:`STOP_POLL_S` seconds and, once it is set, ends the
            workers at once (a worker still building its city polls nothing) and
            raises :class:`~sim.analysis.stop_signal.RunStoppedError`.
    """

    def __init__(self, workers: int, stop_file: str | None = None):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.stop_file = stop_file

    def map(self, fn: Callable[[J], R], jobs: Sequence[J],
            on_done: Callable[[int], None] | None = None) -> list[R]:
        """Run the jobs in ``workers`` processes; results in job order."""
        results: list[R | None] = [None] * len(jobs)
        workers = min(self.workers, max(1, len(jobs)))
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                   initializer=single_thread)
        try:
            futures = {pool.submit(fn, job): i for i, job in enumerate(jobs)}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=STOP_POLL_S if self.stop_file else None,
                                     return_when=FIRST_COMPLETED)
                for fut in done:
                    i = futures[fut]
                    results[i] = fut.result()
                    if on_done:
                        on_done(i)
                if stop_requested(self.stop_file):
                    _end_workers(pool)
                    raise RunStoppedError()
        except BaseException:
            # A failed run, Ctrl-C, or an on_done that raises (a Stop button): drop the
            # runs not yet started instead of waiting for them.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return results  # type: ignore[return-value]

    def stream(self, fn: Callable[[J], R], jobs: Sequence[J],
               retries: int = 0) -> Iterator[Finished]:
        """Run the jobs in ``workers`` processes; yield outcomes as they finish."""
        workers = min(self.workers, max(1, len(jobs)))
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                   initializer=single_thread)
        attempts: dict[int, int] = {}
        try:
            pending: dict[Future[Any], int] = {}
            for i, job in enumerate(jobs):
                pending[pool.submit(fn, job)] = i
                attempts[i] = 1
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    exc = fut.exception()
                    if exc is None:
                        yield Finished(i, fut.result(), None, attempts[i])
                    elif attempts[i] <= retries:
                        attempts[i] += 1
                        pending[pool.submit(fn, jobs[i])] = i
                    else:
                        yield Finished(i, None, describe_error(exc), attempts[i])
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate a pool's worker processes (their runs are abandoned)."""
    for process in list((pool._processes or {}).values()):  # noqa: SLF001 - no public way
        process.terminate()


def _context() -> multiprocessing.context.BaseContext:
    """The safest fast start method: ``forkserver`` where available, else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # The server imports the model once; every worker forked from it starts warm.
    ctx.set_forkserver_preload(["sim.crime.model"])
    return ctx


def default_workers() -> int:
    """Two processes, or one on a single-core machine.

    More rarely pays on a laptop: each run is memory-bound and a third worker mostly
    competes with the user's other work.
    """
    return max(1, min(2, os.cpu_count() or 1))


def make_executor(workers: int | None = None, stop_file: str | None = None) -> Executor:
    """An executor for ``workers`` processes: in-process for 1, a process pool above.

    ``stop_file`` (a pool only) ends the pool's workers once that stop signal is set;
    in-process runs poll it themselves (see :class:`ProcessExecutor`).
    """
    n = default_workers() if workers is None else workers
    return InProcessExecutor() if n <= 1 else ProcessExecutor(n, stop_file)
