"""Sweep outcomes and parameters named for a reader: `Scale AI's 2026 revenue`, not
`revenue_2026[Scale AI]`.

Charts title and label with these names, and the sweep report uses them for its tables
and captions, so a column name never reaches the page.
"""

from __future__ import annotations

from typing import Any

from labelmarket.model.core.business_models import BUSINESS_MODELS
from labelmarket.model.experiments.outcomes import outcome_name
from labelmarket.model.experiments.sweep_file import OutcomeSpec

SHARES = {m.share_metric: f"{m.name} vendors' share of revenue" for m in BUSINESS_MODELS}
"""Each business model's share metric, named after the model (the registry's words)."""
WHAT = {
    "revenue": "revenue",
    "spend": "spend",
    "market_share": "market share",
    "workforce": "workforce",
    "valuation": "valuation",
    "unserved": "unserved demand",
    "defections": "defections",
    "hhi": "market concentration (HHI)",
    **SHARES,
}
STOCKS = {"workforce", "valuation", "market_share", "hhi", *SHARES}


def outcome_title(outcome: dict[str, Any]) -> str:
    """`Scale AI's 2026 revenue`, `month Google first leaves Scale AI`, `defections from
    Scale AI over the horizon`; a name the sweep file gave is kept; `, against the baseline`
    when the outcome is a difference."""
    metric = outcome.get("metric")
    if (metric not in WHAT and metric != "leave_month") or _named(outcome):
        return str(outcome["name"])
    vendor, client, year = outcome.get("vendor"), outcome.get("client"), outcome.get("year")
    if metric == "leave_month":
        text = f"month {client} first leaves {vendor}"
    elif metric == "spend":
        text = f"{client}'s {'' if year is None else f'{year} '}spend at {vendor}"
    elif metric == "defections":
        who = " ".join(
            p for p in (f"by {client}" if client else "", f"from {vendor}" if vendor else "") if p
        )
        text = f"defections {who} {_period(year, metric)}".replace("  ", " ")
    else:
        owner = f"{vendor or client}'s " if (vendor or client) else ""
        if metric in STOCKS or year is None:
            text = f"{owner}{WHAT[metric]} {_period(year, metric)}"
        else:
            text = f"{owner}{year} {WHAT[metric]}"
    text = text.strip()
    return text + (", against the baseline" if outcome.get("versus_baseline") else "")


def _named(outcome: dict[str, Any]) -> bool:
    """The sweep file named the outcome itself (its name is not the derived one)."""

    fields = {k: outcome.get(k) for k in ("metric", "vendor", "client", "year", "versus_baseline")}
    try:
        derived = outcome_name(OutcomeSpec(**{k: v for k, v in fields.items() if v is not None}))
    except ValueError:
        return True
    return outcome.get("name") not in (None, derived)


def _period(year: int | None, metric: str) -> str:
    """Over a year, over the horizon, or at the end."""
    if metric in STOCKS:
        return "at the end" if year is None else f"at the end of {year}"
    return f"in {year}" if year is not None else "over the horizon"


def capitalised(text: str) -> str:
    """The first letter up, the rest as written (names keep their case)."""
    return text[:1].upper() + text[1:]


def parameter_label(parameter: dict[str, Any]) -> str:
    """`clients.*.conflict_sensitivity (utility / ownership share)`: the path a sweep file
    writes (so a reader can find it) and its unit."""
    unit = parameter.get("unit")
    return f"{parameter['path']} ({unit})" if unit else str(parameter["path"])
