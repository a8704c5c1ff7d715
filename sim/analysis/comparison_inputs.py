"""The scenarios of a comparison: a base and its alternatives, read from files.

``crimesim compare BASE ALT...`` names scenario files (often a glob such as
``scenarios/*.toml``); this module reads them, applies the ``--set`` overrides to
every one, refuses scenarios of another model family (only the crime model is
compared) and, when asked, leaves out alternatives that change nothing (no
interventions, or the base itself), saying which and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.families import runs_crime_model
from sim.scenario import Scenario


class ComparisonInputError(ValueError):
    """A file cannot be compared, or nothing is left to compare; the message says why.

    Attributes:
        skipped: The files left out before the error, one line each, so the user
            sees why nothing was left.
    """

    def __init__(self, message: str, skipped: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.skipped = list(skipped)


@dataclass
class ComparisonInputs:
    """The base, the alternatives kept, and the files left out with the reason.

    Attributes:
        base: The base scenario, overrides applied.
        alternatives: The alternatives to compare with it, in the order given.
        skipped: One line per file left out ("skipping PATH: why").
    """

    base: Scenario
    alternatives: list[Scenario]
    skipped: list[str] = field(default_factory=list)


def load_comparison(base_path: str, alternative_paths: Sequence[str],
                    overrides: dict[str, Any] | None = None,
                    only_interventions: bool = False) -> ComparisonInputs:
    """Read the base and alternative scenario files for a comparison.

    Args:
        base_path: The base scenario file.
        alternative_paths: The alternative scenario files.
        overrides: Dotted keys set in every scenario.
        only_interventions: Leave out, rather than refuse, files of another model
            family, and leave out alternatives without interventions (and the base
            itself), so a glob of the scenario folder compares the policies only.

    Raises:
        ComparisonInputError: A scenario of another model family (unless left out),
            or no alternative left to compare.
        ScenarioError: A file that is not a valid scenario.
    """

    def load(path: str) -> Scenario:
        scenario = Scenario.load(path)
        return scenario.with_overrides(overrides) if overrides else scenario

    def crime_model(path: str) -> bool:
        return runs_crime_model(Scenario.load(path))

    def refusal(path: str) -> ComparisonInputError:
        model = Scenario.load(path).params.model
        return ComparisonInputError(f"{path}: model = {model!r}: compare runs crime "
                                    "scenarios only (run this one with crimesim run)")

    if not crime_model(base_path):
        raise refusal(base_path)
    inputs = ComparisonInputs(load(base_path), [])
    base = Path(base_path).resolve()
    for path in alternative_paths:
        if not crime_model(path):
            if not only_interventions:
                raise refusal(path)
            inputs.skipped.append(f"skipping {path}: not a crime scenario")
            continue
        scenario = load(path)
        if only_interventions and (Path(path).resolve() == base
                                   or not scenario.params.interventions.to_dict()):
            inputs.skipped.append(f"skipping {path}: no interventions")
            continue
        inputs.alternatives.append(scenario)
    if not inputs.alternatives:
        raise ComparisonInputError("no alternative with interventions to compare",
                                   inputs.skipped)
    return inputs
