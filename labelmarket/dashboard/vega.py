"""A Vega-Lite chart widget whose data can change without redrawing the chart.

Solara's own `FigureAltair` re-embeds the whole chart on every change and asks for Vega
under version ranges (`vega@5`) that solara's offline assets do not hold, so offline it
would fetch from a CDN and fail. This widget loads the exact versions solara-assets ships
(from the server's `_solara/cdn/`, nothing from outside the machine), embeds the spec once,
and on each new `rows` swaps the named dataset `rows` in place (a Vega changeset): a month
costs a data update, and a value shows on hover through Vega's tooltip.
"""

from __future__ import annotations

# traitlets' types as ipyvue (the declared dependency of the viz extra) exports them
from ipyvue.VueTemplateWidget import Dict, List, Unicode, VueTemplate

ASSETS = ("requirejs@2.3.6", "vega@5.21.0", "vega-lite@5.2.0", "vega-embed@6.20.2")
"""The front-end files the template loads, as solara-assets ships them (a test checks)."""
TEMPLATE = """
<template><div class="lm-vega" style="width: 100%"><div ref="plot" style="width: 100%"></div></div>
</template>
<script>
module.exports = {
  mounted() { this.ready = this.load().then(() => this.embed()); },
  beforeDestroy() { if (this.view) { this.view.finalize(); } },
  watch: {
    spec() { this.ready = this.ready.then(() => this.embed()); },
    rows() { this.ready = this.ready.then(() => this.update()); },
  },
  methods: {
    cdn() {
      if (window.solara && window.solara.cdn) { return window.solara.cdn; }
      return new URL('_solara/cdn', document.baseURI).href;
    },
    load() {
      const cdn = this.cdn();
      const script = window.requirejs ? Promise.resolve() : new Promise((ok, fail) => {
        const s = document.createElement('script');
        s.src = `${cdn}/requirejs@2.3.6/require.js`;
        s.onload = ok; s.onerror = fail;
        document.head.appendChild(s);
      });
      return script.then(() => new Promise((ok, fail) => {
        window.requirejs.config({paths: {
          'lm-vega': `${cdn}/vega@5.21.0/build/vega.min`,
          'lm-vega-lite': `${cdn}/vega-lite@5.2.0/build/vega-lite.min`,
          'lm-vega-embed': `${cdn}/vega-embed@6.20.2/build/vega-embed.min`,
        }, map: {'lm-vega-embed': {'vega': 'lm-vega', 'vega-lite': 'lm-vega-lite'},
                 'lm-vega-lite': {'vega': 'lm-vega'}}});
        window.requirejs(['lm-vega', 'lm-vega-embed'], (vega, embed) => {
          this.vega = vega; this.vegaEmbed = embed; ok();
        }, fail);
      }));
    },
    embed() {
      const old = this.view;
      const options = {actions: false, renderer: 'svg', logLevel: this.vega.Error};
      return this.vegaEmbed(this.$refs.plot, this.spec, options)
        .then(result => {
          if (old) { old.finalize(); }
          this.view = result.view;
          return this.update();
        });
    },
    update() {
      if (!this.view) { return Promise.resolve(); }
      const rows = this.rows.map(r => Object.assign({}, r));
      const change = this.vega.changeset().remove(() => true).insert(rows);
      return this.view.change('rows', change).runAsync().then(() => {
        this.$refs.plot.dataset.rows = String(rows.length);
      });
    },
  },
};
</script>
"""


class VegaChart(VueTemplate):
    """A Vega-Lite spec drawn once, its `rows` dataset replaced whenever `rows` changes."""

    template = Unicode(TEMPLATE).tag(sync=True)
    spec = Dict().tag(sync=True)
    rows = List().tag(sync=True)
