"""Charts comparing scenarios: levels with replicate bands, and paired differences.

Each figure has one column per vendor (titles and differences in that vendor's colour, as
everywhere else); the top row shows each scenario's median and 5-95% band (the baseline in
grey), the bottom row the scenario-minus-baseline difference, replicate by replicate, with
its 90% interval. Client spend gets a client x vendor grid of differences per scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from labelmarket.model.charts.style import (
    BAND_ALPHA,
    BASELINE_COLOUR,
    EVENT_COLOUR,
    Events,
    chart_style,
    draw_events,
    format_dates,
    format_money,
    legend_below,
    metric_rows,
    new_figure,
    quantiles,
    save,
    vendor_colours,
)
from labelmarket.model.results.run_folder import Run

STYLES = ("-", "--", "-.", ":")
TITLES = {
    "revenue": "Monthly revenue ($ / month)",
    "market_share": "Share of market revenue (%)",
    "workforce": "Workforce (workers)",
    "valuation": "Valuation ($)",
}
SCALE = {"market_share": 100.0}


def _formatter(metric: str, signed: bool) -> Callable[[float, object], str]:
    """Tick labels: $M/$B for money, % or percentage points for shares, thousands else."""
    if metric in ("revenue", "valuation", "spend"):
        return lambda v, _: format_money(v, signed)
    if metric == "market_share":
        return lambda v, _: (f"{v:+.0f} pp" if v else "0 pp") if signed else f"{v:.0f}%"
    return lambda v, _: f"{v:+,.0f}" if signed and v else f"{v:,.0f}"


def _diff_panel(ax: Axes, rows: pd.DataFrame, colour: str, style: str, scale: float) -> None:
    """Median difference and its 90% interval against a zero line."""
    x = rows["date"]
    ax.axhline(0, color="#333333", lw=0.8)
    ax.fill_between(
        x,
        rows["diff_lo"] * scale,
        rows["diff_hi"] * scale,
        color=colour,
        alpha=BAND_ALPHA + 0.1,
        lw=0,
    )
    ax.plot(x, rows["diff_median"] * scale, color=colour, lw=2, ls=style)


def metric_figure(
    metric: str, base: Run, others: list[Run], diffs: pd.DataFrame, events: Events
) -> Figure:
    """Levels (top) and paired differences (bottom) of one vendor metric, per vendor."""
    vendors = base.vendors
    colours = vendor_colours(vendors)
    scale = SCALE.get(metric, 1.0)
    fig = new_figure(3.2 * len(vendors) + 0.6, 6.6)
    axes = fig.subplots(2, len(vendors), sharex=True, squeeze=False)
    levels = {
        run.name: quantiles(metric_rows(run.timeseries, metric, "vendor"), ["vendor"])
        for run in [base, *others]
    }
    for col, vendor in enumerate(vendors):
        top, bottom = axes[0, col], axes[1, col]
        for i, run in enumerate([base, *others]):
            q = levels[run.name].xs(vendor, level="vendor")
            colour = BASELINE_COLOUR if i == 0 else colours[vendor]
            style = "--" if i == 0 else STYLES[(i - 1) % len(STYLES)]
            top.fill_between(
                q.index, q["lo"] * scale, q["hi"] * scale, color=colour, alpha=BAND_ALPHA, lw=0
            )
            top.plot(q.index, q["mid"] * scale, color=colour, lw=2, ls=style)
        for i, run in enumerate(others):
            mine = diffs[(diffs["scenario"] == run.name) & (diffs["metric"] == metric)]
            mine = mine[(mine["vendor"] == vendor) & (mine["client"] == "")]
            _diff_panel(bottom, mine, colours[vendor], STYLES[i % len(STYLES)], scale)
        top.set_title(vendor, color=colours[vendor], fontweight="bold")
        top.set_ylim(bottom=0)
        for ax, signed in ((top, False), (bottom, True)):
            ax.yaxis.set_major_formatter(FuncFormatter(_formatter(metric, signed)))
            format_dates(ax, base.dates, max_ticks=5)
            draw_events(ax, [(when, "") for when, _ in events])  # named in the legend
        bottom.set_xlabel("Month")
    axes[0, 0].set_ylabel(TITLES[metric])
    axes[1, 0].set_ylabel("Difference versus\n" + base.name)
    names = ", ".join(r.name for r in others)
    fig.suptitle(f"{TITLES[metric].split(' (')[0]}: {names} versus {base.name}")
    legend_below(fig, [*_legend(base, others), *event_handles(events)], max_cols=3)
    return fig


def event_handles(events: Events) -> list[Line2D]:
    """Legend entries naming the events: small multiples draw them as bare dashed lines,
    since a label in each narrow panel would be too small to read or cut at its edge."""
    return [
        Line2D([], [], color=EVENT_COLOUR, ls="--", lw=1, label=f"{when:%Y-%m}: {label}")
        for when, label in sorted(events, key=lambda e: e[0])
        if label
    ]


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
            label="5-95% range across replicates (bottom: of paired differences)",
        )
    )
    return handles


def client_spend_figure(base: Run, other: Run, diffs: pd.DataFrame, events: Events) -> Figure:
    """Client x vendor grid: how each client's monthly spend at each vendor changed."""
    vendors, clients = base.vendors, base.clients
    colours = vendor_colours(vendors)
    fig = new_figure(2.9 * len(vendors) + 0.8, 1.7 * len(clients) + 1.4)
    axes = fig.subplots(len(clients), len(vendors), sharex=True, sharey="row", squeeze=False)
    mine = diffs[(diffs["scenario"] == other.name) & (diffs["metric"] == "spend")]
    for r, client in enumerate(clients):
        for c, vendor in enumerate(vendors):
            ax = axes[r, c]
            rows = mine[(mine["client"] == client) & (mine["vendor"] == vendor)]
            _diff_panel(ax, rows, colours[vendor], "-", 1.0)
            ax.yaxis.set_major_formatter(FuncFormatter(_formatter("spend", True)))
            format_dates(ax, base.dates, max_ticks=4)
            draw_events(ax, [(when, "") for when, _ in events])
            if r == 0:
                ax.set_title(vendor, color=colours[vendor], fontweight="bold")
        axes[r, 0].set_ylabel(f"{client}\n($ / month)")
    for ax in axes[-1]:
        ax.set_xlabel("Month")
    fig.suptitle(
        f"Client spend at each vendor: {other.name} minus {base.name}, replicate by replicate"
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
