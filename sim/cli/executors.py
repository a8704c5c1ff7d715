"""The executor that a command's ``--workers`` / ``--scheduler`` / ``--cluster`` ask for.

``crimesim calibrate`` and ``crimesim search`` run their simulations the same way: in
this process (``--workers 1``), on a local process pool (``--workers N``), on a Dask
LocalCluster on 127.0.0.1 (``--cluster``, search only) or on an existing Dask cluster
(``--scheduler ADDRESS``); an unreachable scheduler is one line (exit 2).
"""

from __future__ import annotations

from typing import Any


def executor_for(workers: int, scheduler: str | None = None, cluster: bool = False) -> Any:
    """A started executor for the flags; call its ``close`` (if it has one) when done.

    Raises:
        UsageError: The scheduler cannot be reached.
    """
    from sim.analysis.executor import make_executor
    from sim.errors import UsageError

    if not scheduler and not cluster:
        return make_executor(workers)
    from sim.analysis.dask_executor import DaskExecutor

    executor = (DaskExecutor(address=scheduler) if scheduler
                else DaskExecutor(workers=workers))
    try:
        executor.start()
    except ConnectionError as exc:
        raise UsageError(str(exc)) from None
    return executor
