"""Calibration of the interventions' defaults: one module per intervention.

Each module names its scenario (``SCENARIO``), the base it is measured against
(``BASE``, optionally with ``BASE_OVERRIDES`` -- e.g. a sham programme that enrols the
same youth without effect), the evidence (``TARGET``) and how the headline is read
from a pair of runs (``measure``). ``python -m experiments.calibration`` runs them.
"""
