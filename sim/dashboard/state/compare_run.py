"""A comparison running in the background, owned by a browser session, not by a page.

The Compare page used to run its comparison in the page's own thread, so leaving the
page stopped the run and dropped its result. A :class:`CompareRun` instead belongs
to the browser session (see :mod:`sim.dashboard.pages.browser_state`): its thread keeps
going while the user looks at another page, and whichever Compare page is on screen
shows its progress and result. It has no Solara in it: a page follows it by waiting
for its :attr:`~CompareRun.version` to change (:meth:`CompareRun.wait_for_change`),
which is also how the tests follow it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sim.dashboard.state.compare_result import (
    CompareResult,
    ComparisonStoppedError,
    run_prepared,
)
from sim.dashboard.state.compare_settings import Prepared

#: Runs a prepared comparison (replaceable in tests).
Runner = Callable[[Prepared, Callable[[int], None], Callable[[], bool]], CompareResult]


class CompareRun:
    """The last comparison of one browser session: running, stopped or finished.

    Attributes:
        prepared: What the current or last run compares (None before the first).
        done: Runs finished in the current or last comparison.
        result: The last finished comparison (kept when a later one fails or stops).
        failure: Why the last run ended without a result, or None.
        version: Increases whenever any of the above changes.
    """

    def __init__(self, runner: Runner = run_prepared) -> None:
        self._runner = runner
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._running = False
        self.prepared: Prepared | None = None
        self.done = 0
        self.result: CompareResult | None = None
        self.failure: str | None = None
        self.version = 0

    @property
    def running(self) -> bool:
        """Whether a comparison is in progress."""
        return self._running

    @property
    def progress(self) -> tuple[int, int]:
        """(runs done, runs in total) of the current or last comparison."""
        return self.done, self.prepared.n_jobs if self.prepared else 0

    def _bump(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def start(self, prepared: Prepared) -> bool:
        """Run ``prepared`` in a background thread; False if one is already running."""
        with self._changed:
            if self.running:
                return False
            self.prepared, self.done, self.failure = prepared, 0, None
            self._running = True
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, args=(prepared, self._stop),
                                            name="crimesim-compare", daemon=True)
            self._thread.start()
        self._bump()
        return True

    def _run(self, prepared: Prepared, stop: threading.Event) -> None:
        def on_done(_index: int) -> None:
            self.done += 1
            self._bump()

        try:
            self.result = self._runner(prepared, on_done, stop.is_set)
        except ComparisonStoppedError:
            self.failure = "stopped: the last complete result is still shown"
        except Exception as exc:  # never a traceback in the page
            self.failure = f"the comparison failed: {type(exc).__name__}: {exc}"
        finally:
            self._running = False  # before the last bump: a page that wakes sees it ended
            self._bump()

    def stop(self) -> None:
        """Ask the running comparison to end after the runs in progress."""
        self._stop.set()
        self._bump()

    def join(self, timeout: float | None = None) -> None:
        """Wait until the running comparison (if any) has ended."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until :attr:`version` differs from ``seen`` or ``timeout`` passes.

        Returns:
            The current version.
        """
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return self.version
