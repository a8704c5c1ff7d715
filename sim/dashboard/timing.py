"""Time one Explore frame: a model step plus the redraw, as the page does it.

``python -m sim.dashboard.timing [SCENARIO] [--frames N] [--hours H]`` builds the
scenario (default: the baseline city), warms up, then times N frames of
``session.step(H)`` followed by drawing the map and encoding it as PNG (what
``solara.FigureMatplotlib`` sends to the browser). The series figure is timed
separately: while playing it is redrawn once a day, not every frame. The issue's
target is under 150 ms a frame at the baseline city.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from matplotlib.figure import Figure

from sim.dashboard.figures import map_figure, series_figure
from sim.dashboard.session import SCENARIO_DIR, ExploreSession


def _encode(fig: Figure) -> int:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.tell()


def time_frames(session: ExploreSession, frames: int, hours: int = 1,
                layer: str = "crime density") -> dict[str, list[float]]:
    """Seconds per frame: step, map redraw, both, and the (daily) series redraw."""
    out: dict[str, list[float]] = {"step": [], "map": [], "frame": [], "series": []}
    for _ in range(frames):
        t0 = time.perf_counter()
        session.step(hours)
        t1 = time.perf_counter()
        _encode(session.read(lambda m: map_figure(m, layer)))
        t2 = time.perf_counter()
        _encode(session.read(series_figure))
        t3 = time.perf_counter()
        out["step"].append(t1 - t0)
        out["map"].append(t2 - t1)
        out["frame"].append(t2 - t0)
        out["series"].append(t3 - t2)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the median and 90th percentile of each part of a frame, in ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(SCENARIO_DIR / "baseline.toml"))
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--hours", type=int, default=1, help="hours stepped per frame")
    args = parser.parse_args(argv)
    session = ExploreSession(Path(args.scenario))
    time_frames(session, 3, args.hours)  # warm-up: numba cache, font cache
    times = time_frames(session, args.frames, args.hours)
    city = session.model.city
    print(f"{session.scenario.name}: {city.width}x{city.height} cells, "
          f"{session.model.residents.n} residents; {args.frames} frames of {args.hours} h")
    for part, values in times.items():
        ordered = sorted(values)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        print(f"  {part:<7} median {statistics.median(values) * 1e3:6.1f} ms   "
              f"p90 {p90 * 1e3:6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
