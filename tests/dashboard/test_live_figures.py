"""The Explore figures redrawn by blitting: the same pixels as a full draw, much faster."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from sim.bench import dashboard_step as timing
from sim.dashboard.figures.layers import LAYERS
from sim.dashboard.figures.live import (
    FrameRenderer,
    MapView,
    SeriesView,
    nice_ceiling,
    png_bytes,
)
from sim.dashboard.state.explore_session import ExploreSession


@pytest.fixture
def session(root, small_overrides) -> ExploreSession:
    return ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def same_picture(a: bytes, b: bytes) -> bool:
    """Equal but for antialiasing where the frame meets the image (a few pixels, faintly)."""
    diff = np.abs(pixels(a) - pixels(b)).max(axis=2)
    return bool((diff > 0).mean() < 0.001 and diff.max() <= 32)


def full_draw(view) -> bytes:
    """The view drawn the ordinary way (no background, no blitting)."""
    view.figure.canvas.draw()
    return png_bytes(view.figure)


@pytest.mark.parametrize(("value", "nice"), [
    (0, 1.0), (-3, 1.0), (float("nan"), 1.0), (1, 1.0), (1.1, 1.2), (7, 8.0), (9, 10.0),
    (10, 10.0), (11, 12.0), (0.031, 0.04), (365, 400.0), (2.5, 2.5)])
def test_nice_ceiling(value, nice):
    assert nice_ceiling(value) == pytest.approx(nice)


@pytest.mark.parametrize("layer", ["crime density", "legitimacy"])
def test_blitted_frames_match_a_full_draw(session, layer):
    renderer = FrameRenderer()
    for _ in range(6):  # six frames, the colour scale and axes moving on the way
        session.step(5)
        map_png = renderer.map_png(session.model, layer)
        series_png = renderer.series_png(session.model)
    assert same_picture(map_png, full_draw(MapView(session.model, layer)))
    assert same_picture(series_png, full_draw(SeriesView(session.model)))


def test_frames_change_with_the_model_and_full_redraws_are_rare(session):
    renderer = FrameRenderer()
    session.step(1)
    first = (renderer.map_png(session.model, "crime density"),
             renderer.series_png(session.model))
    frames = 24
    for _ in range(frames):
        session.step(1)
        latest = (renderer.map_png(session.model, "crime density"),
                  renderer.series_png(session.model))
    assert latest[0] != first[0] and latest[1] != first[1]
    assert renderer.full_draws() < 2 + frames // 2  # most frames only blit


def test_renderer_follows_a_new_model_and_a_new_layer(session):
    renderer = FrameRenderer()
    session.step_day()
    density = renderer.map_png(session.model, "crime density")
    assert renderer.map_png(session.model, "lighting") != density
    session.set_field("city.width", "30")  # a new model with another grid
    png = renderer.map_png(session.model, "lighting")
    assert pixels(png).shape == pixels(full_draw(MapView(session.model, "lighting"))).shape
    assert same_picture(png, full_draw(MapView(session.model, "lighting")))


def test_colour_scale_is_nice_and_sequential(session):
    session.step_day()
    view = MapView(session.model, "crime density")
    top = view.image.norm.vmax
    assert top == nice_ceiling(session.model.city.crime_count.sum(axis=0).max())
    assert view.image.get_cmap().name == LAYERS["crime density"].cmap


def test_series_view_has_titles_units_and_legends_beside_the_panels(session):
    session.step(30)
    view = SeriesView(session.model)
    assert [ax.get_title() for ax in view.axes] == ["Crimes by type", "Victimisations by group"]
    assert all(ax.get_ylabel() == "count per day" for ax in view.axes)
    for ax in view.axes:
        legend = ax.get_legend()
        assert legend is not None and legend.get_bbox_to_anchor().x0 > ax.bbox.x1
    assert view.lines[0]["burglary"].get_marker() == "."  # two days: points show


def test_timing_measures_step_map_series_and_frame(session, capsys):
    times = timing.time_frames(session, 3)
    assert set(times) == {"step", "map", "series", "frame"}
    for i in range(3):
        parts = times["step"][i] + times["map"][i] + times["series"][i]
        assert times["frame"][i] == pytest.approx(parts, rel=1e-6)
