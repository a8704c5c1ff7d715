"""The Solara app of ``crimesim dashboard``: the page layout and its routes.

Served by ``solara run sim.dashboard.app`` (see :mod:`sim.cli.dashboard`). Pages are
routes under one :func:`Layout`, so each new page (Compare, Sweeps, Search, Learn, About) is
one more :class:`solara.Route`; only pages that work are listed. The Docs page serves
the project's ``docs/*.md`` so the lessons' links work offline; a lesson opened
"beside Explore" sits in a panel next to the Explore page (:func:`Layout` places it).
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")  # figures are rendered on the server; never open a window

import solara  # noqa: E402
import solara.lab  # noqa: E402

from sim.dashboard.pages.about import Page as AboutPage  # noqa: E402
from sim.dashboard.pages.city_import import Page as CityImportPage  # noqa: E402
from sim.dashboard.pages.compare import Page as ComparePage  # noqa: E402
from sim.dashboard.pages.docs import Page as DocsPage  # noqa: E402
from sim.dashboard.pages.explore import Page as ExplorePage  # noqa: E402
from sim.dashboard.pages.learn import LessonBeside  # noqa: E402
from sim.dashboard.pages.learn import Page as LearnPage  # noqa: E402
from sim.dashboard.pages.navigation import lesson_beside  # noqa: E402
from sim.dashboard.pages.plain_markdown import NoMathRendering  # noqa: E402
from sim.dashboard.pages.search import Page as SearchPage  # noqa: E402
from sim.dashboard.pages.sweeps import Page as SweepsPage  # noqa: E402

#: The app's title in the bar above the tabs.
TITLE = "crimesim: urban crime prevention"

#: True inside a :func:`Layout`: Solara applies the root route's layout and then the
#: page route's own, so a page's Layout finds itself nested and draws no second frame.
_framed = solara.create_context(False)


def route_tabs(routes: list[solara.Route], current: solara.Route | None,
               go: Callable[[int], None]) -> solara.Element:
    """One tab per route, named by its ``label``, the current page's tab selected.

    Solara's AppLayout names its tabs by route path and calls "/" "Home"; handing it
    these tabs in the app bar names them as the routes do ("Explore", "Compare", ...),
    and a new route brings its own tab.
    """
    index = routes.index(current) if current in routes else None
    return solara.lab.Tabs(value=index, on_value=go, align="center",
                           children=[solara.lab.Tab(r.label or r.path) for r in routes])


@solara.component
def Layout(children: list[solara.Element] | None = None) -> solara.Element:
    """The app frame: title bar and a tab per page (once, however deep the route)."""
    children = children or []
    nested = solara.use_context(_framed)
    route, all_routes = solara.use_route()
    router = solara.use_router()
    if nested:
        return solara.Column(children=children, style={"padding": "0"})
    _framed.provide(True)
    paths = [solara.resolve_path(r, level=0) for r in all_routes]
    # AppLayout uses a Tabs element found among the app bar's children instead of its own.
    bar = solara.AppBar(children=[route_tabs(all_routes, route, lambda i: router.push(paths[i]))])
    if route is not None and route.path == "/" and lesson_beside.value:
        # Learn's "Open beside Explore": the lesson stays in view while the map runs.
        children = [solara.Row(children=[
            solara.Div(children=children, style={"flex": "1", "min-width": "0"}),
            solara.Div(children=[LessonBeside()], style={"width": "26em", "flex": "none"})],
            style={"align-items": "flex-start", "flex-wrap": "nowrap"})]
    # The app's name in the bar on every page (a page's Title names the browser tab);
    # it goes in with the page, since AppLayout makes a second child a sidebar.
    page = solara.Div(children=[NoMathRendering(), solara.AppBarTitle(children=[TITLE]),
                                *children])
    return solara.AppLayout(children=[bar, page], title=TITLE)


routes = [
    solara.Route(path="/", component=ExplorePage, label="Explore", layout=Layout),
    solara.Route(path="city", component=CityImportPage, label="Your city", layout=Layout),
    solara.Route(path="compare", component=ComparePage, label="Compare", layout=Layout),
    solara.Route(path="sweeps", component=SweepsPage, label="Sweeps", layout=Layout),
    solara.Route(path="search", component=SearchPage, label="Search", layout=Layout),
    solara.Route(path="learn", component=LearnPage, label="Learn", layout=Layout),
    solara.Route(path="docs", component=DocsPage, label="Docs", layout=Layout),
    solara.Route(path="about", component=AboutPage, label="About", layout=Layout),
]
