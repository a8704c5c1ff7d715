"""The browser dashboard (``crimesim dashboard``): the only part of crimesim that imports Solara.

- :mod:`sim.dashboard.session`: one browser session's model and settings (no Solara);
- :mod:`sim.dashboard.figures`: the map and time-series figures (matplotlib, no Solara);
- :mod:`sim.dashboard.settings`: the settings panel built from declared fields;
- :mod:`sim.dashboard.explore`: the Explore page;
- :mod:`sim.dashboard.app`: the app's layout and routes.
"""
