"""A sweep's output folder: its manifest, the sessions that ran it, and its final tables.

The folder appears whole, with its manifest and design, before the first run; parts are
added as chunks finish (`model.experiments.sweep`); each invocation is recorded as a
session; once every run is in, the results, summaries and sensitivity tables are written.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelmarket.errors import UsageError
from labelmarket.model.execution.seeds import SWEEP_SCHEME
from labelmarket.model.results.folders import check_out, staged_folder
from labelmarket.model.results.manifest import scenario_hash, versions, write_json

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.execution.engine import Engine
    from labelmarket.model.experiments.sweep import SweepPlan

MANIFEST = "manifest.json"
KIND = "labelmarket sweep"


def read_manifest(folder: Path) -> dict[str, Any]:
    """The folder's manifest, or {} when there is none or it cannot be read."""
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def is_sweep(folder: Path) -> bool:
    """A folder written by `labelmarket sweep`."""
    return read_manifest(folder).get("kind") == KIND


def claim(out: Path, plan: SweepPlan, resume: bool, force: bool) -> bool:
    """Check `out` before anything runs; True if it holds this very sweep to resume."""
    existing = check_out(out, force, resume, resumable=True, ours=is_sweep, what="sweep")
    if existing and read_manifest(out).get("fingerprint") != plan.fingerprint:
        raise UsageError(
            f"{out}: holds a different sweep (the sweep file, a scenario or the design "
            "changed since it started); use another --out, or --force to start again"
        )
    return existing


def create(out: Path, plan: SweepPlan, command: str) -> None:
    """Create `out` with its manifest and design in one rename (replacing it under --force)."""
    import pandas as pd

    spec, ctx, base = plan.spec, plan.context, plan.baseline
    with staged_folder(out) as staging:
        design = pd.DataFrame(plan.values, columns=[p.path for p in spec.parameters])
        design.insert(0, "point", range(len(design)))
        design.to_csv(staging / "design.csv", index=False)
        manifest = {
            "kind": KIND,
            "status": "running",
            "command": command,
            "created_utc": _now(),
            "sweep_file": str(plan.path),
            "sweep": spec.model_dump(mode="json"),
            "fingerprint": plan.fingerprint,
            "scenario_file": plan.scenario["file"],
            "scenario_sha256": scenario_hash(plan.scenario["resolved"]),
            "scenario": plan.scenario["resolved"],
            "baseline_file": base["file"] if base else None,
            "baseline_sha256": scenario_hash(base["resolved"]) if base else None,
            "baseline": base["resolved"] if base else None,
            "design": spec.design,
            "points": plan.points,
            "replicates": spec.replicates,
            "runs": plan.runs,
            "seed": spec.seed,
            "seed_scheme": SWEEP_SCHEME,
            "parameters": [
                {
                    "path": p.path,
                    "unit": p.unit,
                    "allowed": [p.low, p.high],
                    "meaning": p.description,
                }
                for p in ctx.parameters
            ],
            "vendors": list(ctx.world.vendors),
            "start": plan.scenario["resolved"]["start"],
            "outcomes": [
                {**o.spec.model_dump(mode="json"), "name": o.name, "unit": o.unit}
                for o in ctx.outcomes
            ],
            "sessions": [],
            "versions": versions(),
        }
        if ctx.posterior is not None:  # each run drew the fitted values the design leaves
            manifest["posterior"] = {
                "file": str(ctx.posterior.path),
                "sha256": ctx.posterior.sha256,
                "parameters": ctx.posterior.names,
                "kept_scenario_values": ctx.placements[0].kept,
            }
        write_json(staging / MANIFEST, manifest)


def _now() -> str:
    """The current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def update(out: Path, **changes: object) -> dict:
    """Read the manifest, apply changes, write it back atomically."""
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest.update(changes)
    write_json(out / MANIFEST, manifest)
    return manifest


def record_session(out: Path, command: str, engine: Engine, elapsed: float, end: str) -> None:
    """Append this invocation (command, engine, workers, time, how it ended) to the manifest."""
    sessions = read_manifest(out).get("sessions", [])
    sessions.append(
        {
            "command": command,
            "finished_utc": _now(),
            "engine": getattr(engine, "name", "?"),
            "scheduler": getattr(engine, "address", None),
            "workers": getattr(engine, "workers", None),
            "elapsed_seconds": round(elapsed, 3),
            "ended": end,
        }
    )
    update(out, sessions=sessions)


def finish(out: Path, plan: SweepPlan) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:
    """Gather the parts into results, summary and sensitivity tables; mark the sweep done."""
    from labelmarket.model.experiments.sensitivity import analyse, point_summary
    from labelmarket.model.experiments.sweep import read_parts

    names = [o.name for o in plan.context.outcomes]
    results = read_parts(out)
    if len(results) != plan.runs:
        raise RuntimeError(f"{out}: parts hold {len(results)} runs of {plan.runs}")
    results.to_parquet(out / ".results.parquet.tmp", index=False)
    (out / ".results.parquet.tmp").replace(out / "results.parquet")
    paths = [p.path for p in plan.spec.parameters]
    point_summary(results, paths, names).to_csv(out / "summary.csv", index=False)
    table, notes = analyse(plan.spec, results, names, plan.points)
    if table is not None:
        table.to_csv(out / "sensitivity.csv", index=False)
    failed = int(results["error"].notna().sum())
    update(out, status="complete", runs_failed=failed, sensitivity_notes=notes)
    return results, table, notes


def read_finished(folder: Path) -> tuple[pd.DataFrame, dict, pd.DataFrame | None]:
    """A finished sweep's results, manifest and sensitivity table (UsageError otherwise)."""
    import pandas as pd

    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    manifest = read_manifest(folder)
    if manifest.get("kind") != KIND:
        raise UsageError(f"{folder}: no sweep manifest.json here (is it a `sweep` output?)")
    if manifest.get("status") != "complete" or not (folder / "results.parquet").is_file():
        raise UsageError(
            f"{folder}: the sweep is not finished; run `labelmarket sweep "
            f"{manifest.get('sweep_file', 'SWEEP.yaml')} --out {folder} --resume` first"
        )
    table = folder / "sensitivity.csv"
    sensitivity = pd.read_csv(table) if table.is_file() else None
    return pd.read_parquet(folder / "results.parquet"), manifest, sensitivity
