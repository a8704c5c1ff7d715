"""An ECharts chart whose option travels as one JSON string: cheap to re-render.

``solara.FigureEcharts`` takes the option as a nested dict. Reacton, under Solara,
walks every value of a component's props looking for child elements, so a map
option of a few thousand ``[x, y, value]`` lists cost the server 100-300 ms a frame
just to be walked and compared -- more than the model's step. Here the server sends
the option as one string (a string is not walked, and comparing two is one call) and
the browser parses it and hands it to ECharts. ECharts is Solara's own offline copy
(``/_solara/cdn/echarts@5.4.0``), loaded through the same require.js as Solara's
component, so no request leaves the server.

The chart object is kept on the Vue component (``element.__vue__.chart``), where a
test reads back what is drawn with ``chart.getOption()``.
"""

from __future__ import annotations

import json
from typing import Any

import ipyvuetify
import solara
import traitlets

#: The browser side: make the chart once, then ``setOption`` on each new string.
TEMPLATE = """
<template>
  <div ref="echarts" v-bind="attributes"></div>
</template>
<script>
module.exports = {
  mounted() {
    (async () => {
      const url = `${this.getCdn()}/echarts@5.4.0/dist/echarts.min.js`;
      const echarts = (await this.import([url]))[0];
      this.chart = echarts.init(this.$refs.echarts);
      this.draw();
    })();
    this.resizeObserver = new ResizeObserver(() => this.chart && this.chart.resize());
    this.resizeObserver.observe(this.$refs.echarts);
  },
  beforeDestroy() {
    this.resizeObserver.disconnect();
    if (this.chart) this.chart.dispose();
  },
  watch: {
    option_json() { this.draw(); },
  },
  methods: {
    draw() {
      if (!this.chart || !this.option_json) return;
      const option = JSON.parse(this.option_json);
      // Same series and colour scale as the frame on screen: merge (ECharts updates
      // the data in place); anything else (another layer): draw afresh.
      const shape = (option.series || []).map((s) => `${s.type}:${s.name}`).join("|")
        + "/" + JSON.stringify((option.visualMap || {}).type || null);
      this.chart.setOption(option, {notMerge: shape !== this.shape, lazyUpdate: true});
      this.shape = shape;
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


class JsonEchartsWidget(ipyvuetify.VuetifyTemplate):
    """The widget: a container, and the option as a JSON string."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    option_json = traitlets.Unicode("").tag(sync=True)
    attributes = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)


def option_text(option: dict[str, Any]) -> str:
    """The option as compact JSON (no spaces: the bytes a frame costs)."""
    return json.dumps(option, separators=(",", ":"), allow_nan=False)


@solara.component
def EchartsChart(option_json: str, css_class: str, height_px: int) -> solara.Element:
    """An ECharts chart drawing ``option_json`` (see :func:`option_text`).

    Args:
        option_json: The ECharts option as a JSON string.
        css_class: The container's class (how tests and the load bench find it).
        height_px: The chart's height; it takes its column's width.
    """
    return JsonEchartsWidget.element(option_json=option_json, attributes={
        "class": css_class, "style": f"height: {height_px}px; width: 100%;"})
