"""The Sweeps page's folder browser: pick a sweep under ``out/`` by clicking, not typing.

A user of a served dashboard does not know the server's paths, and should not reach
any folder but the sweeps' own: the browser starts at ``out/`` (``crimesim sweep``'s
default place), lists the folders there, goes down into a folder on a click and back
up with "Up", and never above ``out/``. A sweep folder (one holding
``manifest.json``) is marked and opens on a click. The Search page browses search
folders with it (a ``marker`` of ``search.json``, a ``kind`` of "search").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara

from sim.analysis.sweep.results import SweepFolderError
from sim.dashboard.state.sweep_folder import is_inside, subfolders

#: Small grey text for notes beside controls (the results pages share it).
NOTE_STYLE = {"font-size": "0.85em", "color": "#555"}
_BUTTON_STYLE = {"text-transform": "none", "justify-content": "flex-start"}


def start_folder(opened: str, root: Path) -> Path:
    """Where browsing starts: the folder holding the opened sweep, else ``root``."""
    if opened.strip() and is_inside(opened, root):
        parent = Path(opened).expanduser().resolve().parent
        if parent.is_dir():
            return parent
    return root.resolve()


def shown_path(folder: Path, root: Path) -> str:
    """``folder`` as the user knows it: ``out/`` and the path below it."""
    below = folder.resolve().relative_to(root.resolve()).as_posix()
    return f"{root.as_posix()}/" + ("" if below == "." else f"{below}/")


@solara.component
def FolderBrowser(root: Path, opened: str, on_open: Callable[[str], None],
                  marker: str = "manifest.json", kind: str = "sweep") -> solara.Element:
    """The folders under ``root``, browsable; a click on a sweep folder opens it.

    Args:
        root: The top the browser never leaves (the server's ``out/``).
        opened: The sweep folder open now ("" for none): browsing starts beside it.
        on_open: Called with a sweep folder's path, as the text field's value.
        marker: The file that makes a folder one to open.
        kind: What such a folder is called ("sweep", "search"): its button reads
            "<name>  (<kind>: open)".
    """
    here, set_here = solara.use_state(start_folder(opened, root))
    try:
        entries, problem = subfolders(here, root, marker), None
    except SweepFolderError as exc:
        entries, problem = [], str(exc)
    top = root.resolve()
    with solara.Column(gap="2px", classes=["sweep-browser"]) as main:
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text(f"Browse {shown_path(here, root) if not problem else root}",
                        style={"font-weight": "bold"})
            if here.resolve() != top:
                solara.Button("Up", icon_name="mdi-arrow-up", text=True,
                              on_click=lambda: set_here(here.resolve().parent))
        if problem:
            solara.Text(f"No folder {root}/ here yet: crimesim {kind} writes its results "
                        "there.", style=NOTE_STYLE)
        elif not entries:
            solara.Text("No folders here.", style=NOTE_STYLE)
        for path, is_sweep in entries:
            if is_sweep:
                solara.Button(f"{path.name}  ({kind}: open)", icon_name="mdi-chart-line",
                              text=True, color="primary", style=_BUTTON_STYLE,
                              on_click=lambda path=path: on_open(str(root / path.relative_to(top))))
            else:
                solara.Button(f"{path.name}/", icon_name="mdi-folder", text=True,
                              style=_BUTTON_STYLE,
                              on_click=lambda path=path: set_here(path.resolve()))
    return main
