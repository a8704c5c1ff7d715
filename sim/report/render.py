"""report.html (and report.pdf) from a :class:`sim.report.brief.Brief`.

One self-contained file: CSS inline, figures as base64 ``data:`` URLs, no script and
no request to any network, so it opens the same from an e-mail attachment, a USB
stick or an offline laptop. The PDF is Chromium's print of that file (Playwright),
written only when a Chromium can be launched; its absence never fails the report.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from sim.atomic_files import atomic_write
from sim.report.brief import NOT_MEASURED, Brief

REPORT_NAME = "report.html"
PDF_NAME = "report.pdf"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("sim.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["data_url"] = lambda png: "data:image/png;base64," + base64.b64encode(
        png).decode("ascii")
    return env


def brief_html(brief: Brief) -> str:
    """The brief as one self-contained HTML document (what report.html holds)."""
    return _environment().get_template("report.html.j2").render(
        brief=brief, not_measured=NOT_MEASURED)


def chromium_path() -> str | None:
    """The system's Chromium (Debian's package, as the browser tests use), or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html_path: Path, pdf_path: Path) -> str | None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium.

    Playwright's sync API refuses to run in a thread whose asyncio loop is running (a
    notebook, a server's handler), so the printing runs in a thread of its own.

    Returns:
        None when written, else one line saying why no PDF was made.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="crimesim-pdf") as pool:
        return pool.submit(_print_pdf, html_path, pdf_path).result()


def _print_pdf(html_path: Path, pdf_path: Path) -> str | None:
    """:func:`write_pdf`'s work, in a thread with no running event loop."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return "no PDF: playwright is not installed"
    tmp = pdf_path.with_name(pdf_path.name + ".part")
    try:
        with sync_playwright() as pw:
            try:
                browser = pw.chromium.launch(
                    headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"])
            except Error:
                exe = chromium_path()
                if exe is None:
                    return "no PDF: no Chromium found for Playwright"
                browser = pw.chromium.launch(
                    executable_path=exe, headless=True,
                    args=["--no-sandbox", "--disable-dev-shm-usage"])
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith(("file:", "data:"))
                           else route.abort())
                page.goto(html_path.resolve().as_uri())
                page.pdf(path=str(tmp), format="A4", print_background=True,
                         margin={"top": "15mm", "bottom": "15mm", "left": "12mm",
                                 "right": "12mm"})
            finally:
                browser.close()
    except Exception as exc:  # noqa: BLE001 -- any failure means "no PDF", never a failed report
        tmp.unlink(missing_ok=True)
        return f"no PDF: Chromium could not print ({str(exc).splitlines()[0][:120]})"
    os.replace(tmp, pdf_path)
    return None


def write_report(brief: Brief, out_dir: str | Path, *, pdf: bool = True) -> list[Path]:
    """Write ``report.html`` (and ``report.pdf`` when a Chromium can print it).

    Args:
        brief: The brief (:func:`sim.report.brief.build_brief`).
        out_dir: An existing folder.
        pdf: Try to print the PDF too.

    Returns:
        The files written (:func:`write_report_with_note` also says why a PDF was
        skipped).
    """
    return write_report_with_note(brief, out_dir, pdf=pdf)[0]


def write_report_with_note(brief: Brief, out_dir: str | Path, *,
                           pdf: bool = True) -> tuple[list[Path], str | None]:
    """Like :func:`write_report`, also returning why no PDF was made (or None)."""
    out = Path(out_dir)
    html_path = out / REPORT_NAME
    text = brief_html(brief)
    atomic_write(html_path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), ".html")
    paths = [html_path]
    note = write_pdf(html_path, out / PDF_NAME) if pdf else "no PDF: not asked for"
    if note is None:
        paths.append(out / PDF_NAME)
    return paths, note
