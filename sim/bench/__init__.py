"""Every benchmark: the engine, scaling, the plain-Mesa reference, Epstein, sweeps.

Each prints a table and writes JSON; ``crimesim bench`` (sim/cli/bench.py) only parses
arguments and calls them. Speed is measured here, never in tests.
"""
