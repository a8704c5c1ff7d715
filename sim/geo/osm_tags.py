"""Which OpenStreetMap tags become which of the model's land uses.

The model knows six land uses (:data:`sim.config.LAND_USES`); what each means to it
decides the tables: *commercial* is where people work and shop by day, *nightlife*
the bars and clubs that draw evening crowds (Brantingham & Brantingham's crime
generators), *school* where the young spend the day, *park* open green space
(unlit, little guardianship), *industrial* land where nobody lives, and *residential*
homes. Tag values follow the OpenStreetMap wiki (Key:landuse, Key:building,
Key:amenity, Key:leisure, Key:highway). docs/city.md lists them for users.
"""

from __future__ import annotations

from sim.config import COMMERCIAL, INDUSTRIAL, PARK, RESIDENTIAL, SCHOOL

#: ``landuse=*`` areas.
LANDUSE_CLASS: dict[str, int] = {
    "residential": RESIDENTIAL,
    "commercial": COMMERCIAL, "retail": COMMERCIAL, "office": COMMERCIAL,
    "industrial": INDUSTRIAL, "railway": INDUSTRIAL, "port": INDUSTRIAL,
    "depot": INDUSTRIAL, "garages": INDUSTRIAL, "military": INDUSTRIAL,
    "quarry": INDUSTRIAL, "landfill": INDUSTRIAL, "brownfield": INDUSTRIAL,
    "grass": PARK, "recreation_ground": PARK, "village_green": PARK, "meadow": PARK,
    "forest": PARK, "cemetery": PARK, "allotments": PARK, "flowerbed": PARK,
    "education": SCHOOL,
}

#: ``leisure=*`` areas that are parks to the model.
LEISURE_PARKS: frozenset[str] = frozenset({
    "park", "garden", "playground", "nature_reserve", "common", "dog_park", "pitch",
    "recreation_ground",
})
#: ``natural=*`` areas that are green space.
NATURAL_PARKS: frozenset[str] = frozenset({"wood", "scrub", "heath", "grassland"})

#: ``building=*`` values with a use the model knows; ``yes`` (use unknown) is absent.
BUILDING_CLASS: dict[str, int] = {
    **dict.fromkeys(("apartments", "residential", "house", "detached", "terrace",
                     "semidetached_house", "dormitory", "bungalow"), RESIDENTIAL),
    **dict.fromkeys(("retail", "commercial", "office", "kiosk", "hotel", "supermarket",
                     "mall", "department_store", "university"), COMMERCIAL),
    **dict.fromkeys(("industrial", "warehouse", "factory", "manufacture", "hangar",
                     "depot", "storage_tank"), INDUSTRIAL),
    **dict.fromkeys(("school", "kindergarten", "college"), SCHOOL),
}
#: Buildings that may hold homes: housing, and ``yes`` (use unknown; in a city centre
#: these are mostly blocks of flats over shops). Floors of these make the population.
HOME_BUILDINGS: frozenset[str] = frozenset(
    {name for name, code in BUILDING_CLASS.items() if code == RESIDENTIAL} | {"yes"}
)

#: ``amenity=*`` that makes a place nightlife: drink and late-night entertainment.
NIGHTLIFE_AMENITIES: frozenset[str] = frozenset({
    "bar", "pub", "nightclub", "biergarten", "casino", "stripclub",
})
#: ``amenity=*`` where young people spend the day; universities are workplaces to the
#: model (its students are adults) and count as commercial.
SCHOOL_AMENITIES: frozenset[str] = frozenset({"school", "kindergarten", "college"})
#: ``amenity=*`` that trade by day (with any ``shop=*``, ``office=*`` or hotel).
COMMERCIAL_AMENITIES: frozenset[str] = frozenset({
    "restaurant", "cafe", "fast_food", "food_court", "ice_cream", "bank", "pharmacy",
    "marketplace", "post_office", "cinema", "theatre", "university", "bureau_de_change",
    "car_rental", "dentist", "doctors", "clinic", "library", "arts_centre",
})

#: Water areas (``natural=*`` and ``landuse=*`` values): nobody lives or walks there.
WATER_NATURAL: frozenset[str] = frozenset({"water", "bay", "strait"})
WATER_LANDUSE: frozenset[str] = frozenset({"basin", "reservoir"})

#: ``highway=*`` values that are streets: where people walk and drive between places
#: (footpaths, cycleways, steps and corridors inside buildings are left out).
STREET_HIGHWAYS: frozenset[str] = frozenset({
    "motorway", "trunk", "primary", "secondary", "tertiary", "unclassified",
    "residential", "living_street", "pedestrian", "service", "motorway_link",
    "trunk_link", "primary_link", "secondary_link", "tertiary_link", "road",
})
#: Ways that bound blocks for ``crimesim city areas-from-osm``: the streets and the
#: paths between them, which split parks, shores and rail yards that no street crosses.
BLOCK_HIGHWAYS: frozenset[str] = STREET_HIGHWAYS | frozenset({
    "footway", "path", "cycleway", "steps", "track", "bridleway",
})
