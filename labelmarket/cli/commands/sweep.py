"""`labelmarket sweep`: run a sweep file's design, resumably, locally or on a Dask cluster.

Everything is validated (sweep file, scenarios, parameter paths and ranges, the budget, the
output folder, the scheduler) before the output folder is created; it then appears with its
manifest in one rename, and parts are added as chunks finish. Exit codes: 0 all runs fine,
1 some runs failed (recorded with their errors), 2 bad input, 130 interrupted (resumable).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from labelmarket.model.execution.engines import Engine
    from labelmarket.model.experiments.sweep import SweepPlan

HELP = "run a parameter sweep (grid, lhs, sobol, morris) and its sensitivity analysis"


def _count(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `sweep` and its options."""
    p = subparsers.add_parser("sweep", help=HELP, description=HELP)
    p.add_argument("sweep", type=Path, help="sweep YAML file (see scenarios/sweeps/)")
    p.add_argument("--workers", "-w", type=_count, help="local worker processes (default: all)")
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786"
    )
    p.add_argument("--out", "-o", type=Path, help="output folder (default: runs/sweeps/<name>)")
    p.add_argument(
        "--resume", action="store_true", help="finish an interrupted sweep in --out (or start it)"
    )
    p.add_argument("--force", action="store_true", help="replace an earlier sweep in --out")
    p.add_argument("--limit", type=_count, help="run at most this many runs now (resume later)")
    p.add_argument("--chunk-size", type=_count, help="runs per batch (default: automatic)")
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan, check, run, summarise; return the exit code."""
    import sys
    import time

    from labelmarket.errors import UsageError
    from labelmarket.model.execution.engines import EngineError, make_engine
    from labelmarket.model.experiments.sweep import plan_sweep, run_sweep
    from labelmarket.model.experiments.sweep_file import SweepError

    try:
        plan = plan_sweep(args.sweep)
    except SweepError as exc:
        raise UsageError(f"error in sweep file:\n{exc}") from None
    out: Path = args.out or Path("runs") / "sweeps" / plan.spec.name
    existing = _check_out(out, plan, args.resume, args.force)
    try:
        engine = make_engine(args.workers, args.scheduler)
    except EngineError as exc:
        raise UsageError(str(exc)) from None
    argv = sys.argv[1:]
    try:
        if not existing:
            _create_folder(out, plan, argv)
        from tqdm import tqdm

        from labelmarket.model.experiments.sweep import done_runs

        before = len(set(done_runs(out).tolist()))
        started = time.perf_counter()
        bar = tqdm(total=plan.runs, initial=before, unit="run", desc=plan.spec.name, smoothing=0.1)
        try:
            done, _ = run_sweep(plan, out, engine, args.chunk_size, args.limit, bar.update)
        except KeyboardInterrupt:
            bar.close()
            _record_session(out, argv, engine, time.perf_counter() - started, "interrupted")
            print(
                f"labelmarket: interrupted; the runs finished so far are kept in {out}/parts; "
                f"finish with: labelmarket sweep {args.sweep} --out {out} --resume",
                file=sys.stderr,
            )
            return 130
        bar.close()
        elapsed = time.perf_counter() - started
        left = plan.runs - before - done
        _record_session(out, argv, engine, elapsed, "limit" if left else "complete")
        if left:
            print(f"ran {done:,} runs in {elapsed:.1f} s; {left:,} left: add --resume to finish")
            return 0
        try:
            return _finish(out, plan, charts=not args.no_charts, elapsed=elapsed, ran=done)
        except KeyboardInterrupt:
            print(f"labelmarket: interrupted while summarising; every run is kept in {out}/parts; "
                  "add --resume to write the summaries", file=sys.stderr)  # fmt: skip
            return 130
    finally:
        engine.close()


MANIFEST = "manifest.json"


def _check_out(out: Path, plan: SweepPlan, resume: bool, force: bool) -> bool:
    """Decide what to do with `out`; True if it holds this very sweep to resume."""
    import json

    from labelmarket.errors import UsageError

    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if not (out.is_dir() and any(out.iterdir())):
        return False
    manifest = out / MANIFEST
    try:
        found = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    except (OSError, ValueError):
        found = {}
    if found.get("kind") != "labelmarket sweep":
        raise UsageError(f"{out}: folder is not empty and holds no sweep; choose another --out")
    if resume:
        if found.get("fingerprint") != plan.fingerprint:
            raise UsageError(
                f"{out}: holds a different sweep (the sweep file, a scenario or the design "
                "changed since it started); use another --out, or --force to start again"
            )
        return True
    if not force:
        raise UsageError(
            f"{out}: already holds a sweep; add --resume to finish it or --force to replace it"
        )
    here = Path.cwd().resolve()
    if out.resolve() == here or out.resolve() in here.parents:
        raise UsageError(f"{out}: --force would delete the working folder; choose another --out")
    return False


def _write_json(path: Path, data: dict) -> None:
    """Write JSON through a temporary file, so a manifest is never half-written."""
    import os

    from labelmarket.model.results.manifest import write_json

    temporary = path.with_name(f".{path.name}.tmp")
    write_json(temporary, data)
    os.replace(temporary, path)


def _create_folder(out: Path, plan: SweepPlan, argv: list[str]) -> None:
    """Create `out` with its manifest and design in one rename (replacing it under --force)."""
    import datetime as dt
    import shlex

    import pandas as pd

    from labelmarket.model.results.folders import staged_folder
    from labelmarket.model.results.manifest import scenario_hash, versions

    spec = plan.spec
    ctx = plan.context
    with staged_folder(out) as staging:
        design = pd.DataFrame(plan.values, columns=[p.path for p in spec.parameters])
        design.insert(0, "point", range(len(design)))
        design.to_csv(staging / "design.csv", index=False)
        base = plan.baseline
        manifest = {
            "kind": "labelmarket sweep",
            "status": "running",
            "command": "labelmarket " + shlex.join(argv),
            "created_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
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
            "seed_scheme": "run = point * replicates + replicate; its seed is "
            "int(SeedSequence(seed, spawn_key=(point, replicate)).generate_state(1, uint64)[0]) "
            ">> 1, with point = 0 when common_random_numbers (column `seed` of "
            "results.parquet); the design is drawn from SeedSequence(seed, spawn_key=(2**31 - 1,))",
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
            "versions": versions() | _extra_versions(),
        }
        _write_json(staging / MANIFEST, manifest)


def _extra_versions() -> dict[str, str]:
    """Versions of the sweep's own dependencies."""
    from importlib import metadata

    found = {}
    for name in ("SALib", "distributed", "tqdm"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _update_manifest(out: Path, **changes: object) -> dict:
    """Read the manifest, apply changes, write it back atomically."""
    import json

    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest.update(changes)
    _write_json(out / MANIFEST, manifest)
    return manifest


def _record_session(out: Path, argv: list[str], engine: Engine, elapsed: float, end: str) -> None:
    """Append this invocation (command, engine, workers, time, how it ended) to the manifest."""
    import datetime as dt
    import json
    import shlex

    sessions = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["sessions"]
    sessions.append(
        {
            "command": "labelmarket " + shlex.join(argv),
            "finished_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": getattr(engine, "name", "?"),
            "scheduler": getattr(engine, "address", None),
            "workers": getattr(engine, "workers", None),
            "elapsed_seconds": round(elapsed, 3),
            "ended": end,
        }
    )
    _update_manifest(out, sessions=sessions)


def _finish(out: Path, plan: SweepPlan, charts: bool, elapsed: float, ran: int) -> int:
    """Gather the parts into results, summaries and charts; print the summary."""
    from labelmarket.model.experiments.sensitivity import analyse, format_table, point_summary
    from labelmarket.model.experiments.sweep import read_parts

    spec = plan.spec
    names = [o.name for o in plan.context.outcomes]
    results = read_parts(out)
    if len(results) != plan.runs:
        raise RuntimeError(f"{out}: parts hold {len(results)} runs of {plan.runs}")
    results.to_parquet(out / ".results.parquet.tmp", index=False)
    (out / ".results.parquet.tmp").replace(out / "results.parquet")
    paths = [p.path for p in spec.parameters]
    point_summary(results, paths, names).to_csv(out / "summary.csv", index=False)
    table, notes = analyse(spec, results, names, plan.points)
    if table is not None:
        table.to_csv(out / "sensitivity.csv", index=False)
    failed = int(results["error"].notna().sum())
    _update_manifest(out, status="complete", runs_failed=failed, sensitivity_notes=notes)
    if charts:
        from labelmarket.cli.commands.plot import draw

        draw(out, out / "charts")
    rate = ran / elapsed if elapsed > 0 else float("nan")
    print(f"{spec.name}: {len(results):,} runs ({plan.points:,} points x {spec.replicates} "
          f"replicates), {failed:,} failed; this session ran {ran:,} in {elapsed:.1f} s "
          f"({rate:,.0f} runs/s)")  # fmt: skip
    if table is not None:
        print(format_table(table))
    for note in notes:
        print(f"note: {note}")
    if failed:
        first = results.loc[results["error"].notna()].iloc[0]
        print(f"{failed} runs failed, e.g. run {first['run']}: {first['error']}")
    written = "results.parquet, summary.csv, design.csv, manifest.json"
    written += ", sensitivity.csv" if table is not None else ""
    print(f"\nwrote {out}/ ({written}{', charts/' if charts else ''})")
    return 1 if failed else 0
