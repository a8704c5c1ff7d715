"""Explore's live frame: status line, busy, readout, map and series as one widget.

A day's step used to reach the browser as a dozen widget messages: the busy icon
made and removed, the status line, the estimate, the cost, and each chart's option.
With twenty sessions stepping on one server those messages arrived spread out in
time, and each one cost the page a repaint of its own (issue 16, many users at once).
Here a step is *one* message: the frame, a JSON string holding the status line, the
run-time estimate, the cost so far and both ECharts options; the browser parses it
once, updates the texts and both charts in one task, and paints once.

Why a JSON string: Reacton, under Solara, walks every value of a component's props
looking for child elements, so a map option of a few thousand ``[x, y, value]``
lists cost the server 100-300 ms a frame just to be walked and compared. A string
is not walked, and comparing two is one call.

The busy indicator ("computing...") is the browser's own: a click on any button
with the ``explore-step`` class shows it at once, and the next frame clears it --
no message to show it and none to hide it.

ECharts is Solara's own offline copy (``/_solara/cdn/echarts@5.4.0``), loaded through
the same require.js as Solara's component, so no request leaves the server. Each
chart object is kept on its element (``element.__chart``), where a test reads back
what is drawn with ``getOption()``. Once ECharts has painted a frame, the map's and
the series' elements carry the frame's title in ``data-drawn``: a change a
``MutationObserver`` sees, so the load bench waits for a frame without polling.
"""

from __future__ import annotations

import json
from typing import Any

import ipyvuetify
import solara
import traitlets

#: The browser side: the texts, the busy icon and two charts, redrawn per frame.
TEMPLATE = """
<template>
  <div class="explore-frame">
    <span class="explore-status">{{ status }}</span>
    <div style="display: flex; gap: 12px; align-items: center; min-height: 28px;
                flex-wrap: wrap; font-size: 0.85em; color: #444;">
      <span v-if="busy" style="display: flex; align-items: center; gap: 4px;">
        <v-icon small color="primary">mdi-timer-sand</v-icon>
        <span class="explore-busy">computing...</span>
      </span>
      <span v-if="estimate" class="explore-estimate">{{ estimate }}</span>
      <span v-if="cost" class="explore-cost">{{ cost }}</span>
    </div>
    <div style="display: flex; gap: 12px;">
      <div ref="map" class="explore-map"
           :style="`flex: 5 1 0; min-width: 0; height: ${height}px;`"></div>
      <div ref="series" class="explore-series"
           :style="`flex: 4 1 0; min-width: 0; height: ${height}px;`"></div>
    </div>
  </div>
</template>
<script>
module.exports = {
  data() {
    return {status: "", estimate: "", cost: "", busy: false};
  },
  mounted() {
    this.charts = {};
    this.titles = {};
    this.shapes = {};
    this.onClick = (event) => {
      const target = event.target;
      if (target && target.closest && target.closest(".explore-step")) this.busy = true;
    };
    document.addEventListener("click", this.onClick, true);
    (async () => {
      const url = `${this.getCdn()}/echarts@5.4.0/dist/echarts.min.js`;
      const echarts = (await this.import([url]))[0];
      for (const name of ["map", "series"]) {
        const el = this.$refs[name];
        const chart = echarts.init(el);
        el.__chart = chart;
        // the paint after a lazy setOption is the new option's (it is applied at the
        // start of the next animation frame and painted in it)
        chart.on("rendered", () => { el.dataset.drawn = this.titles[name] || ""; });
        this.charts[name] = chart;
      }
      this.draw();
    })();
    this.resizeObserver = new ResizeObserver(() => {
      for (const chart of Object.values(this.charts)) chart.resize();
    });
    this.resizeObserver.observe(this.$el);
    this.draw();
  },
  beforeDestroy() {
    document.removeEventListener("click", this.onClick, true);
    this.resizeObserver.disconnect();
    for (const chart of Object.values(this.charts)) chart.dispose();
  },
  watch: {
    frame_json() { this.draw(); },
  },
  methods: {
    draw() {
      if (!this.frame_json) return;
      const frame = JSON.parse(this.frame_json);
      this.status = frame.status;
      this.estimate = frame.estimate;
      this.cost = frame.cost;
      this.busy = false;
      for (const name of ["map", "series"]) {
        const chart = this.charts[name];
        const option = frame[name];
        if (!chart || !option) continue;
        // Same series and colour scale as the frame on screen: merge (ECharts updates
        // the data in place); anything else (another layer): draw afresh.
        const shape = (option.series || []).map((s) => `${s.type}:${s.name}`).join("|")
          + "/" + JSON.stringify((option.visualMap || {}).type || null);
        this.titles[name] = [].concat(option.title || []).map((t) => t.text || "").join(" | ");
        chart.setOption(option, {notMerge: shape !== this.shapes[name], lazyUpdate: true});
        this.shapes[name] = shape;
      }
    },
    import(deps) {
      return this.loadRequire().then(() => {
        define("vue", ["jupyter-vue"], (jupyterVue) => jupyterVue.Vue);
        return new Promise((resolve) => requirejs(deps, (...modules) => resolve(modules)));
      });
    },
    loadRequire() {
      if (window.requirejs) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = `${this.getCdn()}/requirejs@2.3.6/require.js`;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    },
    getCdn() {
      return window.solara ? window.solara.cdn : "./_solara/cdn";
    },
  },
};
</script>
"""


class LiveFrameWidget(ipyvuetify.VuetifyTemplate):
    """The widget: the frame as a JSON string, and the charts' height."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    frame_json = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Int(540).tag(sync=True)


def option_text(option: dict[str, Any]) -> str:
    """An ECharts option (or a frame) as compact JSON (no spaces: the bytes it costs)."""
    return json.dumps(option, separators=(",", ":"), allow_nan=False)


def frame_text(status: str, estimate: str, cost: str, map_option: dict[str, Any],
               series_option: dict[str, Any]) -> str:
    """One frame as the widget reads it (see the module's docstring).

    Args:
        status: The status line (scenario, then where the run is).
        estimate: The run-time estimate ("" for none).
        cost: The interventions' cost so far ("" for none).
        map_option: The map's ECharts option.
        series_option: The series' ECharts option.
    """
    return option_text({"status": status, "estimate": estimate, "cost": cost,
                        "map": map_option, "series": series_option})


def read_frame(frame_json: str) -> dict[str, Any]:
    """A frame's parts back from its JSON (what the browser receives)."""
    return json.loads(frame_json)


@solara.component
def LiveFrame(frame_json: str, height_px: int) -> solara.Element:
    """The live frame drawing ``frame_json`` (see :func:`frame_text`).

    Args:
        frame_json: The frame as made by :func:`frame_text`.
        height_px: The charts' height; they share the column's width 5:4.
    """
    return LiveFrameWidget.element(frame_json=frame_json, height=height_px)
