"""Charts of a scenario run, drawn from its statistics across replicates (`Bands`).

The statistics are gathered while a run is written (`model.results.stream`), or taken
from a tidy table read back (`write_charts`); either way drawing costs the same whatever
the number of replicates. The simulation core never imports this module. Figures are
built with `matplotlib.figure.Figure` directly (Agg canvas, no pyplot), so no global state
is touched. Every band is the 5-95% range across replicates and every line its median.
The shared look (palette, $M/$B and date axes, event lines, legends) lives in
`model.charts.style`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from labelmarket.model.charts.layout import (
    WIDE,
    Margins,
    draw_events,
    event_handles,
    finish_grid,
    legend_below,
    new_figure,
    panels,
    save,
    title,
)
from labelmarket.model.charts.style import (
    Events,
    band,
    band_legend_handle,
    business_model_colours,
    format_dates,
    money_axis,
    percent_axis,
    styled,
    vendor_colours,
)
from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.results.bands import Bands, bands_from_frame

W = WIDE / 100  # inches at the shared DPI
ONE = Margins(bottom=30)
Members = Mapping[str, Sequence[str]]
"""Each business model's name -> the run's vendors that follow it (registry order)."""


@styled
def market_share(b: Bands, models: Members, events: Events) -> Figure:
    """Revenue share per vendor, median and band."""
    colours = vendor_colours(list(b.vendors))
    fig = new_figure(W, 4.6)
    (ax,) = panels(fig, 1, 1, ONE)
    for i, v in enumerate(b.vendors):
        band(ax, b.band("market_share", i), colours[v], v, scale=100)
    format_dates(ax, b.dates)
    ax.set_ylim(bottom=0)
    percent_axis(ax, "Share of market revenue")
    title(fig, f"Revenue market share by vendor (median of {b.replicates:,} replicates)")
    draw_events(ax, events)
    handles = [*ax.get_legend_handles_labels()[0], band_legend_handle(b.replicates)]
    legend_below(fig, handles)
    return fig


@styled
def business_models(b: Bands, models: Members, events: Events) -> Figure:
    """Combined share of each business model's vendors, one band per model of the registry."""
    fig = new_figure(W, 4.0)
    (ax,) = panels(fig, 1, 1, ONE)
    colours = business_model_colours()
    for m in BUSINESS_MODELS:
        members = ", ".join(v for v in b.vendors if v in set(models.get(m.name, ()))) or "none"
        label = f"{m.name.capitalize()} vendors ({members})"
        band(ax, b.band(m.share_metric), colours[m.share_metric], label, scale=100)
    format_dates(ax, b.dates)
    ax.set_ylim(0, 100)
    percent_axis(ax, "Share of market revenue")
    names = " versus ".join(m.name for m in BUSINESS_MODELS).capitalize()
    title(fig, f"{names} vendors (median of {b.replicates:,} replicates)")
    draw_events(ax, events)
    handles = [*ax.get_legend_handles_labels()[0], band_legend_handle(b.replicates)]
    legend_below(fig, handles)
    return fig


@styled
def client_spend(b: Bands, models: Members, events: Events) -> Figure:
    """Small multiples: each client's median monthly spend at each vendor, stacked."""
    colours = vendor_colours(list(b.vendors))
    median = b.median("spend").reshape(len(b.dates), len(b.clients), len(b.vendors))
    median = np.where(np.isnan(median), 0.0, median)
    ncols = min(3, max(len(b.clients), 1))
    nrows = max(math.ceil(len(b.clients) / ncols), 1)
    fig = new_figure(W, 2.3 * nrows + 0.6)
    grid = Margins(left=62, top=44 + 22, bottom=30, wgap=66, hgap=56)
    axes = panels(fig, nrows, ncols, grid, count=len(b.clients), sharex=True)
    vendors, x = list(b.vendors), mdates.date2num(b.dates)
    for ax, (c, client) in zip(axes, enumerate(b.clients), strict=False):
        ax.add_collection(stacked_areas(x, median[:, c, :], [colours[v] for v in vendors]))
        ax.autoscale_view()
        format_dates(ax, b.dates, max_ticks=4)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=3, min_n_ticks=2))  # a tick costs 2 ms
        ax.set_ylim(bottom=0)
        ax.set_title(client, loc="left")
        money_axis(ax, "")
        draw_events(ax, [(when, "") for when, _ in events])  # named in the legend
    finish_grid(axes, len(b.clients), ncols)
    title(
        fig,
        f"Each client's monthly spend by vendor (median of {b.replicates:,} replicates, "
        "stacked; $ per month)",
    )
    handles = [Patch(color=colours[v], alpha=0.85, label=v) for v in vendors]
    legend_below(fig, [*handles, *event_handles(events)], 8)
    return fig


def stacked_areas(x: np.ndarray, values: np.ndarray, colours: Sequence[str]) -> PolyCollection:
    """(T, K) values stacked as K areas in one collection (one artist, not K `fill_between`s:
    the same pixels as `stackplot`, a tenth of the cost)."""
    tops = np.cumsum(values, axis=1)  # (T, K)
    bottoms = np.hstack([np.zeros((len(x), 1)), tops[:, :-1]])
    areas = [
        np.concatenate(
            [np.column_stack([x, tops[:, k]]), np.column_stack([x, bottoms[:, k]])[::-1]]
        )
        for k in range(values.shape[1])
    ]
    return PolyCollection(areas, facecolors=colours, alpha=0.85, lw=0)


def _largest(b: Bands) -> int | None:
    """The vendor with the largest median revenue in the first month (ties: by name)."""
    first = b.median("revenue")[0]
    best = None
    for name in sorted(b.vendors):
        i = b.vendors.index(name)
        if not np.isnan(first[i]) and (best is None or first[i] > first[best]):
            best = i
    return best


@styled
def largest_vendor(b: Bands, models: Members, events: Events) -> Figure:
    """Revenue and workforce of the vendor biggest in the first month."""
    colours = vendor_colours(list(b.vendors))
    i = _largest(b)
    if i is None:  # keep the file set fixed: say why there is nothing to draw
        fig = new_figure(W, 2)
        (ax,) = panels(fig, 1, 1)
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No vendor with revenue in this scenario", ha="center", va="center")
        title(fig, "Largest vendor")
        return fig
    vendor = b.vendors[i]
    colour = colours[vendor]
    fig = new_figure(W, 6.2)
    top, bottom = panels(fig, 2, 1, Margins(top=44 + 24, bottom=30, hgap=56), sharex=True)
    band(top, b.band("revenue", i), colour, "Revenue")
    top.set_ylim(bottom=0)
    money_axis(top, "Revenue ($ / month)")
    top.set_title("Monthly revenue (median and 5-95% band)", loc="left")
    names = {
        "workforce": ("-", "Workforce: all"),
        "workforce_generalist": ("--", "Workforce: generalists"),
        "workforce_expert": (":", "Workforce: experts"),
    }
    for metric, (style, label) in names.items():
        median = b.median(metric)[:, i] / 1e3
        bottom.plot(b.dates, median, color=colour, ls=style, lw=2, label=label)
    bottom.set_ylim(bottom=0)
    bottom.set_ylabel("Workers (thousands)")
    bottom.set_title("Workforce (median)", loc="left")
    for ax in (top, bottom):
        format_dates(ax, b.dates)
        draw_events(ax, events)
    title(fig, f"{vendor}: largest vendor at start (median of {b.replicates:,} replicates)")
    handles = [
        Line2D([], [], color=colour, lw=2, label="Revenue: median"),
        band_legend_handle(b.replicates, colour, "Revenue: "),
        *bottom.get_legend_handles_labels()[0],
    ]
    legend_below(fig, handles, 3)
    return fig


FIGURES: dict[str, Callable[[Bands, Members, Events], Figure]] = {
    "market_share.png": market_share,
    "business_models.png": business_models,
    "client_spend.png": client_spend,
    "largest_vendor.png": largest_vendor,
}
"""Each run chart's file and the function that draws it (bands, business models, events)."""
CHART_FILES = tuple(FIGURES)
DRAWING_ORDER = (
    "market_share.png",
    "business_models.png",
    "largest_vendor.png",
    "client_spend.png",
)
"""Client spend last: its statistics (the most rows) are taken while the others are drawn."""


def draw_charts(
    bands: Bands,
    models: Members,
    events: Events,
    out_dir: Path,
    on_chart: Callable[[], None] | None = None,
) -> list[Path]:
    """Write the run's PNG charts into out_dir so a scenario can be read at a glance.

    `bands` may still be filling (`start_bands`): each chart waits for the statistics it
    draws, and every statistic is waited for before returning. All in this process:
    drawing one in a forked helper was faster, but the process holds threads (numpy's
    BLAS pool, a progress bar) by then, and a fork may deadlock.
    """
    out_dir = Path(out_dir)
    figures = {name: FIGURES[name] for name in DRAWING_ORDER}
    if bands.stats["spend"].size == 0:  # a summary record: no client x vendor spend
        del figures["client_spend.png"]
        if on_chart:
            on_chart()
    try:
        for name, figure in figures.items():
            save(figure(bands, models, events), out_dir / name)
            if on_chart:
                on_chart()
    finally:
        bands.wait()
    return [out_dir / name for name in CHART_FILES if name in figures]


def write_charts(
    ts: pd.DataFrame,
    vendors: Sequence[str],
    models: Members,
    events: Events,
    out_dir: Path,
) -> list[Path]:
    """Write the run charts of a tidy table (a run folder read back) into out_dir."""
    return draw_charts(bands_from_frame(ts, [str(v) for v in vendors]), models, events, out_dir)
