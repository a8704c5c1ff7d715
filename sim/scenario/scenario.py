"""Scenario: a validated, immutable description of everything one run needs.

A scenario is a TOML file checked against :data:`sim.scenario.schema.SCHEMA`. Loading
fails with one :class:`ScenarioError` whose message names the file, the dotted key and
the problem, so the CLI can print it as a single line. Scenarios are values: overrides
return a new scenario and never change the old one, which is what lets sweeps and
comparisons share a base safely.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any

from sim.fields import Field
from sim.interventions import REGISTRY
from sim.interventions import names as intervention_names
from sim.scenario.schema import SCHEMA, flatten


class ScenarioError(ValueError):
    """A scenario file or override is invalid; the message names the key and the problem."""


_FIELDS = flatten()


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


def _type_name(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(value), f"a {type(value).__name__}"
    )


def _check_value(key: str, field: Field, value: Any, base_dir: Path | None) -> Any:
    """Return ``value`` converted to the field's type, or raise ScenarioError."""
    kind = field.kind
    if kind in ("str_list", "int_list"):
        item_kind = "str" if kind == "str_list" else "int"
        if not isinstance(value, list):
            raise ScenarioError(f"{key}: expected a list, got {_type_name(value)}")
        item = Field(item_kind, None, field.help, field.low, field.high, field.choices)
        return [_check_value(f"{key}[{i}]", item, v, base_dir) for i, v in enumerate(value)]
    if kind == "bool":
        if not isinstance(value, bool):
            raise ScenarioError(f"{key}: expected true or false, got {_type_name(value)}")
        return value
    if kind in ("str", "path"):
        if not isinstance(value, str):
            raise ScenarioError(f"{key}: expected a string, got {_type_name(value)}")
        if field.choices and value not in field.choices:
            raise ScenarioError(
                f"{key}: {value!r} is not one of {', '.join(map(repr, field.choices))}"
            )
        if kind == "path" and value:
            path = Path(value)
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path
            if not path.is_file():
                raise ScenarioError(f"{key}: file not found: {path}")
            return str(path)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        want = "an integer" if kind == "int" else "a number"
        raise ScenarioError(f"{key}: expected {want}, got {_type_name(value)}")
    if kind == "int":
        if isinstance(value, float):
            raise ScenarioError(f"{key}: expected an integer, got {value}")
    else:
        value = float(value)
        if not math.isfinite(value):
            raise ScenarioError(f"{key}: must be a finite number, got {value}")
    if field.low is not None and value < field.low:
        raise ScenarioError(f"{key}: {value} is below the minimum {field.low:g}")
    if field.high is not None and value > field.high:
        raise ScenarioError(f"{key}: {value} is above the maximum {field.high:g}")
    return value


def _validate_tree(
    data: dict[str, Any], schema: dict[str, Any], prefix: str, base_dir: Path | None
) -> dict[str, Any]:
    """Merge ``data`` onto the schema defaults, validating every key on the way."""
    out: dict[str, Any] = {}
    for key in data:
        if key not in schema:
            where = prefix.rstrip(".") or "top level"
            close = [k for k in schema if k.lower() == key.lower() or k.startswith(key[:4])]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ScenarioError(f"{prefix}{key}: unknown key in {where}{hint}")
    for key, spec in schema.items():
        dotted = f"{prefix}{key}"
        if isinstance(spec, Field):
            out[key] = (
                _check_value(dotted, spec, data[key], base_dir) if key in data else spec.default
            )
        else:
            sub = data.get(key, {})
            if not isinstance(sub, dict):
                raise ScenarioError(f"{dotted}: expected a table, got {_type_name(sub)}")
            out[key] = _validate_tree(sub, spec, dotted + ".", base_dir)
    return out


def _validate_interventions(data: Any, base_dir: Path | None) -> dict[str, Any]:
    """Validate ``[interventions.<label>]`` tables against their plug-in's fields."""
    if not isinstance(data, dict):
        raise ScenarioError(f"interventions: expected a table, got {_type_name(data)}")
    out: dict[str, Any] = {}
    for label, table in data.items():
        where = f"interventions.{label}"
        if not isinstance(table, dict):
            raise ScenarioError(f"{where}: expected a table, got {_type_name(table)}")
        kind = table.get("type", label)
        if not isinstance(kind, str):
            raise ScenarioError(f"{where}.type: expected a string, got {_type_name(kind)}")
        if kind not in REGISTRY:
            raise ScenarioError(
                f"{where}.type: unknown intervention {kind!r} (known: "
                f"{', '.join(intervention_names())}); the label is the type unless "
                "`type` is given")
        settings = _validate_tree(table, REGISTRY[kind].fields(), where + ".", base_dir)
        settings["type"] = kind
        end, start = settings["end_tick"], settings["start_tick"]
        if 0 <= end <= start:
            raise ScenarioError(f"{where}.end_tick: {end} is not after start_tick {start}")
        out[label] = settings
    return out


def _cross_checks(values: dict[str, Any]) -> None:
    """Checks that involve more than one key."""
    police = values["police"]
    shares = sum(police[s] for s in ("random", "hotspot", "community", "reactive"))
    if police["count"] > 0 and abs(shares - 1.0) > 1e-6:
        raise ScenarioError(
            "police: strategy shares random + hotspot + community + reactive must sum to 1, "
            f"got {shares:g}"
        )
    city = values["city"]
    if city["layout"] == "map" and not city["map_file"]:
        raise ScenarioError("city.map_file: required when city.layout = 'map'")
    if city["neighbourhood"] not in (4, 8):
        raise ScenarioError(f"city.neighbourhood: must be 4 or 8, got {city['neighbourhood']}")
    r = values["residents"]
    if r["youth_share"] + r["elderly_share"] > 1.0:
        raise ScenarioError("residents: youth_share + elderly_share must not exceed 1")
    cells = city["width"] * city["height"]
    if cells > 50_000_000:
        raise ScenarioError(f"city: {cells} cells is more than the 50,000,000 supported")


#: The keys outside [civil_violence] that a civil_violence scenario reads.
CIVIL_VIOLENCE_KEYS = ("name", "description", "model", "city.width", "city.height")


def _dotted_keys(tree: dict[str, Any], prefix: str = "") -> list[str]:
    """Every leaf key of a raw scenario tree, dotted."""
    out: list[str] = []
    for key, value in tree.items():
        if isinstance(value, dict):
            out += _dotted_keys(value, f"{prefix}{key}.")
        else:
            out.append(f"{prefix}{key}")
    return out


def _model_checks(raw: dict[str, Any], values: dict[str, Any]) -> None:
    """Keys that only one model family reads, and the civil-violence cross-checks.

    A key the chosen model never reads would be ignored without a word, so it is an
    error that names it, as an unknown key is.
    """
    if values["model"] != "civil_violence":
        if "civil_violence" in raw:
            raise ScenarioError("civil_violence: only read when model = 'civil_violence'")
        return
    for key in _dotted_keys(raw):
        if key not in CIVIL_VIOLENCE_KEYS and not key.startswith("civil_violence."):
            raise ScenarioError(
                f"{key}: not read by model 'civil_violence' (it reads "
                f"{', '.join(CIVIL_VIOLENCE_KEYS[3:])} and [civil_violence])")
    cv, city = values["civil_violence"], values["city"]
    if cv["citizen_density"] + cv["cop_density"] > 1.0:
        raise ScenarioError(
            "civil_violence: citizen_density + cop_density must not exceed 1, got "
            f"{cv['citizen_density'] + cv['cop_density']:g}")
    side = min(city["width"], city["height"])
    for who in ("citizen_vision", "cop_vision"):
        if 2 * cv[who] + 1 > side:
            raise ScenarioError(
                f"civil_violence.{who}: {cv[who]} needs a grid at least {2 * cv[who] + 1} "
                f"cells across (2 x vision + 1), got {side}")
    if cv["legitimacy_drop"] > cv["legitimacy"]:
        raise ScenarioError(
            f"civil_violence.legitimacy_drop: {cv['legitimacy_drop']:g} is more than "
            f"legitimacy {cv['legitimacy']:g}")


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` laid over ``parent``, recursively for tables."""
    out = copy.deepcopy(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _extend(raw: dict[str, Any], path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """Resolve ``extends``: the parent file's raw keys with ``raw`` laid over them."""
    parent_name = raw.pop("extends")
    if not isinstance(parent_name, str):
        raise ScenarioError(f"{path}: extends: expected a file name, got {_type_name(parent_name)}")
    parent = (path.parent / parent_name).resolve()
    if parent in seen or parent == path.resolve():
        raise ScenarioError(f"{path}: extends: {parent_name} extends this file again (a cycle)")
    if not parent.is_file():
        raise ScenarioError(f"{path}: extends: file not found: {path.parent / parent_name}")
    base = Scenario.load(parent, (*seen, path.resolve()))
    base_raw = base.raw()
    if base.base_dir != path.parent:
        _rebase_paths(base_raw, base.base_dir, path.parent)
    return _merge(base_raw, raw)


def _rebase_paths(raw: dict[str, Any], old: Path | None, new: Path) -> None:
    """Make the parent's relative file paths (map and mask files) absolute."""
    city = raw.get("city", {})
    if old is not None and city.get("map_file") and not Path(city["map_file"]).is_absolute():
        city["map_file"] = str((old / city["map_file"]).resolve())
    for table in raw.get("interventions", {}).values():
        target = table.get("target", {}) if isinstance(table, dict) else {}
        mask = target.get("mask_file")
        if old is not None and mask and not Path(mask).is_absolute():
            target["mask_file"] = str((old / mask).resolve())


def parse_override_value(text: str) -> Any:
    """Parse the right-hand side of ``key=value`` with TOML rules (bare words are strings)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_override(item: str) -> tuple[str, Any]:
    """Split ``"key=value"`` into the dotted key and its TOML-parsed value.

    Raises:
        ScenarioError: There is no ``=`` or no key.
    """
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise ScenarioError(f"{item!r}: expected KEY=VALUE, e.g. offenders.count=500")
    return key.strip(), parse_override_value(value.strip())


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    if any(not p for p in parts):
        raise ScenarioError(f"{dotted}: not a valid dotted key")
    node = tree
    for i, part in enumerate(parts[:-1]):
        nxt = node.setdefault(part, {})
        if not isinstance(nxt, dict):
            raise ScenarioError(f"{'.'.join(parts[: i + 1])}: is a value, not a table")
        node = nxt
    node[parts[-1]] = value


class Scenario:
    """A validated scenario.

    Build one with :meth:`load` (a TOML file), :meth:`from_dict` or :meth:`default`;
    derive variants with :meth:`with_overrides`. ``scenario.params`` gives attribute
    access (``scenario.params.offenders.count``); ``scenario["offenders.count"]`` too.
    """

    def __init__(self, raw: dict[str, Any], *, source: str | None = None,
                 base_dir: Path | None = None):
        self._raw = copy.deepcopy(raw)
        self.source = source
        self.base_dir = base_dir
        where = f"{source}: " if source else ""
        try:
            plain = {k: v for k, v in self._raw.items() if k != "interventions"}
            values = _validate_tree(plain, SCHEMA, "", base_dir)
            values["interventions"] = _validate_interventions(
                self._raw.get("interventions", {}), base_dir)
            _cross_checks(values)
            _model_checks(self._raw, values)
        except ScenarioError as exc:
            raise ScenarioError(f"{where}{exc}") from None
        self._values = values
        self.params = Params(values)

    # --- construction -----------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path, _seen: tuple[Path, ...] = ()) -> Scenario:
        """Read and validate a TOML scenario file.

        A file may start from another with ``extends = "baseline.toml"`` (relative to
        the file): its keys are laid over the parent's, table by table, so a policy
        scenario holds only what differs from the city it treats.
        """
        path = Path(path)
        if not path.is_file():
            raise ScenarioError(f"{path}: scenario file not found")
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
        if "extends" in raw:
            raw = _extend(raw, path, _seen)
        return cls(raw, source=str(path), base_dir=path.parent)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, base_dir: str | Path | None = None) -> Scenario:
        """Validate a nested dict shaped like a scenario file."""
        return cls(raw, base_dir=Path(base_dir) if base_dir else None)

    @classmethod
    def default(cls) -> Scenario:
        """The schema defaults: the baseline city."""
        return cls({"name": "default"})

    def with_overrides(self, overrides: dict[str, Any] | None = None, **kw: Any) -> Scenario:
        """Return a new scenario with dotted keys replaced, e.g. ``{"offenders.count": 500}``.

        String values that look like TOML literals are *not* re-parsed here; use
        :func:`parse_override_value` for text from a command line.
        """
        merged = dict(overrides or {})
        merged.update(kw)
        raw = copy.deepcopy(self._raw)
        for dotted, value in merged.items():
            if dotted.startswith("interventions."):
                pass  # plug-in keys: checked when the new scenario validates
            elif dotted not in _FIELDS:
                head = dotted.split(".")[0]
                if head not in SCHEMA:
                    raise ScenarioError(f"{dotted}: unknown key")
                raise ScenarioError(f"{dotted}: unknown key in {dotted.rsplit('.', 1)[0]}")
            _set_dotted(raw, dotted, value)
        new = Scenario(raw, source=self.source, base_dir=self.base_dir)
        return new

    # --- access -----------------------------------------------------------------
    def __getitem__(self, dotted: str) -> Any:
        node: Any = self._values
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(dotted)
            node = node[part]
        return copy.deepcopy(node)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self._values["name"]

    def to_dict(self) -> dict[str, Any]:
        """All values, defaults filled in, as a nested dict (JSON-serialisable)."""
        return copy.deepcopy(self._values)

    def raw(self) -> dict[str, Any]:
        """The keys the file (plus overrides) actually set."""
        return copy.deepcopy(self._raw)

    def digest(self) -> str:
        """A stable hash of the full parameter set (for run ids and caches)."""
        blob = json.dumps(self._values, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self._values == other._values

    def __hash__(self) -> int:
        return hash(self.digest())

    def __repr__(self) -> str:
        src = f" from {self.source}" if self.source else ""
        return f"Scenario({self.name!r}{src})"
