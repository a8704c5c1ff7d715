"""The per-tick metrics table: block storage gives what a plain list of rows gives."""

from __future__ import annotations

import numpy as np
import pytest

from sim.metrics.catalog import Metric
from sim.metrics.recorder import MetricsRecorder

COUNT = Metric("count", "flow", "int64", "things", "Things counted in the tick.", "count")
LEVEL = Metric("level", "stock", "float64", "0-1", "A level after the tick.", "level")


@pytest.mark.parametrize("first_block, ticks", [(16, 0), (16, 1), (16, 16), (16, 17),
                                                (16, 100), (5000, 20000)])
def test_blocks_match_a_plain_table(first_block, ticks):
    rng = np.random.default_rng(ticks)
    rec = MetricsRecorder(first_block, metrics=(COUNT, LEVEL))
    plain = []
    for t in range(ticks):
        row = rec.row()
        values = [float(rng.integers(0, 9)), float(rng.random())]
        row[:] = values
        rec.commit(t)
        plain.append(values)
        assert rec.last("count") == values[0] and rec.last_row()[1] == values[1]
    expected = np.array(plain).reshape(-1, 2)
    frame = rec.to_frame()
    assert len(rec) == len(frame) == ticks
    np.testing.assert_array_equal(frame["tick"], np.arange(ticks))
    np.testing.assert_array_equal(frame["count"], expected[:, 0].astype(np.int64))
    np.testing.assert_array_equal(frame["level"], expected[:, 1])
    np.testing.assert_array_equal(rec.column("level"), expected[:, 1])
    for n in (0, 1, 7, ticks, ticks + 5):
        tail = rec.tail(n)
        np.testing.assert_array_equal(tail["level"], expected[max(ticks - n, 0):, 1])
        np.testing.assert_array_equal(tail["tick"], np.arange(max(ticks - n, 0), ticks))
    assert np.isnan(MetricsRecorder(4, metrics=(LEVEL,)).last("level"))
    assert frame["count"].dtype == np.int64 and frame["level"].dtype == np.float64
    assert rec.totals() == {"count": int(expected[:, 0].sum())}  # flows only
