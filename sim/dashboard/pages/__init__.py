"""The dashboard's pages: Solara components, and the per-browser-session glue they share.

Everything that imports Solara lives here (besides :mod:`sim.dashboard.app`); what a
page shows is computed in :mod:`sim.dashboard.state` and drawn by
:mod:`sim.dashboard.figures`, both testable without Solara.
"""
