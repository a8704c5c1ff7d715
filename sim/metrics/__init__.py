"""Metrics: the declared metrics, per-tick counts, the crime event log, prevalence and analyzers."""

from sim.metrics.analyzers import Analyzer, AnalyzerSet, register
from sim.metrics.catalog import CIVIL_VIOLENCE_METRICS, CRIME_METRICS, CRIME_RUN_MEASURES, Metric
from sim.metrics.crime_maps import DailyCrimeMap
from sim.metrics.events import EventLog
from sim.metrics.hot_spots import HotSpotPersistence
from sim.metrics.prevalence import annualise, group_masks, prevalence_table
from sim.metrics.recorder import METRICS, MetricsRecorder

__all__ = ["CIVIL_VIOLENCE_METRICS", "CRIME_METRICS", "CRIME_RUN_MEASURES", "METRICS", "Analyzer",
           "AnalyzerSet", "DailyCrimeMap", "EventLog", "HotSpotPersistence", "Metric",
           "MetricsRecorder", "annualise", "group_masks", "prevalence_table", "register"]
