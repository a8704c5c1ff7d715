"""Real geography: a city's areas turned into a crimesim map, and recorded crime placed on it.

``crimesim city import`` reads a vector file of areas (neighbourhoods, census tracts)
with geopandas, projects it to metres, rasterises it onto the model's grid and writes
a map (``city.npz``, with its coordinate reference system and affine transform), the
areas in the grid's CRS (``areas.gpkg``) and a scenario that runs as it is
(:mod:`sim.geo.areas`, :mod:`sim.geo.grid`, :mod:`sim.geo.city_import`).
``crimesim crimes import`` puts recorded crime, given in GPS or map coordinates, in the
grid's cells, areas, model crime types and months (:mod:`sim.geo.crimes`). Nothing is
imported here, so that the crime importer does not load geopandas and rasterio.
docs/city.md walks a user through both.
"""
