"""Reading report.html back as a reader would: its sections, verdicts, table and links."""

from __future__ import annotations

from html.parser import HTMLParser


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
