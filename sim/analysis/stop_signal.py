"""A stop request that reaches runs in progress, in this process or in worker processes.

A comparison's runs used to be stopped only between runs: a Stop button waited for
the runs in progress to finish (163 s for a 10-year run). A :class:`StopSignal` is a
file that exists while the runs may go on and is removed to stop them; a run polls
it once per simulated day (:func:`sim.analysis.outcome.measure_run`). A file path is
picklable and seen by every process on the machine, so one signal stops the runs of
the in-process executor and of a local process pool alike, with no shared memory or
manager process; a check costs one ``stat`` call, far below a simulated day.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class RunStoppedError(Exception):
    """A run (or a pool of runs) ended early because its stop signal was set.

    Args:
        ticks_run: Ticks the model had run when it stopped (None: the runs were ended
            from outside, e.g. a process pool's workers were terminated).
        ticks: Ticks the run was asked for (None likewise).
    """

    def __init__(self, ticks_run: int | None = None, ticks: int | None = None) -> None:
        super().__init__(ticks_run, ticks)  # args alone: it crosses process pools
        self.ticks_run = ticks_run
        self.ticks = ticks

    def __str__(self) -> str:
        if self.ticks_run is None:
            return "runs stopped: their worker processes were ended"
        return f"run stopped after {self.ticks_run} of {self.ticks} ticks"


class StopSignal:
    """A flag every process can see: a file that exists while the runs may go on.

    Stopping removes the file, so a signal whose folder is cleaned away, or that is
    closed while a worker process still runs, stops its runs too: a run never goes
    on unseen. The file lives in a fresh temporary folder of its own; a signal is
    used for one comparison.
    """

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="crimesim-run-"))
        self.path = str(self._folder / "running")
        Path(self.path).touch()

    def set(self) -> None:
        """Ask every run polling this signal to stop."""
        Path(self.path).unlink(missing_ok=True)

    def is_set(self) -> bool:
        """Whether :meth:`set` (or :meth:`close`) has been called."""
        return not os.path.exists(self.path)

    def close(self) -> None:
        """Stop any run still polling, and remove the signal's folder."""
        self.set()
        with contextlib.suppress(OSError):
            self._folder.rmdir()


def stop_requested(path: str | None) -> bool:
    """Whether the stop signal at ``path`` (None: no signal) has been set."""
    return path is not None and not os.path.exists(path)
