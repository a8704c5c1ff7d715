"""Metrics: per-tick counts, the crime event log and victimisation prevalence."""

from sim.metrics.events import EventLog
from sim.metrics.prevalence import annualise, group_masks, prevalence_table
from sim.metrics.recorder import METRICS, MetricsRecorder

__all__ = ["METRICS", "EventLog", "MetricsRecorder", "annualise", "group_masks",
           "prevalence_table"]
