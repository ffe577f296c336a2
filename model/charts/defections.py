"""Timeline of defections: when each client moved its spend away from a vendor, and why.

Built from `defections.csv` (what the model records at each switch). One panel per client,
one row per vendor (in the vendor's colour), one marker per month a defection happened, its
shape the utility term that drove it and its size the share of replicates where it did.
Every driver found in the table gets a shape and a legend entry, the model's own names
first in a fixed order, any other after them, so no marker is drawn that the legend does
not explain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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
from labelmarket.model.charts.style import Events, chart_style, format_dates, styled, vendor_colours

MARKERS = {  # the model's drivers (model.core.state.TERM_NAMES) and their shapes
    "quality": "o",
    "price": "s",
    "conflict of interest": "X",
    "capacity": "^",
    "task mix": "D",
    "scripted pause": "P",
    "vendor exit": "*",
}
SPARE_MARKERS = ("v", "*", "h", "<", ">", "p", "d", "8")  # drivers the model may add later
SIZE_MIN, SIZE_MAX = 18.0, 200.0
LANE = 0.12  # vertical offset between drivers inside a vendor's row


def _size(share: np.ndarray | float) -> np.ndarray | float:
    """Marker area for the share of replicates in which a defection happened."""
    return SIZE_MIN + (SIZE_MAX - SIZE_MIN) * np.sqrt(share)


def driver_markers(drivers: Sequence[str]) -> dict[str, str]:
    """A shape for each driver: the model's own in their fixed order, then any other."""
    known = [d for d in MARKERS if d in set(drivers)]
    others = sorted(set(drivers) - set(MARKERS))
    spare = dict(zip(others, SPARE_MARKERS * (len(others) // len(SPARE_MARKERS) + 1), strict=False))
    return {**{d: MARKERS[d] for d in known}, **spare}


def defection_counts(defections: pd.DataFrame) -> pd.DataFrame:
    """Replicates with a defection per client, vendor, date and driver (column `replicates`)."""
    keys = ["client", "vendor", "date", "driver"]
    if defections.empty:
        return pd.DataFrame(columns=[*keys, "replicates"])
    frame = defections.assign(date=pd.to_datetime(defections["date"]))
    frame["driver"] = frame["driver"].astype(str)
    counts = frame.groupby(keys, observed=True)["replicate"].nunique()
    return counts.rename("replicates").reset_index()


@styled
def defection_timeline(
    defections: pd.DataFrame,
    vendors: Sequence[str],
    clients: Sequence[str],
    dates: pd.DatetimeIndex,
    events: Events,
    n_reps: int,
) -> Figure:
    """The timeline figure; clients without a defection get a panel saying so."""
    vendors, clients = [str(v) for v in vendors], [str(c) for c in clients]
    colours = vendor_colours(vendors)
    counts = defection_counts(defections)
    shapes = driver_markers(list(counts["driver"]))
    ncols = 2 if len(clients) > 3 else 1
    nrows = max(math.ceil(len(clients) / ncols), 1)
    row_px = 22 * len(vendors) + 30
    grid = Margins(left=84, top=70, bottom=26, wgap=96, hgap=36)
    fig = new_figure(WIDE / 100, (nrows * (row_px + grid.hgap) + 80) / 100)
    axes = panels(fig, nrows, ncols, grid, count=max(len(clients), 1), sharex=True)
    lanes = {d: (i - (len(shapes) - 1) / 2) * LANE for i, d in enumerate(shapes)}
    for ax, client in zip(axes, clients, strict=False):
        mine = counts[counts["client"] == client]
        for row, vendor in enumerate(vendors):
            ax.axhline(row, color=colours[vendor], lw=0.8, alpha=0.35, zorder=1)
            for driver, part in mine[mine["vendor"] == vendor].groupby("driver"):
                share = part["replicates"].to_numpy() / max(n_reps, 1)
                ax.scatter(
                    part["date"],
                    np.full(len(part), row + lanes[driver]),
                    s=_size(share),
                    marker=shapes[driver],
                    color=colours[vendor],
                    edgecolors="#222222",
                    linewidths=0.5,
                    alpha=0.85,
                    zorder=3,
                    label=f"_{driver}",
                )
        ax.set_yticks(range(len(vendors)), vendors)
        ax.set_ylim(len(vendors) - 0.5, -0.5)
        for label, vendor in zip(ax.get_yticklabels(), vendors, strict=True):
            label.set_color(colours[vendor])
        format_dates(ax, dates, max_ticks=6)
        pad = pd.Timedelta(days=20)  # room for a marker in the first or last month
        ax.set_xlim(pd.Timestamp(dates.min()) - pad, pd.Timestamp(dates.max()) + pad)
        ax.grid(False, axis="y")
        total = int(mine["replicates"].sum())
        ax.set_title(
            f"{client} ({total:,} defections)" if total else f"{client}: no defection", loc="left"
        )
        draw_events(ax, [(when, "") for when, _ in events])
    finish_grid(axes, len(clients), ncols)
    title(fig, f"When clients moved spend away from a vendor, and why ({n_reps:,} replicates)")
    legend_below(fig, [*_legend_handles(shapes, n_reps), *event_handles(events)], max_cols=4)
    return fig


def _legend_handles(shapes: dict[str, str], n_reps: int) -> list[Line2D]:
    """Each driver's shape (all those drawn), then a key to marker sizes."""
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=marker,
            color="#777777",
            markeredgecolor="#222222",
            markersize=8,
            label=f"driver: {driver}",
        )
        for driver, marker in (shapes or {d: MARKERS[d] for d in list(MARKERS)[:4]}).items()
    ]
    shares = (1 / max(n_reps, 1), 0.5, 1.0) if n_reps > 1 else (1.0,)
    for share in dict.fromkeys(shares):
        label = f"in {share:.0%} of replicates" if n_reps > 1 else "defection"
        size = math.sqrt(float(_size(share)))
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                color="#BBBBBB",
                markeredgecolor="#222222",
                markersize=size,
                label=label,
            )
        )
    return handles


def write_defection_timeline(
    defections: pd.DataFrame,
    vendors: Sequence[str],
    clients: Sequence[str],
    dates: pd.DatetimeIndex,
    events: Events,
    n_reps: int,
    path: Path,
) -> Path:
    """Draw the timeline in the shared style and save it as a PNG."""
    with chart_style():
        fig = defection_timeline(defections, vendors, clients, dates, events, n_reps)
        return save(fig, Path(path))
