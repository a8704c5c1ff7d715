"""Scenario: a validated, immutable description of everything one run needs.

A scenario is a TOML file checked against :data:`sim.scenario.schema.SCHEMA`, its
intervention tables against the plug-ins' declared fields
(:mod:`sim.scenario.intervention_tables`) and its keys against its model family's
section (:mod:`sim.scenario.sections`). Loading fails with one :class:`ScenarioError`
whose message names the file, the dotted key and the problem, so the CLI can print it
as a single line. Scenarios are values: overrides return a new scenario and never
change the old one, which is what lets sweeps and comparisons share a base safely.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError
from sim.scenario.files import extend, read_toml
from sim.scenario.intervention_tables import validate_interventions
from sim.scenario.overrides import check_override_key, set_dotted
from sim.scenario.params import Params
from sim.scenario.schema import SCHEMA
from sim.scenario.sections import check_family_keys
from sim.scenario.values import cross_checks, validate_tree


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
            values = validate_tree(plain, SCHEMA, "", base_dir)
            values["interventions"] = validate_interventions(
                self._raw.get("interventions", {}), base_dir)
            cross_checks(values)
            check_family_keys(self._raw, values)
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
        raw = read_toml(path)
        if "extends" in raw:
            raw = extend(raw, path, _seen, cls.load)
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
            check_override_key(dotted)
            set_dotted(raw, dotted, value)
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
