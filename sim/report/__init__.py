"""The decision brief: a comparison as report.html a council can read (issue 16).

:func:`sim.report.brief.build_brief` decides what the brief says;
:func:`sim.report.render.write_report` and :func:`sim.report.render.brief_html` lay it
out as one self-contained HTML file (and a PDF when Chromium can print one).
"""
