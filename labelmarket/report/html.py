"""One self-contained HTML page a colleague can read without the tool.

Charts are embedded as base64 PNGs drawn at the size they are shown (the `<img>` carries
that size, so they are never stretched) and the style sheet is inline, so the file opens
offline and can be mailed as it is. Every text from the run is HTML-escaped. Every table
sits in a box that scrolls sideways when a narrow window cannot hold it, so nothing spills
out of the column; an interval in a cell (`$560M [$521M, $624M]`) may break before its
bracket, so columns stay narrow.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1000px;margin:1.2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{margin:0 0 .1em;font-size:1.7em}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.byline{color:#555;font-size:.9em;margin:0 0 .8em}
.question{font-size:1.15em;margin:.4em 0 .2em;font-weight:600}
.answer{font-size:1.1em;margin:.2em 0 .4em}.answer b{white-space:nowrap}
.charts{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.charts figure{margin:.4em 0}
.table-box{max-width:100%;overflow-x:auto;margin:.8em 0}
table{border-collapse:collapse;font-size:.9em}
th,td{border:1px solid #ccc;padding:.3em .55em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}
td .iv{display:inline-block;color:#555;font-size:.9em}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee;display:block}
figcaption{font-size:.9em;color:#444;max-width:960px}.note{color:#555;font-size:.9em}
pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.8em}code{font-size:.95em}
.up{background:#dff3e4}.down{background:#fbe1dd}td.pass{background:#dff3e4;font-weight:600}
td.miss{background:#fbe1dd;font-weight:600}td.input{background:#eef2fb}
td.small{font-size:.85em;color:#444;white-space:pre-line;overflow-wrap:anywhere}
table.facts{table-layout:fixed;width:100%;min-width:640px}table.facts td{overflow-wrap:anywhere}
nav.toc{font-size:.92em;margin:1em 0}nav.toc a{margin-right:1em;white-space:nowrap}
details{margin:.6em 0}summary{cursor:pointer;color:#234}
"""
INTERVAL = re.compile(r"^(.*?\S) (\[[^\[\]]+\].*)$")


@dataclass(frozen=True)
class Cell:
    """A table cell with a class (alignment, colour) of its own."""

    text: str
    cls: str = ""


def _cell_text(text: str) -> str:
    """Escaped cell text; an interval's bracket may wrap to its own line."""
    found = INTERVAL.match(text)
    if found is None:
        return escape(text)
    return f'{escape(found.group(1))} <span class="iv">{escape(found.group(2))}</span>'


def table(
    rows: list[dict[str, Any]],
    columns: dict[str, str],
    cls: str = "",
    groups: list[tuple[str, int]] | None = None,
) -> str:
    """An HTML table of rows (dicts) in a box that scrolls when it is too wide; `groups`
    adds a first header row of (heading, columns spanned)."""
    if not rows:
        return '<p class="note">(none)</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in columns.values())
    if groups:
        top = "".join(f'<th colspan="{n}">{escape(h)}</th>' for h, n in groups)
        head = f"{top}</tr><tr>{head}"
    body = []
    for row in rows:
        cells = []
        for key in columns:
            value = row.get(key, "")
            if isinstance(value, Cell):
                cells.append(f'<td class="{escape(value.cls)}">{_cell_text(value.text)}</td>')
                continue
            num = isinstance(value, int | float) and not isinstance(value, bool)
            text = f"{value:,.4g}" if isinstance(value, float) else str(value)
            klass = ' class="num"' if num else ""
            cells.append(f"<td{klass}>{_cell_text(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="table-box"><table class="{cls}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's header."""
    return struct.unpack(">II", data[16:24])


def figure(png: Path | bytes, caption: str, cls: str = "") -> str:
    """An embedded chart at its drawn size, with its caption."""
    data = png if isinstance(png, bytes) else Path(png).read_bytes()
    width, height = png_size(data)
    src = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<figure{klass} style="max-width:{width}px"><img src="{src}" width="{width}" '
        f'height="{height}" alt="{escape(caption)}"><figcaption>{escape(caption)}</figcaption>'
        "</figure>"
    )


def page(title: str, byline: str, lead: str, sections: list[tuple[str, str]]) -> str:
    """The whole document: title, byline, the first screen (`lead`), then the sections."""
    toc = " ".join(f'<a href="#s{i}">{escape(h)}</a>' for i, (h, _) in enumerate(sections))
    body = "".join(f'<h2 id="s{i}">{escape(h)}</h2>{html}' for i, (h, html) in enumerate(sections))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p class="byline">{escape(byline)}</p>'
        f'<section class="lead">{lead}</section>'
        f'<nav class="toc">On this page: {toc}</nav>{body}</body></html>\n'
    )


def manifest_section(manifest: dict[str, Any]) -> str:
    """What reproduces the run: command, scenario hash, seeds, versions, full manifest."""
    m = manifest
    seeds = m.get("replicate_seeds", [])
    rows = [
        {"what": "command", "value": m.get("command", "")},
        {"what": "scenario file", "value": clean_path(m.get("scenario_file", ""))},
        {"what": "scenario SHA-256", "value": m.get("scenario_sha256", "")},
        {"what": "root seed", "value": str(m.get("seed", ""))},
        {"what": "replicates", "value": f"{len(seeds):,}"},
        {"what": "first replicate seeds", "value": ", ".join(map(str, seeds[:3])) + " ..."},
        {"what": "created (UTC)", "value": m.get("created_utc", "")},
        {"what": "platform", "value": m.get("platform", "")},
    ]
    versions = [{"what": k, "value": v} for k, v in (m.get("versions") or {}).items()]
    full = escape(json.dumps(m, indent=2))
    return (
        table(rows, {"what": "", "value": "value"}, "manifest")
        + "<h3>Versions</h3>"
        + table(versions, {"what": "package", "value": "version"})
        + f"<details><summary>Full manifest (manifest.json)</summary><pre>{full}</pre></details>"
    )


def clean_path(path: str | Path | None) -> str:
    """A path without `..` or `.` steps: scenarios/historical.yaml, not sweeps/../historical."""

    return os.path.normpath(str(path)) if path else ""
