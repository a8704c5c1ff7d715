"""Hand-over between pages: a scenario that another page asks Explore to open.

The Learn page's "Open in Explore" sets :data:`requested_scenario` to a lesson's preset
and navigates to Explore ("/"). A :func:`solara.reactive` keeps one value per browser
session (per virtual kernel), so one user's request never reaches another user's
Explore page. Explore reads it with :func:`requested_scenario_path` when it builds its
session; nothing is cleared, so coming back to Explore reopens the last lesson asked
for until another one is chosen.
"""

from __future__ import annotations

from pathlib import Path

import solara

#: Path of the scenario file Explore should open, or None for its default.
requested_scenario: solara.Reactive[str | None] = solara.reactive(None)


def request_scenario(path: str | Path) -> None:
    """Ask Explore to open ``path`` the next time it builds its session."""
    requested_scenario.set(str(path))


def requested_scenario_path() -> Path | None:
    """The scenario asked for in this session, or None (read without subscribing)."""
    value = requested_scenario.peek()
    return Path(value) if value else None
