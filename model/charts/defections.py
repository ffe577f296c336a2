"""Timeline of defections: when each client moved its spend away from a vendor, and why.

Built from `defections.csv` (what the model records at each switch). One panel per client,
one row per vendor (in the vendor's colour), one marker per month a defection happened, its
shape the utility term that drove it and its size the share of replicates where it did.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from labelmarket.model.charts.style import (
    EVENT_FONT,
    Events,
    chart_style,
    draw_events,
    finish_grid,
    format_dates,
    legend_below,
    new_figure,
    save,
    vendor_colours,
)

DRIVERS = ("quality", "price", "conflict of interest", "capacity", "scripted pause")
MARKERS = {"quality": "o", "price": "s", "conflict of interest": "X", "capacity": "^"}
OTHER_MARKER = "P"
SIZE_MIN, SIZE_MAX = 18.0, 200.0
LANE = 0.14  # vertical offset between drivers inside a vendor's row


def _size(share: np.ndarray | float) -> np.ndarray | float:
    """Marker area for the share of replicates in which a defection happened."""
    return SIZE_MIN + (SIZE_MAX - SIZE_MIN) * np.sqrt(share)


def defection_counts(defections: pd.DataFrame) -> pd.DataFrame:
    """Replicates with a defection per client, vendor, date and driver (column `replicates`)."""
    keys = ["client", "vendor", "date", "driver"]
    if defections.empty:
        return pd.DataFrame(columns=[*keys, "replicates"])
    frame = defections.assign(date=pd.to_datetime(defections["date"]))
    counts = frame.groupby(keys, observed=True)["replicate"].nunique()
    return counts.rename("replicates").reset_index()


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
    ncols = 2 if len(clients) > 3 else 1
    nrows = max(math.ceil(len(clients) / ncols), 1)
    height = 0.34 * len(vendors) + 0.9
    fig = new_figure(7.0 * ncols, height * nrows + 1.4)
    axes = fig.subplots(nrows, ncols, sharex=True, squeeze=False).ravel()
    lanes = {d: (i - (len(DRIVERS) - 1) / 2) * LANE for i, d in enumerate(DRIVERS)}
    for ax, client in zip(axes, clients, strict=False):
        mine = counts[counts["client"] == client]
        for row, vendor in enumerate(vendors):
            ax.axhline(row, color=colours[vendor], lw=0.8, alpha=0.35, zorder=1)
            for driver, part in mine[mine["vendor"] == vendor].groupby("driver", observed=True):
                share = part["replicates"].to_numpy() / max(n_reps, 1)
                ax.scatter(
                    part["date"],
                    np.full(len(part), row + lanes.get(str(driver), 0.0)),
                    s=_size(share),
                    marker=MARKERS.get(str(driver), OTHER_MARKER),
                    color=colours[vendor],
                    edgecolors="#222222",
                    linewidths=0.5,
                    alpha=0.85,
                    zorder=3,
                )
        ax.set_yticks(range(len(vendors)), vendors)
        ax.set_ylim(len(vendors) - 0.5, -0.5)
        for label, vendor in zip(ax.get_yticklabels(), vendors, strict=True):
            label.set_color(colours[vendor])
        format_dates(ax, dates)
        pad = pd.Timedelta(days=20)  # room for a marker in the first or last month
        ax.set_xlim(pd.Timestamp(dates.min()) - pad, pd.Timestamp(dates.max()) + pad)
        ax.grid(False, axis="y")
        total = int(mine["replicates"].sum())
        ax.set_title(f"{client} ({total} defections)" if total else f"{client}: no defection")
        draw_events(ax, events, EVENT_FONT - 1)
    finish_grid(axes, len(clients), ncols)
    fig.suptitle(f"When clients moved spend away from a vendor, and why ({n_reps} replicates)")
    legend_below(fig, _legend_handles(counts, n_reps), max_cols=8)
    return fig


def _legend_handles(counts: pd.DataFrame, n_reps: int) -> list[Line2D]:
    """Driver shapes present in the data, then a key to marker sizes."""
    present = [d for d in DRIVERS if d in set(counts["driver"].astype(str))] or list(MARKERS)
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker=MARKERS.get(d, OTHER_MARKER),
            color="#777777",
            markeredgecolor="#222222",
            markersize=8,
            label=f"driver: {d}",
        )
        for d in present
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
