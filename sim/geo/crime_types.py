"""Recorded crime categories to the model's crime types (``sim.config.CRIME_TYPES``).

The model has five crime types; a police force records many more categories, and some
of them lump several model types together. Each source category maps to one model type
or to none ("type not modelled"); a category the map does not know at all is an
"unknown type". Nothing is guessed silently: both are counted and reported.

police.uk's street-level data has one category, "Violence and sexual offences", for
both violence against the person and sexual offences. It cannot be split row by row,
and violence against the person is by far the larger part of it, so it maps to
``assault``; the model's ``sexual_violence`` therefore gets no police.uk crime by
default. A force's own data with separate categories can be mapped with a type map.
Gang violence is not a police.uk category either.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from sim.config import CRIME_TYPES
from sim.errors import UsageError

#: Every police.uk street-level category (current and the 2010-2013 ones), with its
#: model type, or ``None`` where the model has no such crime.
POLICE_UK_TYPES: dict[str, str | None] = {
    "Anti-social behaviour": None,
    "Bicycle theft": None,
    "Burglary": "burglary",
    "Criminal damage and arson": None,
    "Drugs": None,
    "Other crime": None,
    "Other theft": None,
    "Possession of weapons": None,
    "Public order": None,
    "Public disorder and weapons": None,  # 2011-2013
    "Robbery": "robbery",
    "Shoplifting": None,
    "Theft from the person": None,  # pickpocketing and snatch theft without force
    "Vehicle crime": None,
    "Violence and sexual offences": "assault",  # cannot be split; see the module docstring
    "Violent crime": "assault",  # its name until 2013
}

#: For the ``points`` format: a type column already holding the model's type names.
MODEL_TYPES: dict[str, str | None] = {name: name for name in CRIME_TYPES}


class TypeMap:
    """Source categories to model types, compared without case or surrounding spaces.

    Args:
        mapping: Source category to model type, or ``None`` for "not modelled".
    """

    def __init__(self, mapping: dict[str, str | None]) -> None:
        self._map = {_key(k): v for k, v in mapping.items()}

    def classify(self, category: str) -> tuple[str | None, str | None]:
        """The model type of a category, or the reason it is not placed.

        Returns:
            ``(model_type, None)`` when modelled, else ``(None, reason)`` with reason
            ``"no type"``, ``"type not modelled"`` or ``"unknown type"``.
        """
        key = _key(category)
        if not key:
            return None, "no type"
        if key not in self._map:
            return None, "unknown type"
        model = self._map[key]
        return (model, None) if model else (None, "type not modelled")

    def with_overrides(self, overrides: dict[str, str | None]) -> TypeMap:
        """This map with some categories remapped (a user's type map wins)."""
        merged = TypeMap({})
        merged._map = {**self._map, **{_key(k): v for k, v in overrides.items()}}
        return merged


def _key(category: str) -> str:
    return " ".join(category.split()).casefold()


def read_type_map(path: str | Path) -> dict[str, str | None]:
    """Read a user's type map: ``"Source category" = "model_type"`` pairs in a TOML file.

    An empty string as the model type marks the category as not modelled (counted, not
    placed), e.g. to leave out a category the default map places.

    Raises:
        UsageError: The file is missing or not TOML, a value is not a string, or a model
            type is not one of ``sim.config.CRIME_TYPES``; one line naming it.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise UsageError(f"--type-map {path}: file not found") from None
    except OSError as exc:
        raise UsageError(f"--type-map {path}: cannot read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"--type-map {path}: not valid TOML ({exc})") from None
    out: dict[str, str | None] = {}
    for category, model in data.items():
        if not isinstance(model, str):
            raise UsageError(f"--type-map {path}: {category!r} must map to a crime type "
                             f"name (a string), got {model!r}")
        model = model.strip()
        if model and model not in CRIME_TYPES:
            raise UsageError(f"--type-map {path}: unknown model crime type {model!r} for "
                             f"{category!r} (known: {', '.join(CRIME_TYPES)}; \"\" = not "
                             "modelled)")
        out[category] = model or None
    if not out:
        raise UsageError(f"--type-map {path}: no \"category\" = \"crime type\" pairs")
    return out
