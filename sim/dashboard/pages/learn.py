"""The Learn page: lessons for teaching, each a short text and a preset scenario.

Each lesson is one Markdown file in ``sim/dashboard/lessons/`` written in the NetLogo
Info-tab manner -- *What is it?*, *How it works*, *Things to notice*, *Things to try*
-- then *Questions* a student answers by running the model, and its *Sources*
(links to the project's docs open on the dashboard's Docs page,
:mod:`sim.dashboard.pages.docs`), and one scenario file of the same name in
``scenarios/lessons/`` (a small change to the baseline city or to a Short et al.
scenario, checked by ``crimesim validate``; the last lesson runs Epstein's civil
violence model instead, which Explore shows with that family's controls). The texts
describe what the model's mechanisms really do (docs/ODD.md) and cite numbers only
from the docs.

"Open in Explore" records the lesson's scenario as this session's request
(:mod:`sim.dashboard.pages.navigation`) and goes to the Explore page ("/"), which opens it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import solara

from sim.dashboard.pages.docs import link_docs
from sim.dashboard.pages.navigation import lesson_beside, request_scenario, show_lesson_beside
from sim.dashboard.state.explore_session import SCENARIO_DIR
from sim.scenario import Scenario

#: Where the lesson texts live (one ``<name>.md`` per lesson).
LESSON_DIR = Path(__file__).resolve().parents[1] / "lessons"
#: Where the lessons' preset scenarios live (one ``<name>.toml`` per lesson).
LESSON_SCENARIO_DIR = SCENARIO_DIR / "lessons"
#: The lessons, in teaching order.
LESSONS: tuple[str, ...] = (
    "routine_activity",
    "near_repeat_hotspots",
    "displacement",
    "legitimacy_corruption",
    "broken_windows",
    "who_is_victimised",
    "legitimacy_rebellion",
)
#: The sections every lesson has, in order (as in NetLogo's Info tab).
SECTIONS: tuple[str, ...] = ("What is it?", "How it works", "Things to notice", "Things to try")
#: The heading of the questions a student answers by running the lesson's model.
QUESTIONS = "Questions"
#: The heading of the closing list of sources.
SOURCES = "Sources"


class LessonError(ValueError):
    """A lesson file that lacks its title, a section or its scenario."""


@dataclass(frozen=True)
class Lesson:
    """One lesson: its title, its sections, questions and sources, and its scenario.

    Attributes:
        name: The file stem, shared by the text and the scenario.
        title: The ``# `` heading of the text.
        sections: Markdown of each of :data:`SECTIONS`, :data:`QUESTIONS` and
            :data:`SOURCES`, by heading.
        scenario: The preset scenario file.
        description: The scenario's ``description``.
    """

    name: str
    title: str
    sections: dict[str, str]
    scenario: Path
    description: str


def parse_lesson(name: str, text: str) -> tuple[str, dict[str, str]]:
    """The title and the sections (by ``## `` heading) of a lesson's Markdown."""
    title_match = re.search(r"^# (.+)$", text, flags=re.MULTILINE)
    if title_match is None:
        raise LessonError(f"lesson {name}: no '# ' title")
    parts = re.split(r"^## (.+)$", text[title_match.end():], flags=re.MULTILINE)
    pairs = zip(parts[1::2], parts[2::2], strict=True)
    sections = {heading.strip(): body.strip() for heading, body in pairs}
    missing = [s for s in (*SECTIONS, QUESTIONS, SOURCES) if not sections.get(s)]
    if missing:
        raise LessonError(f"lesson {name}: missing or empty section(s) {', '.join(missing)}")
    return title_match.group(1).strip(), sections


@cache
def load_lesson(name: str) -> Lesson:
    """Read lesson ``name``: its text and its (validated) scenario."""
    text_path = LESSON_DIR / f"{name}.md"
    scenario_path = LESSON_SCENARIO_DIR / f"{name}.toml"
    if not text_path.is_file():
        raise LessonError(f"lesson {name}: no text at {text_path}")
    if not scenario_path.is_file():
        raise LessonError(f"lesson {name}: no scenario at {scenario_path}")
    title, sections = parse_lesson(name, text_path.read_text(encoding="utf-8"))
    scenario = Scenario.load(scenario_path)
    description = str(scenario.raw().get("description", scenario.name))
    return Lesson(name, title, sections, scenario_path, description)


def lessons() -> list[Lesson]:
    """Every lesson, in teaching order."""
    return [load_lesson(name) for name in LESSONS]


def relative(path: Path) -> str:
    """A path as the user sees it in the repository (``scenarios/lessons/x.toml``)."""
    try:
        return str(path.relative_to(SCENARIO_DIR.parent))
    except ValueError:
        return str(path)


def lesson_markdown(lesson: Lesson, headings: tuple[str, ...]) -> str:
    """The lesson's sections ``headings`` as one Markdown text, docs mentions linked."""
    return link_docs("\n\n".join(f"### {h}\n\n{lesson.sections[h]}" for h in headings))


@solara.component
def LessonView(lesson: Lesson, on_open: Callable[[Lesson], None],
               on_open_beside: Callable[[Lesson], None] | None = None) -> solara.Element:
    """One lesson: the preset and its "Open in Explore" buttons, the text, the questions."""
    with solara.Column(gap="8px") as main:
        solara.Markdown(f"## {lesson.title}")
        with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Button("Open in Explore", icon_name="mdi-map-search",
                          on_click=lambda: on_open(lesson), color="primary")
            if on_open_beside is not None:
                solara.Button("Open beside Explore", icon_name="mdi-book-open-page-variant",
                              on_click=lambda: on_open_beside(lesson), outlined=True,
                              color="primary")
            solara.Text(f"preset: {relative(lesson.scenario)} - {lesson.description}",
                        style={"font-size": "0.85em"})
        solara.Markdown(lesson_markdown(lesson, (*SECTIONS, QUESTIONS)))
        with solara.Details(summary=SOURCES):
            solara.Markdown(link_docs(lesson.sections[SOURCES]))
    return main


@solara.component
def LessonBeside() -> solara.Element:
    """The lesson chosen with "Open beside Explore", in a panel that scrolls on its own.

    The app's layout puts it beside the Explore page; it shows the text and the
    questions (not the sources) and closes with its button.
    """
    name = lesson_beside.value
    with solara.Column(gap="4px", classes=["lesson-beside"], style={
            "position": "sticky", "top": "72px", "max-height": "calc(100vh - 90px)",
            "overflow-y": "auto", "padding": "0 8px", "border-left": "1px solid #ddd"}) as main:
        if name in LESSONS:
            lesson = load_lesson(name)
            with solara.Row(style={"align-items": "center"}):
                solara.Markdown(f"**Lesson: {lesson.title}**")
                solara.Button("Close", icon_name="mdi-close", text=True,
                              on_click=lambda: show_lesson_beside(None))
            solara.Markdown(lesson_markdown(lesson, (*SECTIONS[1:], QUESTIONS)),
                            style={"font-size": "0.9em"})
    return main


@solara.component
def LearnPage(navigate: Callable[[str], None] | None = None) -> solara.Element:
    """The lesson list on the left, the chosen lesson on the right.

    Args:
        navigate: Called with the Explore page's path ("/") after a lesson's scenario
            has been requested; the served page passes the router's ``push``.
    """
    all_lessons = solara.use_memo(lessons, [])
    chosen, set_chosen = solara.use_state(all_lessons[0].name)
    lesson = next(item for item in all_lessons if item.name == chosen)

    def open_in_explore(item: Lesson, beside: bool = False) -> None:
        request_scenario(item.scenario)
        show_lesson_beside(item.name if beside else None)
        if navigate is not None:
            navigate("/")

    with solara.Columns([1, 3]) as main:
        with solara.Column(gap="4px"):
            solara.Markdown("### Lessons")
            for number, item in enumerate(all_lessons, start=1):
                solara.Button(f"{number}. {item.title}", text=item.name != chosen,
                              color="primary" if item.name == chosen else None,
                              on_click=lambda name=item.name: set_chosen(name),
                              style={"justify-content": "flex-start", "text-transform": "none"})
            solara.Text("Each lesson is a preset scenario and a short text: read it, open "
                        "it in Explore (beside it, the text stays in view), try what it "
                        "suggests and answer its questions.",
                        style={"font-size": "0.85em"})
        LessonView(lesson, open_in_explore, lambda item: open_in_explore(item, beside=True))
    return main


@solara.component
def Page() -> solara.Element:
    """The Learn page as Solara serves it."""
    solara.Title("crimesim - Learn")
    router = solara.use_router()
    return LearnPage(navigate=router.push)
