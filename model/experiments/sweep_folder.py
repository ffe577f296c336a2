"""A sweep's output folder: its manifest, the sessions that ran it, and its final tables.

The folder appears whole, with its manifest and design, before the first run; parts are
added as chunks finish (`model.experiments.sweep`); each invocation is recorded as a
session; once every run is in, the results, summaries and sensitivity tables are written.
Before anything runs, `claim` checks the folder, holds its lock for the whole command,
sets aside damaged parts of a sweep being resumed and refuses a sweep whose outputs would
not fit on the disk.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from labelmarket.errors import UsageError
from labelmarket.model.execution.engine import MAX_CHUNK, Engine
from labelmarket.model.execution.seeds import SWEEP_SCHEME
from labelmarket.model.experiments.sensitivity import analyse, point_summary
from labelmarket.model.experiments.sweep import SweepPlan, read_parts
from labelmarket.model.experiments.sweep_parts import set_aside_damaged
from labelmarket.model.results import memory
from labelmarket.model.results.folders import check_out, staged_folder
from labelmarket.model.results.manifest import scenario_hash, versions, write_json

MANIFEST = "manifest.json"
KIND = "labelmarket sweep"
CHART_BYTES = 256 * 1024  # one sweep chart (35-80 KB measured), rounded up
PART_BYTES = 16 * 1024  # a part's own overhead (schema, footer: ~8 KB measured)
FIXED_BYTES = 256 * 1024  # manifest (~30 KB measured), design, sensitivity table


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


def claim(
    out: Path, plan: SweepPlan, resume: bool, force: bool, chunk_size: int | None = None
) -> bool:
    """Check `out` before anything runs; True if it holds this very sweep to resume.

    The folder stays locked until the command ends; a resumed sweep's damaged parts are
    set aside (their runs are run again) and the disk must hold what is still to write.
    """
    existing = check_out(out, force, resume, resumable=True, ours=is_sweep, what="sweep")
    if existing and read_manifest(out).get("fingerprint") != plan.fingerprint:
        raise UsageError(
            f"{out}: holds a different sweep (the sweep file, a scenario or the design "
            "changed since it started); use another `out=`, or `force=True` to start again"
        )
    if existing:
        set_aside_damaged(out, part_columns(plan))
    _check_disk(out, plan, chunk_size)
    return existing


def part_columns(plan: SweepPlan) -> list[str]:
    """The columns every part (and results.parquet) holds, in order (a part may add more)."""
    parameters = [p.path for p in plan.spec.parameters]
    outcomes = [o.name for o in plan.context.outcomes]
    return ["run", "point", "replicate", "seed", *parameters, *outcomes, "error"]


def disk_need(plan: SweepPlan, chunk_size: int | None = None) -> int:
    """Bytes a whole sweep writes: parts and results (8 bytes a value), tables, charts."""
    columns = len(part_columns(plan))
    parts = -(-plan.runs // (chunk_size or MAX_CHUNK)) + 64  # default chunks: a few per worker
    tables = 2 * plan.runs * columns * 8 + parts * PART_BYTES  # parts, then results.parquet
    outcomes = len(plan.context.outcomes)
    summary = plan.points * outcomes * 16 * 24  # summary.csv: a row of statistics per outcome
    charts = 3 * outcomes * CHART_BYTES  # response, heatmap and sensitivity per outcome
    return tables + summary + charts + FIXED_BYTES


def _check_disk(out: Path, plan: SweepPlan, chunk_size: int | None) -> None:
    """Refuse a sweep whose outputs (less what the folder holds already) would not fit."""
    free = memory.free_disk(out)
    held = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) if out.is_dir() else 0
    need = max(disk_need(plan, chunk_size) - held, 0)
    if free is not None and need > free:
        raise memory.ResourceError(
            f"{out}: the sweep would write about {memory.size_text(need)} but its disk has "
            f"{memory.size_text(free)} free; free some space, choose another `out=`, or "
            "lower points or replicates"
        )


def create(out: Path, plan: SweepPlan, command: str) -> None:
    """Create `out` with its manifest and design in one rename (replacing it under --force)."""

    spec, ctx, base = plan.spec, plan.context, plan.baseline
    with staged_folder(out, keep_lock=True) as staging:
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
