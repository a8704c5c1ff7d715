"""The Dask executor: a local cluster on this machine, or an existing cluster.

``DaskExecutor(workers=4)`` starts a ``LocalCluster`` of single-threaded worker
processes on the loopback interface; ``DaskExecutor(address="tcp://host:8786")``
joins a running scheduler (on Slurm, see ``experiments/slurm_cluster.py``). Either way
the jobs and results are the same as in-process: a run depends on its job alone.

Start-up follows STACK.md: the driver loads every numba kernel once before workers
start (so the on-disk cache is written once, not raced by every worker), each worker
process runs with ``NUMBA_NUM_THREADS=1`` (one simulation per core, no
oversubscription; on an existing cluster every job sets one thread for the worker
thread that runs it, :class:`~sim.kernels.threads.OnOneThread`), and each worker
then warms up by loading the cached kernels (:attr:`DaskExecutor.startup_seconds`
records how long that took, per worker).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from sim.analysis.executor import Finished, default_workers, describe_error
from sim.kernels.threads import OnOneThread

J = TypeVar("J")
R = TypeVar("R")

#: Environment of every local worker process.
WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1"}

#: Seconds to wait for an existing scheduler before giving up.
CONNECT_TIMEOUT = 20.0


class DaskExecutor:
    """Runs jobs on a Dask cluster; use as a context manager (or call :meth:`close`).

    Args:
        workers: Size of the local cluster (ignored with ``address``); default: one
            per core, at most two (:func:`~sim.analysis.executor.default_workers`).
        address: An existing scheduler, e.g. ``tcp://10.0.0.5:8786``.
        warm: Warm up the kernels in the driver and in every worker before the jobs.
        warm_fn: The warm-up function (module-level; returns seconds taken).
        connect_timeout: Seconds to wait for an existing scheduler (default
            :data:`CONNECT_TIMEOUT`).
    """

    def __init__(self, workers: int | None = None, address: str | None = None,
                 warm: bool = True, warm_fn: Callable[[], float] | None = None,
                 connect_timeout: float | None = None):
        if workers is not None and workers < 1:
            raise ValueError("workers must be at least 1")
        self.address = address
        self._requested = workers or default_workers()
        self.workers = self._requested
        self._warm = warm
        self._warm_fn = warm_fn
        self._connect_timeout = connect_timeout or CONNECT_TIMEOUT
        self._cluster: Any = None
        self.client: Any = None
        #: Seconds each worker spent loading the kernels before its first job.
        self.startup_seconds: dict[str, float] = {}
        #: Seconds from starting the cluster to every worker being ready.
        self.cluster_seconds = 0.0

    # --- life cycle -------------------------------------------------------------
    def start(self) -> DaskExecutor:
        """Start (or connect to) the cluster and warm every worker up."""
        if self.client is not None:
            return self
        from distributed import Client, LocalCluster

        warm_fn = self._warm_fn or _default_warm
        if self._warm:
            warm_fn()  # the driver writes the numba cache once, before workers read it
        t0 = time.perf_counter()
        if self.address:
            try:
                self.client = Client(self.address, timeout=f"{self._connect_timeout}s")
            except OSError as exc:
                raise ConnectionError(f"--scheduler {self.address}: cannot connect "
                                      f"({exc})") from None
        else:
            saved = {k: os.environ.get(k) for k in WORKER_ENV}
            os.environ.update(WORKER_ENV)  # inherited by the spawned worker processes
            try:
                self._cluster = LocalCluster(
                    n_workers=self._requested, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None,
                    silence_logs=logging.ERROR, env=dict(WORKER_ENV))
            except Exception as exc:  # noqa: BLE001 - any start-up failure is one message
                raise ConnectionError(f"cannot start a local Dask cluster of "
                                      f"{self._requested} workers: {exc}") from None
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
            self.client = Client(self._cluster)
        self.workers = max(1, len(self.client.scheduler_info()["workers"]))
        if self._warm:
            self.startup_seconds = dict(self.client.run(warm_fn))
        self.cluster_seconds = time.perf_counter() - t0
        return self

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this executor started one."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskExecutor:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- running ----------------------------------------------------------------
    def stream(self, fn: Callable[[J], R], jobs: Sequence[J],
               retries: int = 0) -> Iterator[Finished]:
        """Submit every job; yield outcomes as they finish (Dask retries failures)."""
        from distributed import as_completed

        self.start()
        futures = {}
        for i, job in enumerate(jobs):
            fut = self.client.submit(OnOneThread(fn), job, retries=retries, pure=False)
            futures[fut.key] = (i, fut)
        try:
            for fut in as_completed([f for _, f in futures.values()]):
                i, _ = futures.pop(fut.key)
                if fut.status == "error":
                    exc = fut.exception()
                    yield Finished(i, None, describe_error(exc), retries + 1)
                else:
                    # Dask does not report how many attempts a success took.
                    yield Finished(i, fut.result(), None, 1)
                fut.release()
        finally:
            if futures:  # stopped early (Ctrl-C, or the caller stopped reading)
                self.client.cancel([f for _, f in futures.values()])

    def map(self, fn: Callable[[J], R], jobs: Sequence[J],
            on_done: Callable[[int], None] | None = None) -> list[R]:
        """Run every job; results in job order; the first failure is raised."""
        results: list[Any] = [None] * len(jobs)
        for fin in self.stream(fn, jobs):
            if fin.error is not None:
                raise RuntimeError(f"job {fin.index} failed: {fin.error.splitlines()[0]}")
            results[fin.index] = fin.result
            if on_done:
                on_done(fin.index)
        return results


def _default_warm() -> float:
    from sim.analysis.sweep.run import warm_up

    return warm_up()
