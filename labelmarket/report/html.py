"""One self-contained HTML page a colleague can read without the tool.

Charts are embedded as base64 PNGs and the style sheet is inline, so the file opens offline
and can be mailed as it is. Every text from the run is HTML-escaped.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelmarket.model.charts.style import format_money
from labelmarket.model.results.run_folder import Run

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1150px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#555}.lead{color:#444}.note{color:#666;font-size:.9em}
pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.8em}code{font-size:.95em}
.up{background:#dff3e4}.down{background:#fbe1dd}td.pass{background:#dff3e4;font-weight:600}
td.miss{background:#fbe1dd;font-weight:600}table.comparison td.num{white-space:nowrap}
td.small{font-size:.85em;color:#444;white-space:pre-line}
"""


@dataclass(frozen=True)
class Cell:
    """A table cell with a class (alignment, colour) of its own."""

    text: str
    cls: str = ""


def table(rows: list[dict[str, Any]], columns: dict[str, str], cls: str = "") -> str:
    """An HTML table of rows (dicts) with the given column keys and headings."""
    if not rows:
        return '<p class="note">(none)</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in columns.values())
    body = []
    for row in rows:
        cells = []
        for key in columns:
            value = row.get(key, "")
            if isinstance(value, Cell):
                cells.append(f'<td class="{escape(value.cls)}">{escape(value.text)}</td>')
                continue
            num = isinstance(value, int | float) and not isinstance(value, bool)
            text = f"{value:,.4g}" if isinstance(value, float) else str(value)
            cells.append(
                f'<td class="num">{escape(text)}</td>' if num else f"<td>{escape(text)}</td>"
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def figure(png: Path | bytes, caption: str) -> str:
    """An embedded chart with its caption."""
    data = png if isinstance(png, bytes) else Path(png).read_bytes()
    src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return (
        f'<figure><img src="{src}" alt="{escape(caption)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def interval(values: np.ndarray, fmt: Any) -> str:
    """'median [5%, 95%]' of per-replicate values."""
    lo, mid, hi = np.percentile(np.asarray(values, dtype=float), [5, 50, 95])
    return f"{fmt(mid)} [{fmt(lo)}, {fmt(hi)}]"


VENDOR_COLUMNS = {
    "name": "vendor",
    "model": "model",
    "workforce": "workers (generalist / expert)",
    "quality": "quality",
    "price": "price per task-hour",
    "wage": "pay per worker-month",
}
CLIENT_COLUMNS = {
    "name": "client",
    "segment": "segment",
    "budget": "budget at start",
    "growth": "budget growth",
    "expert": "expert share",
    "sens": "sensitivity: quality / price / conflict",
    "vendors": "vendors at start",
}


def _intro(s: dict[str, Any], events: list) -> str:
    """Who is in the market and what happens, in two sentences."""
    crowd = [v["name"] for v in s["vendors"] if v.get("model") == "crowd"]
    expert = [v["name"] for v in s["vendors"] if v.get("model") != "crowd"]
    budget = sum(c["budget"] for c in s["clients"])
    groups = [
        f"{_count(names, SEGMENTS.get(segment, (segment, segment)))} ({', '.join(names)})"
        + NOTES.get(segment, "")
        for segment, names in _by_segment(s["clients"]).items()
    ]
    buyers = " and ".join(groups)
    happens = (
        (
            f"{len(events)} scheduled events fire (below)."
            if len(events) > 1
            else "One scheduled event fires (below)."
        )
        if events
        else "No event is scheduled."
    )
    return (
        f"<p>{escape(s.get('description') or '')}</p><p>The market runs monthly from "
        f"{escape(s['start'])} to {escape(s['end'])}. {len(s['vendors'])} vendors sell labelling: "
        f"crowd vendors {escape(', '.join(crowd) or 'none')}; expert networks "
        f"{escape(', '.join(expert) or 'none')}. {len(s['clients'])} clients buy it: "
        f"{escape(buyers)}, with {escape(format_money(budget))} a month between them at the "
        f"start. {happens}</p>"
    )


SEGMENTS = {  # segment -> (one, many), as the report names them
    "lab": ("AI lab", "AI labs"),
    "enterprise": ("enterprise segment", "enterprise segments"),
}
NOTES = {"enterprise": ", standing for the buyers outside the AI labs"}


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


def _vendor_row(v: dict[str, Any]) -> dict[str, str]:
    """One vendor's starting numbers, per tier as generalist / expert."""
    pair = lambda key, fmt: " / ".join(fmt.format(v[key][t]) for t in ("generalist", "expert"))  # noqa: E731
    return {
        "name": v["name"],
        "model": v.get("model", ""),
        "workforce": pair("workforce", "{:,.0f}"),
        "quality": pair("quality", "{:.2f}"),
        "price": pair("price", "${:,.0f}"),
        "wage": pair("wage", "${:,.0f}"),
    }


def _client_row(c: dict[str, Any]) -> dict[str, str]:
    """One client's starting budget, mix, sensitivities and incumbents."""
    return {
        "name": c["name"],
        "segment": SEGMENTS.get(c.get("segment", ""), (c.get("segment", ""),))[0],
        "budget": format_money(c["budget"]) + " / month",
        "growth": f"{c.get('budget_growth', 0):.1%} / month",
        "expert": f"{c.get('expert_share', 0):.0%}",
        "sens": f"{c.get('quality_sensitivity')} / {c.get('price_sensitivity')} / "
        f"{c.get('conflict_sensitivity')}",
        "vendors": ", ".join(f"{k} {v:.0%}" for k, v in (c.get("current_vendors") or {}).items()),
    }


def scenario_words(run: Run, events: list[tuple[pd.Timestamp, str]]) -> str:
    """The scenario in sentences and tables: who is in the market, what happens, key knobs."""
    s = run.scenario
    events_rows = [
        _event_row(e, label) for e, (_, label) in zip(s.get("events", []), events, strict=False)
    ]
    market = _market_rows(s.get("market", {}))
    event_columns = {"month": "month", "type": "event", "label": "label", "details": "details"}
    return (
        _intro(s, events)
        + "<h3>Vendors</h3>"
        + table([_vendor_row(v) for v in s["vendors"]], VENDOR_COLUMNS)
        + "<h3>Clients</h3>"
        + table([_client_row(c) for c in s["clients"]], CLIENT_COLUMNS)
        + "<h3>Events</h3>"
        + table(events_rows, event_columns)
        + "<h3>Key market parameters</h3>"
        + table(
            market, {"name": "parameter", "value": "value", "unit": "unit", "meaning": "meaning"}
        )
    )


def _market_rows(market: dict[str, Any]) -> list[dict[str, Any]]:
    """Market parameters with the unit and meaning their declarations give them."""
    from labelmarket.model.scenario.listing import parameter_rows

    declared = {path: (unit, meaning) for path, unit, _, meaning in parameter_rows()}
    rows = []
    for name, value in market.items():
        unit, meaning = declared.get(f"market.{name}", ("", ""))
        rows.append({"name": name.replace("_", " "), "value": value, "unit": unit,
                     "meaning": Cell(meaning, "small")})  # fmt: skip
    return rows


def _event_row(event: dict[str, Any], label: str) -> dict[str, str]:
    """One event as table cells."""
    skip = {"month", "type", "label"}
    details = ", ".join(
        f"{k} {_value(v)}" for k, v in event.items() if k not in skip and v is not None
    )
    return {
        "month": event["month"],
        "type": event["type"].replace("_", " "),
        "label": label,
        "details": details,
    }


def _value(v: Any) -> str:
    """Money as $M/$B, the rest as written."""
    return format_money(v) if isinstance(v, int | float) and abs(v) >= 1e5 else str(v)


def page(title: str, sections: list[tuple[str, str]], subtitle: str) -> str:
    """The whole document."""
    toc = "".join(f'<li><a href="#s{i}">{escape(h)}</a></li>' for i, (h, _) in enumerate(sections))
    body = "".join(f'<h2 id="s{i}">{escape(h)}</h2>{html}' for i, (h, html) in enumerate(sections))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="lead">{escape(subtitle)}</p><ol>{toc}</ol>'
        f"{body}</body></html>\n"
    )


def manifest_section(run: Run) -> str:
    """What reproduces the run: command, scenario hash, seeds, versions, full manifest."""
    m = run.manifest
    seeds = m.get("replicate_seeds", [])
    rows = [
        {"what": "command", "value": m.get("command", "")},
        {"what": "scenario file", "value": m.get("scenario_file", "")},
        {"what": "scenario SHA-256", "value": m.get("scenario_sha256", "")},
        {"what": "root seed", "value": str(m.get("seed", ""))},
        {"what": "replicates", "value": str(len(seeds))},
        {"what": "first replicate seeds", "value": ", ".join(map(str, seeds[:3])) + " ..."},
        {"what": "created (UTC)", "value": m.get("created_utc", "")},
        {"what": "platform", "value": m.get("platform", "")},
    ]
    versions = [{"what": k, "value": v} for k, v in (m.get("versions") or {}).items()]
    full = escape(json.dumps(m, indent=2))
    return (
        table(rows, {"what": "", "value": "value"})
        + "<h3>Versions</h3>"
        + table(versions, {"what": "package", "value": "version"})
        + f"<details><summary>Full manifest (manifest.json)</summary><pre>{full}</pre></details>"
    )
