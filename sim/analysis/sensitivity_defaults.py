"""The decision brief's sensitivity check: its size, in one import-free place.

The CLI's help text and the analysis read the same numbers; this module imports
nothing so that building the CLI's parser does not load the model.
"""

from __future__ import annotations

#: Days after the first intervention starts that the brief's check measures: with the
#: 30-day warm-up of the bundled scenarios, 50-day runs (docs/comparison.md).
BRIEF_WINDOW_DAYS = 20.0
#: Paired replications per point of the brief's check (one: a screen, not an estimate).
BRIEF_REPS = 1
