"""Readable labels of a sweep's parameters and metrics, with their units.

A sweep's figure says what its axes are in words and units (from the scenario schema
and the metric's declaration), and which span of the run a value covers, so nobody takes a
window's crimes for a year's. The figures ``crimesim analyze`` saves
(:mod:`sim.analysis.sweep.plots`) and the Sweeps page's
(:mod:`sim.dashboard.figures.sweeps`) name things with these same labels.
"""

from __future__ import annotations

from typing import Any

from sim.analysis.sweep.metrics import STOCKS
from sim.metrics.catalog import lookup
from sim.scenario.schema import flatten

_SCHEMA = flatten()


def parameter_label(key: str, width: int = 60) -> str:
    """A parameter key with its meaning and unit from the scenario schema, if known.

    A label longer than ``width`` characters puts the meaning on a second line, so an
    axis label never runs off its figure.
    """
    field = _SCHEMA.get(key)
    if field is None:
        return key
    return f"{key}{chr(10) if len(key) + len(field.help) > width else ' '}({field.help})"


def metric_name(metric: str) -> tuple[str, str]:
    """A metric's readable name and unit, e.g. ``("robbery crimes", "crimes")``.

    Both come from the metric's declaration (:mod:`sim.metrics.catalog`), so a new
    metric is labelled where it is declared; an undeclared name reads as words.
    """
    declared = lookup(metric)
    if declared is None:
        return metric.replace("_", " "), ""
    return declared.label, declared.unit


def _with_unit(text: str, unit: str) -> str:
    return f"{text} ({unit})" if unit else text


def value_label(manifest: dict[str, Any], metric: str) -> str:
    """What one run's value of ``metric`` is in a response curve, with its unit.

    Each run counts with its whole-run figure (:meth:`SweepResults.run_values`): flows
    summed over the measured days, after the warm-up, and levels at the end -- whether
    the sweep recorded once per run, per day or per tick. The label says which days,
    so nobody takes a window's crimes for a year's.
    """
    name, unit = metric_name(metric)
    days, warmup = float(manifest["days"]), float(manifest.get("warmup_days") or 0)
    if metric in STOCKS:
        return _with_unit(f"{name} at day {days:g}", unit)
    return _with_unit(f"{name}, days {warmup:g}-{days:g}", unit)


def over_time_label(manifest: dict[str, Any], metric: str) -> str:
    """The y label of the over-time figure: per day or hour for flows, a level otherwise."""
    name, unit = metric_name(metric)
    span = "day" if manifest["record"] == "day" else "hour"
    if metric in STOCKS:
        return _with_unit(f"{name} at the end of each {span}", unit)
    return _with_unit(name, f"{unit} per {span}" if unit else f"per {span}")
