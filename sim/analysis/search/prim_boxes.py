"""Scenario discovery: PRIM boxes saying under which conditions a chosen policy fails.

A policy search samples the uncertainties (deterrence, offender counts, legitimacy...)
for every candidate. For the policy a council picks, each sample either met its target
or failed. PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999) finds
boxes, one limit per uncertainty that matters, where failures are concentrated; that
use of PRIM is scenario discovery (Bryant & Lempert 2010). The algorithm is EMA
Workbench's (Kwakkel 2017), the field's reference implementation, not a home-made
one; this module only validates the inputs, chooses the box on each peeling
trajectory, and turns boxes into a sentence, a tidy table and a figure.

EMA Workbench takes about two seconds to import (it pulls in scipy.stats, seaborn and
statsmodels), so it is imported inside the functions that run PRIM, never at module
level: ``import sim`` and the CLI start as fast as before. Matplotlib is imported
lazily for the same reason.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

#: Columns of :func:`boxes_table`, in order (the layout of ``prim_boxes.csv``).
TABLE_COLUMNS = ("box", "uncertainty", "lower", "upper", "coverage", "density", "mass")

#: The ``uncertainty`` entry of a box that restricts nothing (every case is inside).
NO_RESTRICTION = "(none)"


@dataclass(frozen=True)
class PrimBox:
    """One PRIM box: the conditions under which the policy fails, with its statistics.

    Attributes:
        limits: The restricted uncertainties only, most restricted first (the
            smallest share of its sampled range left), each as ``(lower, upper)``;
            a side that is not restricted is ``-inf`` or ``inf``. Uncertainties
            missing here do not matter for this box.
        coverage: Share of all failures (over every case) that fall inside the box.
        density: Share of the cases inside the box that are failures.
        mass: Share of all cases that fall inside the box.
        n_cases: Number of cases inside the box.
        n_failures_inside: Number of failures inside the box.
    """

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float
    n_cases: int
    n_failures_inside: int

    def describe(self) -> str:
        """One plain sentence a council can read.

        For example "fails in 83% of cases (coverage 71% of all failures) when
        police.deterrence is below 0.74 and offenders.count is above 520".
        Limits are rounded to two significant figures (whole numbers from 100 up),
        with more figures only when the two sides of a range would otherwise
        read the same.
        """
        head = (f"fails in {_percent(self.density)} of cases "
                f"(coverage {_percent(self.coverage)} of all failures)")
        if not self.limits:
            return f"{head} under every sampled condition"
        parts = [f"{name} is {_condition(lower, upper)}"
                 for name, (lower, upper) in self.limits.items()]
        return f"{head} when {_join(parts)}"


def find_failure_boxes(samples: pd.DataFrame, failed: np.ndarray, *, threshold: float = 0.8,
                       max_boxes: int = 3, min_mass: float = 0.05) -> list[PrimBox]:
    """PRIM boxes of the uncertainty samples where the policy fails.

    Runs EMA Workbench's PRIM (peeling 5% of the cases per step, its default and
    Friedman & Fisher's) on ``samples`` against ``failed``. On each box's
    peeling trajectory it picks the point with the highest coverage among those
    whose density is at least ``threshold`` (ties go to the higher density: the
    same failures in fewer cases). That is the usual scenario-discovery choice
    (Bryant & Lempert 2010): a box must be dense enough to be a warning worth
    acting on, and among those the one that explains most failures is the most
    useful. The next box is then found on the cases not in the boxes so far
    (EMA's covering ``find_box``).

    A limit of the chosen box whose quasi-p value (Bryant & Lempert 2010: a
    one-sided binomial test of whether the limit raises the density) is above
    0.05 is then dropped, provided the box stays at least ``threshold`` dense:
    peeling on noisy data cuts a sliver off uncertainties that do not matter,
    and a council should not be told a condition that chance alone explains.

    The search stops early when no point of a trajectory reaches ``threshold``
    (what is left is too diffuse to describe), when no cases are left, or when
    a box after the first would restrict nothing (it would say "everywhere else").
    PRIM is greedy: with several failure regions it can peel towards a mix of them
    and stop short of a dense box, and then fewer boxes (or none) come back even
    though the policy fails somewhere; the figure of :func:`plot_boxes` shows it.

    Args:
        samples: One row per sampled scenario, one numeric column per uncertainty,
            named by its dotted scenario key (``police.deterrence``).
        failed: One boolean per row: True where the policy failed in that scenario
            (0/1 numbers are accepted).
        threshold: The lowest density a box may have, in (0, 1].
        max_boxes: The most boxes to return, at least 1.
        min_mass: The smallest share of all cases a box may hold, in (0, 1):
            PRIM stops peeling there, so no box rests on a handful of cases.

    Returns:
        The boxes in the order found (the first explains most); ``[]`` when nothing
        failed, since there is nothing to explain. When every case failed (or the
        failure rate is already at least ``threshold``) the one box has no limits.

    Raises:
        TypeError: ``samples`` is not a DataFrame.
        ValueError: No rows, no columns, duplicate or non-text column names, a
            non-numeric or non-finite column, ``failed`` of the wrong length or not
            boolean, or a setting out of range.
    """
    x, y = _checked_inputs(samples, failed)
    _check_settings(threshold, max_boxes, min_mass)
    if not y.any():
        return []
    prim = _ema_prim()
    with warnings.catch_warnings():  # EMA 3.0 calls drop(inplace=True), deprecated in pandas 3.1
        warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame.drop")
        algorithm = prim.Prim(x, y.copy(), peel_alpha=0.05, mass_min=min_mass)
    lowest, highest = x.min(), x.max()
    boxes: list[PrimBox] = []
    while len(boxes) < max_boxes:
        found = algorithm.find_box()
        if found is None:  # every case is in a box already
            break
        trajectory = found.peeling_trajectory
        dense = trajectory[trajectory["density"] >= threshold]
        if dense.empty:
            break
        chosen = int(dense.sort_values(["coverage", "density"], ascending=False,
                                       kind="stable").index[0])
        chosen = _without_chance_limits(algorithm, found, chosen, threshold)
        found.select(chosen)  # the next find_box removes exactly this box's cases
        limits = _restricted_limits(found.box_lims[chosen], lowest, highest)
        if boxes and not limits:
            break
        row = found.peeling_trajectory.loc[chosen]  # update() may have added the point
        boxes.append(PrimBox(limits=limits, coverage=float(row["coverage"]),
                             density=float(row["density"]), mass=float(row["mass"]),
                             n_cases=int(row["n"]), n_failures_inside=int(row["k"])))
        if not limits:
            break
    return boxes


def boxes_table(boxes: list[PrimBox]) -> pd.DataFrame:
    """The boxes as a tidy table, one row per box and restricted uncertainty.

    This is the layout of ``prim_boxes.csv``: ``box`` numbers the boxes from 1 in
    the order found; an unrestricted side is ``-inf``/``inf``; a box that
    restricts nothing has one row with uncertainty ``"(none)"``, so that no box
    disappears from the file. The box statistics repeat on each of its rows.
    """
    rows = []
    for number, box in enumerate(boxes, start=1):
        limits = box.limits or {NO_RESTRICTION: (-math.inf, math.inf)}
        for name, (lower, upper) in limits.items():
            rows.append({"box": number, "uncertainty": name, "lower": float(lower),
                         "upper": float(upper), "coverage": box.coverage,
                         "density": box.density, "mass": box.mass})
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return table.astype({"box": "int64", "lower": "float64", "upper": "float64",
                         "coverage": "float64", "density": "float64", "mass": "float64"})


def plot_boxes(samples: pd.DataFrame, failed: np.ndarray, boxes: list[PrimBox],
               path: str | Path) -> Path:
    """Draw the failures in the plane of the first box's two most restricted uncertainties.

    The first box explains most failures, and its two tightest limits are the
    conditions a reader should see first. When it restricts fewer than two
    uncertainties the plane is completed with the next columns of ``samples``; a
    single-uncertainty sample is drawn against the case number. The figure is
    built on its own Agg canvas (no pyplot), like every figure of the package.

    Args:
        samples: The uncertainty samples given to :func:`find_failure_boxes`.
        failed: The failure flags given to :func:`find_failure_boxes`.
        boxes: Its result (may be empty: the points are drawn without a box).
        path: Where to write the PNG.

    Returns:
        The path written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    x, y = _checked_inputs(samples, failed)
    first = boxes[0] if boxes else None
    axes_names = list(first.limits)[:2] if first else []
    for name in x.columns:
        if len(axes_names) == 2:
            break
        if name not in axes_names:
            axes_names.append(name)
    horizontal = x[axes_names[0]].to_numpy()
    if len(axes_names) == 2:
        vertical, vertical_label = x[axes_names[1]].to_numpy(), axes_names[1]
    else:
        vertical, vertical_label = np.arange(len(x), dtype=float), "case number"

    fig = Figure(figsize=(6.4, 5.2))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.13, 0.11, 0.83, 0.68))
    ax.scatter(horizontal[~y], vertical[~y], s=9, color="0.75", label="policy holds")
    ax.scatter(horizontal[y], vertical[y], s=11, color="#c0392b", label="policy fails")
    if first is not None:
        left, right = _drawn_range(first, axes_names[0], horizontal)
        if len(axes_names) == 2:
            bottom, top = _drawn_range(first, axes_names[1], vertical)
        else:
            bottom, top = float(vertical.min()), float(vertical.max())
        ax.add_patch(Rectangle((left, bottom), right - left, top - bottom, fill=False,
                               edgecolor="black", linewidth=1.8, label="box 1"))
        title = f"Box 1 of {len(boxes)}: " + first.describe()
    else:
        title = "No failure box: " + ("nothing failed" if not y.any()
                                     else "failures too diffuse for a box")
    fig.suptitle("\n".join(textwrap.wrap(title, 80)), fontsize=9, y=0.97)
    ax.set_xlabel(axes_names[0])
    ax.set_ylabel(vertical_label)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 1.13), ncol=3, fontsize=8, frameon=False)
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path


def _ema_prim() -> ModuleType:
    """EMA Workbench's PRIM module, imported on first use (about two seconds).

    Its package warns at import that optional extras (ipyparallel, altair) are
    missing; neither is used here, so those warnings are silenced.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", ImportWarning)
        from ema_workbench.analysis import prim
    return prim


def _checked_inputs(samples: pd.DataFrame, failed: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The samples as float64 with a fresh index, and the failures as booleans.

    Checked here, with messages that name the problem, because EMA Workbench
    silently ignores columns that are neither float64 nor int (a float32 column
    would vanish from the analysis) and fails deep inside on empty input.
    """
    if not isinstance(samples, pd.DataFrame):
        raise TypeError(f"samples must be a pandas DataFrame, got {type(samples).__name__}")
    if len(samples) == 0:
        raise ValueError("samples has no rows: PRIM needs sampled scenarios to find boxes in")
    if samples.shape[1] == 0:
        raise ValueError("samples has no columns: give one column per uncertainty")
    names = list(samples.columns)
    if not all(isinstance(name, str) for name in names):
        raise ValueError("samples' column names must be the uncertainties' dotted keys (text)")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"samples has duplicate columns: {', '.join(duplicates)}")
    for name in names:
        dtype = samples[name].dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            raise ValueError(f"samples column {name!r} is not numeric ({dtype}): "
                             "PRIM boxes need numeric uncertainties")
    x = samples.astype("float64").reset_index(drop=True)
    for name in names:
        bad = int((~np.isfinite(x[name].to_numpy())).sum())
        if bad:
            raise ValueError(f"samples column {name!r} has {bad} missing or infinite values")
    flags = np.asarray(failed)
    if flags.ndim != 1:
        raise ValueError(f"failed must be one-dimensional, got shape {flags.shape}")
    if flags.shape[0] != len(x):
        raise ValueError(f"failed has {flags.shape[0]} values but samples has {len(x)} rows: "
                         "give one flag per sampled scenario")
    if flags.dtype != np.bool_:
        numeric = pd.api.types.is_numeric_dtype(flags.dtype)
        if not numeric or not np.isin(flags, (0, 1)).all():
            raise ValueError("failed must be booleans (True where the policy failed); "
                             "numbers other than 0 and 1 or other values were given")
        flags = flags.astype(bool)
    return x, flags


def _check_settings(threshold: float, max_boxes: int, min_mass: float) -> None:
    """Refuse settings that make no box meaningful, naming the setting."""
    if not (isinstance(threshold, int | float) and 0 < threshold <= 1):
        raise ValueError(f"threshold must be a density in (0, 1], got {threshold!r}")
    if isinstance(max_boxes, bool) or not isinstance(max_boxes, int) or max_boxes < 1:
        raise ValueError(f"max_boxes must be a whole number >= 1, got {max_boxes!r}")
    if not (isinstance(min_mass, int | float) and 0 < min_mass < 1):
        raise ValueError(f"min_mass must be a share of the cases in (0, 1), got {min_mass!r}")


#: Quasi-p value above which a limit is taken for chance and dropped (Bryant & Lempert 2010).
_CHANCE_QP = 0.05


def _without_chance_limits(algorithm: object, found: object, chosen: int,
                           threshold: float) -> int:
    """The trajectory point of the chosen box with its chance limits dropped.

    EMA Workbench stores, for each point of the trajectory, one quasi-p value per
    side of each restricted uncertainty (-1 for a side left open). The sides above
    0.05 are opened together; the relaxed box is added to the trajectory with
    EMA's ``update`` and returned if it is still ``threshold`` dense, else the
    chosen point is kept. EMA's own ``drop_restriction`` opens both sides at once,
    which would also throw away a side that matters.
    """
    box_lim = found.box_lims[chosen]
    initial = found.box_lims[0]
    relaxed = box_lim.copy()
    dropped = False
    for name, sides in found.p_values[chosen].items():
        for side, qp in enumerate(sides):
            if qp > _CHANCE_QP:
                relaxed.loc[side, name] = initial.loc[side, name]
                dropped = True
    if not dropped:
        return chosen
    remaining = algorithm.yi_remaining
    values = algorithm.x.loc[remaining, list(relaxed.columns)].to_numpy()
    inside = ((relaxed.loc[0].to_numpy() <= values)
              & (values <= relaxed.loc[1].to_numpy())).all(axis=1)
    found.update(relaxed, remaining[inside])
    latest = len(found.peeling_trajectory) - 1
    if found.peeling_trajectory.loc[latest, "density"] >= threshold:
        return latest
    return chosen


def _restricted_limits(box_lim: pd.DataFrame, lowest: pd.Series,
                       highest: pd.Series) -> dict[str, tuple[float, float]]:
    """The box's restricted uncertainties, most restricted first.

    A side is restricted when PRIM moved it inside the sampled range; an
    unrestricted side becomes -inf/inf. The order is by the share of the sampled
    range the box keeps, so the first two are the box's tightest conditions.
    """
    kept: list[tuple[float, int, str, tuple[float, float]]] = []
    for position, name in enumerate(box_lim.columns):
        lower, upper = float(box_lim.loc[0, name]), float(box_lim.loc[1, name])
        low_cut, high_cut = lower > lowest[name], upper < highest[name]
        if not (low_cut or high_cut):
            continue
        span = float(highest[name] - lowest[name])
        share = (min(upper, highest[name]) - max(lower, lowest[name])) / span if span else 1.0
        kept.append((share, position, name,
                     (lower if low_cut else -math.inf, upper if high_cut else math.inf)))
    kept.sort(key=lambda item: (item[0], item[1]))
    return {name: limits for _, _, name, limits in kept}


def _drawn_range(box: PrimBox, name: str, values: np.ndarray) -> tuple[float, float]:
    """The box's side along one axis, an open side drawn at the edge of the data."""
    lower, upper = box.limits.get(name, (-math.inf, math.inf))
    return (max(lower, float(values.min())), min(upper, float(values.max())))


def _percent(share: float) -> str:
    """A share as a whole percentage, rounding halves up (0.825 -> 83%)."""
    return f"{math.floor(100 * share + 0.5)}%"


def _number(value: float, figures: int = 2) -> str:
    """A limit with ``figures`` significant figures, whole from 100 up, no exponent."""
    if value == 0:
        return "0"
    decimals = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _condition(lower: float, upper: float) -> str:
    """"below b", "above a" or "between a and b" for one restricted uncertainty."""
    if math.isinf(lower):
        return f"below {_number(upper)}"
    if math.isinf(upper):
        return f"above {_number(lower)}"
    figures = 2
    while figures < 6 and _number(lower, figures) == _number(upper, figures):
        figures += 1
    return f"between {_number(lower, figures)} and {_number(upper, figures)}"


def _join(parts: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
