"""Charts of a scenario run, drawn from the tidy table `model.results.tables.timeseries` returns.

The simulation core never imports this module. Figures are built with
`matplotlib.figure.Figure` directly (Agg canvas, no pyplot), so no global state is touched.
Every band is the 5-95% range across replicates and every line its median. The shared look
(palette, $M/$B and date axes, event lines, legends) lives in `model.charts.style`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from labelmarket.model.charts.style import (
    CROWD_COLOUR,
    EVENT_FONT,
    EXPERT_COLOUR,
    Events,
    band,
    band_legend_handle,
    chart_style,
    draw_events,
    finish_grid,
    format_dates,
    legend_below,
    metric_rows,
    money_axis,
    new_figure,
    percent_axis,
    quantiles,
    save,
    vendor_colours,
)


def _market_share(
    ts: pd.DataFrame, vendors: list[str], colours: dict[str, str], events: Events, n_reps: int
) -> Figure:
    """Revenue share per vendor, median and band."""
    fig = new_figure(10, 5.8)
    ax = fig.add_subplot()
    rows = metric_rows(ts, "market_share", "vendor")
    q = quantiles(rows, ["vendor"])
    for v in vendors:
        if v in q.index.get_level_values("vendor"):
            band(ax, q.xs(v, level="vendor", drop_level=False), colours[v], v, scale=100)
    format_dates(ax, rows["date"])
    ax.set_ylim(bottom=0)
    percent_axis(ax, "Share of market revenue")
    ax.set_xlabel("Month")
    ax.set_title(f"Revenue market share by vendor (median of {n_reps} replicates)")
    draw_events(ax, events, EVENT_FONT)
    handles = [*ax.get_legend_handles_labels()[0], band_legend_handle(n_reps)]
    legend_below(fig, handles)
    return fig


def _crowd_vs_expert(
    ts: pd.DataFrame, crowd_vendors: list[str], events: Events, n_reps: int
) -> Figure:
    """Combined share of crowd vendors against expert vendors."""
    fig = new_figure(10, 5.5)
    ax = fig.add_subplot()
    crowd = ", ".join(crowd_vendors) or "none"
    series = [
        ("crowd_share", CROWD_COLOUR, f"Crowd vendors ({crowd})"),
        ("expert_vendor_share", EXPERT_COLOUR, "Expert vendors (all others)"),
    ]
    dates = ts["date"]
    for metric, colour, label in series:
        rows = metric_rows(ts, metric, "market")
        if not rows.empty:
            band(ax, quantiles(rows, []), colour, label, scale=100)
            dates = rows["date"]
    format_dates(ax, dates)
    ax.set_ylim(0, 100)
    percent_axis(ax, "Share of market revenue")
    ax.set_xlabel("Month")
    ax.set_title(f"Crowd versus expert vendors (median of {n_reps} replicates)")
    draw_events(ax, events, EVENT_FONT)
    handles = [*ax.get_legend_handles_labels()[0], band_legend_handle(n_reps)]
    legend_below(fig, handles)
    return fig


def _client_spend(
    ts: pd.DataFrame, vendors: list[str], colours: dict[str, str], events: Events, n_reps: int
) -> Figure:
    """Small multiples: each client's median monthly spend at each vendor, stacked."""
    rows = metric_rows(ts, "spend", "pair")
    med = rows.groupby(["client", "vendor", "date"], observed=True)["value"].median()
    clients = list(dict.fromkeys(rows["client"].astype(str)))
    ncols = min(3, max(len(clients), 1))
    nrows = max(math.ceil(len(clients) / ncols), 1)
    fig = new_figure(4.4 * ncols, 2.9 * nrows + 0.9)
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    present = [v for v in vendors if v in med.index.get_level_values("vendor")]
    for ax, client in zip(axes, clients, strict=False):
        table = med.xs(client, level="client").unstack("vendor").reindex(columns=present)
        table = table.fillna(0.0)
        ax.stackplot(
            table.index,
            table.to_numpy().T,
            colors=[colours[v] for v in present],
            labels=present,
            alpha=0.85,
            lw=0,
        )
        format_dates(ax, rows["date"])
        ax.set_ylim(bottom=0)
        ax.set_title(client, fontsize=10)
        money_axis(ax, "Spend ($ / month)")
        draw_events(ax, events, EVENT_FONT - 1)
    finish_grid(axes, len(clients), ncols)
    fig.suptitle(f"Client spend by vendor (median of {n_reps} replicates, stacked)")
    handles = [Patch(color=colours[v], alpha=0.85, label=v) for v in present]
    legend_below(fig, handles, 8)
    return fig


def _largest_crowd_vendor(
    ts: pd.DataFrame,
    crowd_vendors: list[str],
    colours: dict[str, str],
    events: Events,
    n_reps: int,
) -> Figure:
    """Revenue and workforce of the crowd vendor biggest in the first month."""
    revenue = metric_rows(ts, "revenue", "vendor")
    first = revenue[revenue["month"] == revenue["month"].min()]
    first = first[first["vendor"].isin(list(crowd_vendors))]
    if first.empty:  # keep the file set fixed: say why there is nothing to draw
        fig = new_figure(10, 3)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No crowd vendor in this scenario", ha="center", va="center")
        fig.suptitle("Largest crowd vendor")
        return fig
    vendor = str(first.groupby("vendor", observed=True)["value"].median().idxmax())
    colour = colours.get(vendor, CROWD_COLOUR)
    fig = new_figure(10, 7.5)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1))
    band(top, quantiles(revenue[revenue["vendor"] == vendor], []), colour, "Revenue")
    top.set_ylim(bottom=0)
    money_axis(top, "Revenue ($ / month)")
    top.set_title("Monthly revenue (median and 5-95% band)")
    styles = {"workforce": "-", "workforce_generalist": "--", "workforce_expert": ":"}
    names = {
        "workforce": "Workforce: all",
        "workforce_generalist": "Workforce: generalists",
        "workforce_expert": "Workforce: experts",
    }
    for metric, style in styles.items():
        rows = metric_rows(ts, metric, "vendor")
        rows = rows[rows["vendor"] == vendor]
        if rows.empty:
            continue
        med = rows.groupby("date")["value"].median() / 1e3
        bottom.plot(med.index, med.to_numpy(), color=colour, ls=style, lw=2, label=names[metric])
    bottom.set_ylim(bottom=0)
    bottom.set_ylabel("Workers (thousands)")
    bottom.set_xlabel("Month")
    bottom.set_title("Workforce (median)")
    for ax in (top, bottom):
        format_dates(ax, revenue["date"])
        draw_events(ax, events, EVENT_FONT)
    fig.suptitle(f"{vendor}: largest crowd vendor at start (median of {n_reps} replicates)")
    handles = [
        Line2D([], [], color=colour, lw=2, label="Revenue: median"),
        band_legend_handle(n_reps, colour, "Revenue: "),
        *bottom.get_legend_handles_labels()[0],
    ]
    legend_below(fig, handles, 3)
    return fig


def write_charts(
    ts: pd.DataFrame,
    vendors: Sequence[str],
    crowd_vendors: Sequence[str],
    events: Events,
    out_dir: Path,
) -> list[Path]:
    """Write the run's PNG charts into out_dir so a scenario can be read at a glance."""
    out_dir = Path(out_dir)
    vendors = [str(v) for v in vendors]
    crowd = [v for v in vendors if v in set(map(str, crowd_vendors))]
    colours = vendor_colours(vendors)
    n_reps = int(np.unique(ts["replicate"]).size)
    with chart_style():
        figures = [
            ("market_share.png", _market_share(ts, vendors, colours, events, n_reps)),
            ("crowd_vs_expert.png", _crowd_vs_expert(ts, crowd, events, n_reps)),
            ("client_spend.png", _client_spend(ts, vendors, colours, events, n_reps)),
            ("largest_crowd_vendor.png", _largest_crowd_vendor(ts, crowd, colours, events, n_reps)),
        ]
        return [save(fig, out_dir / name) for name, fig in figures]
