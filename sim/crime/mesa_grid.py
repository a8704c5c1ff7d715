"""A Mesa ``OrthogonalMooreGrid`` over the city, for Mesa's visualisation tools.

Mesa builds one Python object per cell (about 12 s and 1.3 GB for a million cells),
so the model builds this grid only when something asks for ``model.grid``. Its
property layers share memory with the city's arrays (Mesa's layers are indexed
``[x, y]``, ours ``[y, x]``: the layer holds the transposed view), so kernels,
interventions and the grid always show the same values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import OrthogonalMooreGrid, PropertyLayer

if TYPE_CHECKING:
    from sim.crime.model import CrimeModel

#: City layers exposed on the grid, by the names Mesa users will see.
GRID_LAYERS = ("land_use", "district", "deprivation", "lighting", "disorder", "cctv",
               "guardianship", "a0", "b", "reported_heat")


def build_grid(model: CrimeModel) -> OrthogonalMooreGrid:
    """Build the grid with the city layers attached as shared-memory property layers."""
    city = model.city
    grid = OrthogonalMooreGrid((city.width, city.height), torus=city.periodic,
                               random=model.random)
    for name in GRID_LAYERS:
        arr = getattr(city, name)
        layer = PropertyLayer(name, (city.width, city.height), dtype=arr.dtype.type)
        layer._data = arr.T  # a view: writes through to the city's array
        grid.add_property_layer(layer)
    return grid
