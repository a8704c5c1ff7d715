"""Real geography: a city's georeferenced grid and the recorded crime placed on it.

Imported maps (``crimesim city import``) carry their coordinate reference system and
affine transform, so points given in map or GPS coordinates can be put in the grid's
cells; ``crimes.py`` does that for recorded crime (``crimesim crimes import``).
"""
