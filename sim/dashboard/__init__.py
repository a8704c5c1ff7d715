"""The browser dashboard (``crimesim dashboard``): the only part of crimesim that imports Solara.

- :mod:`sim.dashboard.app`: the app's layout (tabs named by route) and routes;
- :mod:`sim.dashboard.browser_state`: what a browser session keeps across pages;
- :mod:`sim.dashboard.session`: the Explore model and its settings (no Solara);
- :mod:`sim.dashboard.figures`: what the Explore figures show (layers, agents, series);
- :mod:`sim.dashboard.live_figures`: the figures kept between frames and blitted;
- :mod:`sim.dashboard.explore`: the Explore page;
- :mod:`sim.dashboard.settings`, :mod:`sim.dashboard.more_settings`,
  :mod:`sim.dashboard.field_input`: Explore's settings, built from declared fields;
- :mod:`sim.dashboard.compare_job`, :mod:`sim.dashboard.compare_run`,
  :mod:`sim.dashboard.compare_page`: the Compare page's settings, run and page;
- :mod:`sim.dashboard.learn_page`, :mod:`sim.dashboard.about_page`: Learn and About;
- :mod:`sim.bench.dashboard_step`: ``python -m sim.bench.dashboard_step``, a frame's cost.
"""
