"""The comparison's change map dots the base's Gi* hot spots (95%, FDR)."""

from __future__ import annotations

import io
import warnings
from types import SimpleNamespace

import numpy as np
from PIL import Image
from scipy.stats import false_discovery_control

from sim.analysis.figures import base_hot_spots, change_map, hatched_cells
from sim.config import N_CRIME

H, W = 16, 16


def outcome(crimes: np.ndarray) -> SimpleNamespace:
    """A run outcome with what the change map reads: crimes per type and cell."""
    crime_map = np.zeros((N_CRIME, H * W))
    crime_map[0] = crimes.ravel()
    return SimpleNamespace(height=H, width=W, crime_map=crime_map, treated=None,
                           totals={"crimes_total": float(crimes.sum())})


def comparison(cell_m: float = 100.0) -> SimpleNamespace:
    """A base with a hot 3 x 3 block, two replications, and an alternative."""
    rng = np.random.default_rng(9)
    base = []
    for _ in range(2):
        crimes = rng.poisson(1.0, (H, W)).astype(float)
        crimes[10:13, 3:6] = rng.poisson(15.0, (3, 3))
        base.append(outcome(crimes))
    alt = [outcome(np.zeros((H, W))) for _ in range(2)]
    # ring of 200 m: the cell size is ring_m / ring
    return SimpleNamespace(base="base", alternatives=["alt"], reps=2, ring=200.0 / cell_m,
                           ring_m=200.0, outcomes={"base": base, "alt": alt})


def test_base_hot_spots_are_esdas_95_percent_cells():
    from esda.getisord import G_Local
    from libpysal.weights import lat2W

    cmp = comparison()
    mean = np.mean([o.crime_map.sum(axis=0) for o in cmp.outcomes["base"]], axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(mean, lat2W(H, W, rook=False), transform="B", star=True, permutations=0)
    expected = (false_discovery_control(2 * g.p_norm, method="bh") <= 0.05) & (g.Zs > 0)
    hot = base_hot_spots(cmp)
    assert hot[11, 4] and (hot.ravel() == expected).all()


def test_the_change_map_dots_the_hot_spots(tmp_path):
    cmp = comparison()
    path = change_map(cmp, "alt", tmp_path / "map.png")
    image = np.asarray(Image.open(path).convert("L"), dtype=int)
    assert image.size > 0
    # the dots are drawn as a hatch on one patch per hot cell
    patches = hatched_cells(base_hot_spots(cmp))
    assert patches.get_hatch() == "..." and len(patches.get_paths()) == base_hot_spots(cmp).sum()


def test_dots_show_on_the_picture():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    mask = np.zeros((4, 4), bool)
    mask[1, 1] = True

    def render(with_dots: bool) -> np.ndarray:
        fig = Figure(figsize=(2, 2), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.imshow(np.zeros((4, 4)), cmap="Greys", vmin=0, vmax=1)
        if with_dots:
            ax.add_collection(hatched_cells(mask))
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return np.asarray(Image.open(buf).convert("L"), dtype=int)

    diff = render(True) != render(False)
    ys, xs = np.nonzero(diff)
    assert diff.any()
    # only the hot cell (pixels 50-100 of 200 each way) is dotted
    assert ys.min() >= 48 and ys.max() <= 101 and xs.min() >= 48 and xs.max() <= 101
