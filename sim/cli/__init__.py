"""Command-line interface: ``crimesim run | validate | bench``."""
