"""Global sensitivity indices of a sweep's metric, computed with SALib.

Sobol indices (Saltelli's estimators): S1 is the share of the metric's variance due
to one parameter alone, ST its share including all its interactions; bootstrap 95%
half-widths come with each. Morris elementary effects screen many parameters
cheaply: mu* (mean absolute effect) ranks their influence, sigma flags non-linearity
or interactions. Both are measured in the unit cube of the design (see
:mod:`sim.analysis.sweep.design`), i.e. per full range of each parameter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.sweep.design import salib_problem_for


def sobol_indices(names: list[str], y: np.ndarray, *, second_order: bool,
                  seed: int) -> pd.DataFrame:
    """One row per parameter: ``S1``, ``S1_conf``, ``ST``, ``ST_conf``.

    Args:
        names: Parameter keys in design order.
        y: The metric at each design point, in the sampler's order.
        second_order: Whether the sample was drawn with second-order terms.
        seed: Seeds the bootstrap, so the intervals are reproducible.
    """
    from SALib.analyze import sobol

    res = sobol.analyze(salib_problem_for(names), y, calc_second_order=second_order,
                        seed=seed)
    return pd.DataFrame({"parameter": names, "S1": res["S1"], "S1_conf": res["S1_conf"],
                         "ST": res["ST"], "ST_conf": res["ST_conf"]})


def morris_indices(names: list[str], units: np.ndarray, y: np.ndarray, *, levels: int,
                   seed: int) -> pd.DataFrame:
    """One row per parameter: ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma``.

    Args:
        names: Parameter keys in design order.
        units: The sample in the unit cube, as drawn.
        y: The metric at each design point.
        levels: The Morris grid levels of the sample.
        seed: Seeds the bootstrap.
    """
    from SALib.analyze import morris

    res = morris.analyze(salib_problem_for(names), units, y, num_levels=levels, seed=seed)
    return pd.DataFrame({"parameter": names, "mu": res["mu"], "mu_star": res["mu_star"],
                         "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"]})
