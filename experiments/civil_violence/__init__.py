"""Experiments with Epstein's (2002) civil violence model on our engine.

``.venv/bin/python -m experiments.civil_violence`` reruns them (seeded) and writes
docs/civil_violence/report.md with its figures: punctuated equilibrium and waiting
times (also against cop density), a sudden against a gradual fall of legitimacy, and
corruption lowering perceived legitimacy.
"""
