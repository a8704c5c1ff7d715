"""The Explore charts' ECharts options: the data the browser draws, checked against twins.

The map's heatmap must hold the layer array cell by cell (a numpy twin rebuilds the
array from the option), the boundaries the areas' rings, the agents their cells; the
series must be per-1,000 rates (by hand) smoothed by a trailing mean (numpy convolve).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.dashboard.figures.area_map import traced_geometry
from sim.dashboard.figures.chart_parts import heatmap_cells, nice_ceiling, rounded
from sim.dashboard.figures.layers import LAYERS, agent_cells, daily_counts
from sim.dashboard.figures.live import (
    BOUNDARIES,
    GROUP_PANEL,
    SMOOTHING_DAYS,
    map_geometry,
    map_option,
    moving_average,
    per_thousand,
    series_option,
)
from sim.dashboard.pages.live_frame import option_text
from sim.dashboard.state.explore_session import ExploreSession


@pytest.fixture(scope="module")
def stepped(root, small_overrides) -> ExploreSession:
    """A small city after three days and five hours (some crime to draw)."""
    session = ExploreSession(root / "scenarios" / "baseline.toml", small_overrides)
    session.step(3 * 24 + 5)
    return session


def unpack(option: dict, shape: tuple[int, int], floor: float) -> np.ndarray:
    """The layer array as the browser sees it: the background's value where no cell."""
    grid = np.full(shape, floor)
    for column, row, value in option["series"][0]["data"]:
        assert isinstance(column, int) and isinstance(row, int)  # no "12.0" in the JSON
        grid[row, column] = value
    return grid


@pytest.mark.parametrize(("value", "nice"), [
    (0, 1.0), (-3, 1.0), (float("nan"), 1.0), (1, 1.0), (1.1, 1.2), (7, 8.0), (9, 10.0),
    (10, 10.0), (11, 12.0), (0.031, 0.04), (365, 400.0), (2.5, 2.5)])
def test_nice_ceiling(value, nice):
    assert nice_ceiling(value) == pytest.approx(nice)


@pytest.mark.parametrize("layer", ["crime density", "lighting", "land use", "legitimacy",
                                   "victimisations per area: youth"])
def test_the_heatmap_holds_the_layer_cell_by_cell(stepped, layer):
    model = stepped.model
    geometry = map_geometry(model)
    option = map_option(model, layer, geometry)
    expected = np.asarray(LAYERS[layer].values(model), dtype=float)
    if LAYERS[layer].per_area:
        expected = np.where(geometry.inside, expected, np.nan)
    floor = 0.0 if LAYERS[layer].categories else option["visualMap"]["min"]
    drawn = unpack(option, expected.shape, floor)
    drawn[drawn == -1e9] = np.nan  # cells without a value, painted grey by the scale
    # two significant digits of the layer's largest value: half a unit of the last digit
    top = np.nanmax(np.abs(expected)) if np.isfinite(expected).any() else 0.0
    tolerance = 0.5 * 10.0 ** (np.floor(np.log10(top)) - 1) if top > 0 else 0.0
    assert np.array_equal(np.isnan(drawn), np.isnan(expected))
    both = ~np.isnan(expected)
    assert np.abs(drawn[both] - expected[both]).max() <= tolerance + 1e-12
    assert LAYERS[layer].title in option["title"]["text"]
    assert f"day {model.day}, {model.hour:02d}:00" in option["title"]["text"]


def test_cells_at_the_floor_are_left_out_and_the_background_has_their_colour(stepped):
    option = map_option(stepped.model, "crime density")
    density = LAYERS["crime density"].values(stepped.model)
    assert len(option["series"][0]["data"]) == np.count_nonzero(density)
    assert option["grid"]["backgroundColor"] == option["visualMap"]["inRange"]["color"][0]
    assert option["visualMap"]["min"] == 0.0
    assert option["visualMap"]["max"] >= density.max()


def test_a_layer_without_value_sends_a_number_the_scale_paints_grey():
    data = np.array([[np.nan, 0.0], [1.0, 2.5]])
    cells = heatmap_cells(data, floor=0.0, no_value=-1e9)
    assert cells == [[0, 0, -1e9], [0, 1, 1.0], [1, 1, 2.5]]


def test_rounding_keeps_two_significant_digits_of_the_largest_value_and_whole_numbers():
    assert rounded(np.array([123.4, 5.67, 0.4])).tolist() == [123.0, 6.0, 0.0]
    assert rounded(np.array([0.1234, 0.0567])).tolist() == [0.12, 0.06]


def test_boundaries_are_the_areas_rings(stepped):
    model = stepped.model
    geometry = traced_geometry(model.city.district, list(model.city.district_names))
    option = map_option(model, "crime density", geometry)
    lines = next(s for s in option["series"] if s["type"] == "lines")
    assert lines["name"] == BOUNDARIES
    rings = [ring for rings in geometry.rings for ring in rings]
    assert len(lines["data"]) == len(rings)
    for drawn, ring in zip(lines["data"], rings, strict=True):
        assert np.allclose(np.asarray(drawn["coords"]), ring, atol=0.05)
    names = next(s for s in option["series"] if s["type"] == "scatter"
                 and s["name"] == BOUNDARIES)
    assert sorted(d["name"] for d in names["data"]) == sorted(model.city.district_names)


def test_agents_are_drawn_on_their_cells(stepped):
    model = stepped.model
    option = map_option(model, "crime density")
    width = model.city.width
    for kind, cells in agent_cells(model).items():
        series = next(s for s in option["series"] if s["name"] == kind)
        xy = np.asarray(series["data"]).reshape(-1, 2)
        assert np.array_equal(xy[:, 0], cells % width)
        assert np.array_equal(xy[:, 1], cells // width)


def test_the_value_axes_span_the_grid_so_agents_sit_on_cell_centres(stepped):
    city = stepped.model.city
    option = map_option(stepped.model, "crime density")
    x_axis, y_axis = option["xAxis"][1], option["yAxis"][1]
    assert (x_axis["min"], x_axis["max"]) == (-0.5, city.width - 0.5)
    assert (y_axis["min"], y_axis["max"]) == (-0.5, city.height - 0.5)
    assert y_axis["inverse"] and option["yAxis"][0]["inverse"]  # row 0 at the top
    assert option["grid"]["width"] == option["grid"]["height"]  # square cells


def test_the_treated_cells_overlay_follows_the_interventions(root, small_overrides):
    overrides = {**small_overrides, "interventions.street_lighting.start_tick": 24}
    session = ExploreSession(root / "scenarios" / "street_lighting.toml", overrides)
    session.step(25)
    model = session.model
    option = map_option(model, "lighting")
    treated = next(s for s in option["series"] if s["name"] == "treated cells")
    mask = model.interventions.treated_mask(model.city.n_cells)
    assert len(treated["data"]) == np.count_nonzero(mask) > 0


def test_moving_average_is_a_trailing_mean_as_numpy_convolve():
    values = np.array([3.0, 0.0, 6.0, 1.0, 2.0, 9.0, 4.0, 0.0, 5.0, 7.0])
    window = 7
    full = np.convolve(values, np.ones(window), mode="full")[:len(values)]
    expected = full / np.minimum(np.arange(1, len(values) + 1), window)
    assert np.allclose(moving_average(values, window), expected)
    assert moving_average(np.array([2.0, 4.0]), 7).tolist() == [2.0, 3.0]


def test_per_thousand_by_hand():
    assert per_thousand(np.array([3, 0, 12]), 1500).tolist() == [2.0, 0.0, 8.0]
    assert per_thousand(np.array([3]), 0).tolist() == [0.0]


def test_series_are_smoothed_rates_per_thousand_of_each_group(stepped):
    model = stepped.model
    option = series_option(model)
    prefix, names = GROUP_PANEL
    counts = daily_counts(model, prefix, names)
    masks = model.group_masks()
    days = model.day  # complete days only
    assert option["xAxis"][1]["data"] == list(range(days))
    for name in names:
        daily = np.asarray(counts[name], float)[:days]
        rate = daily * 1000.0 / masks[name].sum()
        expected = np.convolve(rate, np.ones(SMOOTHING_DAYS))[:days] / np.arange(1, days + 1)
        drawn = next(s for s in option["series"] if s["name"] == name.replace("_", " "))
        assert np.allclose(drawn["data"], expected, atol=5e-3 * max(expected.max(), 1e-9))
    titles = [t["text"] for t in option["title"]]
    assert titles == ["Crimes per 1,000 residents per day",
                      "Victimisations per 1,000 residents of the group per day"]
    assert all(t["subtext"] == "7-day moving average of complete days"
               for t in option["title"])


def test_a_frame_is_small_json(stepped):
    text = option_text(map_option(stepped.model, "crime density"))
    assert json.loads(text)["series"][0]["type"] == "heatmap"
    assert " " not in text.split('"')[0]  # compact separators
    assert len(text) < 40_000
