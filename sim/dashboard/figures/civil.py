"""The Explore page's figures for the civil-violence model (Epstein 2002, Model I).

The crime model's map (:class:`~sim.dashboard.figures.live.MapView`) shows a density
with agents as markers; Epstein's lattice is different in kind: every cell is empty
or holds one agent whose *state* (quiet, active, cop, jailed) is the picture, so the
main layer is categorical -- one clear colour per state and a legend, not a colour
bar. The citizens' continuous attributes (grievance, perceived legitimacy, hardship)
are levels between 0 and 1 and get sequential colour maps with a colour bar, grey
where no citizen stands. The series follow the model's per-tick metrics: citizens by
state, and the regime's legitimacy against the citizens' mean perceived legitimacy.

Both figures reuse :class:`~sim.dashboard.figures.live.BlitFigure`: drawn in full
once, then only the changing artists each frame, so a frame at 40 x 40 costs a few
milliseconds (``python -m sim.bench.dashboard_step scenarios/epstein2002.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from sim.config import CV_ACTIVE, CV_COP, CV_EMPTY, CV_JAILED, CV_QUIET
from sim.dashboard.figures.layers import new_figure
from sim.dashboard.figures.live import BlitFigure, nice_ceiling
from sim.metrics.catalog import lookup

if TYPE_CHECKING:
    from sim.civil_violence import CivilViolenceModel

#: Cell codes with their legend label and colour: blue calm, red rebellion, black the
#: state's force, purple its prisons -- distinct in hue and in lightness, so they
#: read in grey too. Empty cells are a pale grey so the lattice's gaps stay visible.
STATE_STYLES: tuple[tuple[int, str, str], ...] = (
    (CV_EMPTY, "empty", "#f2f2f2"),
    (CV_QUIET, "quiet", "#6baed6"),
    (CV_ACTIVE, "active", "#d7301f"),
    (CV_COP, "cop", "#111111"),
    (CV_JAILED, "jailed", "#7b4fa6"),
)
#: Colour of a cell where a citizen layer has no value (no citizen there).
NO_CITIZEN = "#d0d0d0"
#: The series' x axis shows at least this many ticks.
MIN_TICKS = 50


@dataclass(frozen=True)
class CivilLayer:
    """A map layer of the civil-violence model.

    Attributes:
        title: What the map shows (the figure title).
        key: The array's name in :meth:`CivilViolenceModel.layers`.
        unit: The colour bar's label; empty for the categorical state layer.
        cmap: A sequential colour map (continuous layers only).
        vmax: The colour scale's fixed top, or None to scale to the data (rounded up
            to a nice number, so the colour bar moves rarely): grievance stays below
            1 - L, a fifth of the scale at Epstein's L = 0.82.
    """

    title: str
    key: str
    unit: str = ""
    cmap: str = ""
    vmax: float | None = 1.0

    @property
    def categorical(self) -> bool:
        """Whether the layer holds cell codes (drawn with a legend, not a colour bar)."""
        return not self.cmap


#: The layers a user can choose, by the chooser's name; the first is the default.
CIVIL_LAYERS: dict[str, CivilLayer] = {
    "state": CivilLayer("State of each cell", "state"),
    "grievance": CivilLayer("Grievance H x (1 - L_i)", "grievance",
                            "grievance (grey: no citizen)", "YlOrRd", None),
    "perceived legitimacy": CivilLayer("Perceived legitimacy L_i", "perceived_legitimacy",
                                       "perceived legitimacy (0 - 1; grey: no citizen)",
                                       "Blues"),
    "hardship": CivilLayer("Hardship H", "hardship",
                           "hardship (0 none - 1 most; grey: no citizen)", "Purples"),
}


class CivilMapView(BlitFigure):
    """The lattice: the cells' states with a legend, or a citizen layer with a colour bar.

    Args:
        model: The model whose lattice is drawn (a new model needs a new view).
        layer: A key of :data:`CIVIL_LAYERS`.
    """

    def __init__(self, model: CivilViolenceModel, layer: str = "state") -> None:
        super().__init__(new_figure(6.4, 5.6))
        self.layer = layer
        self.spec = spec = CIVIL_LAYERS[layer]
        fig = self.figure
        # room on the right for a colour bar's tick labels and its title
        fig.subplots_adjust(left=0.1, right=0.9 if spec.categorical else 0.85, top=0.93,
                            bottom=0.14)
        ax = fig.add_subplot()
        data = self._data(model)
        if spec.categorical:
            codes = [code for code, _label, _colour in STATE_STYLES]
            cmap = ListedColormap([colour for _code, _label, colour in STATE_STYLES])
            norm = BoundaryNorm(np.arange(min(codes) - 0.5, max(codes) + 1.0), cmap.N)
            self.image = ax.imshow(data, cmap=cmap, norm=norm, interpolation="nearest")
            handles = [Patch(facecolor=colour, edgecolor="#555555", linewidth=0.5, label=label)
                       for code, label, colour in STATE_STYLES if code != CV_EMPTY]
            ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08),
                      ncol=len(handles), fontsize=8, frameon=False)
        else:
            cmap = colormaps[spec.cmap].with_extremes(bad=NO_CITIZEN)
            self.image = ax.imshow(data, cmap=cmap, vmin=0.0, vmax=self._vmax(data),
                                   interpolation="nearest")
            fig.colorbar(self.image, ax=ax, label=spec.unit, fraction=0.046, pad=0.03)
        height, width = data.shape
        ax.set_xlim(-0.5, width - 0.5)
        ax.set_ylim(height - 0.5, -0.5)
        ax.set_autoscale_on(False)
        ax.set_xlabel("x (cells; the grid wraps round: a torus)")
        ax.set_ylabel("y (cells)")
        self.title = ax.set_title(self._title(model))
        self.axes = ax
        # the frame goes on top of what changes, as in a full draw
        self.dynamic = [self.image, self.title, *ax.spines.values()]

    def _data(self, model: CivilViolenceModel) -> np.ndarray:
        layer = model.layers()[self.spec.key]
        return layer if self.spec.categorical else np.asarray(layer, dtype=float)

    def _vmax(self, data: np.ndarray) -> float:
        """The layer's fixed top, else the data's maximum rounded up to a nice number."""
        if self.spec.vmax is not None:
            return self.spec.vmax
        finite = data[np.isfinite(data)]
        return nice_ceiling(float(finite.max()) if finite.size else 0.0)

    def _title(self, model: CivilViolenceModel) -> str:
        title = f"{self.spec.title} - tick {model.tick}"
        if self.spec.categorical and not model.p.jail_on_grid and len(model.results):
            # Epstein's jailed leave the lattice: say how many, since none are drawn
            title += f" ({int(model.results.last('jailed'))} jailed, off the lattice)"
        return title

    def update(self, model: CivilViolenceModel) -> None:
        """Show ``model`` as it is now (the same model the view was built for)."""
        data = self._data(model)
        self.image.set_data(data)
        if not self.spec.categorical:
            vmax = self._vmax(data)
            if vmax != self.image.norm.vmax:
                self.image.set_clim(0.0, vmax)
                self.invalidate()  # the colour bar's ticks change
        self.title.set_text(self._title(model))


def _label(metric: str) -> str:
    """A civil-violence metric's legend label, as the metric catalog declares it."""
    declared = lookup(metric, "civil_violence")
    if declared is None:
        raise KeyError(f"{metric} is not a declared civil-violence metric")
    return declared.label


class CivilSeriesView(BlitFigure):
    """Citizens by state, and legitimacy, per tick since the start."""

    #: Lines of the upper panel: metric, label, colour (the map's colours).
    STATES: tuple[tuple[str, str, str], ...] = (
        ("active", _label("active"), STATE_STYLES[CV_ACTIVE][2]),
        ("jailed", _label("jailed"), STATE_STYLES[CV_JAILED][2]),
        ("quiet", _label("quiet"), STATE_STYLES[CV_QUIET][2]),
    )
    #: Lines of the lower panel: metric, label, colour.
    LEGITIMACY: tuple[tuple[str, str, str], ...] = (
        ("legitimacy", _label("legitimacy"), "#08306b"),
        ("perceived_legitimacy", _label("perceived_legitimacy"), "#fd8d3c"),
    )

    def __init__(self, model: CivilViolenceModel) -> None:
        super().__init__(new_figure(6.4, 5.2))
        fig = self.figure
        fig.subplots_adjust(left=0.12, right=0.73, top=0.94, bottom=0.1, hspace=0.3)
        top, bottom = fig.subplots(2, 1, sharex=True)
        self.axes = [top, bottom]
        self.lines: dict[str, Any] = {}
        for ax, lines, title, unit in ((top, self.STATES, "Citizens by state", "citizens"),
                                       (bottom, self.LEGITIMACY, "Legitimacy",
                                        "legitimacy (0 - 1)")):
            for metric, label, colour in lines:
                self.lines[metric] = ax.plot([], [], label=label, color=colour)[0]
            ax.set_title(title)
            ax.set_ylabel(unit)
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                      frameon=False, borderaxespad=0.0)
            ax.set_autoscale_on(False)
        bottom.set_ylim(0.0, 1.0)  # a share: the scale never moves
        bottom.set_xlabel("tick")
        # the lines, then the frame on top as in a full draw (legends sit beside)
        self.dynamic = [*self.lines.values(), *top.spines.values(), *bottom.spines.values()]
        self._limits: tuple[float, float] = (0.0, 0.0)
        self.update(model)

    def update(self, model: CivilViolenceModel) -> None:
        """Show the per-tick series of ``model`` as they are now."""
        results = model.results
        ticks = np.arange(len(results), dtype=float)
        top = 0.0
        for metric, line in self.lines.items():
            values = results.column(metric)
            line.set_data(ticks, values)
            line.set_marker("." if len(values) < 3 else "None")
            if metric in ("active", "jailed", "quiet") and len(values):
                top = max(top, float(values.max()))
        limits = (nice_ceiling(top * 1.05), nice_ceiling(max(len(ticks), MIN_TICKS)))
        if limits != self._limits:
            self.axes[0].set_ylim(0.0, limits[0])
            self.axes[0].set_xlim(0.0, limits[1])  # shared by both panels
            self._limits = limits
            self.invalidate()


def civil_status(model: CivilViolenceModel) -> str:
    """Where the run is: the tick, citizens by state, and the regime's legitimacy."""
    res = model.results
    if not len(res):
        return (f"tick 0 - {model.citizens} citizens, {model.cops} cops; legitimacy "
                f"{model.legitimacy_at(0):.2f}")
    return (f"tick {model.tick} - {int(res.last('active'))} active, "
            f"{int(res.last('quiet'))} quiet, {int(res.last('jailed'))} jailed; "
            f"legitimacy {res.last('legitimacy'):.2f}")
