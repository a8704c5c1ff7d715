"""The browser dashboard (``crimesim dashboard``): the only part of crimesim that imports Solara.

- :mod:`sim.dashboard.app`: the app's layout (tabs named by route) and routes;
- :mod:`sim.dashboard.pages.browser_state`: what a browser session keeps across pages;
- :mod:`sim.dashboard.state.explore_session`: the Explore model and its settings (no Solara);
- :mod:`sim.dashboard.figures.layers`: what the Explore figures show (layers, agents, series);
- :mod:`sim.dashboard.figures.live`: the figures kept between frames and blitted;
- :mod:`sim.dashboard.pages.explore`: the Explore page;
- :mod:`sim.dashboard.pages.settings`, :mod:`sim.dashboard.pages.more_settings`,
  :mod:`sim.dashboard.pages.field_input`: Explore's settings, built from declared fields;
- :mod:`sim.dashboard.state.compare_settings`, :mod:`sim.dashboard.state.compare_run`,
  :mod:`sim.dashboard.pages.compare`: the Compare page's settings, run and page;
- :mod:`sim.dashboard.pages.learn`, :mod:`sim.dashboard.pages.about`: Learn and About;
- :mod:`sim.bench.dashboard_step`: ``python -m sim.bench.dashboard_step``, a frame's cost.
"""
