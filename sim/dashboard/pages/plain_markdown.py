"""No maths typesetting in the dashboard's Markdown, so a page asks for nothing missing.

Every ``solara.Markdown`` loads KaTeX from Solara's asset folder (``/_solara/cdn``) to
typeset ``$...$`` maths, unless ``window.renderMathInElement`` already exists. Solara
fetches that folder's files from a public CDN on first use; the dashboard runs
offline and Solara's install has no KaTeX, so every page load asked for two files and
got two 404s. No page of the dashboard writes maths (a "$" in a text is a currency),
so instead of shipping KaTeX, :func:`NoMathRendering` defines
``renderMathInElement`` as a function that leaves the text as it is, before any
Markdown on the page is mounted.
"""

from __future__ import annotations

import solara

#: A Vue template with no visible content: its ``created`` hook runs before the
#: mounted hooks of the Markdown after it on the page (and before KaTeX would load).
TEMPLATE = """
<template><span style="display: none"></span></template>
<script>
module.exports = {
    created() {
        if (!window.renderMathInElement) {
            window.renderMathInElement = function () {};
        }
    },
};
</script>
"""


@solara.component
def NoMathRendering() -> solara.Element:
    """An invisible element that turns off KaTeX maths in every Markdown of the page."""
    return solara.v.VuetifyTemplate(template=TEMPLATE)
