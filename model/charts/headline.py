"""The report's first screen: three small charts that carry its answer, side by side.

Each is 320 x 270 px, drawn at that size (three fit the report's column; at 900 px two do
and the third wraps), with the shared type sizes: a path over time with its band (and the
baseline's, dashed), a set of medians with their 5-95% whiskers as bars, or a few lines.
They take plain tables, so the report decides what they show.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from labelmarket.model.charts.layout import (
    PT,
    Margins,
    draw_events,
    legend_below,
    new_figure,
    panels,
    title,
)
from labelmarket.model.charts.style import (
    BAND_ALPHA,
    CHAR_WIDTH_EM,
    Events,
    Ticks,
    format_dates,
    styled,
)

SMALL = (3.2, 2.7)  # inches at 100 dpi: 320 x 270 px
SMALL_MARGINS = Margins(left=62, right=14, top=46, bottom=28)


@styled
def path_figure(
    text: str,
    unit: str,
    series: Sequence[tuple[str, pd.DataFrame, str, bool]],
    events: Events = (),
) -> Figure:
    """Medians and 5-95% bands over time: (label, lo/mid/hi by date, colour, dashed)."""
    fig = new_figure(*SMALL)
    (ax,) = panels(fig, 1, 1, SMALL_MARGINS)
    handles = []
    for label, q, colour, dashed in series:
        ax.fill_between(q.index, q["lo"], q["hi"], color=colour, alpha=BAND_ALPHA, lw=0)
        ax.plot(q.index, q["mid"], color=colour, lw=2, ls="--" if dashed else "-")
        handles.append(Line2D([], [], color=colour, lw=2, ls="--" if dashed else "-", label=label))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(Ticks(unit))
    ax.yaxis.set_major_locator(_few())
    format_dates(ax, series[0][1].index, max_ticks=3)
    draw_events(ax, [(when, "") for when, _ in events])
    title(fig, text)
    legend_below(fig, [*handles, Patch(color="#888888", alpha=0.3, label="5-95% range")], 2)
    return fig


@styled
def bars_figure(
    text: str, unit: str, rows: pd.DataFrame, colours: Sequence[str], signed: bool = True
) -> Figure:
    """One bar per row (index: its label) at the median, whiskers from lo to hi."""
    height = 90 + 26 * len(rows)
    fig = new_figure(SMALL[0], max(SMALL[1], height / 100))
    names = [textwrap.fill(str(n), 16, break_on_hyphens=False) for n in rows.index]
    widest = max((len(line) for n in names for line in n.split("\n")), default=4)
    left = widest * CHAR_WIDTH_EM * 10 * PT + 14
    (ax,) = panels(fig, 1, 1, Margins(left=left, right=22, top=46, bottom=34))
    y = np.arange(len(rows))
    mid, lo, hi = (rows[k].to_numpy(dtype=float) for k in ("mid", "lo", "hi"))
    ax.barh(y, mid, color=list(colours), height=0.62)
    ax.errorbar(mid, y, xerr=[mid - lo, hi - mid], fmt="none", ecolor="#222222", lw=1.2, capsize=3)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, names)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(Ticks(unit, signed))
    ax.xaxis.set_major_locator(_few())
    ax.grid(True, axis="x", color="#DDDDDD", lw=0.6)
    ax.set_axisbelow(True)
    title(fig, text)
    return fig


def _few():
    """Three or four ticks: the chart is small."""

    return MaxNLocator(nbins=3, min_n_ticks=2)
