"""Prices and pay per vendor and tier: what a vendor charged a client and paid a worker.

Why a vendor's revenue fell while its workforce grew, or why clients moved, is often a
price or a wage: one panel per tier and quantity (price per task-hour, pay per
worker-month), one line per vendor (the run's median across replicates), the baseline's
median dashed beside it when there is one.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from labelmarket.model.charts.layout import (
    WIDE,
    Margins,
    draw_events,
    event_handles,
    legend_below,
    new_figure,
    panels,
    title,
)
from labelmarket.model.charts.style import (
    Events,
    Ticks,
    format_dates,
    metric_rows,
    styled,
    vendor_colours,
)
from labelmarket.model.results.run import Run

PANELS = (
    ("price_generalist", "Price, generalist tier ($ per task-hour)"),
    ("price_expert", "Price, expert tier ($ per task-hour)"),
    ("wage_generalist", "Pay, generalist tier ($ per worker-month)"),
    ("wage_expert", "Pay, expert tier ($ per worker-month)"),
)


def _medians(run: Run, metric: str) -> pd.DataFrame:
    """Median across replicates: one column per vendor, one row per month."""
    rows = metric_rows(run.timeseries, metric, "vendor")
    table = rows.groupby(["date", "vendor"], observed=True)["value"].median().unstack("vendor")
    return table.reindex(columns=run.vendors)


@styled
def price_pay_figure(run: Run, base: Run | None, events: Events) -> Figure:
    """Price and pay of every vendor in both tiers; the baseline's dashed when given."""
    colours = vendor_colours(run.vendors)
    grid = Margins(left=70, top=70, bottom=28, wgap=80, hgap=60)
    fig = new_figure(WIDE / 100, 6.2)
    axes = panels(fig, 2, 2, grid, sharex=True)
    for ax, (metric, text) in zip(axes, PANELS, strict=True):
        mine = _medians(run, metric)
        theirs = _medians(base, metric) if base is not None else None
        for vendor in run.vendors:
            if theirs is not None and vendor in theirs:
                ax.plot(
                    theirs.index, theirs[vendor], color=colours[vendor], lw=1.2, ls="--", alpha=0.8
                )
            ax.plot(mine.index, mine[vendor], color=colours[vendor], lw=2)
        ax.set_title(text, loc="left")
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(Ticks("$"))
        format_dates(ax, run.dates, max_ticks=6)
        draw_events(ax, [(when, "") for when, _ in events])
    for ax in axes[:2]:
        ax.xaxis.set_tick_params(labelbottom=False)
    how = f"; dashed: {base.name}" if base is not None else ""
    title(
        fig,
        f"Prices and pay by vendor and tier, {run.name} (median of "
        f"{run.replicates:,} replicates{how})",
    )
    handles = [Line2D([], [], color=c, lw=2, label=v) for v, c in colours.items()]
    if base is not None:
        handles.append(Line2D([], [], color="#777777", lw=1.2, ls="--", label=base.name))
    legend_below(fig, [*handles, *event_handles(events)], max_cols=4)
    return fig
