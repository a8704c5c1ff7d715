"""What one browser session keeps while its user moves between pages.

Solara mounts a page's components when the user opens its tab and drops them, with
their state, when the user leaves. Three things must outlive that: the Explore
page's model and settings (so coming back finds them, and so Compare can run "the
current Explore settings"), and the Compare page's settings and its comparison,
which keeps running in the background and whose result is there on return.

They live in one :class:`BrowserState` per browser session, held by a
:func:`solara.reactive`: Solara keeps a reactive's value per virtual kernel, i.e.
per browser session, so two users never see each other's model or comparison
(outside a server, e.g. under ``solara.render`` in the tests, there is one global
session; :func:`forget` starts a new one). Pages read it with :func:`current` and
never subscribe to it: each page follows the objects inside by their own versions.
When the browser session ends, its comparison is stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara
import solara.lifecycle

from sim.dashboard.state.compare_run import CompareRun
from sim.dashboard.state.compare_settings import CompareJob
from sim.dashboard.state.explore_session import ExploreSession
from sim.scenario import Scenario


class BrowserState:
    """One browser session's Explore model and its comparison.

    Attributes:
        explore: The Explore page's session, once the page has been opened.
        compare_run: The comparison running or last run in this browser session.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.explore: ExploreSession | None = None
        self._compare_job: CompareJob | None = None
        self.compare_run = CompareRun()

    def explore_session(self, make: Callable[[], ExploreSession],
                        replace: bool = False) -> ExploreSession:
        """The Explore session, made with ``make`` if there is none (or ``replace``)."""
        with self._lock:
            if self.explore is None or replace:
                self.explore = make()
            return self.explore

    def explore_scenario(self) -> Scenario | None:
        """The scenario of the current Explore settings (None before Explore opened).

        Only accepted settings are in it: a value the page refused is not.
        """
        session = self.explore
        return None if session is None else session.scenario

    def compare_job(self, overrides: dict[str, Any] | None = None) -> CompareJob:
        """The Compare settings, made on first use with ``overrides`` in its field."""
        with self._lock:
            if self._compare_job is None:
                self._compare_job = CompareJob(overrides, explore=self.explore_scenario)
            return self._compare_job

    def close(self) -> None:
        """The browser session has ended: stop its comparison."""
        self.compare_run.stop()


_state: solara.Reactive[BrowserState | None] = solara.reactive(None)
_make_lock = threading.Lock()


def current() -> BrowserState:
    """This browser session's state (made on first use)."""
    with _make_lock:
        state = _state.peek()
        if state is None:
            state = BrowserState()
            _state.set(state)
        return state


def forget() -> None:
    """Drop this browser session's state (stopping its comparison); a new one follows."""
    with _make_lock:
        state = _state.peek()
        _state.set(None)
    if state is not None:
        state.close()


def _on_session_start() -> Callable[[], None]:
    """Solara calls this as each browser session starts; the cleanup runs at its end."""
    return forget


solara.lifecycle.on_kernel_start(_on_session_start)
