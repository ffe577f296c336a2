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
from typing import TYPE_CHECKING

from labelmarket.errors import UsageError
from labelmarket.report.discovery import FOLDER, RECORD

if TYPE_CHECKING:
    from labelmarket.model.experiments.discovery import Discovery


@dataclass
class DiscoveryOutput:
    """A discovery and where its files went."""

    discovery: Discovery
    folder: Path
    files: list[Path]


def run_discovery(
    sweep_dir: Path,
    expression: str,
    out: Path | None = None,
    min_coverage: float = 0.8,
    peel_alpha: float = 0.05,
) -> DiscoveryOutput:
    """Read the sweep, run PRIM and CART for the condition, write everything; return it."""
    from labelmarket.model.charts.discovery import write_discovery_charts
    from labelmarket.model.charts.sweep import slug
    from labelmarket.model.experiments.discovery import condition_mask, discover
    from labelmarket.model.experiments.sweep_folder import read_finished
    from labelmarket.report.discovery import rules_table

    missing = [m for m in ("ema_workbench", "sklearn") if importlib.util.find_spec(m) is None]
    if missing:
        raise UsageError(
            f"scenario discovery needs the optional 'discovery' extra ({missing[0]} is "
            "missing): pip install -e '.[discovery]'"
        )
    if not 0 < min_coverage <= 1 or not 0 < peel_alpha < 0.5:
        raise UsageError("--min-coverage takes (0, 1] and --peel-alpha (0, 0.5)")
    results, manifest, _ = read_finished(sweep_dir)
    parameters = [p["path"] for p in manifest["parameters"]]
    outcomes = [o["name"] for o in manifest["outcomes"]]
    found = discover(results, parameters, expression, outcomes, min_coverage, peel_alpha)
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
    record = {
        "condition": expression,
        "sweep": manifest.get("sweep", {}).get("name"),
        "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cases": found.cases,
        "hits": found.hits,
        "chosen_box": int(found.chosen),
        "box": {k: float(v) for k, v in found.box.items()},
        "settings": found.settings,
        "method": "PRIM (EMA Workbench), CART (scikit-learn)",
    }
    (staging / RECORD).write_text(json.dumps(record, indent=2), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    staging.replace(folder)
    return DiscoveryOutput(found, folder, sorted(folder.iterdir()))
