"""The project stands alone: its docs and code never point into the developers'
shared folder or at a path of one machine, so a user's clone has all it cites."""

from __future__ import annotations

import re

from repo_paths import ROOT

#: A pointer outside the repository: the shared folder, or an absolute machine path.
OUTSIDE = re.compile(r"\.\./shared\b|/work/|EVIDENCE\.md|/root/|/home/\w")
FOLDERS = ("docs", "sim", "experiments", "scenarios", "tests")


def _texts():
    yield ROOT / "README.md"
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".md", ".py", ".toml"} and path.name != "test_docs_stand_alone.py":
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
