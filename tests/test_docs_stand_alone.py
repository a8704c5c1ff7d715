"""The project stands alone: its docs and code never point into the developers'
shared folder or at a path of one machine, so a user's clone has all it cites."""

from __future__ import annotations

import re

from repo_paths import ROOT

#: A pointer outside the repository: the developers' shared folder (or its evidence
#: file), or an absolute machine path. Written in pieces so that this file, which is
#: scanned too, holds no such pointer itself.
_SHARED = re.escape("../" + "shared")
_EVIDENCE = re.escape("EVIDENCE" + ".md")
OUTSIDE = re.compile(_SHARED + r"\b|/" + "work/|" + _EVIDENCE + r"|/" + r"root/|/" + r"home/\w")
FOLDERS = ("docs", "sim", "experiments", "scenarios", "tests")


def _texts():
    yield ROOT / "README.md"
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".md", ".py", ".toml", ".json"}:
                yield path


def test_nothing_points_outside_the_repository():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in _texts()
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if OUTSIDE.search(line)]
    assert found == []


def test_the_evidence_page_is_linked_from_the_readme():
    assert "docs/evidence.md" in (ROOT / "README.md").read_text()
    assert (ROOT / "docs" / "evidence.md").exists()
