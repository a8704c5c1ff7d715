"""A comparison running in the background, owned by a browser session, not by a page.

The Compare page used to run its comparison in the page's own thread, so leaving the
page stopped the run and dropped its result. A :class:`CompareRun` instead belongs
to the browser session (see :mod:`sim.dashboard.pages.browser_state`): its thread keeps
going while the user looks at another page, and whichever Compare page is on screen
shows its progress and result. It has no Solara in it: a page follows it by waiting
for its :attr:`~CompareRun.version` to change (:meth:`CompareRun.wait_for_change`),
which is also how the tests follow it.

Stop reaches the runs in progress: each comparison gets a
:class:`~sim.analysis.stop_signal.StopSignal` that its runs poll once per simulated
day, in this process or in a process pool's workers. A finished comparison is saved
to the store (:mod:`sim.dashboard.state.compare_store`) so its URL shows it again
after a reload; while a new one runs, the last result stays, marked as stale by the
page (:attr:`CompareRun.stale`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sim.analysis.stop_signal import StopSignal
from sim.dashboard.state.compare_result import (
    CompareResult,
    ComparisonStoppedError,
    run_prepared,
)
from sim.dashboard.state.compare_settings import Prepared
from sim.dashboard.state.compare_store import StoredRunError, load_result, save_result

#: Runs a prepared comparison (replaceable in tests): (prepared, on_done, cancelled,
#: stop_file) -> result.
Runner = Callable[[Prepared, Callable[[int], None], Callable[[], bool], str], CompareResult]
#: Saves a finished result and returns its run id (replaceable in tests).
Saver = Callable[[CompareResult], str]


class CompareRun:
    """The last comparison of one browser session: running, stopped or finished.

    Attributes:
        prepared: What the current or last run compares (None before the first).
        done: Runs finished in the current or last comparison.
        result: The last finished comparison (kept when a later one fails or stops),
            or a stored one the page opened (:meth:`show_stored`).
        failure: Why the last run ended without a result, or None.
        stop_seconds: How long the last Stop took to end the runs, or None.
        version: Increases whenever any of the above changes.
    """

    def __init__(self, runner: Runner = run_prepared, saver: Saver = save_result) -> None:
        self._runner = runner
        self._saver = saver
        self._changed = threading.Condition()
        self._stop: StopSignal | None = None  # made per run: a folder in the temp dir
        self._stop_asked: float | None = None
        self._thread: threading.Thread | None = None
        self._running = False
        self.prepared: Prepared | None = None
        self.done = 0
        self.result: CompareResult | None = None
        self.failure: str | None = None
        self.stop_seconds: float | None = None
        self.version = 0

    @property
    def stale(self) -> bool:
        """Whether the result on show is from an earlier run than the one running."""
        return self._running and self.result is not None

    @property
    def running(self) -> bool:
        """Whether a comparison is in progress."""
        return self._running

    @property
    def progress(self) -> tuple[int, int]:
        """(runs done, runs in total) of the current or last comparison."""
        return self.done, self.prepared.total_runs if self.prepared else 0

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
            self.stop_seconds, self._stop_asked = None, None
            self._running = True
            self._stop = StopSignal()
            self._thread = threading.Thread(target=self._run, args=(prepared, self._stop),
                                            name="crimesim-compare", daemon=True)
            self._thread.start()
        self._bump()
        return True

    def _run(self, prepared: Prepared, stop: StopSignal) -> None:
        def on_done(_index: int) -> None:
            self.done += 1
            self._bump()

        try:
            result = self._runner(prepared, on_done, stop.is_set, stop.path)
            try:
                result.run_id = self._saver(result)
            except OSError as exc:  # the result is still shown, without a URL
                self.failure = f"the result could not be saved on the server: {exc}"
            self.result = result
        except ComparisonStoppedError:
            if self._stop_asked is not None:
                self.stop_seconds = time.monotonic() - self._stop_asked
            shown = "; the last complete result is still shown" if self.result else ""
            self.failure = f"stopped after {self.done} finished runs{shown}"
        except Exception as exc:  # never a traceback in the page
            self.failure = f"the comparison failed: {type(exc).__name__}: {exc}"
        finally:
            stop.close()  # and any worker still polling it stops
            self._running = False  # before the last bump: a page that wakes sees it ended
            self._bump()

    def stop(self) -> None:
        """Stop the running comparison: its runs end within a simulated day."""
        if self._running and self._stop_asked is None:
            self._stop_asked = time.monotonic()
        if self._stop is not None:
            self._stop.set()
        self._bump()

    def show_stored(self, run_id: str) -> str | None:
        """Show the stored comparison ``run_id`` (not while one runs).

        Returns:
            None when shown, else a one-line message (no such run, unreadable, busy).
        """
        if self.result is not None and self.result.run_id == run_id:
            return None
        if self._running:
            return "a comparison is running; the stored one shows once it has ended"
        try:
            result = load_result(run_id)
        except StoredRunError as exc:
            return str(exc)
        self.result, self.failure, self.prepared = result, None, None
        self._bump()
        return None

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
