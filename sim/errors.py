"""Errors every layer may raise, kept at the bottom of the import order.

A user mistake must reach the command line as one line and exit status 2, whichever
layer finds it: a scenario key, a benchmark's size list, an output folder, a flag.
Defining the errors here, in the core layer, lets any layer raise them (the scenario
files, the city's map files, the benchmarks) without importing the layer that reports
them, the command line.
"""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario file or override is invalid; the message names the key and the problem."""


class UsageError(Exception):
    """A bad command-line argument or option value (exit status 2)."""


__all__ = ["ScenarioError", "UsageError"]
