"""`labelmarket run`: run replicates, then write tables, charts and a manifest atomically.

Everything is written into a temporary sibling folder that is renamed into place at the
end, so an error or Ctrl-C never leaves a half-written output folder behind.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelmarket.errors import UsageError
from labelmarket.model.results.folders import check_out, staged_folder
from labelmarket.model.results.manifest import build_manifest, write_json
from labelmarket.report.text import format_summary

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.core.world import World
    from labelmarket.model.drivers.batched import RunResult
    from labelmarket.model.execution.engines import Engine
    from labelmarket.model.scenario.schema import Scenario


def run_command(args: argparse.Namespace, argv: list[str]) -> int:
    """Load, run, write; return the exit code."""
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.files import load_scenario

    scenario, resolved = load_scenario(args.scenario, args.overrides)
    out: Path = args.out or Path("runs") / scenario.name
    check_out(out, args.force)
    world = compile_world(scenario)

    from labelmarket.model.execution.local import default_workers, replicate_seeds

    seeds = replicate_seeds(args.seed, args.replicates)
    engine = _engine(getattr(args, "scheduler", None))
    workers = engine.workers if engine else args.workers or default_workers()
    started = time.perf_counter()
    try:
        result = _run_with_progress(world, seeds, workers, engine)
    finally:
        if engine:
            engine.close()
    elapsed = time.perf_counter() - started

    with staged_folder(out) as staging:
        summary = _write_outputs(staging, scenario, world, result, not args.no_charts)
        manifest = build_manifest(
            scenario_file=args.scenario,
            resolved=resolved,
            overrides=args.overrides,
            seed=args.seed,
            seeds=seeds,
            workers=workers,
            argv=argv,
            elapsed=elapsed,
        )
        manifest["scheduler"] = getattr(args, "scheduler", None)  # None: local processes
        write_json(staging / "manifest.json", manifest)
    print(format_summary(summary, world, scenario.start, args.replicates, elapsed))
    files = "timeseries.parquet, summary.csv, defections.csv, manifest.json"
    print(f"\nwrote {out}/ ({files}{'' if args.no_charts else ', charts/'})")
    return 0


def _engine(scheduler: str | None) -> Engine | None:
    """A Dask engine for --scheduler (checked before anything runs), else None (local)."""
    if not scheduler:
        return None
    from labelmarket.model.execution.engines import DaskEngine, EngineError

    try:
        return DaskEngine(scheduler)
    except EngineError as exc:
        raise UsageError(str(exc)) from None


def _run_with_progress(
    world: World, seeds: np.ndarray, workers: int, engine: Engine | None = None
) -> RunResult:
    """Run the replicates with a progress bar that appears only if the run takes > 1 s."""
    from tqdm import tqdm

    from labelmarket.model.execution.engines import run_replicates_on
    from labelmarket.model.execution.local import run_replicates

    with tqdm(total=len(seeds), unit="replicate", delay=1.0, desc="simulating") as bar:
        if engine is not None:
            return run_replicates_on(engine, world, seeds, on_chunk=bar.update)
        return run_replicates(world, seeds, workers, on_chunk=bar.update)


def _write_outputs(
    folder: Path, scenario: Scenario, world: World, result: RunResult, charts: bool
) -> pd.DataFrame:
    """Write the tidy tables (and charts) of a run into `folder`; return the summary table."""
    from labelmarket.model.results import tables as outputs

    ts = outputs.timeseries(result, world, scenario.start)
    ts.to_parquet(folder / "timeseries.parquet", index=False)
    summary = outputs.summary(result, world, scenario.start)
    summary.to_csv(folder / "summary.csv", index=False)
    outputs.defections(result, world, scenario.start).to_csv(folder / "defections.csv", index=False)
    if charts:
        from labelmarket.model.charts.run import write_charts

        (folder / "charts").mkdir()
        crowd = [v for v, c in zip(world.vendors, world.is_crowd, strict=True) if c]
        events = chart_events(scenario, outputs.month_dates(scenario.start, world.months))
        write_charts(ts, list(world.vendors), crowd, events, folder / "charts")
    return summary


def chart_events(scenario: Scenario, dates: pd.DatetimeIndex) -> list[tuple[pd.Timestamp, str]]:
    """(date, label) of each event for the charts; an empty label draws an unlabelled line."""
    from labelmarket.model.scenario.checks import month_index

    return [
        (
            dates[month_index(scenario.start, e.month)],
            _event_label(e) if e.label is None else e.label,
        )
        for e in scenario.events
    ]


def _event_label(event: Any) -> str:
    """A short default label for an event on charts."""
    who = [getattr(event, f, None) for f in ("investor", "client", "vendor")]
    return f"{event.type.replace('_', ' ')}: {' / '.join(w for w in who if w)}"
