"""Read a sweep's folder back: response curves, surfaces and sensitivity indices.

Used by ``crimesim analyze`` and the dashboard's Sweeps page, so both show the same
numbers. A sweep may be unfinished (still running, or stopped): whatever runs are
stored are used.

Every summary is over replications (seeds) at a parameter point: mean and a 95%
t-interval. A response curve of one parameter averages, at each of its values, over
every run with that value -- over the other parameters' values too, which is the
main effect; pass ``fixed`` to hold the others at given values instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.stats import t95
from sim.analysis.sweep.metrics import STOCKS
from sim.analysis.sweep.store import ResultStore

#: A numeric parameter with more distinct values than this is binned in curves.
MAX_LEVELS = 12


class SweepFolderError(ValueError):
    """The folder is not a sweep's output, or is unreadable; the message says why."""


@dataclass
class SweepResults:
    """One sweep's stored results.

    Attributes:
        root: The folder.
        manifest: The manifest (experiment, parameters, design, metrics, ...).
        rows: Every stored row (run_id, point_id, point_key, parameters, seed, time,
            metrics).
        design: The design table (one row per point, sampler order).
        failures: Failed runs by id.
    """

    root: Path
    manifest: dict[str, Any]
    rows: pd.DataFrame
    design: pd.DataFrame
    failures: dict[str, dict[str, Any]]

    @classmethod
    def open(cls, root: str | Path) -> SweepResults:
        """Load a sweep folder.

        Raises:
            SweepFolderError: No manifest there, or the files cannot be read.
        """
        store = ResultStore(root)
        if not store.root.is_dir():
            raise SweepFolderError(f"{root}: no such folder")
        if not store.exists():
            raise SweepFolderError(f"{root}: not a sweep folder (no manifest.json); run "
                                   "crimesim sweep first")
        try:
            return cls(root=store.root, manifest=store.manifest(), rows=store.read(),
                       design=store.design(), failures=store.failures())
        except (OSError, ValueError) as exc:
            raise SweepFolderError(f"{root}: cannot read the sweep ({exc})") from None

    # --- what is there ------------------------------------------------------------
    @property
    def parameters(self) -> list[str]:
        """Swept keys, in the experiment's order."""
        return [p["key"] for p in self.manifest["parameters"]]

    @property
    def metrics(self) -> list[str]:
        """Metric columns."""
        return list(self.manifest["metrics"])

    @property
    def time_column(self) -> str:
        """``tick`` or ``day``."""
        return self.manifest["time_column"]

    @property
    def design_kind(self) -> str:
        """``grid``, ``lhs``, ``sobol`` or ``morris``."""
        return self.manifest["design"]["kind"]

    @property
    def runs_stored(self) -> int:
        """Distinct runs with rows."""
        return int(self.rows["run_id"].nunique()) if len(self.rows) else 0

    def numeric_parameters(self) -> list[str]:
        """Swept keys with numbers (a response curve needs an ordered axis)."""
        return [p["key"] for p in self.manifest["parameters"] if p["kind"] in ("int", "float")]

    def final(self) -> pd.DataFrame:
        """One row per run: its last recorded time (the whole-run figure for ``final``)."""
        if self.rows.empty:
            return self.rows
        t = self.time_column
        last = self.rows.groupby("run_id")[t].transform("max")
        return self.rows[self.rows[t] == last].reset_index(drop=True)

    def run_values(self) -> pd.DataFrame:
        """One row per run: each metric's whole-run figure, whatever the sweep recorded.

        :meth:`final` takes each run's last row. For ``record = "final"`` that is the
        measured window; for a sweep recorded per day or per tick it is one day or one
        hour, a noisy and easily misread figure for a response curve. Here those rows
        are rolled up as ``record = "final"`` would have kept them -- flows summed from
        ``warmup_days`` on, levels (:data:`~sim.analysis.sweep.metrics.STOCKS`) at
        the last time -- so an experiment gives the same curves however it recorded.

        Returns:
            The runs' last rows, their flow metrics replaced by the window's sums.
        """
        last = self.final()
        if self.manifest["record"] == "final" or last.empty:
            return last
        t = self.time_column
        start = float(self.manifest.get("warmup_days") or 0)
        if t == "tick":  # every stored run is whole: its ticks are 0 .. days * per_day - 1
            start *= (int(self.rows[t].max()) + 1) / float(self.manifest["days"])
        flows = [m for m in self.metrics if m not in STOCKS]
        sums = self.rows[self.rows[t] >= start].groupby("run_id")[flows].sum()
        out = last.copy()
        out[flows] = sums.reindex(out["run_id"]).fillna(0.0).to_numpy()
        return out

    # --- summaries ------------------------------------------------------------------
    def point_summary(self, metric: str) -> pd.DataFrame:
        """Per parameter point: the metric's final value over its replications.

        Returns:
            The parameters, ``n`` runs, ``mean``, ``sd``, ``ci_low``, ``ci_high``.
        """
        self._check_metric(metric)
        return summarise(self.run_values(), self.parameters, metric)

    def response(self, metric: str, parameter: str, fixed: dict[str, Any] | None = None,
                 by: str | None = None, bins: int | None = None) -> pd.DataFrame:
        """The metric's final value against one parameter, with a 95% CI.

        Sampled designs (Latin hypercube, Sobol, Morris) give a numeric parameter many
        distinct values with one or two runs each; a curve through them is noise. Such
        a parameter is cut into ``bins`` equal-width bins, each shown at its runs' mean
        value.

        Args:
            metric: A metric column.
            parameter: The swept key on the x axis.
            fixed: Hold other parameters at these values (default: average over them).
            by: A second parameter: one curve per value of it.
            bins: Bins for a numeric parameter; default: 8 when it has more than
                :data:`MAX_LEVELS` distinct values, else none.

        Returns:
            Columns ``parameter`` (and ``by``), ``n``, ``mean``, ``sd``, ``ci_low``,
            ``ci_high``, sorted by the parameter.
        """
        self._check_metric(metric)
        self._check_parameter(parameter)
        rows = self._fixed_rows(fixed)
        keys = [parameter] if by is None else [by, parameter]
        if by is not None:
            self._check_parameter(by)
        if parameter in self.numeric_parameters():
            distinct = rows[parameter].nunique()
            n_bins = bins if bins is not None else (8 if distinct > MAX_LEVELS else 0)
            if n_bins and distinct > n_bins:
                rows = rows.copy()
                cut = pd.cut(rows[parameter], n_bins)
                rows[parameter] = rows.groupby(cut, observed=True)[parameter].transform("mean")
        return summarise(rows, keys, metric)

    def surface(self, metric: str, x: str, y: str,
                fixed: dict[str, Any] | None = None) -> pd.DataFrame:
        """Mean final value over a grid of two parameters: index ``y``, columns ``x``."""
        table = self.response(metric, x, fixed=fixed, by=y)
        return table.pivot(index=y, columns=x, values="mean").sort_index()

    def over_time(self, metric: str, parameter: str) -> pd.DataFrame:
        """Per time step and parameter value: mean and CI over every run.

        For sweeps that record per tick or per day.
        """
        self._check_metric(metric)
        self._check_parameter(parameter)
        return summarise(self.rows, [parameter, self.time_column], metric)

    def sensitivity(self, metric: str) -> pd.DataFrame | None:
        """Sobol (S1, ST with CIs) or Morris (mu*, sigma) indices of a metric.

        None for grid and Latin hypercube designs, or while the sample is incomplete.

        Every point of the sample must have at least one stored run: SALib's
        estimators need the whole sample in its order. Replications are averaged.
        """
        from sim.analysis.sweep.sensitivity import morris_indices, sobol_indices

        self._check_metric(metric)
        kind = self.design_kind
        if kind not in ("sobol", "morris") or self.rows.empty:
            return None
        means = self.run_values().groupby("point_key")[metric].mean()
        y = self.design["point_key"].map(means).to_numpy(dtype=float)
        if np.isnan(y).any():
            return None
        units = self.design[[f"u_{k}" for k in self.parameters]].to_numpy(dtype=float)
        design = self.manifest["design"]
        if kind == "sobol":
            return sobol_indices(self.parameters, y, second_order=design["second_order"],
                                 seed=design["seed"])
        return morris_indices(self.parameters, units, y, levels=design["levels"],
                              seed=design["seed"])

    # --- checks -----------------------------------------------------------------------
    def _fixed_rows(self, fixed: dict[str, Any] | None) -> pd.DataFrame:
        rows = self.run_values()
        for key, value in (fixed or {}).items():
            self._check_parameter(key)
            rows = rows[rows[key] == value]
        return rows

    def _check_metric(self, metric: str) -> None:
        if metric not in self.metrics:
            raise SweepFolderError(f"{metric!r} is not a metric of this sweep "
                                   f"(it has: {', '.join(self.metrics)})")

    def _check_parameter(self, key: str) -> None:
        if key not in self.parameters:
            raise SweepFolderError(f"{key!r} is not a swept parameter "
                                   f"(swept: {', '.join(self.parameters)})")


def summarise(rows: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    """Group ``rows`` by ``keys``: n, mean, sd and the 95% t-interval of ``metric``.

    With one run in a group the interval is undefined (NaN): one seed says nothing
    about run-to-run variation.
    """
    cols = [*keys, "n", "mean", "sd", "ci_low", "ci_high"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    g = rows.groupby(keys, sort=True)[metric]
    out = g.agg(n="count", mean="mean", sd="std").reset_index()
    half = np.array([t95(int(n) - 1) if n > 1 else np.nan for n in out["n"]])
    half = half * out["sd"].to_numpy() / np.sqrt(out["n"].to_numpy())
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out[cols]
