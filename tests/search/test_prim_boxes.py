"""PRIM scenario discovery: known failure boxes are recovered, the outputs read back.

The data are synthetic with a known generating rule, so the expected limits come
from the rule, not from the code: failures where deterrence < 0.3 and offenders > 0.6
(a box holding 12% of the cases), 5% of the labels flipped at random, and a third
uncertainty that plays no part.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread
from repo_paths import ROOT

from sim.analysis.search.prim_boxes import (
    TABLE_COLUMNS,
    PrimBox,
    boxes_table,
    find_failure_boxes,
    plot_boxes,
)

N_CASES = 1000
TRUE_UPPER_DETERRENCE = 0.3
TRUE_LOWER_OFFENDERS = 0.6
NOISE = 0.05
THRESHOLD = 0.8

# How far a found limit may sit from the generating one.
# 1. PRIM peels alpha = 0.05 of the box's cases per step; on the full [0, 1] range of a
#    uniform uncertainty one peel moves a limit by 0.05, so a limit is resolved to
#    about one peel of the marginal distribution: 0.05.
# 2. The chosen point is the highest-coverage one with density >= THRESHOLD, so the box
#    may reach past the true edge into a strip where only the noise fails. With the
#    true box's area A = 0.3 * 0.4 and density 1 - NOISE inside, NOISE outside, a strip
#    of area e keeps the density >= THRESHOLD while
#    e <= A * (1 - NOISE - THRESHOLD) / (THRESHOLD - NOISE) = 0.024. Along offenders
#    (a strip 0.3 wide) that is 0.08, along deterrence (0.4 high) 0.06.
PEEL = 0.05
SLACK_OFFENDERS = 0.3 * 0.4 * (1 - NOISE - THRESHOLD) / (THRESHOLD - NOISE) / 0.3
SLACK_DETERRENCE = 0.3 * 0.4 * (1 - NOISE - THRESHOLD) / (THRESHOLD - NOISE) / 0.4


def known_box_data(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    samples = pd.DataFrame({
        "police.deterrence": rng.uniform(0, 1, N_CASES),
        "offenders.count": rng.uniform(0, 1, N_CASES),
        "legitimacy.base": rng.uniform(0, 1, N_CASES),
    })
    inside = ((samples["police.deterrence"] < TRUE_UPPER_DETERRENCE)
              & (samples["offenders.count"] > TRUE_LOWER_OFFENDERS)).to_numpy()
    return samples, inside ^ (rng.random(N_CASES) < NOISE)


@pytest.fixture(scope="module")
def known() -> tuple[pd.DataFrame, np.ndarray, list[PrimBox]]:
    samples, failed = known_box_data(17)
    return samples, failed, find_failure_boxes(samples, failed, threshold=THRESHOLD)


@pytest.mark.parametrize("seed", [17, 4, 2])
def test_first_box_recovers_the_generating_box(seed):
    samples, failed = known_box_data(seed)
    boxes = find_failure_boxes(samples, failed, threshold=THRESHOLD)
    assert boxes
    first = boxes[0]
    # The irrelevant uncertainty is not restricted; deterrence only from above,
    # offenders only from below, as generated.
    assert set(first.limits) == {"police.deterrence", "offenders.count"}
    low_d, high_d = first.limits["police.deterrence"]
    low_o, high_o = first.limits["offenders.count"]
    assert low_d == -math.inf and high_o == math.inf
    assert abs(high_d - TRUE_UPPER_DETERRENCE) <= PEEL + SLACK_DETERRENCE
    assert abs(low_o - TRUE_LOWER_OFFENDERS) <= PEEL + SLACK_OFFENDERS
    assert first.density >= THRESHOLD
    # The statistics agree with a count made here from the limits and the labels.
    inside = ((samples["police.deterrence"] <= high_d)
              & (samples["offenders.count"] >= low_o)).to_numpy()
    assert first.n_cases == inside.sum()
    assert first.n_failures_inside == (inside & failed).sum()
    assert first.density == pytest.approx((inside & failed).sum() / inside.sum())
    assert first.coverage == pytest.approx((inside & failed).sum() / failed.sum())
    assert first.mass == pytest.approx(inside.mean())


def test_next_box_is_found_on_the_remaining_cases():
    # Two separate failure regions, no label noise: the second box (c > 0.9, 10% of the
    # cases) must come after the first and restrict only c. PRIM is greedy, and on
    # some other seeds it stops short of a dense box (see find_failure_boxes).
    rng = np.random.default_rng(0)
    samples = pd.DataFrame({name: rng.uniform(0, 1, N_CASES) for name in "abc"})
    failed = (((samples.a < 0.3) & (samples.b > 0.6)) | (samples.c > 0.9)).to_numpy()
    boxes = find_failure_boxes(samples, failed, threshold=THRESHOLD)
    assert len(boxes) == 2
    assert set(boxes[0].limits) == {"a", "b"}
    assert list(boxes[1].limits) == ["c"]
    low_c, high_c = boxes[1].limits["c"]
    assert high_c == math.inf and abs(low_c - 0.9) <= PEEL
    # Covering: the second box holds none of the first box's cases.
    assert sum(box.n_failures_inside for box in boxes) <= failed.sum()
    assert sum(box.coverage for box in boxes) <= 1 + 1e-12


def test_max_boxes_caps_the_result():
    samples, failed = known_box_data(17)
    assert len(find_failure_boxes(samples, failed, max_boxes=1)) == 1


def test_no_failures_means_no_boxes(known):
    samples, _, _ = known
    assert find_failure_boxes(samples, np.zeros(N_CASES, dtype=bool)) == []


def test_all_failures_give_one_box_without_limits(known):
    samples, _, _ = known
    boxes = find_failure_boxes(samples, np.ones(N_CASES, dtype=int))
    assert boxes == [PrimBox(limits={}, coverage=1.0, density=1.0, mass=1.0,
                             n_cases=N_CASES, n_failures_inside=N_CASES)]
    assert boxes[0].describe() == ("fails in 100% of cases (coverage 100% of all failures) "
                                   "under every sampled condition")


def test_float32_and_integer_columns_take_part(known):
    # EMA Workbench by itself ignores float32 columns; the module converts them.
    samples, failed, _ = known
    mixed = samples.astype({"police.deterrence": "float32"})
    mixed["offenders.count"] = (samples["offenders.count"] * 1000).round().astype("int64")
    found = find_failure_boxes(mixed, failed, threshold=THRESHOLD)[0]
    assert set(found.limits) == {"police.deterrence", "offenders.count"}
    # Offenders now count 0..1000: the same rule and tolerance, scaled.
    low_o = found.limits["offenders.count"][0]
    assert abs(low_o - 1000 * TRUE_LOWER_OFFENDERS) <= 1000 * (PEEL + SLACK_OFFENDERS)
    high_d = found.limits["police.deterrence"][1]
    assert abs(high_d - TRUE_UPPER_DETERRENCE) <= PEEL + SLACK_DETERRENCE


def _bad(column: str, values: object) -> pd.DataFrame:
    samples, _ = known_box_data(1)
    samples = samples.head(10).copy()
    samples[column] = values
    return samples


@pytest.mark.parametrize(("samples", "failed", "kwargs", "message"), [
    (pd.DataFrame({"a": pd.Series([], dtype=float)}), np.array([], dtype=bool), {},
     "samples has no rows"),
    (pd.DataFrame(index=range(3)), np.ones(3, dtype=bool), {}, "samples has no columns"),
    (_bad("a.b", list("abcdefghij")), np.ones(10, dtype=bool), {},
     "samples column 'a.b' is not numeric"),
    (_bad("a.flag", [True] * 10), np.ones(10, dtype=bool), {},
     "samples column 'a.flag' is not numeric"),
    (_bad("a.b", [np.nan] + [0.5] * 9), np.ones(10, dtype=bool), {},
     "samples column 'a.b' has 1 missing or infinite values"),
    (_bad("a.b", 0.5), np.ones(9, dtype=bool), {},
     "failed has 9 values but samples has 10 rows"),
    (_bad("a.b", 0.5), np.full(10, 0.5), {}, "failed must be booleans"),
    (_bad("a.b", 0.5), np.array(["yes"] * 10), {}, "failed must be booleans"),
    (_bad("a.b", 0.5), np.ones((10, 1), dtype=bool), {}, "failed must be one-dimensional"),
    (_bad("a.b", 0.5), np.ones(10, dtype=bool), {"threshold": 0.0}, "threshold must be"),
    (_bad("a.b", 0.5), np.ones(10, dtype=bool), {"threshold": 1.5}, "threshold must be"),
    (_bad("a.b", 0.5), np.ones(10, dtype=bool), {"max_boxes": 0}, "max_boxes must be"),
    (_bad("a.b", 0.5), np.ones(10, dtype=bool), {"min_mass": 1.0}, "min_mass must be"),
])
def test_bad_inputs_are_refused_with_a_message(samples, failed, kwargs, message):
    with pytest.raises(ValueError, match=message):
        find_failure_boxes(samples, failed, **kwargs)


def test_duplicate_columns_and_non_frames_are_refused():
    samples = pd.DataFrame(np.zeros((4, 2)), columns=["a", "a"])
    with pytest.raises(ValueError, match="duplicate columns: a"):
        find_failure_boxes(samples, np.ones(4, dtype=bool))
    with pytest.raises(TypeError, match="pandas DataFrame"):
        find_failure_boxes(np.zeros((4, 2)), np.ones(4, dtype=bool))


def test_table_has_a_row_per_restriction_and_reads_back_equal(known, tmp_path):
    _, _, boxes = known
    everything = PrimBox(limits={}, coverage=0.2, density=0.9, mass=0.5, n_cases=500,
                         n_failures_inside=450)
    table = boxes_table([*boxes, everything])
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert len(table) == sum(len(box.limits) for box in boxes) + 1
    first = table[table["box"] == 1].set_index("uncertainty")
    assert first.loc["offenders.count", "upper"] == math.inf
    assert first.loc["offenders.count", "lower"] == boxes[0].limits["offenders.count"][0]
    last = table.iloc[-1]
    assert (last["uncertainty"], last["lower"], last["upper"]) == ("(none)", -math.inf, math.inf)
    path = tmp_path / "prim_boxes.csv"
    table.to_csv(path, index=False)
    pd.testing.assert_frame_equal(pd.read_csv(path), table)


def test_plot_writes_a_png(known, tmp_path):
    samples, failed, boxes = known
    path = plot_boxes(samples, failed, boxes, tmp_path / "prim_boxes.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 400
    # Without a box (nothing failed) and with a single uncertainty it still draws.
    empty = plot_boxes(samples[["legitimacy.base"]], np.zeros(N_CASES, dtype=bool), [],
                       tmp_path / "none.png")
    assert imread(empty).ndim == 3


def test_describe_gives_the_council_sentence():
    box = PrimBox(limits={"police.deterrence": (-math.inf, 0.7412),
                          "offenders.count": (519.6, math.inf)},
                  coverage=0.714, density=0.826, mass=0.1, n_cases=100, n_failures_inside=83)
    assert box.describe() == ("fails in 83% of cases (coverage 71% of all failures) when "
                              "police.deterrence is below 0.74 and offenders.count is above 520")
    both = PrimBox(limits={"legitimacy.base": (0.2, 0.45), "near_repeat.strength": (0.3012, 0.3049),
                           "offenders.count": (12345.4, math.inf)},
                   coverage=0.5, density=0.905, mass=0.05, n_cases=50, n_failures_inside=45)
    assert both.describe() == (
        "fails in 91% of cases (coverage 50% of all failures) when legitimacy.base is between "
        "0.2 and 0.45, near_repeat.strength is between 0.301 and 0.305 and offenders.count "
        "is above 12,345")


def test_importing_the_module_does_not_import_ema_workbench():
    code = ("import sys, sim.analysis.search.prim_boxes; "
            "print(sorted(m for m in ('ema_workbench', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.stdout.strip() == "[]"
