"""Params: the read-only attribute view a model reads its scenario through.

``scenario.params.offenders.count`` reads better in model code than nested dict
look-ups, and a view that refuses assignment keeps a scenario a value: a model can
never change the parameters another run shares.
"""

from __future__ import annotations

import copy
from typing import Any


class Params:
    """Read-only attribute view of a nested parameter dict: ``p.offenders.count``."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy/pickle probe special names before _data exists
            raise AttributeError(name)
        try:
            value = object.__getattribute__(self, "_data")[name]
        except KeyError:
            raise AttributeError(name) from None
        return Params(value) if isinstance(value, dict) else value

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("scenario parameters are read-only; use with_overrides()")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as the dict it wraps (scenarios travel to worker processes)."""
        return (Params, (self._data,))

    def to_dict(self) -> dict[str, Any]:
        """Return a deep copy of the underlying dict."""
        return copy.deepcopy(self._data)
