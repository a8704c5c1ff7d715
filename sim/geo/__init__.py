"""Real geography: a city's areas (polygons) turned into a crimesim map and scenario.

``crimesim city import`` reads a vector file of areas (neighbourhoods, census tracts)
with geopandas, projects it to metres, rasterises it onto the model's grid and writes
a map (``city.npz``), the areas in the grid's CRS (``areas.gpkg``) and a scenario that
runs as it is. :mod:`sim.geo.areas` reads and checks the file, :mod:`sim.geo.grid`
rasterises it, :mod:`sim.geo.city_import` writes the outputs. docs/city.md walks a user
through it.
"""

from __future__ import annotations

from sim.geo.city_import import import_city

__all__ = ["import_city"]
