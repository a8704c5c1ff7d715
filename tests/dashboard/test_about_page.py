"""The About page, rendered without a browser (``solara.render``)."""

from __future__ import annotations

import ipyvue
import solara

from sim.dashboard.pages import about
from sim.dashboard.pages.about import DOCS, ROOT, AboutPage, about_markdown
from sim.interventions import REGISTRY


def shown_text(rc) -> str:
    return "\n".join(w.template for w in rc.find(ipyvue.VueTemplate).widgets)


def test_about_page_renders_the_model_in_brief():
    box, rc = solara.render(AboutPage(), handle_error=False)
    try:
        text = shown_text(rc)
        for heading in ("What crimesim is", "Entities", "Each hour", "Mechanisms",
                        "Interventions", "Read more"):
            assert heading in text, heading
        for source in ("Cohen &amp; Felson", "Short et al.", "Tyler", "Wilson &amp; Kelling"):
            assert source in text, source
    finally:
        rc.close()


def test_every_intervention_is_listed_with_its_scenario_and_page():
    text = about_markdown()
    for name in REGISTRY:
        assert REGISTRY[name].summary in text
        assert f"`scenarios/{name}.toml`" in text
        assert f"`docs/interventions/{name}.md`" in text


def test_the_documents_named_exist():
    for path, _ in DOCS:
        assert (ROOT / path).exists(), path


def test_served_page_renders():
    box, rc = solara.render(about.Page(), handle_error=False)
    rc.close()
