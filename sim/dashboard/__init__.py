"""The browser dashboard (``crimesim dashboard``): the only part of crimesim that imports Solara.

- :mod:`sim.dashboard.app`: the app ``crimesim dashboard`` serves: the layout (tabs
  named by route) and the routes;
- :mod:`sim.dashboard.pages`: the Solara components, one module per page (Explore with
  its settings panels, Compare, Sweeps, Search, Learn, About) and the per-browser-session glue
  they share (:mod:`~sim.dashboard.pages.browser_state`,
  :mod:`~sim.dashboard.pages.navigation`);
- :mod:`sim.dashboard.state`: what the pages keep and compute, with no Solara: the
  Explore session, the Compare settings, result and background run, the Sweeps page's
  folder and tables (its brief and tables per metric are the sweep's report,
  :mod:`sim.analysis.sweep.report`, as ``crimesim analyze`` writes it), the Search
  page's folder and tables (read by :mod:`sim.analysis.search.search_results`);
- :mod:`sim.dashboard.figures`: the matplotlib figures, with no Solara: Explore's live
  map and series, the civil-violence figures, the Sweeps figures (their labels are
  :mod:`sim.analysis.sweep.labels`, shared with ``crimesim analyze``), the Search
  page's Pareto figure;
- :mod:`sim.dashboard.model_family`: what Explore needs of each model family;
- :mod:`sim.bench.dashboard_step`: ``python -m sim.bench.dashboard_step``, a frame's cost.
"""
