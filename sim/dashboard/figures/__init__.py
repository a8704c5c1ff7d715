"""The dashboard's matplotlib figures, with no Solara in them.

Each figure is a :class:`matplotlib.figure.Figure` on its own Agg canvas, never a
pyplot figure: pyplot's global registry would be shared by every browser session
drawing at once.
"""
