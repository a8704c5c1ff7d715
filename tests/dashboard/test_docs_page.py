"""The Docs page: the project's docs/*.md served offline, and nothing else."""

from __future__ import annotations

import ipyvue
import pytest
import solara

from sim.dashboard.pages.docs import (
    DOCS_DIR,
    DocsPage,
    doc_pages,
    link_docs,
    rendered_text,
    resolve_page,
)


def test_every_markdown_file_under_docs_is_offered():
    pages = doc_pages()
    assert "ODD.md" in pages and "comparison.md" in pages
    assert len(pages) == len(list(DOCS_DIR.rglob("*.md")))


@pytest.mark.parametrize(("page", "message"), [
    ("../README.md", "outside the documentation folder"),
    ("images", "not a Markdown page"),
    ("no_such.md", "no such page"),
])
def test_anything_but_a_docs_page_is_refused_in_one_line(page, message):
    with pytest.raises(ValueError, match=message):
        resolve_page(page)


def test_mentions_become_links_and_code_stays_code():
    assert link_docs("see docs/ODD.md §7.8") == "see [docs/ODD.md](/docs?page=ODD.md) §7.8"
    assert link_docs("`docs/ODD.md`") == "`docs/ODD.md`"
    assert link_docs("[docs/ODD.md](x)") == "[docs/ODD.md](x)"


def test_links_between_docs_stay_on_the_docs_page():
    text = rendered_text("evidence.md")
    assert "](/docs?page=calibration.md)" in text and "](calibration.md)" not in text


def test_the_page_renders_a_chosen_file_and_refuses_a_bad_one():
    _, rc = solara.render(DocsPage(page="comparison.md"), handle_error=False)
    try:
        shown = "\n".join(w.template for w in rc.find(ipyvue.VueTemplate).widgets)
        assert "paired replications with common random numbers" in shown
    finally:
        rc.close()
    _, rc = solara.render(DocsPage(page="../README.md"), handle_error=False)
    rc.close()


def test_a_mention_in_brackets_is_linked_too():
    assert link_docs("(docs/ODD.md §8)") == "([docs/ODD.md](/docs?page=ODD.md) §8)"


def test_pictures_are_sent_inline_so_the_page_requests_no_file():
    text = rendered_text("dashboard.md")
    assert "](images/" not in text
    assert "](data:image/png;base64," in text or "not shown here" in text
