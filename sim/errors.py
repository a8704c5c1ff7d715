"""Errors every layer may raise, kept at the bottom of the import order.

A user mistake must reach the command line as one line and exit status 2, whichever
layer finds it: a benchmark's size list, an output folder, a flag. Defining the error
here, in the core layer, lets library code (the benchmarks, the analysis) raise it
without importing the command-line package that reports it.
"""

from __future__ import annotations


class UsageError(Exception):
    """A bad command-line argument or option value (exit status 2)."""


__all__ = ["UsageError"]
