"""Charts of a scenario run, drawn from the tidy table `outputs.timeseries` returns.

Only the CLI calls this module; the simulation core never imports it. Figures are built with
`matplotlib.figure.Figure` directly (Agg canvas, no pyplot), so no global state is touched.
Every band is the 5-95% range across replicates and every line its median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

DPI = 120
QUANTILES = (0.05, 0.5, 0.95)
# Okabe-Ito, black left out (kept for market aggregates) and yellow last (weak on white).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
CROWD_COLOUR = "#1B1B1B"
EXPERT_COLOUR = "#A6761D"
EVENT_COLOUR = "#555555"
EVENT_FONT = 8.0
CHAR_WIDTH_EM = 0.6  # mean glyph width of the default sans font, in ems
BAND_ALPHA = 0.2

Events = Sequence[tuple[pd.Timestamp, str]]


def vendor_colours(vendors: Sequence[str]) -> dict[str, str]:
    """Give each vendor one colourblind-safe colour, fixed by its position, so charts agree."""
    palette = list(OKABE_ITO)
    palette += [c for c in map(to_hex, colormaps["tab10"].colors) if c not in palette]
    unique = list(dict.fromkeys(vendors))
    if len(unique) > len(palette):  # more vendors than named colours: sample a wide colormap
        extra = len(unique) - len(palette)
        palette += [to_hex(colormaps["hsv"](i / extra)) for i in range(extra)]
    return {v: palette[i] for i, v in enumerate(unique)}


def _metric(ts: pd.DataFrame, metric: str, kind: str) -> pd.DataFrame:
    """Rows of one metric; kind is 'vendor', 'client', 'pair' or 'market'."""
    rows = ts[ts["metric"] == metric]
    has_c, has_v = rows["client"] != "", rows["vendor"] != ""
    mask = {"vendor": ~has_c & has_v, "client": has_c & ~has_v, "pair": has_c & has_v}
    return rows[mask.get(kind, ~has_c & ~has_v)]


def _quantiles(rows: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """5%, median and 95% across replicates per (by..., date): columns lo, mid, hi."""
    keys = [*by, "date"]
    q = rows.groupby(keys, observed=True)["value"].quantile(list(QUANTILES)).unstack()
    q.columns = ["lo", "mid", "hi"]
    return q


def _band(
    ax: Axes, q: pd.DataFrame, colour: str, label: str, scale: float = 1.0, **kw: object
) -> None:
    """Median line plus shaded 5-95% band of one series indexed by date."""
    x = q.index.get_level_values("date")
    ax.fill_between(x, q["lo"] * scale, q["hi"] * scale, color=colour, alpha=BAND_ALPHA, lw=0)
    ax.plot(x, q["mid"] * scale, color=colour, lw=2, label=label, **kw)


def _format_dates(ax: Axes, dates: pd.Series) -> None:
    """Year/month date axis spanning exactly the simulated months."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlim(dates.min(), dates.max())
    ax.grid(True, color="#DDDDDD", lw=0.6)
    ax.set_axisbelow(True)


def _draw_events(ax: Axes, events: Events, font: float) -> None:
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


def _band_legend_handle(n_reps: int, colour: str = "#888888", what: str = "") -> Patch:
    """Swatch explaining what the shading is."""
    label = f"{what}5-95% range, {n_reps} replicates"
    return Patch(color=colour, alpha=BAND_ALPHA + 0.15, label=label)


def _save(fig: Figure, path: Path) -> Path:
    """Write a PNG at the shared resolution."""
    fig.savefig(path, dpi=DPI)
    return path


def _market_share(
    ts: pd.DataFrame, vendors: list[str], colours: dict[str, str], events: Events, n_reps: int
) -> Figure:
    """Revenue share per vendor, median and band."""
    fig = Figure(figsize=(10, 5.8), layout="constrained")
    ax = fig.add_subplot()
    rows = _metric(ts, "market_share", "vendor")
    q = _quantiles(rows, ["vendor"])
    for v in vendors:
        if v in q.index.get_level_values("vendor"):
            _band(ax, q.xs(v, level="vendor", drop_level=False), colours[v], v, scale=100)
    _format_dates(ax, rows["date"])
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Share of market revenue (%)")
    ax.set_xlabel("Month")
    ax.set_title(f"Revenue market share by vendor (median of {n_reps} replicates)")
    _draw_events(ax, events, EVENT_FONT)
    handles = [*ax.get_legend_handles_labels()[0], _band_legend_handle(n_reps)]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 6))
    return fig


def _crowd_vs_expert(
    ts: pd.DataFrame, crowd_vendors: list[str], events: Events, n_reps: int
) -> Figure:
    """Combined share of crowd vendors against expert vendors."""
    fig = Figure(figsize=(10, 5.5), layout="constrained")
    ax = fig.add_subplot()
    crowd = ", ".join(crowd_vendors) or "none"
    series = [
        ("crowd_share", CROWD_COLOUR, f"Crowd vendors ({crowd})"),
        ("expert_vendor_share", EXPERT_COLOUR, "Expert vendors (all others)"),
    ]
    dates = ts["date"]
    for metric, colour, label in series:
        rows = _metric(ts, metric, "market")
        if not rows.empty:
            _band(ax, _quantiles(rows, []), colour, label, scale=100)
            dates = rows["date"]
    _format_dates(ax, dates)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Share of market revenue (%)")
    ax.set_xlabel("Month")
    ax.set_title(f"Crowd versus expert vendors (median of {n_reps} replicates)")
    _draw_events(ax, events, EVENT_FONT)
    handles = [*ax.get_legend_handles_labels()[0], _band_legend_handle(n_reps)]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    return fig


def _client_spend(
    ts: pd.DataFrame, vendors: list[str], colours: dict[str, str], events: Events, n_reps: int
) -> Figure:
    """Small multiples: each client's median monthly spend at each vendor, stacked."""
    rows = _metric(ts, "spend", "pair")
    med = rows.groupby(["client", "vendor", "date"], observed=True)["value"].median() / 1e6
    clients = list(dict.fromkeys(rows["client"].astype(str)))
    ncols = min(3, max(len(clients), 1))
    nrows = max(math.ceil(len(clients) / ncols), 1)
    fig = Figure(figsize=(4.4 * ncols, 2.9 * nrows + 0.9), layout="constrained")
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
        _format_dates(ax, rows["date"])
        ax.set_ylim(bottom=0)
        ax.set_title(client, fontsize=10)
        ax.set_ylabel("Spend ($M / month)")
        _draw_events(ax, events, EVENT_FONT - 1)
    for ax in axes[len(clients) :]:
        ax.set_visible(False)
    for ax in axes[: len(clients)][-ncols:]:
        ax.set_xlabel("Month")
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.suptitle(f"Client spend by vendor (median of {n_reps} replicates, stacked)")
    handles = [Patch(color=colours[v], alpha=0.85, label=v) for v in present]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 8))
    return fig


def _largest_crowd_vendor(
    ts: pd.DataFrame,
    crowd_vendors: list[str],
    colours: dict[str, str],
    events: Events,
    n_reps: int,
) -> Figure:
    """Revenue and workforce of the crowd vendor biggest in the first month."""
    revenue = _metric(ts, "revenue", "vendor")
    first = revenue[revenue["month"] == revenue["month"].min()]
    first = first[first["vendor"].isin(list(crowd_vendors))]
    if first.empty:  # keep the file set fixed: say why there is nothing to draw
        fig = Figure(figsize=(10, 3), layout="constrained")
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No crowd vendor in this scenario", ha="center", va="center")
        fig.suptitle("Largest crowd vendor")
        return fig
    vendor = str(first.groupby("vendor", observed=True)["value"].median().idxmax())
    colour = colours.get(vendor, CROWD_COLOUR)
    fig = Figure(figsize=(10, 7.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1))
    _band(top, _quantiles(revenue[revenue["vendor"] == vendor], []), colour, "Revenue", 1e-6)
    top.set_ylim(bottom=0)
    top.set_ylabel("Revenue ($M / month)")
    top.set_title("Monthly revenue (median and 5-95% band)")
    styles = {"workforce": "-", "workforce_generalist": "--", "workforce_expert": ":"}
    names = {
        "workforce": "Workforce: all",
        "workforce_generalist": "Workforce: generalists",
        "workforce_expert": "Workforce: experts",
    }
    for metric, style in styles.items():
        rows = _metric(ts, metric, "vendor")
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
        _format_dates(ax, revenue["date"])
        _draw_events(ax, events, EVENT_FONT)
    fig.suptitle(f"{vendor}: largest crowd vendor at start (median of {n_reps} replicates)")
    handles = [
        Line2D([], [], color=colour, lw=2, label="Revenue: median"),
        _band_legend_handle(n_reps, colour, "Revenue: "),
        *bottom.get_legend_handles_labels()[0],
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3)
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
    figures = [
        ("market_share.png", _market_share(ts, vendors, colours, events, n_reps)),
        ("crowd_vs_expert.png", _crowd_vs_expert(ts, crowd, events, n_reps)),
        ("client_spend.png", _client_spend(ts, vendors, colours, events, n_reps)),
        ("largest_crowd_vendor.png", _largest_crowd_vendor(ts, crowd, colours, events, n_reps)),
    ]
    return [_save(fig, out_dir / name) for name, fig in figures]
