"""The Docs page: the project's own documentation (``docs/*.md``), served offline.

The lessons and the About page point to the model description (docs/ODD.md), the
calibration and the interventions' evidence. A link to the project's repository would
need a network the dashboard is meant to run without (a classroom, a council
office), so the server renders the Markdown files it has under ``docs/`` itself, at
``/docs?page=ODD.md``. Links between the files are rewritten to stay on this page,
and pictures (``docs/images/*.png``) are sent inline, as data, since the server has no
route to the docs folder's files; anything that is not a Markdown file under ``docs/``
is refused with one line.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, quote

import solara

#: Where an installed wheel carries the documentation (setup.py copies docs/ there).
PACKAGED_DOCS = Path(__file__).resolve().parents[1] / "package_data" / "docs"
#: The documentation folder of the source tree the dashboard runs from.
REPOSITORY_DOCS = Path(__file__).resolve().parents[3] / "docs"
#: The documentation shown: the wheel's copy when installed, else the repository's.
DOCS_DIR = PACKAGED_DOCS if (PACKAGED_DOCS / "ODD.md").is_file() else REPOSITORY_DOCS
#: The page the Docs tab opens first.
FIRST_PAGE = "dashboard.md"
#: ``docs/NAME.md`` in running text (not already inside a link): made a link.
_MENTION = re.compile(r"(?<!\]\()(?<![\[/\w`])docs/((?:[\w-]+/)*[\w-]+\.md)")
#: A Markdown picture with a relative address.
_IMAGE = re.compile(r"!\[([^\]]*)\]\((?!https?:|data:)([^)\s]+\.(?:png|jpg|jpeg|svg))\)")
#: Largest picture sent inline; a larger one is named instead.
MAX_INLINE_BYTES = 1_500_000
_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "svg": "image/svg+xml"}
#: A Markdown link to a relative ``.md`` file, with an optional anchor.
_RELATIVE_LINK = re.compile(r"\]\((?!https?:|/|#)([^)#\s]+\.md)(#[^)\s]*)?\)")


def docs_url(page: str) -> str:
    """The dashboard address of one documentation file (``ODD.md``, ``interventions/x.md``)."""
    return f"/docs?page={quote(page)}"


def link_docs(markdown: str) -> str:
    """Markdown with every plain ``docs/NAME.md`` mention made a link to the Docs page."""
    return _MENTION.sub(lambda m: f"[docs/{m.group(1)}]({docs_url(m.group(1))})", markdown)


def doc_pages(root: Path = DOCS_DIR) -> list[str]:
    """Every Markdown file under ``root``, as a path relative to it, sorted."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))


def resolve_page(page: str, root: Path = DOCS_DIR) -> Path:
    """The file of ``page``, which must be a Markdown file under ``root``.

    Raises:
        ValueError: One line naming the problem (outside ``docs/``, not Markdown,
            missing).
    """
    if not page.endswith(".md"):
        raise ValueError(f"{page}: not a Markdown page of the documentation")
    path = (root / page).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"{page}: outside the documentation folder")
    if not path.is_file():
        raise ValueError(f"{page}: no such page in the documentation")
    return path


@cache
def rendered_text(page: str, root: Path = DOCS_DIR) -> str:
    """A page's Markdown with its links to sibling ``.md`` files pointing here."""
    text = resolve_page(page, root).read_text(encoding="utf-8")
    folder = Path(page).parent

    def relink(match: re.Match[str]) -> str:
        target = (folder / match.group(1)).as_posix()
        target = re.sub(r"[^/]+/\.\./", "", target)
        return f"]({docs_url(target)}{match.group(2) or ''})"

    def inline(match: re.Match[str]) -> str:
        path = (root / folder / match.group(2)).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file() or \
                path.stat().st_size > MAX_INLINE_BYTES:
            return f"*(picture: {match.group(1) or match.group(2)}, not shown here)*"
        data = base64.b64encode(path.read_bytes()).decode()
        mime = _MIME[path.suffix.lower().lstrip(".")]
        return f"![{match.group(1)}](data:{mime};base64,{data})"

    return _IMAGE.sub(inline, _RELATIVE_LINK.sub(relink, text))


@solara.component
def DocsPage(page: str | None = None, root: Path = DOCS_DIR) -> solara.Element:
    """A chooser of the documentation's pages and the chosen page, rendered."""
    pages = doc_pages(root)
    chosen, set_chosen = solara.use_state(page or FIRST_PAGE)
    with solara.Column(gap="8px", style={"max-width": "60em"}) as main:
        if not pages:
            solara.Text("This installation has no documentation folder (a wheel carries "
                        "it; a clone has docs/): the documentation is in the project's "
                        "repository (docs/).", style={"color": "#b00020"})
            return main
        solara.Select(label="documentation page", values=pages,
                      value=chosen if chosen in pages else None, on_value=set_chosen,
                      style={"max-width": "30em"})
        try:
            text = rendered_text(chosen, root)
        except ValueError as exc:
            solara.Text(str(exc), style={"color": "#b00020"})
        else:
            solara.Markdown(text)
    return main


@solara.component
def Page() -> solara.Element:
    """The Docs page as Solara serves it (``?page=ODD.md`` opens that file)."""
    solara.Title("crimesim - Docs")
    router = solara.use_router()
    page = parse_qs(router.search or "").get("page", [None])[0]
    return DocsPage(page=page).key(page or FIRST_PAGE)
