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


# --- issue 16: questions, the Short lesson's time unit, the eta note, beside Explore ---

@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_asks_three_to_five_questions(name):
    questions = learn.load_lesson(name).sections[learn.QUESTIONS]
    numbered = [line for line in questions.splitlines() if line[:2] in {f"{i}." for i in
                                                                         range(1, 10)}]
    assert 3 <= len(numbered) <= 5, (name, numbered)
    assert all(line.rstrip().endswith("?") or "?" in line for line in numbered)


def test_short_lesson_counts_in_the_model_time_unit_not_hours():
    lesson = learn.load_lesson("near_repeat_hotspots")
    session = ExploreSession(lesson.scenario, {"city.width": 16, "city.height": 16,
                                               "offenders.count": 25})
    labels = [label for label, _ in session.read(session.family.steps)]
    assert labels == ["Step dt (0.01)", "Step 1 time unit (100 steps)"]
    session.step(140)  # 140 steps of dt = 0.01: t = 1.40 (by hand)
    status = session.read(session.family.status)
    assert status.startswith("t = 1.40 (step 140 of dt = 0.01; 100 steps per time unit)")
    assert ":00" not in status and "day" not in status
    assert session.read(session.family.speed_label_of) == "speed (steps of dt per frame)"


def test_city_lessons_keep_the_hourly_clock(small_overrides):
    session = ExploreSession(learn.load_lesson("routine_activity").scenario, small_overrides)
    session.step(26)
    assert session.read(session.family.status).startswith("day 1, 02:00 (tick 26)")
    assert session.read(session.family.speed_label_of) == "speed (hours per frame)"


def test_the_eta_note_points_to_a_setting_that_exists():
    from sim.dashboard.model_family import CRIME

    text = learn.load_lesson("near_repeat_hotspots").sections["Things to try"]
    assert "not a field" not in text
    assert "*More settings*" in text and "`eta`" in text
    # More settings offers every key the crime family reads beyond its lead fields
    assert CRIME.reads("near_repeat.eta") and "near_repeat.eta" not in CRIME.key_fields


def test_open_beside_explore_keeps_the_lesson_and_its_questions_in_view():
    went: list[str] = []
    box, rc = solara.render(LearnPage(navigate=went.append), handle_error=False)
    try:
        button(rc, "Open beside Explore").click()
        first = lessons()[0]
        assert navigation.lesson_beside.value == first.name and went == ["/"]
        assert navigation.requested_scenario_path() == first.scenario
    finally:
        rc.close()
    box, rc = solara.render(learn.LessonBeside(), handle_error=False)
    try:
        text = shown_text(rc)
        assert first.title in text and "Questions" in text
        button(rc, "Close").click()
        assert navigation.lesson_beside.value is None
    finally:
        rc.close()
        navigation.lesson_beside.set(None)


def test_a_lesson_preset_is_named_in_the_scenario_list():
    path = LESSON_SCENARIO_DIR / "near_repeat_hotspots.toml"
    assert navigation.opened_file_label(path) == "lesson: near_repeat_hotspots"
    assert navigation.opened_file_label(LESSON_SCENARIO_DIR.parent / "x" / "y.toml") == \
        "file: y"


def test_lessons_link_the_docs_they_cite_to_the_docs_page():
    text = learn.lesson_markdown(learn.load_lesson("near_repeat_hotspots"),
                                 (*SECTIONS, learn.QUESTIONS))
    assert "[docs/ODD.md](/docs?page=ODD.md)" in text
