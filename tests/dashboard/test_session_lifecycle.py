"""A browser session that closes mid-run frees its model and stops its comparison."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import solara
from ui_support import button, type_into

from sim.dashboard.pages import browser_state
from sim.dashboard.pages.compare import ComparePage
from sim.dashboard.pages.explore import ExplorePage
from sim.dashboard.state.compare_run import CompareRun


class _Blocking:
    """A fake comparison that runs until it is cancelled (or 30 s pass)."""

    def __init__(self) -> None:
        self.started = threading.Event()

    def __call__(self, prepared, on_done, cancelled, stop_file=None):
        self.started.set()
        for _ in range(3000):
            if cancelled():
                raise RuntimeError("stopped")
            threading.Event().wait(0.01)
        raise RuntimeError("never cancelled")


def test_closing_a_session_mid_run_frees_its_model_and_stops_its_run(small_overrides,
                                                                    browser_sessions):
    one = browser_sessions("closing")
    fake = _Blocking()
    with one:
        box, explore = solara.render(ExplorePage(overrides=small_overrides),
                                     handle_error=False)
        state = browser_state.current()
        session = state.explore
        assert session is not None and session.model is not None
        model_ref = weakref.ref(session.model)
        session_ref = weakref.ref(session)
        explore.close()
        state.compare_run = CompareRun(fake)
        box, compare = solara.render(ComparePage(overrides=small_overrides), handle_error=False)
        type_into(compare, "replications", "2")
        button(compare, "Run comparison").click()
        assert fake.started.wait(30)
        run = state.compare_run
        assert run.running
        compare.close()
        del session, state, explore, compare, box  # the test's own references
    one.close()  # what the server does when the browser tab goes away
    run.join(timeout=30)
    assert not run.running
    # the Compare page's run-time estimate (a few simulated days of the Explore
    # settings, in a thread of its own) may still hold the state until it ends
    deadline = time.monotonic() + 30
    gc.collect()
    while session_ref() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
        gc.collect()
    assert session_ref() is None, "the closed session's Explore state is still referenced"
    assert model_ref() is None, "the closed session's model is still in memory"


def test_other_sessions_keep_their_models_when_one_closes(small_overrides, browser_sessions):
    one, two = browser_sessions("first"), browser_sessions("second")
    with two:
        _, page = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
        kept = browser_state.current().explore
        page.close()
    with one:
        _, page = solara.render(ExplorePage(overrides=small_overrides), handle_error=False)
        page.close()
    one.close()
    with two:
        assert browser_state.current().explore is kept
        assert kept.model is not None
