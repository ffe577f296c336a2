"""Charts comparing scenarios: levels with replicate bands, and paired differences.

A metric's figure has one row per vendor (its name in its colour, as everywhere else): on
the left each scenario's median and 5-95% band (the baseline dashed, in grey), on the right
the scenario-minus-baseline difference, replicate by replicate, with its 90% interval.
Client spend gets a client x vendor grid of differences per scenario. Figures are drawn at
the width of the report's column (`layout.WIDE`), so their type reads at 1:1.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
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
    BAND_ALPHA,
    BASELINE_COLOUR,
    Events,
    Ticks,
    chart_style,
    format_dates,
    metric_rows,
    quantiles,
    styled,
    vendor_colours,
)
from labelmarket.model.results.run import Run

STYLES = ("-", "--", "-.", ":")
TITLES = {
    "revenue": "Monthly revenue ($ per month)",
    "market_share": "Share of market revenue (%)",
    "workforce": "Workforce (workers)",
    "valuation": "Valuation ($)",
}
SCALE = {"market_share": 100.0}
ROW_PX = 150  # one vendor's row of panels


def ticks(metric: str, signed: bool) -> Ticks:
    """Tick labels: $M/$B for money, % (levels) or percentage points (differences) for
    shares, plain numbers else; a difference's zero reads 0, never +0."""
    if metric in ("revenue", "valuation", "spend"):
        return Ticks("$", signed)
    if metric == "market_share":
        return Ticks("pp" if signed else "%", signed)
    return Ticks("", signed)


def _diff_panel(ax: Axes, rows: pd.DataFrame, colour: str, style: str, scale: float) -> None:
    """Median difference and its 90% interval against a zero line."""
    x = rows["date"]
    ax.axhline(0, color="#333333", lw=0.8)
    lo, hi = rows["diff_lo"] * scale, rows["diff_hi"] * scale
    ax.fill_between(x, lo, hi, color=colour, alpha=BAND_ALPHA + 0.1, lw=0)
    ax.plot(x, rows["diff_median"] * scale, color=colour, lw=2, ls=style)


@styled
def metric_figure(
    metric: str, base: Run, others: list[Run], diffs: pd.DataFrame, events: Events
) -> Figure:
    """Levels (left) and paired differences (right) of one vendor metric, a row per vendor."""
    vendors = base.vendors
    colours = vendor_colours(vendors)
    scale = SCALE.get(metric, 1.0)
    grid = Margins(left=100, top=74, bottom=26, wgap=90, hgap=34)
    fig = new_figure(WIDE / 100, (len(vendors) * (ROW_PX + grid.hgap) + 100) / 100)
    axes = panels(fig, len(vendors), 2, grid, sharex=True)
    levels = {
        run.name: quantiles(metric_rows(run.timeseries, metric, "vendor"), ["vendor"])
        for run in [base, *others]
    }
    for row, vendor in enumerate(vendors):
        left, right = axes[2 * row], axes[2 * row + 1]
        for i, run in enumerate([base, *others]):
            q = levels[run.name].xs(vendor, level="vendor")
            colour = BASELINE_COLOUR if i == 0 else colours[vendor]
            style = "--" if i == 0 else STYLES[(i - 1) % len(STYLES)]
            left.fill_between(
                q.index, q["lo"] * scale, q["hi"] * scale, color=colour, alpha=BAND_ALPHA, lw=0
            )
            left.plot(q.index, q["mid"] * scale, color=colour, lw=2, ls=style)
        for i, run in enumerate(others):
            mine = diffs[(diffs["scenario"] == run.name) & (diffs["metric"] == metric)]
            mine = mine[(mine["vendor"] == vendor) & (mine["client"] == "")]
            _diff_panel(right, mine, colours[vendor], STYLES[i % len(STYLES)], scale)
        left.set_ylabel(vendor, color=colours[vendor], fontweight="bold")
        left.set_ylim(bottom=0)
        for ax, signed in ((left, False), (right, True)):
            ax.yaxis.set_major_formatter(ticks(metric, signed))
            ax.yaxis.set_major_locator(_few())
            format_dates(ax, base.dates, max_ticks=6)
            draw_events(ax, [(when, "") for when, _ in events])  # named in the legend
    finish_grid(axes, len(axes), 2)
    names = ", ".join(r.name for r in others)
    axes[0].set_title(f"{names} and {base.name}", loc="left")
    axes[1].set_title(f"{names} minus {base.name}, replicate by replicate", loc="left")
    title(fig, f"{TITLES[metric]}: {names} against {base.name}")
    legend_below(fig, [*_legend(base, others), *event_handles(events)], max_cols=3)
    return fig


def _few():
    """At most four y ticks: a row is short."""

    return MaxNLocator(nbins=3, min_n_ticks=2)


def _legend(base: Run, others: list[Run]) -> list[Line2D | Patch]:
    """Which line is which scenario, and what the shading means."""
    handles: list[Line2D | Patch] = [
        Line2D([], [], color=BASELINE_COLOUR, ls="--", lw=2, label=f"{base.name} (baseline)")
    ]
    for i, run in enumerate(others):
        style = STYLES[i % len(STYLES)]
        handles.append(Line2D([], [], color="#444444", ls=style, lw=2, label=run.name))
    handles.append(
        Patch(
            color="#888888",
            alpha=BAND_ALPHA + 0.1,
            label="5-95% range across replicates (right: of the differences)",
        )
    )
    return handles


@styled
def client_spend_figure(base: Run, other: Run, diffs: pd.DataFrame, events: Events) -> Figure:
    """Client x vendor grid: how each client's monthly spend at each vendor changed."""
    vendors, clients = base.vendors, base.clients
    colours = vendor_colours(vendors)
    grid = Margins(left=150, top=70, bottom=26, wgap=14, hgap=16)
    fig = new_figure(WIDE / 100, (len(clients) * 96 + 96) / 100)
    axes = panels(fig, len(clients), len(vendors), grid, sharex=True, sharey=True)
    mine = diffs[(diffs["scenario"] == other.name) & (diffs["metric"] == "spend")]
    for i, ax in enumerate(axes):
        r, c = divmod(i, len(vendors))
        client, vendor = clients[r], vendors[c]
        rows = mine[(mine["client"] == client) & (mine["vendor"] == vendor)]
        _diff_panel(ax, rows, colours[vendor], "-", 1.0)
        ax.yaxis.set_major_formatter(ticks("spend", True))
        ax.yaxis.set_major_locator(_few())
        ax.yaxis.set_tick_params(labelleft=c == 0)
        format_dates(ax, base.dates, max_ticks=3)
        draw_events(ax, [(when, "") for when, _ in events])
        if r == 0:
            ax.set_title(vendor, color=colours[vendor], fontweight="bold", loc="left")
        if c == 0:  # the client's name at the figure's left edge, level with its row
            y = ax.get_position().y0 + ax.get_position().height / 2
            fig.text(8 / WIDE, y, client, ha="left", va="center", fontsize="large")
    finish_grid(axes, len(axes), len(vendors))
    title(
        fig,
        f"Each client's spend at each vendor ($ per month): {other.name} minus "
        f"{base.name}, replicate by replicate",
    )
    band = Patch(color="#888888", alpha=BAND_ALPHA + 0.1, label="5-95% range of differences")
    median = Line2D([], [], color="#444444", lw=2, label="median difference")
    legend_below(fig, [median, band, *event_handles(events)], max_cols=3)
    return fig


def write_comparison_charts(
    base: Run, others: list[Run], diffs: pd.DataFrame, events: Events, out_dir: Path
) -> list[Path]:
    """Write every comparison chart as a PNG into out_dir and return the paths."""
    out_dir = Path(out_dir)
    paths = []
    with chart_style():
        for metric in TITLES:
            fig = metric_figure(metric, base, others, diffs, events)
            paths.append(save(fig, out_dir / f"compare_{metric}.png"))
        for run in others:
            fig = client_spend_figure(base, run, diffs, events)
            paths.append(save(fig, out_dir / f"compare_client_spend_{_slug(run.name)}.png"))
    return paths


def _slug(name: str) -> str:
    """A file-name-safe version of a scenario name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
