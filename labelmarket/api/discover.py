"""Scenario discovery on a finished sweep: find, write the tables and charts, remember it.

Each condition gets its own folder under the sweep (`discovery/<condition>/`) holding the
PRIM trajectory, the chosen box's limits, CART's rules, the charts and `discovery.json`
(the condition, counts, the chosen box and the settings), so `labelmarket report SWEEP_DIR`
shows every discovery run on that sweep.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from labelmarket.errors import UsageError, install_hint
from labelmarket.model.charts.discovery import write_discovery_charts
from labelmarket.model.charts.sweep import slug
from labelmarket.model.experiments.discovery import Discovery, condition_mask
from labelmarket.model.experiments.discovery import discover as find
from labelmarket.model.experiments.sweep_folder import read_finished
from labelmarket.report.discovery import FOLDER, RECORD, format_discovery, rules_table


@dataclass
class DiscoveryOutput:
    """A discovery and where its files went."""

    discovery: Discovery
    folder: Path
    files: list[Path]


def discover(
    sweep_dir: str | Path,
    condition: str,
    *,
    out: str | Path | None = None,
    min_coverage: float = 0.8,
    peel_alpha: float = 0.05,
) -> DiscoveryOutput:
    """Where in a finished sweep does `condition` hold? PRIM's boxes and CART's rules.

    `condition` compares the sweep's outcome columns (`"revenue_2026[Scale AI] < 4e8"`,
    joined with and/or/not). Writes the tables, charts and a record into `out` (default:
    `SWEEP_DIR/discovery/<condition>/`) and returns them with the discovery itself: the
    chosen box is the densest with coverage at least `min_coverage`; PRIM peels
    `peel_alpha` of the runs a step. Needs the `discovery` extra.

    Returns a `DiscoveryOutput`: `discovery` (PRIM's `trajectory` of boxes with coverage
    and density, the chosen `box` of parameter limits, CART's rules), `folder` and
    `files`::

        >>> found = lm.discover("runs/sweeps/stance", "revenue_2026[Scale AI] < 4e8")
        >>> found.discovery.box  # parameter -> (low, high) where the condition holds
    """
    sweep_dir, expression = Path(sweep_dir), condition
    out = None if out is None else Path(out)
    missing = [m for m in ("ema_workbench", "sklearn") if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(
            f"scenario discovery needs the optional 'discovery' extra ({missing[0]} is "
            f"missing): {install_hint('discovery')}"
        )
    if not 0 < min_coverage <= 1 or not 0 < peel_alpha < 0.5:
        raise UsageError("`min_coverage=` takes (0, 1] and `peel_alpha=` (0, 0.5)")
    results, manifest, _ = read_finished(sweep_dir)
    parameters = [p["path"] for p in manifest["parameters"]]
    outcomes = [o["name"] for o in manifest["outcomes"]]
    found = find(results, parameters, expression, outcomes, min_coverage, peel_alpha)
    folder = out or sweep_dir / FOLDER / (slug(expression)[:80] or "condition")
    staging = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    found.trajectory.rename_axis("box").to_csv(staging / "prim_trajectory.csv")
    found.limits.to_csv(staging / "prim_box.csv", index=False)
    rules_table(found.cart).to_csv(staging / "cart_rules.csv", index=False)
    ok = results[results["error"].isna()].reset_index(drop=True)
    hits = condition_mask(ok, expression, outcomes).to_numpy()
    units = {p["path"]: p.get("unit", "") for p in manifest["parameters"]}
    write_discovery_charts(found, ok[parameters].astype(float), hits, staging, units)
    record = _record(found, expression, manifest)
    (staging / RECORD).write_text(json.dumps(record, indent=2), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    staging.replace(folder)
    return DiscoveryOutput(found, folder, sorted(folder.iterdir()))


def _record(found: Discovery, condition: str, manifest: dict) -> dict:
    """`discovery.json`: the condition, its counts, the chosen box and the settings."""
    return {
        "condition": condition,
        "sweep": manifest.get("sweep", {}).get("name"),
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cases": found.cases,
        "hits": found.hits,
        "chosen_box": int(found.chosen),
        "box": {k: float(v) for k, v in found.box.items()},
        "settings": found.settings,
        "method": "PRIM (EMA Workbench), CART (scikit-learn)",
    }


def discovery_text(output: DiscoveryOutput) -> str:
    """The box, the coverage/density trade-off and the rules, as `labelmarket discover` prints."""
    return format_discovery(output.discovery)
