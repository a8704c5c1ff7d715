"""The app frame: one title bar whose tabs carry the routes' labels and navigate."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara
import solara.autorouting

from sim.dashboard.app import TITLE, routes


def render_app(path: str):
    """The whole app at ``path``, routed as the server routes it."""
    return solara.render(solara.RoutingProvider(
        children=[solara.autorouting.RenderPage()], routes=routes, pathname=path),
        handle_error=False)


def tab_index(label: str) -> int:
    """Where the route labelled ``label`` sits among the tabs."""
    return [route.label for route in routes].index(label)


@pytest.mark.parametrize(("path", "selected"), [("/", "Explore"), ("/about", "About"),
                                                ("/sweeps", "Sweeps")])
def test_tabs_are_named_by_route_label_and_mark_the_page(path, selected):
    _, rc = render_app(path)
    try:
        labels = [tab.children[0] for tab in rc.find(v.Tab).widgets]
        assert labels == [route.label for route in routes]
        assert labels[0] == "Explore" and "Home" not in labels
        assert labels.index("Sweeps") == labels.index("Compare") + 1 == labels.index("Learn") - 2
        assert labels.index("Search") == labels.index("Sweeps") + 1
        assert [tabs.v_model for tabs in rc.find(v.Tabs).widgets] == [tab_index(selected)]
        assert len(rc.find(v.AppBar).widgets) == 1  # nested page layouts draw no second bar
        assert [w.children for w in rc.find(v.ToolbarTitle).widgets] == [[TITLE]]
        assert not rc.find(v.NavigationDrawer).widgets  # no empty sidebar
    finally:
        rc.close()


def test_clicking_a_tab_opens_its_page():
    _, rc = render_app("/about")
    try:
        tabs = rc.find(v.Tabs).widget
        tabs.v_model = tab_index("Learn")  # as a click sets it
        assert rc.find(v.Tabs).widget.v_model == tab_index("Learn")
        assert any("Open in Explore" in w.children for w in rc.find(v.Btn).widgets)
    finally:
        rc.close()
