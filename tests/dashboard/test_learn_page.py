"""The Learn page and its lessons, rendered without a browser (``solara.render``)."""

from __future__ import annotations

import ipyvue
import ipyvuetify as v
import pytest
import solara

from sim.cli.main import main
from sim.dashboard.pages import learn, navigation
from sim.dashboard.pages.learn import (
    LESSON_DIR,
    LESSON_SCENARIO_DIR,
    LESSONS,
    SECTIONS,
    SOURCES,
    LearnPage,
    LessonError,
    lessons,
    parse_lesson,
)
from sim.dashboard.state.explore_session import ExploreSession
from sim.scenario import Scenario


@pytest.fixture(autouse=True)
def no_request():
    """Every test starts and ends with no scenario requested."""
    navigation.requested_scenario.set(None)
    yield
    navigation.requested_scenario.set(None)


def shown_text(rc) -> str:
    """All the Markdown the page shows (rendered HTML) and every plain text."""
    parts = [w.template for w in rc.find(ipyvue.VueTemplate).widgets]
    parts += [str(w.children[0]) for w in rc.find(v.Html).widgets if w.children]
    return "\n".join(parts)


def button(rc, label: str) -> v.Btn:
    found = [w for w in rc.find(v.Btn).widgets if any(label in str(c) for c in w.children)]
    assert len(found) == 1, label
    return found[0]


def test_seven_lessons_each_with_a_text_and_a_scenario():
    assert len(LESSONS) == 7
    assert LESSONS[-1] == "legitimacy_rebellion"
    assert {p.stem for p in LESSON_DIR.glob("*.md")} == set(LESSONS)
    assert {p.stem for p in LESSON_SCENARIO_DIR.glob("*.toml")} == set(LESSONS)


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_has_all_four_sections_and_sources(name):
    lesson = learn.load_lesson(name)
    assert lesson.title
    for heading in (*SECTIONS, SOURCES):
        assert len(lesson.sections[heading]) > 80, (name, heading)
    assert list(lesson.sections)[:4] == list(SECTIONS)


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_scenario_is_valid_and_opens_in_explore(name, small_overrides):
    lesson = learn.load_lesson(name)
    scenario = Scenario.load(lesson.scenario)
    assert scenario.name == f"lesson_{name}"
    if scenario["city.layout"] == "lattice":
        overrides = {"city.width": 16, "city.height": 16, "offenders.count": 25}
    else:
        overrides = small_overrides
    session = ExploreSession(lesson.scenario, overrides)  # builds the model: targets checked
    session.step(2)
    assert session.model.tick == 2
    expected = "civil_violence" if name == "legitimacy_rebellion" else "crime"
    assert session.family.name == scenario.params.model == expected


def test_crimesim_validate_accepts_every_lesson(capsys):
    paths = [str(LESSON_SCENARIO_DIR / f"{name}.toml") for name in LESSONS]
    assert main(["validate", *paths]) == 0
    out = capsys.readouterr().out
    assert out.count("ok: ") == len(LESSONS), out


def test_a_lesson_missing_a_section_is_refused():
    text = "# T\n\n## What is it?\n\nx\n\n## How it works\n\ny\n\n## Sources\n\nz\n"
    with pytest.raises(LessonError, match="Things to notice, Things to try"):
        parse_lesson("t", text)
    with pytest.raises(LessonError, match="title"):
        parse_lesson("t", "## What is it?\n")


def test_learn_page_renders_the_list_and_the_first_lesson():
    box, rc = solara.render(LearnPage(), handle_error=False)
    try:
        first = lessons()[0]
        for number, lesson in enumerate(lessons(), start=1):
            button(rc, f"{number}. {lesson.title}")
        text = shown_text(rc)
        for heading in SECTIONS:
            assert heading in text
        assert "Cohen" in text and first.title in text
    finally:
        rc.close()


def test_choosing_a_lesson_shows_it():
    box, rc = solara.render(LearnPage(), handle_error=False)
    try:
        third = lessons()[2]
        button(rc, f"3. {third.title}").click()
        assert "Bowers" in shown_text(rc)
        assert f"scenarios/lessons/{third.name}.toml" in shown_text(rc)
    finally:
        rc.close()


def test_open_in_explore_requests_the_scenario_and_navigates(small_overrides):
    went: list[str] = []
    box, rc = solara.render(LearnPage(navigate=went.append), handle_error=False)
    try:
        assert navigation.requested_scenario_path() is None
        legit = lessons()[3]
        button(rc, f"4. {legit.title}").click()
        button(rc, "Open in Explore").click()
        assert navigation.requested_scenario_path() == legit.scenario
        assert went == ["/"]
        # what Explore will open: the session starts from the requested file
        session = ExploreSession(navigation.requested_scenario_path(), small_overrides)
        assert session.scenario.name == "lesson_legitimacy_corruption"
        assert session.enabled["anti_corruption"]
    finally:
        rc.close()


def test_the_civil_violence_lesson_opens_in_explore(small_overrides):
    went: list[str] = []
    box, rc = solara.render(LearnPage(navigate=went.append), handle_error=False)
    try:
        rebellion = lessons()[6]
        assert rebellion.title == "Legitimacy and rebellion (Epstein 2002)"
        button(rc, f"7. {rebellion.title}").click()
        text = shown_text(rc)
        assert "Epstein (2002)" in text and "legitimacy_drop_ticks" in text
        assert "scenarios/lessons/legitimacy_rebellion.toml" in text
        button(rc, "Open in Explore").click()
        assert navigation.requested_scenario_path() == rebellion.scenario
        assert went == ["/"]
        session = ExploreSession(navigation.requested_scenario_path(), small_overrides)
        assert session.scenario.name == "lesson_legitimacy_rebellion"
        assert session.family.name == "civil_violence"
        assert session.scenario["civil_violence.legitimacy"] == 0.82
    finally:
        rc.close()


def test_served_page_renders_with_the_router():
    box, rc = solara.render(learn.Page(), handle_error=False)
    try:
        button(rc, "Open in Explore")
    finally:
        rc.close()
