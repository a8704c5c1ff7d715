"""The Solara app of ``crimesim dashboard``: the page layout and its routes.

Served by ``solara run sim.dashboard.app`` (see :mod:`sim.cli.dashboard`). Pages are
routes under one :func:`Layout`, so each new page (Compare, Sweeps, Learn, About) is
one more :class:`solara.Route`; only pages that work are listed.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # figures are rendered on the server; never open a window

import solara  # noqa: E402

from sim.dashboard.about_page import Page as AboutPage  # noqa: E402
from sim.dashboard.compare_page import Page as ComparePage  # noqa: E402
from sim.dashboard.explore import Page as ExplorePage  # noqa: E402
from sim.dashboard.learn_page import Page as LearnPage  # noqa: E402


@solara.component
def Layout(children: list[solara.Element] | None = None) -> solara.Element:
    """The app frame: title bar and a tab per page."""
    return solara.AppLayout(children=children or [], title="crimesim: urban crime prevention")


routes = [
    solara.Route(path="/", component=ExplorePage, label="Explore", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare", layout=Layout),
    solara.Route(path="learn", component=LearnPage, label="Learn", layout=Layout),
    solara.Route(path="about", component=AboutPage, label="About", layout=Layout),
]
