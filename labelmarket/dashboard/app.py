"""The Solara page behind `labelmarket dashboard`: SolaraViz with the market's live charts.

`solara run labelmarket/dashboard/app.py` serves `page`; the scenario comes from
$LABELMARKET_DASHBOARD_SCENARIO (set by the command). Charts use the shared chart style, so
vendors keep the colours they have in run charts and reports. Sliders change the parameters
a model is built with: move them, press Reset, then Step or Play.
"""

from __future__ import annotations

import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from labelmarket.dashboard.model import DashboardModel, scenario_path, slider_params
from labelmarket.model.charts.style import (
    chart_style,
    draw_events,
    format_dates,
    legend_below,
    money_axis,
    new_figure,
    percent_axis,
    vendor_colours,
)


def _axes_over_time(fig: Figure, model: DashboardModel):
    """One axes with the whole horizon on a date axis and the events drawn."""
    ax = fig.add_subplot()
    format_dates(ax, model.dates)
    return ax


def market_share_figure(model: DashboardModel) -> Figure:
    """Each vendor's share of market revenue, month by month so far."""
    colours = vendor_colours(model.world.vendors)
    with chart_style():
        fig = new_figure(7.5, 4.2)
        ax = _axes_over_time(fig, model)
        revenue = model.history("revenue")
        total = revenue.sum(axis=1, keepdims=True)
        share = np.divide(revenue, total, out=np.zeros_like(revenue), where=total > 0) * 100
        x = model.dates[: len(share)]
        for v, name in enumerate(model.world.vendors):
            ax.plot(x, share[:, v], color=colours[name], lw=2, label=name, marker="o", ms=2.5)
        ax.set_ylim(0, 100)
        percent_axis(ax, "Share of market revenue")
        ax.set_title(f"Market share by vendor, {_month(model)}")
        draw_events(ax, model.event_marks())
        legend_below(fig, ax.get_legend_handles_labels()[0])
    return fig


def allocation_figure(model: DashboardModel) -> Figure:
    """Last month's spend of each client split over vendors (stacked bars)."""
    colours = vendor_colours(model.world.vendors)
    with chart_style():
        fig = new_figure(7.5, 4.2)
        ax = fig.add_subplot()
        spend = model.last("spend").sum(axis=-1)  # (C, V)
        left = np.zeros(len(model.world.clients))
        for v, name in enumerate(model.world.vendors):
            ax.barh(model.world.clients, spend[:, v], left=left, color=colours[name], label=name)
            left += spend[:, v]
        ax.invert_yaxis()
        money_axis(ax, "Spend in the month ($)", axis="x")
        ax.set_title(f"Client allocations, {_month(model)}")
        ax.grid(True, axis="x", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        legend_below(fig, ax.get_legend_handles_labels()[0])
    return fig


def workforce_figure(model: DashboardModel) -> Figure:
    """Each vendor's workforce (both tiers), month by month so far."""
    colours = vendor_colours(model.world.vendors)
    with chart_style():
        fig = new_figure(7.5, 4.2)
        ax = _axes_over_time(fig, model)
        workforce = model.history("workforce").sum(axis=-1) / 1e3
        x = model.dates[: len(workforce)]
        for v, name in enumerate(model.world.vendors):
            ax.plot(x, workforce[:, v], color=colours[name], lw=2, label=name)
        ax.set_ylim(bottom=0)
        ax.set_ylabel("Workers (thousands)")
        ax.set_title(f"Vendor workforce, {_month(model)}")
        draw_events(ax, model.event_marks())
        legend_below(fig, ax.get_legend_handles_labels()[0])
    return fig


def _month(model: DashboardModel) -> str:
    """The month last simulated, for titles."""
    if not model.records:
        return "before the first month"
    return f"{model.dates[len(model.records) - 1]:%B %Y}"


def _chart(draw):
    """A SolaraViz component redrawing `draw(model)` after every step or reset."""

    @solara.component
    def Chart(model: DashboardModel) -> None:
        update_counter.get()
        solara.FigureMatplotlib(
            draw(model), format="png", dependencies=[id(model), model.steps, update_counter.value]
        )

    return Chart


@solara.component
def Status(model: DashboardModel) -> None:
    """Where the model is and when its events fire (slider values, as dates)."""
    update_counter.get()
    events = "; ".join(f"{label}: {when:%Y-%m}" for when, label in model.event_marks())
    solara.Markdown(
        f"**{model.spec.name}**, {_month(model)} (step {len(model.records)} of "
        f"{model.world.months}). Events: {events or 'none'}."
    )


def build_page(path=None):
    """The SolaraViz element for a scenario file."""
    path = path or scenario_path()
    params = slider_params(path)
    model = DashboardModel(scenario_file=str(path))
    components = [
        (Status, 0),
        (_chart(market_share_figure), 0),
        (_chart(allocation_figure), 0),
        (_chart(workforce_figure), 0),
    ]
    return SolaraViz(model, components=components, model_params=params, name="labelmarket")


page = build_page()
