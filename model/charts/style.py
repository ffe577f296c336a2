"""One look for every chart: palette, money and date axes, event lines, legends, bands.

Run charts, comparison charts, the defection timeline, sweep charts and the dashboard all
draw through these helpers so a vendor has the same colour everywhere, money reads as $M or
$B, time axes show dates, events are labelled lines and legends sit outside the data.
`model.charts` re-exports everything here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib import colormaps
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

DPI = 120
QUANTILES = (0.05, 0.5, 0.95)
# Okabe-Ito, black left out (kept for market aggregates) and yellow last (weak on white).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
CROWD_COLOUR = "#1B1B1B"
EXPERT_COLOUR = "#A6761D"
BASELINE_COLOUR = "#7F7F7F"
EVENT_COLOUR = "#555555"
GRID_COLOUR = "#DDDDDD"
EVENT_FONT = 8.0
CHAR_WIDTH_EM = 0.6  # mean glyph width of the default sans font, in ems
BAND_ALPHA = 0.2
STYLE = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.titlesize": 13,
    "font.family": "sans-serif",
}

Events = Sequence[tuple[pd.Timestamp, str]]


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """Apply the shared rcParams while figures are built (artists read them when created)."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure with constrained layout, so outside legends get room."""
    return Figure(figsize=(width, height), layout="constrained")


def vendor_colours(vendors: Sequence[str]) -> dict[str, str]:
    """Give each vendor one colourblind-safe colour, fixed by its position, so charts agree."""
    palette = list(OKABE_ITO)
    palette += [c for c in map(to_hex, colormaps["tab10"].colors) if c not in palette]
    unique = list(dict.fromkeys(vendors))
    if len(unique) > len(palette):  # more vendors than named colours: sample a wide colormap
        extra = len(unique) - len(palette)
        palette += [to_hex(colormaps["hsv"](i / extra)) for i in range(extra)]
    return {v: palette[i] for i, v in enumerate(unique)}


def format_money(value: float, signed: bool = False) -> str:
    """$1.2B, $350M, $12K, $0: amounts people read at a glance (signed: +$5M / -$5M)."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    size = abs(float(value))
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if size >= scale:
            number = size / scale
            digits = 0 if number >= 100 else 1 if number >= 10 else 2
            text = f"{number:.{digits}f}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return f"{sign}${text}{unit}"
    return f"{sign}${size:.0f}"


def money_axis(ax: Axes, label: str, axis: str = "y", signed: bool = False) -> None:
    """Tick labels as $M/$B and an axis label naming what is counted."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: format_money(v, signed)))
    target.set_label_text(label)


def percent_axis(ax: Axes, label: str, signed: bool = False) -> None:
    """Tick labels as percentages (values already in percent)."""
    fmt = "{:+.0f}%" if signed else "{:.0f}%"
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.format(v) if v else "0%"))
    ax.set_ylabel(label)


def metric_rows(ts: pd.DataFrame, metric: str, kind: str) -> pd.DataFrame:
    """Rows of one metric; kind is 'vendor', 'client', 'pair' or 'market'."""
    rows = ts[ts["metric"] == metric]
    has_c = rows["client"].notna() & (rows["client"] != "")  # null: none ('' in older runs)
    has_v = rows["vendor"].notna() & (rows["vendor"] != "")
    mask = {"vendor": ~has_c & has_v, "client": has_c & ~has_v, "pair": has_c & has_v}
    return rows[mask.get(kind, ~has_c & ~has_v)]


def quantiles(rows: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """5%, median and 95% across replicates per (by..., date): columns lo, mid, hi."""
    keys = [*by, "date"]
    q = rows.groupby(keys, observed=True)["value"].quantile(list(QUANTILES)).unstack()
    q.columns = ["lo", "mid", "hi"]
    return q


def band(
    ax: Axes, q: pd.DataFrame, colour: str, label: str, scale: float = 1.0, **kw: object
) -> None:
    """Median line plus shaded 5-95% band of one series indexed by date."""
    x = q.index.get_level_values("date")
    ax.fill_between(x, q["lo"] * scale, q["hi"] * scale, color=colour, alpha=BAND_ALPHA, lw=0)
    ax.plot(x, q["mid"] * scale, color=colour, lw=2, label=label, **kw)


def format_dates(ax: Axes, dates: pd.Series | pd.DatetimeIndex, max_ticks: int = 10) -> None:
    """Year/month date axis spanning exactly the simulated months (fewer ticks when narrow)."""
    locator = mdates.AutoDateLocator(minticks=2 if max_ticks < 8 else 4, maxticks=max_ticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlim(pd.Timestamp(dates.min()), pd.Timestamp(dates.max()))
    ax.grid(True, color=GRID_COLOUR, lw=0.6)
    ax.set_axisbelow(True)


def finish_grid(axes: Sequence[Axes], panels: int, ncols: int) -> None:
    """Hide the unused panels of a small-multiples grid; date labels on each column's last."""
    for ax in axes[panels:]:
        ax.set_visible(False)
    for ax in axes[:panels][-ncols:]:
        ax.set_xlabel("Month")
        ax.xaxis.set_tick_params(labelbottom=True)


def draw_events(ax: Axes, events: Events, font: float = EVENT_FONT) -> None:
    """Dashed line per event, labelled in a strip of headroom above the data (call last)."""
    x0, x1 = ax.get_xlim()
    box = ax.get_window_extent()  # before layout: a slight underestimate of the final size
    width_pt, height_pt = (max(d * 72 / ax.figure.dpi, 1.0) for d in (box.width, box.height))
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


def band_legend_handle(n_reps: int, colour: str = "#888888", what: str = "") -> Patch:
    """Swatch explaining what the shading is."""
    label = f"{what}5-95% range, {n_reps} replicates"
    return Patch(color=colour, alpha=BAND_ALPHA + 0.15, label=label)


def legend_below(fig: Figure, handles: Sequence[Artist], max_cols: int = 6) -> None:
    """One figure legend under the axes, never over the data."""
    if handles:
        fig.legend(
            handles=list(handles), loc="outside lower center", ncols=min(len(handles), max_cols)
        )


def save(fig: Figure, path: Path) -> Path:
    """Write a PNG at the shared resolution."""
    fig.savefig(path, dpi=DPI)
    return path
