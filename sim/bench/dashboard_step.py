"""Time one Explore frame in the server: a model step plus both charts' options.

``python -m sim.bench.dashboard_step [SCENARIO] [--frames N] [--hours H] [--layer L]``
builds the scenario (default: the baseline city), warms up, then times N manual
steps of H hours each followed by what the page then sends to the browser: the
ECharts options of the map and of the daily series (the browser draws them), and
their size as JSON, the bytes a frame costs on the websocket. The issue's target is
a step plus its options under 150 ms at the baseline city; ``frame`` is that whole
sum. A civil-violence scenario (``scenarios/epstein2002.toml``) is timed with its
own charts and layers (``--layer state``, the default for it); H then counts ticks.
Many sessions at once are :mod:`sim.bench.dashboard_load`'s job.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from sim.dashboard.model_family import FAMILIES
from sim.dashboard.state.explore_session import SCENARIO_DIR, ExploreSession


def time_frames(session: ExploreSession, frames: int, hours: int = 1,
                layer: str | None = None) -> dict[str, list[float]]:
    """Per manual step: seconds for each part of the frame, and its size in bytes.

    The parts are the step, the map, the series and the whole frame; ``bytes`` is
    the size of both options as JSON.

    ``layer`` defaults to the session's model family's first layer.
    """
    family = session.family
    layer = family.layer(layer or "")
    geometry = session.read(family.geometry)
    out: dict[str, list[float]] = {"step": [], "map": [], "series": [], "frame": [],
                                   "bytes": []}
    for _ in range(frames):
        t0 = time.perf_counter()
        session.step(hours)
        t1 = time.perf_counter()
        map_chart = session.read(lambda m: family.map_option(m, layer, geometry))
        t2 = time.perf_counter()
        series_chart = session.read(family.series_option)
        t3 = time.perf_counter()
        out["step"].append(t1 - t0)
        out["map"].append(t2 - t1)
        out["series"].append(t3 - t2)
        out["frame"].append(t3 - t0)
        out["bytes"].append(float(len(json.dumps(map_chart)) + len(json.dumps(series_chart))))
    return out


def summary(values: list[float]) -> tuple[float, float]:
    """Median and 90th percentile, in ms."""
    ordered = sorted(values)
    return statistics.median(values) * 1e3, ordered[int(0.9 * (len(ordered) - 1))] * 1e3


def main(argv: list[str] | None = None) -> int:
    """Print the median and 90th percentile of each part of a frame, in ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(SCENARIO_DIR / "baseline.toml"))
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--hours", type=int, default=1, help="hours stepped per frame")
    layers = sorted({name for family in FAMILIES.values() for name in family.layers})
    parser.add_argument("--layer", default=None, choices=layers,
                        help="map layer (default: the model family's first)")
    args = parser.parse_args(argv)
    session = ExploreSession(Path(args.scenario))
    layer = session.family.layer(args.layer or "")
    if args.layer and layer != args.layer:
        parser.error(f"--layer: {args.layer!r} is not a layer of {session.family.title}")
    time_frames(session, 3, args.hours, layer)  # warm-up: numba
    times = time_frames(session, args.frames, args.hours, layer)
    sizes = times.pop("bytes")
    model = session.model
    if session.family.interventions:
        size = (f"{model.city.width}x{model.city.height} cells, {model.residents.n} "
                f"residents; {args.frames} manual steps of {args.hours} h")
    else:
        size = (f"{model.width}x{model.height} cells, {model.citizens} citizens and "
                f"{model.cops} cops; {args.frames} manual steps of {args.hours} tick(s)")
    print(f"{session.scenario.name}: {size}, each building the map ({layer}) and the "
          "series options")
    for part, values in times.items():
        median, p90 = summary(values)
        print(f"  {part:<7} median {median:6.1f} ms   p90 {p90:6.1f} ms")
    print(f"  options median {statistics.median(sizes) / 1e3:6.1f} KB   max "
          f"{max(sizes) / 1e3:6.1f} KB per frame (JSON sent to the browser)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
