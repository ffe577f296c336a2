"""The scenario in words and tables: who is in the market, what happens, the key knobs.

It follows the results in the report: a reader first sees what happened, then the world it
happened in. Each vendor's numbers are given per tier in their own columns, each event in
words with its amounts formatted (`stake 49%, amount $14.3B, the vendor's founder joins the
investor`), each parameter with the unit and meaning its declaration gives it.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from labelmarket.model.results.run import business_model_members
from labelmarket.model.scenario.listing import parameter_rows
from labelmarket.report import units
from labelmarket.report.html import Cell, table

TIERS = ("generalist", "expert")
VENDOR_COLUMNS = {
    "name": "vendor (model)",
    **{f"workforce_{t}": t for t in TIERS},
    **{f"quality_{t}": t for t in TIERS},
    **{f"price_{t}": t for t in TIERS},
    **{f"wage_{t}": t for t in TIERS},
}
VENDOR_GROUPS = [
    ("", 1),
    ("workers at start", 2),
    ("quality (0-1)", 2),
    ("price per task-hour", 2),
    ("pay per worker-month", 2),
]
CLIENT_COLUMNS = {
    "name": "client",
    "segment": "segment",
    "budget": "budget at start",
    "growth": "budget growth",
    "expert": "expert share",
    "quality": "quality",
    "price": "price",
    "conflict": "conflict",
    "vendors": "vendors at start",
}
CLIENT_GROUPS = [("", 5), ("sensitivity to", 3), ("", 1)]
SEGMENTS = {  # segment -> (one, many), as the report names them
    "lab": ("AI lab", "AI labs"),
    "enterprise": ("enterprise segment", "enterprise segments"),
}
NOTES = {"enterprise": ", standing for the buyers outside the AI labs"}


def intro(s: dict[str, Any], events: list) -> str:
    """Who is in the market and what happens, in two sentences."""
    members = business_model_members([(v["name"], v.get("model")) for v in s["vendors"]])
    models = "; ".join(f"{m} vendors {', '.join(names) or 'none'}" for m, names in members.items())
    budget = sum(c["budget"] for c in s["clients"])
    groups = [
        f"{_count(names, SEGMENTS.get(segment, (segment, segment)))} ({', '.join(names)})"
        + NOTES.get(segment, "")
        for segment, names in _by_segment(s["clients"]).items()
    ]
    n = len(events)
    happens = "No event is scheduled." if not n else "One scheduled event fires (below)."
    happens = f"{n} scheduled events fire (below)." if n > 1 else happens
    return (
        f"<p>{escape(s.get('description') or '')}</p><p>The market runs monthly from "
        f"{escape(s['start'])} to {escape(s['end'])}. {len(s['vendors'])} vendors sell labelling: "
        f"{escape(models)}. {len(s['clients'])} clients buy it: "
        f"{escape(' and '.join(groups))}, with {escape(units.money(budget))} a month between "
        f"them at the start. {happens}</p>"
    )


def _by_segment(clients: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Client names grouped by segment, in the scenario's order."""
    groups: dict[str, list[str]] = {}
    for c in clients:
        groups.setdefault(c.get("segment") or "other", []).append(c["name"])
    return groups


def _count(names: list[str], words: tuple[str, str]) -> str:
    """'one AI lab', 'six AI labs'."""
    numbers = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    n = len(names)
    return f"{numbers[n] if n < len(numbers) else n} {words[0] if n == 1 else words[1]}"


def _vendor_row(v: dict[str, Any]) -> dict[str, Any]:
    """One vendor's starting numbers, a column per tier."""
    row: dict[str, Any] = {"name": f"{v['name']} ({v.get('model', '')})"}
    for t in TIERS:
        row[f"workforce_{t}"] = Cell(f"{v['workforce'][t]:,.0f}", "num")
        row[f"quality_{t}"] = Cell(f"{v['quality'][t]:.2f}", "num")
        row[f"price_{t}"] = Cell(units.money(v["price"][t]), "num")
        row[f"wage_{t}"] = Cell(units.money(v["wage"][t]), "num")
    return row


def _client_row(c: dict[str, Any]) -> dict[str, Any]:
    """One client's starting budget, mix, sensitivities and incumbents."""
    return {
        "name": c["name"],
        "segment": SEGMENTS.get(c.get("segment", ""), (c.get("segment", ""),))[0],
        "budget": Cell(units.money(c["budget"]) + " / month", "num"),
        "growth": Cell(f"{c.get('budget_growth', 0):.1%} / month", "num"),
        "expert": Cell(f"{c.get('expert_share', 0):.0%}", "num"),
        "quality": Cell(f"{c.get('quality_sensitivity')}", "num"),
        "price": Cell(f"{c.get('price_sensitivity')}", "num"),
        "conflict": Cell(f"{c.get('conflict_sensitivity')}", "num"),
        "vendors": ", ".join(f"{k} {v:.0%}" for k, v in (c.get("current_vendors") or {}).items()),
    }


def scenario_section(s: dict[str, Any], events: list[tuple[pd.Timestamp, str]]) -> str:
    """The scenario: sentences, vendors, clients, events, key market parameters."""

    declared = {path: (unit, meaning) for path, unit, _, meaning in parameter_rows()}
    events_rows = [
        _event_row(e, label, declared)
        for e, (_, label) in zip(s.get("events", []), events, strict=False)
    ]
    market = _market_rows(s.get("market", {}), declared)
    event_columns = {"month": "month", "label": "event", "details": "details"}
    return (
        intro(s, events)
        + "<h3>Vendors at the start</h3>"
        + table(
            [_vendor_row(v) for v in s["vendors"]],
            VENDOR_COLUMNS,
            "scenario-vendors",
            VENDOR_GROUPS,
        )
        + "<h3>Clients at the start</h3>"
        + table(
            [_client_row(c) for c in s["clients"]],
            CLIENT_COLUMNS,
            "scenario-clients",
            CLIENT_GROUPS,
        )
        + "<h3>Events</h3>"
        + table(events_rows, event_columns, "events")
        + "<h3>Key market parameters</h3>"
        + table(
            market,
            {"name": "parameter", "value": "value", "unit": "unit", "meaning": "meaning"},
            "parameters",
        )
    )


def _market_rows(market: dict[str, Any], declared: dict) -> list[dict[str, Any]]:
    """Market parameters with the unit and meaning their declarations give them."""
    rows = []
    for name, value in market.items():
        unit, meaning = declared.get(f"market.{name}", ("", ""))
        rows.append(
            {
                "name": name.replace("_", " "),
                "value": _value(value, unit),
                "unit": unit,
                "meaning": Cell(meaning, "small"),
            }
        )
    return rows


def _event_row(event: dict[str, Any], label: str, declared: dict) -> dict[str, str]:
    """One event: its month, its label and its fields in words."""
    kind = event["type"]
    details = []
    for key, value in event.items():
        if key in ("month", "type", "label") or value is None:
            continue
        unit, meaning = declared.get(f"events[type={kind}].{key}", ("", ""))
        if isinstance(value, bool):  # a switch: its meaning when on, nothing when off
            if value:
                details.append(meaning.rstrip(".").lower() or key.replace("_", " "))
            continue
        details.append(f"{key.replace('_', ' ')} {_value(value, unit)}")
    return {
        "month": str(event["month"]),
        "label": f"{label} ({kind.replace('_', ' ')})",
        "details": "; ".join(details),
    }


def _value(value: Any, unit: str) -> str:
    """A parameter's value in its unit: $14.3B, 49%, 0.25, a name as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if unit == "$":
        return units.money(value)
    if unit in ("share", "ownership share"):
        return f"{value:.0%}" if abs(value * 100 - round(value * 100)) < 1e-9 else f"{value:.1%}"
    return f"{value:,.4g}"
