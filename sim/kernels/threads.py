"""How many threads the parallel kernels use, and which threading layer runs them.

The parallel kernels (``prange``: the residents' plans, the hourly placement, the
near-repeat field, the daily fear) give the same results whatever the thread count
(docs/performance.md, "Parallel kernels"), so the count is a matter of speed only:
numba's default (one per core, or ``NUMBA_NUM_THREADS``) unless ``crimesim run/bench
--threads N`` sets it. Processes that already run one simulation per core -- the
Dask sweep workers, the calibrate and search process pools -- run their kernels on
one thread each (:func:`single_thread`), so two levels of parallelism do not fight
over the cores.

Threading layer: numba's ``workqueue`` layer aborts the process when two Python
threads launch parallel kernels at once, which the dashboard does (each session's
model steps in its own thread). So, unless ``NUMBA_THREADING_LAYER`` says otherwise,
the layer is set to ``threadsafe`` (TBB or OpenMP, whichever loads) before the first
parallel launch; only where neither exists does it stay on numba's default, and then
two models must not step at the same moment in one process.

:func:`numba.set_num_threads` is per Python thread: a model stepping in another
thread uses numba's default count unless that thread sets its own.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

import numba

#: The layer chosen when one that is safe for concurrent launches can be loaded.
SAFE_LAYER = "threadsafe"
#: Fewest items (residents, cells) for which a kernel runs its parallel version: below,
#: waking the threads for a parallel region costs more than it saves (and under load,
#: when the other threads wait for a core, far more: measured 7 ms a region).
PARALLEL_MIN = 1 << 17


def _loads(module: str) -> bool:
    try:
        importlib.import_module(f"numba.np.ufunc.{module}")
    except (ImportError, OSError):
        return False
    return True


def choose_threading_layer() -> str:
    """Set numba's threading layer for this process (before any parallel launch).

    Returns the layer asked for: the environment's ``NUMBA_THREADING_LAYER`` if set,
    else :data:`SAFE_LAYER` if OpenMP or TBB loads, else numba's ``default``.
    """
    if os.environ.get("NUMBA_THREADING_LAYER"):
        return str(numba.config.THREADING_LAYER)
    if _loads("omppool") or _loads("tbbpool"):
        numba.config.THREADING_LAYER = SAFE_LAYER
    return str(numba.config.THREADING_LAYER)


def max_threads() -> int:
    """The most threads this process can use (``NUMBA_NUM_THREADS``, set at start-up)."""
    return int(numba.config.NUMBA_NUM_THREADS)


def use_parallel(n_items: int) -> bool:
    """Whether a kernel over ``n_items`` should run its parallel version here.

    Both versions give the same results; this only picks the faster.
    """
    return n_items >= PARALLEL_MIN and numba.get_num_threads() > 1


def set_threads(n: int) -> None:
    """Run this Python thread's parallel kernels on ``n`` threads.

    Raises:
        ValueError: ``n`` is not between 1 and :func:`max_threads`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= max_threads():
        raise ValueError(f"threads must be an integer from 1 to {max_threads()} "
                         "(NUMBA_NUM_THREADS)")
    numba.set_num_threads(n)


def single_thread() -> None:
    """One thread for this Python thread's kernels (a pool worker's initializer)."""
    numba.set_num_threads(1)


class OnOneThread:
    """``fn`` wrapped to run its kernels on one thread, wherever it is called.

    For jobs sent to Dask workers (local or remote): a worker runs tasks in its own
    threads, and the thread count is per thread, so each call sets it. Picklable when
    ``fn`` is.
    """

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Set one thread for the calling thread, then call ``fn``."""
        single_thread()
        return self.fn(*args, **kwargs)


__all__ = ["PARALLEL_MIN", "SAFE_LAYER", "OnOneThread", "choose_threading_layer",
           "max_threads", "set_threads", "single_thread", "use_parallel"]
