"""The dashboard's three charts as Vega-Lite specifications (`dashboard.rows` feeds them).

A spec is built once per market (its vendors, colours, titles, the baseline's name); a
month only sends new rows, which the page's Vega view swaps in (`dashboard.vega`), so a
step redraws in the browser without rebuilding anything. Values show on hover; y axes fit
the data shown; the scenario's lines are solid, the baseline's dashed, the 5-95% band over
replicates shaded. The specs are Vega-Lite 5 (what solara's offline assets serve), written
as plain dicts: building them with Altair 6 would emit Vega-Lite 6.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FONT = 12  # px, every text of the charts (the page's own text is larger)
HEIGHT = 190  # px of plot area: two rows of charts fit a 720 px window
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # a name, never fetched
CONFIG = {
    "font": "system-ui, -apple-system, 'Segoe UI', sans-serif",
    "axis": {"labelFontSize": FONT, "titleFontSize": FONT, "titleFontWeight": "normal"},
    "legend": {"labelFontSize": FONT, "titleFontSize": FONT},
    "title": {"fontSize": 14, "anchor": "start", "fontWeight": 600},
    "view": {"stroke": None},
}


def _base(title: str) -> dict[str, Any]:
    """What every chart shares: data by name, width of its box, fonts."""
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
        "data": {"name": "rows"},
        "config": CONFIG,
    }


def _day(when: pd.Timestamp) -> dict[str, int]:
    """A Vega-Lite date."""
    return {"year": when.year, "month": when.month, "date": when.day}


HOVER = {
    "name": "hover",
    "select": {
        "type": "point",
        "on": "mouseover",
        "nearest": True,
        "fields": ["date"],
        "clear": "mouseout",
    },
}
"""The month nearest the pointer: its points show, with their values in a tooltip."""
LAST_MONTH = [
    {"joinaggregate": [{"op": "max", "field": "t", "as": "last"}]},
    {"filter": "datum.t == datum.last"},
]


def _colour(vendors: list[str], colours: list[str]) -> dict[str, Any]:
    """Each vendor in its colour (the page carries the legend)."""
    scale = {"domain": vendors, "range": colours}
    return {"field": "vendor", "type": "nominal", "legend": None, "scale": scale}


def _tooltip(unit: str) -> list[dict[str, Any]]:
    """What hovering a point reads out."""
    return [
        {"field": "vendor", "title": "vendor"},
        {"field": "run", "title": "scenario"},
        {"field": "date", "type": "temporal", "format": "%B %Y", "title": "month"},
        {"field": "value", "type": "quantitative", "format": ".1f", "title": unit},
        {"field": "range", "title": "5-95% of replicates"},
    ]


def lines_spec(
    title: str,
    unit: str,
    vendors: list[str],
    colours: list[str],
    runs: list[str],
    dates: pd.DatetimeIndex,
) -> dict[str, Any]:
    """Vendor lines over time (scenario solid, baseline dashed), bands, a hover read-out; the
    time axis spans the whole horizon (the lines grow along it), the y axis fits the data."""
    colour, tooltip = _colour(vendors, colours), _tooltip(unit)
    y = {
        "field": "value",
        "type": "quantitative",
        "title": unit,
        "scale": {"zero": False, "nice": True},
    }
    x = {
        "field": "date",
        "type": "temporal",
        "title": None,
        "axis": {"format": "%b %Y", "labelOverlap": True, "tickCount": 6},
        "scale": {"domain": [_day(dates[0]), _day(dates[-1])]},
    }
    dashes = {"domain": runs, "range": [[1, 0], [6, 3]][: len(runs)]}
    dash = {"field": "run", "type": "nominal", "legend": None, "scale": dashes}
    shown = {"condition": {"param": "hover", "empty": False, "value": 1}, "value": 0}
    band = {
        "y": {**y, "field": "lo"},
        "y2": {"field": "hi"},
        "color": colour,
        "detail": {"field": "run"},
    }
    return {
        **_base(title),
        "encoding": {"x": x},
        "layer": [
            {"transform": [{"filter": "isValid(datum.lo)"}],
             "mark": {"type": "area", "opacity": 0.14}, "encoding": band},
            {"mark": {"type": "line", "strokeWidth": 2},
             "encoding": {"y": y, "color": colour, "strokeDash": dash,
                          "detail": {"field": "run"}}},
            {"params": [HOVER], "mark": {"type": "point", "filled": True, "size": 45},
             "encoding": {"y": y, "color": colour, "tooltip": tooltip, "opacity": shown}},
            {"transform": LAST_MONTH, "mark": {"type": "point", "filled": True, "size": 40},
             "encoding": {"y": y, "color": colour, "tooltip": tooltip}},
            {"transform": [{"filter": {"param": "hover", "empty": False}}],
             "mark": {"type": "rule", "color": "#999999"}, "encoding": {}},
        ],
    }  # fmt: skip


def allocation_spec(vendors: list[str], colours: list[str], rows: list[str]) -> dict[str, Any]:
    """Each client's split of last month's spend by vendor, the baseline's bar under it."""
    colour = {
        "field": "vendor",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": vendors, "range": colours},
    }
    y = {
        "field": "row",
        "type": "nominal",
        "sort": rows,
        "title": None,
        "axis": {"labelLimit": 170},
    }
    tooltip = [
        {"field": "row", "title": "client"},
        {"field": "vendor", "title": "vendor"},
        {"field": "money", "title": "spend per month"},
        {"field": "share", "type": "quantitative", "format": ".1f", "title": "share (%)"},
    ]
    spec = _base("How each client splits its spend (month shown)")
    spec["height"] = max(HEIGHT, 15 * len(rows))
    return {
        **spec,
        "encoding": {"y": y},
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {
                        "field": "share",
                        "type": "quantitative",
                        "stack": "zero",
                        "scale": {"domain": [0, 135]},  # room for the totals inside
                        "axis": {"values": [0, 20, 40, 60, 80, 100]},
                        "title": "share of the client's spend (%), total at the right",
                    },
                    "color": colour,
                    "order": {"field": "order"},
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"filter": "datum.order == 0"}],
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": FONT},
                "encoding": {"x": {"datum": 101}, "text": {"field": "total"}},
            },
        ],
    }
