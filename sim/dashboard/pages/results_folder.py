"""A page that opens a folder of results under ``out/``: the Sweeps and Search pages' frame.

Both pages read what a command wrote to disk (``crimesim sweep --out DIR``,
``crimesim search --out DIR``) and do the same things before they show anything: open
the newest such folder under ``out/`` or the one named by ``?folder=``, offer a text
field with a one-line reason beside it when a folder cannot be read, a list of the
folders found, Reload (a sweep or search still running grows on disk), and a browser
of the folders under ``out/``. Only the kind of folder, its reader and its view differ:
a :class:`FolderKind` names them, and :func:`ResultsFolderPage` is the one frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import solara

from sim.dashboard.pages.sweep_browser import NOTE_STYLE, FolderBrowser


@dataclass(frozen=True)
class FolderKind:
    """What one results page opens, and how.

    Attributes:
        noun: What such a folder holds ("sweep", "search"): in the field's label and
            the browser's buttons.
        plural: The noun's plural ("sweeps", "searches"), in the list's label.
        command: The command that writes one (``crimesim sweep``), for the hints.
        first_run: The command line a user runs for a first one (shown when none exists;
            ``{out}`` stands for the folders' root).
        marker: The file that makes a folder one to open (the folder browser's test).
        list_folders: The folders under a root, newest first.
        open_folder: The results in a typed folder under a root, or None and the one-line
            reason it cannot be opened.
        view: The component showing opened results.
        empty: The Markdown shown before any folder is opened.
    """

    noun: str
    plural: str
    command: str
    first_run: str
    marker: str
    list_folders: Callable[[str | Path], Sequence[Path]]
    open_folder: Callable[[str, str | Path], tuple[Any | None, str | None]]
    view: Callable[[Any], solara.Element]
    empty: str

    @property
    def field(self) -> str:
        """The folder field's label (the tests and the docs name it)."""
        return f"{self.noun} folder"


@solara.component
def FolderChooser(kind: FolderKind, text: str, error: str | None, found: list[str],
                  on_text: Callable[[str], None], on_reload: Callable[[], None],
                  out_root: str) -> solara.Element:
    """The folder field (with its message), the folders found under ``out/``, Reload."""
    with solara.Row(gap="8px", style={"align-items": "baseline", "flex-wrap": "wrap"}) as main:
        solara.InputText(
            kind.field, value=text, on_value=on_text, error=error or False,
            message=error or f"a folder under {out_root}/ written by {kind.command} (its "
                             "--out); press Enter, or browse below",
            style={"min-width": "28em", "flex": "2"})
        if found:
            solara.Select(label=f"{kind.plural} found under {out_root}/", values=found,
                          value=text if text in found else None, on_value=on_text,
                          style={"min-width": "16em", "flex": "1"})
        else:
            first = kind.first_run.format(out=out_root)
            solara.Text(f"No {kind.noun} folders under {out_root}/ yet: {first} writes one.",
                        style=NOTE_STYLE)
        solara.Button("Reload", icon_name="mdi-refresh", on_click=on_reload,
                      style={"align-self": "center"})
    return main


@solara.component
def ResultsFolderPage(kind: FolderKind, folder: str | None, out_root: str | Path
                      ) -> solara.Element:
    """The folder chooser and browser, then the opened folder's view.

    Args:
        kind: Which results the page opens.
        folder: The folder to open first (None: the newest under ``out_root``).
        out_root: Where folders are offered and the only place they are opened from.
    """
    def newest() -> str:
        folders = kind.list_folders(out_root)
        return str(folders[0]) if folders else ""

    first = solara.use_memo(lambda: folder if folder is not None else newest(), [])
    text, set_text = solara.use_state(first)
    reloads, set_reloads = solara.use_state(0)
    found = solara.use_memo(lambda: [str(p) for p in kind.list_folders(out_root)], [reloads])
    results, error = solara.use_memo(lambda: kind.open_folder(text, out_root),
                                     [text, reloads])
    with solara.Column(gap="10px") as main:
        FolderChooser(kind, text, error, found, set_text, lambda: set_reloads(reloads + 1),
                      str(out_root))
        with solara.Details(summary=f"Browse the {kind.noun} folders under {out_root}/"):
            FolderBrowser(Path(out_root), text, set_text, marker=kind.marker,
                          kind=kind.noun).key(f"browser-{reloads}")
        if results is not None:
            kind.view(results).key(str(results.root))
        else:
            solara.Markdown(kind.empty)
    return main


def folder_in_address() -> str | None:
    """The ``?folder=DIR`` of the page's address, or None (a hook: call it in a Page)."""
    router = solara.use_router()
    return parse_qs(router.search or "").get("folder", [None])[0]
