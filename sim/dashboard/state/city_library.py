"""The cities imported on this dashboard server: where they live and how pages list them.

A city imported from the browser (:mod:`sim.dashboard.state.city_upload`) is a folder
``out/cities/<name>/`` under the folder the dashboard was started in, exactly what
``crimesim city import --out out/cities/<name>`` would write. ``CRIMESIM_CITIES_DIR``
moves that folder (the tests use it to keep their cities out of the repository). The
Explore and Compare pages offer each city's ``scenario.toml`` as "city: <name>".
"""

from __future__ import annotations

import os
from pathlib import Path

#: The environment variable naming the cities folder.
CITIES_ENV = "CRIMESIM_CITIES_DIR"
#: The cities folder when the variable is not set (relative to the server's folder).
DEFAULT_CITIES_DIR = Path("out") / "cities"
#: How a city is labelled in the pages' scenario pickers.
CITY_PREFIX = "city: "


def cities_dir() -> Path:
    """The folder imported cities are written to and read from."""
    return Path(os.environ.get(CITIES_ENV) or DEFAULT_CITIES_DIR)


def imported_cities(folder: Path | None = None) -> dict[str, Path]:
    """Picker label ("city: <name>") -> scenario file of each imported city, by name.

    A folder counts when it holds a ``scenario.toml`` and a ``city.npz``; a half-made
    one (the importer's hidden temporary folders) does not.
    """
    folder = cities_dir() if folder is None else folder
    if not folder.is_dir():
        return {}
    found = {}
    for city in sorted(folder.iterdir()):
        if city.name.startswith(".") or not city.is_dir():
            continue
        if (city / "scenario.toml").is_file() and (city / "city.npz").is_file():
            found[f"{CITY_PREFIX}{city.name}"] = city / "scenario.toml"
    return found
