"""Experiments: replications, paired runs with common random numbers, comparisons.

Everything here runs the model the same way a user's ``crimesim run`` does, so an
experiment's figures are the figures of real runs.
"""
