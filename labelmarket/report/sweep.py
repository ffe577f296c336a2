"""The report page of a sweep: the question, the design, outcomes, sensitivity, discovery.

`labelmarket report SWEEP_DIR` builds it from what the sweep folder holds: its manifest,
results, sensitivity table and charts (drawn now if the folder has none), and every
scenario discovery `labelmarket discover` wrote under it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.model.charts.style import format_money
from labelmarket.report import html as rh
from labelmarket.report.discovery import discovery_section


def build_sweep_report(folder: Path) -> str:
    """The HTML text of a finished sweep's report."""
    from labelmarket.model.experiments.sweep_folder import read_finished

    results, manifest, sensitivity = read_finished(folder)
    spec = manifest.get("sweep", {})
    sections = [
        ("The question and the design", _design(manifest)),
        ("Parameters varied", _parameters(manifest)),
        ("Outcomes across the sweep", _outcomes(results, manifest)),
    ]
    if sensitivity is not None:
        sections.append(("Sensitivity", _sensitivity(sensitivity)))
    sections.append(("Scenario discovery: where does it happen?", discovery_section(folder)))
    sections.append(("Charts", _charts(folder)))
    sections.append(("Reproduce this sweep", _reproduce(manifest)))
    subtitle = (
        f"labelmarket report: sweep '{spec.get('name', folder.name)}', {manifest['runs']:,} runs "
        f"({manifest['points']:,} points x {manifest['replicates']} replicates), seed "
        f"{manifest['seed']}. Intervals are 5-95% ranges across all runs of the sweep."
    )
    return rh.page(f"Sweep report: {spec.get('name', folder.name)}", sections, subtitle)


def _design(m: dict) -> str:
    """The sweep's question in its own words and how the points were drawn."""
    spec = m.get("sweep", {})
    base = m.get("baseline_file")
    rows = [
        {"what": "design", "value": m["design"]},
        {"what": "points x replicates", "value": f"{m['points']:,} x {m['replicates']}"},
        {"what": "scenario", "value": m.get("scenario_file", "")},
        {"what": "baseline (outcomes 'vs baseline')", "value": base or "none"},
        {"what": "failed runs", "value": str(m.get("runs_failed", 0))},
    ]
    return f"<p>{rh.escape(spec.get('description') or '')}</p>" + rh.table(
        rows, {"what": "", "value": "value"}
    )


def _parameters(m: dict) -> str:
    """Each parameter varied: its path, unit, range in this sweep and meaning."""
    ranges = {p["path"]: p.get("range") for p in m.get("sweep", {}).get("parameters", [])}
    rows = [
        {
            "path": p["path"],
            "unit": p.get("unit", ""),
            "range": " to ".join(f"{v:g}" for v in ranges.get(p["path"]) or p["allowed"]),
            "meaning": p.get("meaning", ""),
        }
        for p in m["parameters"]
    ]
    columns = {"path": "parameter", "unit": "unit", "range": "range swept", "meaning": "meaning"}
    return rh.table(rows, columns)


def _outcomes(results: pd.DataFrame, m: dict) -> str:
    """Each outcome's median and 5-95% range over every run of the sweep."""
    ok = results[results["error"].isna()]
    rows = []
    for o in m["outcomes"]:
        values = ok[o["name"]].to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        fmt = _formatter(o["unit"])
        text = rh.interval(finite, fmt) if len(finite) else "no value"
        rows.append(
            {
                "name": o["name"],
                "unit": o["unit"],
                "value": text,
                "missing": f"{1 - len(finite) / max(len(values), 1):.0%}",
            }
        )
    columns = {
        "name": "outcome",
        "unit": "unit",
        "value": "median [5%, 95%] across runs",
        "missing": "runs without a value (e.g. never leaves)",
    }
    return rh.table(rows, columns)


def _formatter(unit: str):
    """Money as $M/$B (signed), shares as percentages, the rest to 3 figures."""
    if unit == "$":
        return lambda v: format_money(v, signed=v < 0)
    if unit.startswith("share"):
        return lambda v: f"{v * 100:.1f}%"
    return lambda v: f"{v:.3g}"


def _sensitivity(table: pd.DataFrame) -> str:
    """The sensitivity indices, most influential parameter first per outcome."""
    key = "ST" if "ST" in table else "mu_star"
    rows = []
    for _, part in table.groupby("outcome", sort=False):
        for r in part.sort_values(key, ascending=False).to_dict("records"):
            rows.append({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()})
    columns = {c: c for c in table.columns}
    return rh.table(rows, columns)


def _charts(folder: Path) -> str:
    """The sweep's charts: those in charts/, or drawn now into a temporary folder."""
    from labelmarket.model.charts.sweep import write_sweep_charts
    from labelmarket.model.experiments.sweep_folder import read_finished

    charts = sorted((folder / "charts").glob("*.png"))
    if charts:
        return "".join(rh.figure(p, _caption(p.name)) for p in charts)
    with tempfile.TemporaryDirectory() as tmp:
        results, manifest, sensitivity = read_finished(folder)
        paths = write_sweep_charts(results, manifest, sensitivity, Path(tmp))
        return "".join(rh.figure(p, _caption(p.name)) for p in paths)


def _caption(name: str) -> str:
    """A chart's caption from its file name."""
    kind, _, what = name.removesuffix(".png").partition("_")
    words = {
        "response": "Response of {} to each parameter (median and 5-95% band across runs)",
        "heatmap": "Median {} over the grid of the first two parameters",
        "sensitivity": "Sensitivity indices of {} with their confidence intervals",
    }
    return words.get(kind, "{}").format(what.replace("_", " "))


def _reproduce(m: dict) -> str:
    """The command, seeds and sessions that made the sweep."""
    rows = [
        {"what": "command", "value": m.get("command", "")},
        {"what": "sweep file", "value": m.get("sweep_file", "")},
        {"what": "scenario SHA-256", "value": m.get("scenario_sha256", "")},
        {"what": "seed scheme", "value": m.get("seed_scheme", "")},
    ]
    sessions = [
        {k: str(v) for k, v in s.items() if k in ("finished_utc", "engine", "workers", "ended")}
        for s in m.get("sessions", [])
    ]
    return rh.table(rows, {"what": "", "value": "value"}) + rh.table(
        sessions,
        {
            "finished_utc": "finished (UTC)",
            "engine": "engine",
            "workers": "workers",
            "ended": "ended",
        },
    )
