"""Fixtures of the dashboard tests: a fresh browser session per test, or two at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import solara.toestand
from solara.server import kernel, kernel_context

from sim.dashboard.pages import browser_state


def _forget_and_wait() -> None:
    """End the current browser session's state, waiting for its comparison to stop."""
    run = browser_state.current().compare_run
    browser_state.forget()
    run.join(timeout=120)


@pytest.fixture(autouse=True)
def compare_store(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Finished comparisons are stored in a folder of the test's, not in ``out/``."""
    monkeypatch.setenv("CRIMESIM_COMPARE_STORE", str(tmp_path_factory.mktemp("store")))
    yield


@pytest.fixture(autouse=True)
def fresh_browser_session() -> Iterator[None]:
    """Every test starts as a new browser session (outside a server there is one)."""
    _forget_and_wait()
    yield
    _forget_and_wait()


@pytest.fixture
def browser_sessions(monkeypatch: pytest.MonkeyPatch):
    """A function making a new browser session: a context manager to render in.

    The Solara server gives each browser a virtual kernel, and session state (every
    ``solara.reactive``) is kept per kernel; this makes such kernels without a server,
    so a test can render two pages as two users would see them.
    """
    monkeypatch.setattr(solara.toestand, "_using_solara_server", lambda: True)
    loop = asyncio.new_event_loop()  # a kernel context takes the thread's event loop
    asyncio.set_event_loop(loop)
    made: list[kernel_context.VirtualKernelContext] = []

    def new(name: str) -> kernel_context.VirtualKernelContext:
        context = kernel_context.VirtualKernelContext(
            id=name, session_id=name, kernel=kernel.Kernel())
        made.append(context)
        return context

    yield new
    for context in made:
        with context:
            _forget_and_wait()
    asyncio.set_event_loop(None)
    loop.close()
