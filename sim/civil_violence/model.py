"""CivilViolenceModel: Epstein's (2002) Model I on the project's array engine.

A second model family beside the crime model (DESIGN.md): same scenario files
(``model = "civil_violence"``, keys under ``[civil_violence]``, grid size from
``city.width`` and ``city.height``), same per-tick metrics table and ``run``
outputs, same seeding, numba kernels over arrays (:mod:`sim.kernels.civil_violence`).

Each tick (:meth:`CivilViolenceModel.step`):

1. the regime's legitimacy L for this tick (constant, or the scenario's drop);
2. every agent acts once in a fresh random order: citizens serve jail or decide to
   rebel and move; cops arrest one active in vision, corrupt cops extort one quiet
   citizen, and move (``civil_violence_tick``);
3. with corrupt cops, citizens' lost legitimacy recovers toward L (``relax_trust``);
4. metrics: active, quiet, jailed, arrests, extortions, L and mean perceived L.

Every draw comes from ``model.rng``: the same seed gives the same run.
"""

from __future__ import annotations

from os import PathLike
from typing import Any

import mesa
import numpy as np

from sim.civil_violence.world import (
    Lattice,
    build_lattice,
    vision_offsets,
    vision_rows,
    vision_size,
)
from sim.config import CV_JAILED, CV_ROUNDING, INT
from sim.kernels import civil_violence as kernels
from sim.metrics.analyzers import Analyzer, AnalyzerSet
from sim.metrics.catalog import CIVIL_VIOLENCE_METRICS, integer_names, names
from sim.metrics.recorder import MetricsRecorder
from sim.scenario import Scenario
from sim.scenario.model_scenario import ScenarioAttribute, resolve_scenario

#: Per-tick metrics, in column order (declared in :mod:`sim.metrics.catalog`). Counts of
#: citizens are taken after the tick; ``legitimacy`` is the regime's L during the tick
#: and ``perceived_legitimacy`` the citizens' mean L_i = L * f_i after it.
METRICS: tuple[str, ...] = names(CIVIL_VIOLENCE_METRICS)
INTEGER_METRICS = integer_names(CIVIL_VIOLENCE_METRICS)
_ACTIVE, _QUIET, _JAILED, _ARRESTS, _EXTORTIONS, _LEGIT, _PERCEIVED = range(len(METRICS))

#: The scenario a bare ``CivilViolenceModel()`` runs: Epstein's 40 x 40 lattice.
#: Draws of a cell in vision before a mover lists the empty ones (kernel
#: ``random_empty_in_vision``): with a quarter of cells empty, 16 misses in a row happen
#: once in ~100 moves; the choice is uniform over empty cells either way.
MOVE_TRIES = 16

DEFAULT_SCENARIO = {"name": "civil_violence", "model": "civil_violence",
                    "city": {"width": 40, "height": 40}}


class CivilViolenceModel(ScenarioAttribute, mesa.Model):
    """Epstein's civil violence Model I: citizens, cops, legitimacy and jail.

    Args:
        scenario: A scenario with ``model = "civil_violence"``, or its file's path
            (defaults to Epstein's parameters on 40 x 40).
        rng: Seed or numpy Generator; every random draw of the run comes from it.
        analyzers: Measures taken during the run (:mod:`sim.metrics.analyzers`), as for
            the crime model: called after every tick and by :meth:`finish`.
        **overrides: Scenario keys with ``__`` for the dots (``civil_violence__legitimacy
            =0.7``), so ``mesa.batch_run`` can sweep them as keyword parameters.

    Attributes:
        lattice: The cells and agents as arrays (:class:`~sim.civil_violence.world.Lattice`).
        results: Per-tick metrics; ``results.to_frame()`` gives a DataFrame.
        datacollector: A Mesa DataCollector of active, quiet and jailed, every tick.
        tick: Ticks completed.
    """

    def __init__(self, *, scenario: Scenario | str | PathLike | None = None, rng: Any = None,
                 analyzers: list[Analyzer | str] | None = None, **overrides: Any) -> None:
        super().__init__(rng=rng)
        scenario = resolve_scenario(
            scenario, overrides, family="civil_violence",
            default=lambda: Scenario.from_dict(DEFAULT_SCENARIO),
            refusal="CivilViolenceModel runs scenarios with model = 'civil_violence' (use "
                    "CrimeModel for this one)")
        self.scenario = scenario
        cv = self.p = scenario.params.civil_violence
        self.width, self.height = scenario.params.city.width, scenario.params.city.height
        self.lattice: Lattice = build_lattice(cv, self.width, self.height, self.rng)
        self._half_citizen = vision_rows(cv.citizen_vision, cv.grid_type)
        self._half_cop = vision_rows(cv.cop_vision, cv.grid_type)
        self._off_x, self._off_y = vision_offsets(self._half_citizen)
        room = max(vision_size(self._half_citizen), vision_size(self._half_cop)) + 1
        self._buffers = tuple(np.zeros(room, INT) for _ in range(3))
        self._rounding = CV_ROUNDING.index(cv.arrest_rounding)
        self._keep = 0.5 ** (1.0 / cv.reversion_ticks)
        self._corrupting = bool(self.lattice.corrupt.any()) and cv.corruption_loss > 0
        self.base_legitimacy = cv.legitimacy
        self.tick = 0
        self.results = MetricsRecorder(cv.max_iters + 1, CIVIL_VIOLENCE_METRICS)
        self.datacollector = mesa.DataCollector(model_reporters={
            name: (lambda m, n=name: m.results.last(n))
            for name in ("active", "quiet", "jailed", "legitimacy")})
        self._grid: Any = None
        self.running = True
        self.analyzers = AnalyzerSet(analyzers)
        self.analyzers.start(self)

    # --- public API ---------------------------------------------------------------
    def legitimacy_at(self, tick: int) -> float:
        """The regime's legitimacy L during ``tick`` (0-based).

        ``base_legitimacy`` less the scenario's drop: all of it from
        ``legitimacy_drop_start`` if ``legitimacy_drop_ticks`` is 0 (a sudden drop),
        else falling linearly to the full drop over that many ticks (a gradual one).
        """
        cv = self.p
        start, span = cv.legitimacy_drop_start, cv.legitimacy_drop_ticks
        if cv.legitimacy_drop == 0.0 or tick < start:
            share = 0.0
        elif span == 0:
            share = 1.0
        else:
            share = min(1.0, (tick - start + 1) / span)
        return max(0.0, self.base_legitimacy - cv.legitimacy_drop * share)

    @property
    def citizens(self) -> int:
        """Number of citizens."""
        return self.lattice.n_citizens

    @property
    def cops(self) -> int:
        """Number of cops."""
        return self.lattice.n_cops

    def layers(self) -> dict[str, np.ndarray]:
        """Cell layers (``[y, x]`` arrays) of the current state, for maps and fields.npz.

        ``state`` holds the cell codes (0 empty, 1 quiet, 2 active, 3 cop, 4 jailed on
        its cell); the citizen layers are NaN where no citizen stands.
        """
        lat = self.lattice
        shape = (self.height, self.width)
        on = lat.pos[: lat.n_citizens] >= 0
        cells = lat.pos[: lat.n_citizens][on]
        legit = self.legitimacy_at(max(self.tick - 1, 0)) * lat.trust

        def layer(values: np.ndarray) -> np.ndarray:
            out = np.full(lat.n_cells, np.nan)
            out[cells] = values[on]
            return out.reshape(shape)

        return {"state": lat.kind.reshape(shape).copy(), "hardship": layer(lat.hardship),
                "risk_aversion": layer(lat.risk), "perceived_legitimacy": layer(legit),
                "grievance": layer(lat.hardship * (1.0 - legit)),
                "jail_term": layer(lat.jail.astype(float))}

    @property
    def grid(self) -> Any:
        """A Mesa grid (Von Neumann or Moore, a torus), built on first use.

        Its property layer ``state`` shares memory with the cell codes, so Mesa's
        visualisation sees the live lattice. Mesa builds one object per cell, so runs
        that never look at it never pay for it.
        """
        if self._grid is None:
            from mesa.discrete_space import (
                OrthogonalMooreGrid,
                OrthogonalVonNeumannGrid,
                PropertyLayer,
            )

            kind = OrthogonalMooreGrid if self.p.grid_type == "Moore" else (
                OrthogonalVonNeumannGrid)
            grid = kind((self.width, self.height), torus=True, random=self.random)
            layer = PropertyLayer("state", (self.width, self.height), dtype=np.int8)
            layer._data = self.lattice.kind.reshape(self.height, self.width).T
            grid.add_property_layer(layer)
            self._grid = grid
        return self._grid

    # --- the step -----------------------------------------------------------------
    def step(self) -> None:
        """Advance one tick, in the order of the module docstring."""
        cv, lat = self.p, self.lattice
        legitimacy = self.legitimacy_at(self.tick)
        actives, quiets, empties = self._buffers
        arrests, extortions = kernels.civil_violence_tick(
            lat.order, cv.activation_order == "Random", lat.n_citizens, lat.pos, lat.kind,
            lat.occ, lat.cops_seen, lat.actives_seen, lat.hardship, lat.risk, lat.state,
            lat.jail, lat.trust, lat.corrupt, legitimacy, cv.active_threshold,
            cv.arrest_prob_constant, self._rounding, cv.max_jail_term, cv.jail_on_grid,
            cv.corruption_loss, cv.movement, self._half_citizen, self._half_cop,
            self._off_x, self._off_y, self.width, self.height, MOVE_TRIES, actives, quiets,
            empties, self.rng)
        mean_trust = (kernels.relax_trust(lat.trust, self._keep) if self._corrupting
                      else 1.0)
        row = self.results.row()
        row[_ACTIVE], row[_QUIET], row[_JAILED] = kernels.count_states(lat.state)
        row[_ARRESTS], row[_EXTORTIONS] = arrests, extortions
        row[_LEGIT] = legitimacy
        row[_PERCEIVED] = legitimacy * mean_trust
        self.results.commit(self.tick)
        self.tick += 1
        self.running = self.tick < cv.max_iters
        self.datacollector.collect(self)
        if self.analyzers:
            self.analyzers.step(self)

    def finish(self) -> None:
        """End the run: the analyzers take their last measures (once; idempotent)."""
        self.analyzers.finish(self)

    def jailed_off_lattice(self) -> int:
        """Jailed citizens who have left the lattice (none with ``jail_on_grid``)."""
        lat = self.lattice
        return int(((lat.state == CV_JAILED) & (lat.pos[: lat.n_citizens] < 0)).sum())


__all__ = ["METRICS", "CivilViolenceModel"]
