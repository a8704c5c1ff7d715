"""The error of an invalid experiment file or a sweep that cannot start."""

from __future__ import annotations


class SweepError(ValueError):
    """An experiment file is invalid, or a sweep cannot start; the message says why."""
