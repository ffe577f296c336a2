"""Where things go in a figure: panels, title and legend placed in pixels, no layout engine.

matplotlib's constrained layout measured every text at every draw and was most of the cost
of a chart (1.3 s for a run's four). Here a figure is drawn at the size a page shows it
(`DPI` 100), its panels sit at fixed pixel margins that hold the tick labels at the shared
type sizes, its title at a fixed height, and a legend below grows the figure by the rows it
needs, so nothing is measured twice. Tests check that no text is cut at the figure's edge
and that no two texts overlap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from labelmarket.model.charts.style import (
    CHAR_WIDTH_EM,
    DPI,
    EVENT_COLOUR,
    EVENT_FONT,
    STYLE,
    Events,
)

PNG_OPTIONS = {"compress_level": 1}
"""zlib's fastest level: the same pixels, encoded about three times faster, files ~10% larger."""
PT = DPI / 72  # pixels per point
WIDE = 960  # px: a chart across the report's column (it is 1,000 px at most)


@dataclass(frozen=True)
class Margins:
    """Pixels around a grid of panels (left holds y tick labels and the axis label)."""

    left: float = 78
    right: float = 16
    top: float = 44
    bottom: float = 46
    wgap: float = 70  # between columns (the next column's y tick labels)
    hgap: float = 50  # between rows (a row's titles, or its date labels)


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure of `width` x `height` inches at the shared resolution."""
    return Figure(figsize=(width, height), dpi=DPI)


def panels(
    fig: Figure,
    rows: int,
    cols: int,
    margins: Margins = Margins(),
    count: int | None = None,
    sharex: bool = False,
    sharey: bool = False,
) -> list[Axes]:
    """`count` (default rows x cols) panels, row by row, at fixed pixel margins."""
    width, height = fig.get_size_inches() * DPI
    w = (width - margins.left - margins.right - (cols - 1) * margins.wgap) / cols
    h = (height - margins.top - margins.bottom - (rows - 1) * margins.hgap) / rows
    axes: list[Axes] = []
    for i in range(rows * cols if count is None else count):
        r, c = divmod(i, cols)
        x = margins.left + c * (w + margins.wgap)
        y = height - margins.top - (r + 1) * h - r * margins.hgap
        share = {"sharex": axes[0] if sharex and axes else None}
        share["sharey"] = axes[r * cols] if sharey and c else None
        axes.append(fig.add_axes((x / width, y / height, w / width, h / height), **share))
    return axes


def title(fig: Figure, text: str, top: float = 10) -> None:
    """The figure's title, left-aligned `top` pixels below its top edge."""
    height = fig.get_size_inches()[1] * DPI
    fig.suptitle(
        text, x=10 / (fig.get_size_inches()[0] * DPI), y=1 - top / height, ha="left", va="top"
    )


def legend_below(fig: Figure, handles: Sequence[Artist], max_cols: int = 6) -> None:
    """One figure legend under the panels: the figure grows by the rows it needs, so the
    panels keep their size and nothing is drawn over the data."""
    handles = [h for h in handles if not str(h.get_label()).startswith("_")]
    if not handles:
        return
    font_px = float(STYLE["legend.fontsize"]) * PT
    width, height = fig.get_size_inches() * DPI
    cols = _columns(handles, width - 20, font_px, max_cols)
    rows = math.ceil(len(handles) / cols)
    extra = rows * font_px * 1.45 + 12
    _grow_bottom(fig, extra)
    fig.legend(
        handles=list(handles),
        loc="lower center",
        ncols=cols,
        bbox_to_anchor=(0.5, 2 / (height + extra)),
        borderaxespad=0.0,
    )


def _columns(handles: Sequence[Artist], width: float, font_px: float, most: int) -> int:
    """The most legend columns (up to `most`) whose widest entries fit in `width` pixels."""
    entry = [len(str(h.get_label())) * CHAR_WIDTH_EM * font_px + 3.2 * font_px for h in handles]
    for cols in range(min(most, len(handles)), 1, -1):
        widest = [max(entry[c::cols]) for c in range(cols)]
        if sum(widest) <= width:
            return cols
    return 1


def _grow_bottom(fig: Figure, extra: float) -> None:
    """Add `extra` pixels under everything, keeping every axes and the title in place."""
    width, height = fig.get_size_inches() * DPI
    fig.set_size_inches(width / DPI, (height + extra) / DPI)
    scale = height / (height + extra)
    for ax in fig.axes:
        x, y, w, h = ax.get_position().bounds
        ax.set_position((x, (y * height + extra) / (height + extra), w, h * scale))
    for text in fig.texts:  # the title and any note placed in figure fractions
        text.set_y((text.get_position()[1] * height + extra) / (height + extra))


def finish_grid(axes: Sequence[Axes], panels: int, ncols: int) -> None:
    """Hide the unused panels of a small-multiples grid; date labels on each column's last."""
    for ax in axes[panels:]:
        ax.set_visible(False)
    last = axes[:panels][-ncols:]
    for ax in axes[:panels]:
        ax.xaxis.set_tick_params(labelbottom=ax in last)


def draw_events(ax: Axes, events: Events, font: float = EVENT_FONT) -> None:
    """Dashed line per event, labelled in a strip of headroom above the data (call last)."""
    x0, x1 = ax.get_xlim()
    box = ax.get_position().bounds  # exact: panels do not move once placed
    size = ax.figure.get_size_inches() * 72
    width_pt, height_pt = max(box[2] * size[0], 1.0), max(box[3] * size[1], 1.0)
    line_pt = font + 3
    placed: list[tuple[float, float, int]] = []  # (left, right) in axes fraction, level
    for when, label in sorted(events, key=lambda e: pd.Timestamp(e[0])):
        x = mdates.date2num(pd.Timestamp(when))
        if not x0 <= x <= x1:
            continue
        ax.axvline(x, color=EVENT_COLOUR, ls="--", lw=1, zorder=1.5)
        if not label:  # an empty label asks for a bare line
            continue
        frac = (x - x0) / (x1 - x0)
        width = (CHAR_WIDTH_EM * font * len(label) + 6) / width_pt
        right_side = frac + width <= 1.0 or frac < 0.5  # text to the right of its line
        span = (frac, frac + width) if right_side else (frac - width, frac)
        level = 0
        while any(lv == level and span[0] < b and a < span[1] for a, b, lv in placed):
            level += 1
        placed.append((*span, level))
        ax.annotate(
            label,
            xy=(x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3 if right_side else -3, -3 - level * line_pt),
            textcoords="offset points",
            ha="left" if right_side else "right",
            va="top",
            fontsize=font,
            color=EVENT_COLOUR,
        )
    if placed:  # make room: the label strip is kept free of data
        strip_pt = (max(lv for *_, lv in placed) + 1) * line_pt + 6
        room = min(0.45, 1.1 * strip_pt / height_pt)
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, lo + (hi - lo) / (1 - room))


def event_handles(events: Events) -> list[Line2D]:
    """Legend entries naming the events: small multiples draw them as bare dashed lines,
    since a label in each narrow panel would be too small to read or cut at its edge."""
    return [
        Line2D([], [], color=EVENT_COLOUR, ls="--", lw=1, label=f"{when:%Y-%m}: {label}")
        for when, label in sorted(events, key=lambda e: e[0])
        if label
    ]


def save(fig: Figure, path: Path) -> Path:
    """Write a PNG at the shared resolution (fast zlib level: same pixels)."""
    fig.savefig(path, dpi=DPI, pil_kwargs=PNG_OPTIONS)
    return path


def smallest_text_px(fig: Figure) -> float:
    """The smallest type drawn in `fig`, in pixels of its PNG (for tests and reports)."""

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return float(np.min(sizes)) * PT if sizes else float("inf")
