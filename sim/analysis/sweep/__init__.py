"""Parameter sweeps: experiment files, designs, runs on any executor, the result folder.

``spec`` reads and validates ``experiments/*.toml``; ``design`` turns it into points;
``run`` is one simulation on a worker; ``store`` is the output folder (Parquet dataset,
manifest, failures); ``runner`` ties them together; ``behaviorspace`` exports NetLogo's
table CSV; ``results`` and ``analysis`` read a finished sweep back.
"""
