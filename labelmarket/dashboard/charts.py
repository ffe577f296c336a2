"""The dashboard's three charts, fast enough to redraw after every simulated month.

Each chart's still parts (axes, grid, ticks, event lines and labels) are drawn once per
market and kept as a bitmap; a step restores that bitmap and draws only what moved (lines,
bars, totals) on it, the way matplotlib's animations blit, then encodes the PNG: tens of
milliseconds instead of a full redraw. An axis whose data outgrow it is redrawn once with
more headroom. Before the first month the charts show the scenario's starting point on real
axes. One vendor legend for all three sits on the page, in these colours.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imsave

from labelmarket.model.charts.style import (
    GRID_COLOUR,
    STYLE,
    draw_events,
    format_dates,
    format_money,
    percent_axis,
    vendor_colours,
)

if TYPE_CHECKING:
    from matplotlib.artist import Artist

    from labelmarket.dashboard.model import DashboardModel

SIZE = (5.8, 3.5)  # inches at DPI: the width of half the page's chart area, fonts at 1:1
DPI = 100
LARGER = {**STYLE, "axes.titlesize": 13, "axes.labelsize": 12, "xtick.labelsize": 11,
          "ytick.labelsize": 11}  # fmt: skip
MARGINS = {"left": 0.13, "right": 0.97, "top": 0.88, "bottom": 0.13}
EVENT_FONT = 10.0


def month_label(model: DashboardModel) -> str:
    """The month last simulated, for titles and the status line."""
    if not model.records:
        return f"start ({model.dates[0]:%B %Y})"
    return f"{model.dates[len(model.records) - 1]:%B %Y}"


class LiveChart:
    """One figure: still parts kept as a bitmap, moving artists drawn over it each month."""

    def __init__(self, title: str, left: float = MARGINS["left"]):
        with mpl.rc_context(LARGER):
            self.fig = Figure(figsize=SIZE, dpi=DPI)
            self.canvas = FigureCanvasAgg(self.fig)
            self.fig.subplots_adjust(**{**MARGINS, "left": left})
            self.ax = self.fig.add_subplot()
            self.title = self.ax.set_title(title, loc="left")
        self.moving: list[Artist] = []  # titles are still: the page header gives the month
        self.background = None

    def animated(self, *artists: Artist) -> None:
        """Mark artists as moving: left out of the kept bitmap, drawn every month."""
        for artist in artists:
            artist.set_animated(True)
            self.moving.append(artist)

    def still(self) -> None:
        """Draw the still parts and keep them (after the axes change)."""
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)

    def png(self) -> bytes:
        """Restore the still bitmap, draw the moving artists, encode."""
        if self.background is None:
            self.still()
        self.canvas.restore_region(self.background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        buffer = io.BytesIO()
        pixels = np.asarray(self.canvas.buffer_rgba())[..., :3]  # opaque: RGB is enough
        imsave(buffer, pixels, format="png", pil_kwargs={"compress_level": 1})
        return buffer.getvalue()


class MarketShare(LiveChart):
    """Each vendor's share of market revenue, month by month so far."""

    def __init__(self, model: DashboardModel):
        super().__init__("Market share by vendor, month by month")
        colours = vendor_colours(model.world.vendors)
        with mpl.rc_context(LARGER):
            format_dates(self.ax, model.dates, max_ticks=8)
            self.lines = [self.ax.plot([], [], color=colours[v], lw=2, marker="o", ms=2.5)[0]
                          for v in model.world.vendors]  # fmt: skip
            self.ax.set_ylim(0, 100)
            percent_axis(self.ax, "Share of market revenue")
            draw_events(self.ax, model.event_marks(), EVENT_FONT)
            self.hint = self.ax.text(0.5, 0.45, "Press Step or Play: shares appear from the "
                                     "first month", transform=self.ax.transAxes, ha="center",
                                     color="#777777")  # fmt: skip
        self.animated(*self.lines, self.hint)

    def update(self, model: DashboardModel) -> None:
        """The lines up to the month shown."""
        revenue = model.history("revenue")
        total = revenue.sum(axis=1, keepdims=True)
        share = np.divide(revenue, total, out=np.zeros_like(revenue), where=total > 0) * 100
        x = model.dates[: len(share)]
        for v, line in enumerate(self.lines):
            line.set_data(x, share[:, v])
        self.hint.set_visible(not len(share))


class Workforce(LiveChart):
    """Each vendor's workers (both tiers) month by month; before the first, the start."""

    def __init__(self, model: DashboardModel):
        super().__init__("Vendor workforce (both tiers)")
        colours = vendor_colours(model.world.vendors)
        self.events = model.event_marks()
        with mpl.rc_context(LARGER):
            format_dates(self.ax, model.dates, max_ticks=8)
            self.lines = [self.ax.plot([], [], color=colours[v], lw=2, marker="o", ms=3,
                                       clip_on=False)[0] for v in model.world.vendors]  # fmt: skip
            self.ax.set_ylabel("Workers (thousands)")
        self.animated(*self.lines)
        self.top = 0.0

    def update(self, model: DashboardModel) -> None:
        """The lines up to the month shown; more headroom (one full redraw) when they need it."""
        if model.records:
            series = model.history("workforce").sum(axis=-1).T / 1e3  # (V, months so far)
        else:
            start = [[v.workforce.generalist + v.workforce.expert] for v in model.spec.vendors]
            series = np.array(start) / 1e3
        x = model.dates[: series.shape[1]]
        for v, line in enumerate(self.lines):
            line.set_data(x, series[v])
            line.set_markersize(7 if series.shape[1] == 1 else 3)  # the start alone: visible
        if series.max() > self.top:
            self.top = float(series.max()) * 1.3
            with mpl.rc_context(LARGER):
                for artist in [*self.ax.lines, *self.ax.texts]:
                    if artist not in self.lines:
                        artist.remove()
                self.ax.set_ylim(0, self.top)
                draw_events(self.ax, self.events, EVENT_FONT)
            self.background = None


class Allocation(LiveChart):
    """How each client splits its spend over vendors, and how much it spends, this month."""

    def __init__(self, model: DashboardModel):
        super().__init__("How each client splits its spend (month shown)", left=0.17)
        colours = vendor_colours(model.world.vendors)
        clients = list(model.world.clients)
        with mpl.rc_context(LARGER):
            self.bars = [self.ax.barh(clients, np.zeros(len(clients)), color=colours[v])
                         for v in model.world.vendors]  # fmt: skip
            self.ax.invert_yaxis()
            self.ax.set_xlim(0, 100)
            self.ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter())
            self.ax.set_xlabel("Share of the client's spend (total at the right)")
            self.ax.grid(True, axis="x", color=GRID_COLOUR, lw=0.6)
            self.ax.set_axisbelow(True)
            self.totals = [self.ax.text(101, i, "", va="center", fontsize=10, clip_on=False)
                           for i in range(len(clients))]  # fmt: skip
        self.fig.subplots_adjust(right=0.88, bottom=0.17)
        self.animated(*[p for bars in self.bars for p in bars], *self.totals)

    def update(self, model: DashboardModel) -> None:
        """Bars for last month's spend; before it, the scenario's starting split."""
        vendors = list(model.world.vendors)
        if model.records:
            spend = model.last("spend").sum(axis=-1)  # (C, V)
        else:
            spend = np.zeros((len(model.world.clients), len(vendors)))
            for c, spec in enumerate(model.spec.clients):
                for name, share in (spec.current_vendors or {}).items():
                    spend[c, vendors.index(name)] = share * spec.budget
        total = spend.sum(axis=1)
        share = np.divide(spend, total[:, None], out=np.zeros_like(spend),
                          where=total[:, None] > 0) * 100  # fmt: skip
        left = np.zeros(len(total))
        for v, bars in enumerate(self.bars):
            for c, patch in enumerate(bars):
                patch.set_x(left[c])
                patch.set_width(share[c, v])
            left += share[:, v]
        for text, amount in zip(self.totals, total, strict=True):
            text.set_text(format_money(amount))


class DashboardCharts:
    """A market's three live charts; rebuilt when the market is (reset, a control moved)."""

    def __init__(self, model: DashboardModel):
        self.charts = {
            "market share": MarketShare(model),
            "workforce": Workforce(model),
            "allocation": Allocation(model),
        }

    def render(self, model: DashboardModel) -> dict[str, bytes]:
        """Every chart at the month the model shows, as PNG bytes."""
        images = {}
        for name, chart in self.charts.items():
            chart.update(model)
            images[name] = chart.png()
        return images
