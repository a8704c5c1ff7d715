"""What the dashboard's pages keep and compute, as plain Python with no Solara in it.

The Explore session, the Compare page's settings, run and result, and the Sweeps
page's folder, labels and tables: each can be built and checked in a plain test, and
each browser session owns its own objects, so two users never share one.
"""
