"""The report page of a sweep: the question, the design, outcomes, sensitivity, discovery.

`labelmarket report SWEEP_DIR` builds it from what the sweep folder holds: its manifest,
results, sensitivity table and charts (drawn now if the folder has none), and every
scenario discovery `labelmarket discover` wrote under it. Outcomes are named in words
(`Scale AI's 2026 revenue`), parameters with the values actually swept, a grid's outcomes
per grid value, and each outcome's charts side by side.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.model.charts.sweep import slug, write_sweep_charts
from labelmarket.model.charts.words import capitalised, outcome_title
from labelmarket.model.experiments.sweep_folder import read_finished
from labelmarket.report import html as rh
from labelmarket.report import units
from labelmarket.report.discovery import discovery_section

KINDS = {  # chart file prefix -> its caption
    "response": "{what} against each parameter: median and 5-95% range across runs.",
    "heatmap": "{what} over the grid of the first two parameters (mean of the replicates).",
    "sensitivity": "How much of the spread of {what} each parameter explains, with confidence "
    "intervals.",
}


HEADINGS = {
    "response": "Each outcome against each parameter",
    "heatmap": "Each outcome over the grid",
    "sensitivity": "What drives each outcome",
}


def build_sweep_report(folder: Path) -> str:
    """The HTML text of a finished sweep's report."""

    results, manifest, sensitivity = read_finished(folder)
    spec = manifest.get("sweep", {})
    ok = results[results["error"].isna()]
    sections = [
        ("Parameters varied", _parameters(manifest, ok)),
        ("Outcomes across the sweep", _outcomes(ok, manifest)),
    ]
    if sensitivity is not None:
        sections.append(("Sensitivity", _sensitivity(sensitivity, manifest)))
    sections.append(("Scenario discovery: where does it happen?", discovery_section(folder)))
    sections.append(("Charts", _charts(folder, manifest)))
    sections.append(("Reproduce this sweep", _reproduce(manifest)))
    name = spec.get("name", folder.name)
    byline = (
        f"labelmarket report: sweep {name}, {manifest['runs']:,} runs ({manifest['points']:,} "
        f"points x {manifest['replicates']} replicates), seed {manifest['seed']}. Intervals are "
        "median [5%, 95%] across the runs."
    )
    return rh.page(f"Sweep {name}", byline, _design(manifest), sections)


def _design(m: dict) -> str:
    """The sweep's question in its own words and how the points were drawn."""
    spec = m.get("sweep", {})
    rows = [
        {"what": "design", "value": m["design"]},
        {"what": "points x replicates", "value": f"{m['points']:,} x {m['replicates']}"},
        {"what": "scenario", "value": rh.clean_path(m.get("scenario_file", ""))},
        {
            "what": "baseline (outcomes against it)",
            "value": rh.clean_path(m.get("baseline_file")) or "none",
        },
        {"what": "failed runs", "value": str(m.get("runs_failed", 0))},
    ]
    return f'<p class="question">{rh.escape(spec.get("description") or "")}</p>' + rh.table(
        rows, {"what": "", "value": "value"}, "design"
    )


def swept(values: pd.Series) -> str:
    """The values a parameter actually took: each of a few, else their range."""
    levels = np.unique(values.dropna().to_numpy(dtype=float))
    if len(levels) == 0:
        return "none"
    if len(levels) <= 12:
        return ", ".join(f"{v:g}" for v in levels)
    return f"{levels.min():.3g} to {levels.max():.3g} ({len(levels):,} values)"


def _parameters(m: dict, ok: pd.DataFrame) -> str:
    """Each parameter varied: its path, unit, the values swept and its meaning."""
    rows = [
        {
            "path": p["path"],
            "unit": p.get("unit", ""),
            "range": swept(ok[p["path"]]) if p["path"] in ok else "",
            "allowed": " to ".join(f"{v:g}" for v in p.get("allowed") or []),
            "meaning": rh.Cell(p.get("meaning", ""), "small"),
        }
        for p in m["parameters"]
    ]
    columns = {
        "path": "parameter",
        "unit": "unit",
        "range": "values swept",
        "allowed": "allowed",
        "meaning": "meaning",
    }
    return rh.table(rows, columns, "parameters")


def _outcomes(ok: pd.DataFrame, m: dict) -> str:
    """Each outcome over the whole sweep; a grid's also per value of each parameter."""
    outcomes = m["outcomes"]
    columns = {"what": "", **{o["name"]: _heading(o) for o in outcomes}}
    pooled = {"what": "all runs", **{o["name"]: _cell(ok[o["name"]], o) for o in outcomes}}
    html = rh.table([pooled], columns, "outcomes")
    if m.get("design") != "grid":
        return '<p class="note">Median [5%, 95%] across every run of the sweep.</p>' + html
    parts = [
        '<p class="note">Median [5%, 95%] across the runs at each value of a parameter '
        "(replicates and the other parameters' values pooled), then across all runs.</p>"
    ]
    for p in m["parameters"]:
        path = p["path"]
        if path not in ok:
            continue
        rows = [
            {"what": f"{v:g}", **{o["name"]: _cell(part[o["name"]], o) for o in outcomes}}
            for v, part in ok.groupby(path)
        ]
        parts.append(f"<h3>By {rh.escape(path)}</h3>")
        parts.append(rh.table(rows, {**columns, "what": path.rsplit(".", 1)[-1]}, "by-value"))
    return "".join(parts) + "<h3>All runs</h3>" + html


def _heading(o: dict) -> str:
    """An outcome's column heading: its name in words and its unit."""
    plain = ("$", "share of revenue", "defections", "HHI (0-1)", "workers")
    unit = "" if o["unit"] in plain else f" ({o['unit']})"
    return capitalised(outcome_title(o)) + unit


def _cell(values: pd.Series, o: dict) -> rh.Cell:
    """Median [5%, 95%] of an outcome's values (those that exist), with a share missing."""
    x = values.to_numpy(dtype=float)
    finite = x[np.isfinite(x)]
    if not len(finite):
        return rh.Cell("no value", "num")
    fmt = _formatter(o["unit"], bool(o.get("versus_baseline")))
    text = units.spread(finite, fmt)
    missing = 1 - len(finite) / len(x)
    none = f"; none in {missing:.0%} of runs" if missing > 0 else ""
    return rh.Cell(text + none, "num")


def _formatter(unit: str, signed: bool) -> units.Format:
    """Money as $M/$B (signed when a difference), shares as %, counts whole, else 3 figures."""
    if unit == "$":
        return units.money_change if signed else units.money
    if unit.startswith("share"):
        return units.points if signed else units.share
    if unit in ("defections", "months after start"):
        return lambda v: f"{v:,.1f}".removesuffix(".0")
    return units.plain


def _sensitivity(table: pd.DataFrame, m: dict) -> str:
    """The sensitivity indices, most influential parameter first per outcome."""
    key = "ST" if "ST" in table else "mu_star"
    names = {o["name"]: capitalised(outcome_title(o)) for o in m["outcomes"]}
    rows = []
    for outcome, part in table.groupby("outcome", sort=False):
        for r in part.sort_values(key, ascending=False).to_dict("records"):
            cells = {
                k: rh.Cell(f"{v:.3g}", "num") if isinstance(v, float) else v for k, v in r.items()
            }
            rows.append({**cells, "outcome": names.get(outcome, outcome)})
    columns = {c: c.replace("_", " ") for c in table.columns}
    return rh.table(rows, columns, "sensitivity")


def _charts(folder: Path, m: dict) -> str:
    """Each outcome's charts side by side: those in charts/, or drawn now."""

    charts = sorted((folder / "charts").glob("*.png"))
    with tempfile.TemporaryDirectory() as tmp:
        if not charts:
            results, manifest, sensitivity = read_finished(folder)
            charts = write_sweep_charts(results, manifest, sensitivity, Path(tmp))
        parts = []
        for kind, heading in HEADINGS.items():
            figures = []
            for o in m["outcomes"]:
                what = capitalised(outcome_title(o))
                path = next((p for p in charts if p.stem == f"{kind}_{slug(o['name'])}"), None)
                if path is not None:
                    figures.append(rh.figure(path, KINDS[kind].format(what=what)))
            if figures:
                parts.append(f"<h3>{heading}</h3><div class='charts'>{''.join(figures)}</div>")
        return "".join(parts)


def _reproduce(m: dict) -> str:
    """The command, seeds and sessions that made the sweep."""
    rows = [
        {"what": "command", "value": m.get("command", "")},
        {"what": "sweep file", "value": rh.clean_path(m.get("sweep_file", ""))},
        {"what": "scenario SHA-256", "value": m.get("scenario_sha256", "")},
        {"what": "seed scheme", "value": m.get("seed_scheme", "")},
    ]
    sessions = [
        {k: str(v) for k, v in s.items() if k in ("finished_utc", "engine", "workers", "ended")}
        for s in m.get("sessions", [])
    ]
    columns = {
        "finished_utc": "finished (UTC)",
        "engine": "engine",
        "workers": "workers",
        "ended": "ended",
    }
    return rh.table(rows, {"what": "", "value": "value"}) + rh.table(sessions, columns)
