"""Reading report.html back as a reader would: its sections, verdicts, table and links."""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


class ReportReader(HTMLParser):
    """Collects a report's verdict sentences, table headers, section ids and resources."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.verdicts: list[str] = []
        self.headers: list[str] = []
        self.resources: list[str] = []  # every src/href
        self._section = ""
        self._capture: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        for key in ("src", "href"):
            if attr.get(key) is not None:
                self.resources.append(str(attr[key]))
        if tag == "section":
            self._section = attr.get("id") or ""
            self.sections.append(self._section)
        elif (self._section == "verdicts" and tag in ("p", "li")) or tag == "th":
            self._capture, self._text = tag, []

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._capture:
            text = " ".join("".join(self._text).split())
            (self.headers if tag == "th" else self.verdicts).append(text)
            self._capture = None


def read_report(html: str) -> ReportReader:
    """The report parsed by :class:`ReportReader`."""
    reader = ReportReader()
    reader.feed(html)
    reader.close()
    return reader


#: The comparison behind every report test: the small city, street lighting (on from
#: day 30) against the baseline, 2 replications of 34 days (a 4-day window), seed 3.
REPORT_ARGS = ("--reps", "2", "--days", "34", "--seed", "3", "--workers", "1")


@functools.cache
def cli_report(small_args: tuple[str, ...]) -> tuple[Path, str]:
    """Run ``crimesim compare ... --report`` once per test process; (folder, stderr).

    The CLI test, the Compare page's test and the browser test all read this one
    report, so the suite pays for the comparison (and its PDF) once.
    """
    from sim.cli.main import main

    out = Path(tempfile.mkdtemp(prefix="crimesim-report-test-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["compare", str(SCENARIOS / "baseline.toml"),
                     str(SCENARIOS / "street_lighting.toml"), *REPORT_ARGS, "--no-progress",
                     "--out", str(out), "--report", *small_args])
    assert code == 0, err.getvalue()
    return out, err.getvalue()
