"""Hand-over between pages: a scenario that another page asks Explore to open.

The Learn page's "Open in Explore" sets :data:`requested_scenario` to a lesson's preset
and navigates to Explore ("/"). A :func:`solara.reactive` keeps one value per browser
session (per virtual kernel), so one user's request never reaches another user's
Explore page. Explore takes the request with :func:`take_requested_scenario` when it
opens: it starts a fresh session from that file and clears the request, so coming
back to Explore later finds the lesson as the user left it, edits and all (the
session itself is kept by :mod:`sim.dashboard.pages.browser_state`).

Learn's "Open beside Explore" also sets :data:`lesson_beside`: the app's layout then
shows that lesson's text in a panel beside the Explore page until the user closes it,
so a student reads the questions while the map runs.
"""

from __future__ import annotations

from pathlib import Path

import solara

#: Path of the scenario file Explore should open, or None for its default.
requested_scenario: solara.Reactive[str | None] = solara.reactive(None)


def request_scenario(path: str | Path) -> None:
    """Ask Explore to open ``path`` the next time it opens."""
    requested_scenario.set(str(path))


def requested_scenario_path() -> Path | None:
    """The scenario asked for in this session, or None (read without subscribing)."""
    value = requested_scenario.peek()
    return Path(value) if value else None


def take_requested_scenario() -> Path | None:
    """The scenario asked for, if any, clearing the request (Explore opens it once)."""
    path = requested_scenario_path()
    if path is not None:
        requested_scenario.set(None)
    return path


#: Name of the lesson shown beside the Explore page, or None for no panel.
lesson_beside: solara.Reactive[str | None] = solara.reactive(None)


def show_lesson_beside(name: str | None) -> None:
    """Show lesson ``name`` beside Explore (None closes the panel)."""
    lesson_beside.set(name)


def opened_file_label(path: Path) -> str:
    """How Explore's scenario list names a file outside ``scenarios/`` that was opened.

    A lesson's preset (``scenarios/lessons/x.toml``) reads "lesson: x"; any other
    file its stem, so the list never shows an empty box for the scenario running.
    """
    return f"lesson: {path.stem}" if path.parent.name == "lessons" else f"file: {path.stem}"
