"""How long a session's model takes, whether it is computing now, and changes on hold.

A user who presses "Step 1 day" on a big city, or plays a year, wants to know that
something is happening and how long the rest will take. :class:`RunClock` times each
step of one session's model (so the estimate is this city's, on this server, under
its current load) and marks the session busy while a step computes (a second click
is refused meanwhile). Before the first step there is nothing measured, so
:func:`first_guess_seconds_per_day` scales a measured baseline day by the city's
number of agents.

:class:`PendingChange` is a settings change held until the user confirms that it
restarts a city that has run (:meth:`~sim.dashboard.state.explore_session.
ExploreSession.request`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

#: Engine time of one simulated day of the baseline city (30,519 agents), in seconds:
#: the figure measured in issue 16's trial (about 15 ms a day, numba kernels warm, an
#: idle machine). A loaded server is slower; the measured rate replaces this guess
#: from the second step on.
BASELINE_SECONDS_PER_DAY = 0.015
#: Agents of the baseline city (residents, offenders, officers, workers, guards).
BASELINE_AGENTS = 30_519
#: Steps the measured rate is averaged over (recent ones: load on the server changes).
RECENT_STEPS = 20


@dataclass(frozen=True)
class PendingChange:
    """A settings change waiting for the user's confirmation.

    Attributes:
        what: The setting in words ("street lighting coverage").
        progress: Where the run is that the change would throw away ("day 57").
        change: Makes the change.
    """

    what: str
    progress: str
    change: Callable[[], Any]

    def question(self) -> str:
        """The confirmation's text."""
        return (f"Changing {self.what} restarts the city; the run so far "
                f"({self.progress}) will be lost.")


class RunClock:
    """Step timings of one session's model, and whether a step is computing.

    Attributes:
        ticks_since_build: Ticks the current model has advanced (0: fresh).
    """

    def __init__(self) -> None:
        self._recent: deque[tuple[int, float]] = deque(maxlen=RECENT_STEPS)
        self._busy = False
        self._warmed_up = False
        self.ticks_since_build = 0

    @property
    def busy(self) -> bool:
        """Whether a step is computing now."""
        return self._busy

    @contextmanager
    def timing(self, ticks: int) -> Iterator[None]:
        """Mark busy while the block steps ``ticks`` ticks, and record how long it took."""
        self._busy = True
        start = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - start
            if ticks > 0:
                # the session's first step loads or compiles the kernels: not a rate
                if self._warmed_up:
                    self._recent.append((ticks, seconds))
                self._warmed_up = True
                self.ticks_since_build += ticks
            self._busy = False

    def restarted(self) -> None:
        """The model was rebuilt: it has not run (timings stay: same server, similar city)."""
        self.ticks_since_build = 0

    def seconds_per_tick(self) -> float | None:
        """Measured seconds per tick over the recent steps, or None before any.

        The session's first step is not counted: it loads or compiles the numba
        kernels, which can take a hundred times a day's work.
        """
        steps = list(self._recent)
        ticks = sum(t for t, _ in steps)
        return sum(s for _, s in steps) / ticks if ticks else None


def first_guess_seconds_per_day(agents: int) -> float:
    """Seconds one simulated day takes, guessed from the number of agents alone."""
    return BASELINE_SECONDS_PER_DAY * max(agents, 1) / BASELINE_AGENTS


def duration_words(seconds: float) -> str:
    """A duration as a person says it: "under a second", "about 40 s", "about 3 min"."""
    if seconds < 1.0:
        return "under a second"
    if seconds < 90.0:
        return f"about {round(seconds):d} s"
    if seconds < 90 * 60.0:
        return f"about {round(seconds / 60.0):d} min"
    return f"about {seconds / 3600.0:.1f} h"


def estimate_line(seconds_per_unit: float, remaining: int, unit: str, measured: bool) -> str:
    """The run-time estimate the page shows.

    Args:
        seconds_per_unit: Seconds per day (or tick) of the model.
        remaining: Days (or ticks) left to the scenario's run length.
        unit: "days" or "ticks".
        measured: Whether the rate was measured on this session's model (else a
            guess from the city's size).
    """
    if remaining <= 0:
        return f"The scenario's run length is reached; further {unit} go beyond it."
    how = "at the current speed" if measured else "(a first guess from the city's size)"
    return (f"{duration_words(seconds_per_unit * remaining)} for the remaining "
            f"{remaining:,} {unit} {how}")
