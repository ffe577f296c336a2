"""One look for every chart: palette, type sizes, money, share and date axes, bands.

Run charts, comparison charts, the defection timeline, sweep charts and the report's first
screen all draw through these helpers so a vendor has the same colour everywhere, money
reads as $M or $B, shares as % or percentage points and time axes show dates. Figures are
drawn at the size a page shows them (`DPI` 100: 1 pt of type is 1.39 px), with no text
under `SMALLEST_PT` (9.5 pt, 13 px: still 11 px in a page shrunk to 85%). Placing the
panels, the title and the legend is `model.charts.layout`'s job.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import ParamSpec, TypeVar

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter

from labelmarket.model.core.business_models import BUSINESS_MODELS

DPI = 100
QUANTILES = (0.05, 0.5, 0.95)
# Okabe-Ito, black left out (kept for market aggregates) and yellow last (weak on white).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
INK = "#1B1B1B"  # market aggregates
MODEL_COLOURS = (INK, "#A6761D", "#7570B3", "#1B9E77", "#E7298A")
"""A colour per business model, in the registry's order (`model.core.business_models`)."""
BASELINE_COLOUR = "#7F7F7F"
EVENT_COLOUR = "#555555"
GRID_COLOUR = "#DDDDDD"
SMALLEST_PT = 9.5
EVENT_FONT = SMALLEST_PT
CHAR_WIDTH_EM = 0.6  # mean glyph width of the default sans font, in ems
BAND_ALPHA = 0.2
MONEY_UNITS = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
STYLE = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11.5,
    "axes.titley": 1.0,  # a fixed title position: no search for room at every draw
    "axes.titlepad": 5.0,
    "axes.labelsize": 10.5,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "figure.titlesize": 13,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "font.family": "sans-serif",
}

Events = Sequence[tuple[pd.Timestamp, str]]


def business_model_colours() -> dict[str, str]:
    """Each business model's share metric -> its colour, in the registry's order."""
    return {
        m.share_metric: MODEL_COLOURS[i % len(MODEL_COLOURS)] for i, m in enumerate(BUSINESS_MODELS)
    }


P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """Apply the shared rcParams while figures are built (artists read them when created)."""
    with mpl.rc_context(STYLE):
        yield


def styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Build a figure inside `chart_style`, however it is called (tests call builders)."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with chart_style():
            return draw(*args, **kwargs)

    return wrapper


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
    """$1.2B, $350M, $12K, $0: amounts people read at a glance (signed: +$5M / -$5M), to
    three significant figures at most, trailing zeros dropped."""
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    size = abs(float(value))
    for scale, unit in MONEY_UNITS:
        if size >= scale * 0.9995:  # $999.6K reads $1M, not $1000K
            number = size / scale
            places = 0 if number >= 99.95 else 1 if number >= 9.995 else 2
            text = f"{number:.{places}f}"
            text = text.rstrip("0").rstrip(".") if "." in text else text
            return f"{sign}${text}{unit}"
    return f"{sign}${size:.0f}"


class Ticks(Formatter):
    """Tick labels with the decimals their spacing needs, so no two of an axis read the same
    and zero reads "0" beside signed neighbours: money in the unit of the axis's largest
    tick ($0, $0.5B, $1.0B), % or percentage points."""

    def __init__(self, unit: str = "", signed: bool = False):
        self.unit, self.signed = unit, signed
        self.decimals: int | None = None
        self.scale = (1.0, "")

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        """Every label of the axis at once, with shared decimals (and money unit)."""
        finite = np.unique([v for v in values if np.isfinite(v)])
        if self.unit == "$":
            top = float(np.abs(finite).max()) if len(finite) else 0.0
            self.scale = next(((s, u) for s, u in MONEY_UNITS if top >= s), (1.0, ""))
        self.decimals = _decimals(finite / self.scale[0])
        try:
            return [self(v) for v in values]
        finally:
            self.decimals = None

    def __call__(self, value: float, pos: int | None = None) -> str:
        """One label (outside `format_ticks`: its own precision, as hover read-outs want)."""
        if abs(value) < 1e-12:
            return {"$": "$0", "%": "0%", "pp": "0 pp"}.get(self.unit, "0")
        sign = "+" if self.signed else ""
        if self.unit == "$":
            if self.decimals is None:
                return format_money(value, self.signed)
            scale, letter = self.scale
            text = f"{abs(value) / scale:,.{self.decimals}f}"
            return f"{'-' if value < 0 else sign}${text}{letter}"
        digits = 1 if self.decimals is None else self.decimals
        text = f"{value:{sign},.{digits}f}"
        return {"%": f"{text}%", "pp": f"{text} pp"}.get(self.unit, text)


def _decimals(values: np.ndarray) -> int:
    """The fewest decimals (up to 3) that write every tick exactly: 0, 1.5, 3 needs one."""
    for places in range(3):
        if np.allclose(np.round(values, places), values, rtol=0, atol=1e-6):
            return places
    return 3


def money_axis(ax: Axes, label: str, axis: str = "y", signed: bool = False) -> None:
    """Tick labels as $M/$B and an axis label naming what is counted."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(Ticks("$", signed))
    target.set_label_text(label)


def percent_axis(ax: Axes, label: str, signed: bool = False) -> None:
    """Tick labels as percentages (values already in percent), points when signed."""
    ax.yaxis.set_major_formatter(Ticks("pp" if signed else "%", signed))
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


def band_legend_handle(n_reps: int, colour: str = "#888888", what: str = "") -> Patch:
    """Swatch explaining what the shading is."""
    label = f"{what}5-95% range, {n_reps:,} replicates"
    return Patch(color=colour, alpha=BAND_ALPHA + 0.15, label=label)


def date_ticks(dates: pd.Series | pd.DatetimeIndex, max_ticks: int) -> tuple[list, list[str]]:
    """Month ticks every 1, 3, 6, 12 ... months, no more than `max_ticks`: the year at each
    January (and at the first tick), the month's short name elsewhere."""
    months = pd.DatetimeIndex(pd.to_datetime(dates)).to_period("M")
    first, last = months.min(), months.max()
    span = (last - first).n + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120, 10**6) if span / s <= max_ticks)
    chosen = [first + i for i in range(span) if (first + i).month % step == 1 % step]
    if step > 12:
        chosen = [p for p in chosen if p.year % (step // 12) == 0]
    chosen = chosen or [first]
    labels = [
        f"{p:%Y}" if p.month == 1 else (f"{p:%b %Y}" if i == 0 else f"{p:%b}")
        for i, p in enumerate(chosen)
    ]
    return [mdates.date2num(p.to_timestamp()) for p in chosen], labels


def format_dates(ax: Axes, dates: pd.Series | pd.DatetimeIndex, max_ticks: int = 10) -> None:
    """Year/month date axis spanning exactly the simulated months (fewer ticks when narrow).

    Fixed ticks, not a date locator: the same labels, a tenth of the drawing time.
    """
    ticks, labels = date_ticks(dates, max_ticks)
    ax.set_xticks(ticks, labels)
    ax.set_xlim(mdates.date2num(pd.Timestamp(dates.min())), mdates.date2num(dates.max()))
    ax.grid(True, color=GRID_COLOUR, lw=0.6)
    ax.set_axisbelow(True)


def money_scale(unit: str, values: np.ndarray) -> tuple[float, str]:
    """(divisor, unit label) so dollar axes read in $k, $M or $B."""
    if unit != "$":
        return 1.0, unit
    top = float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 0.0
    for size, label in ((1e9, "$B"), (1e6, "$M"), (1e3, "$k")):
        if top >= size:
            return size, label
    return 1.0, "$"
