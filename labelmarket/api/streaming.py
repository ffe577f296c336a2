"""Simulating a scenario's replicates: kept in memory, or streamed into a folder chunk by chunk.

`stream_to_folder` is what `labelmarket run` does: it sizes the run first (memory and disk,
refusing one that would not fit), then streams it: each chunk of replicates is written as
soon as it is simulated and then forgotten, and the charts are drawn from statistics
gathered on the way. `simulate` keeps a whole run in memory instead (`lm.run` without
`out`, compare's scenario files run on the fly) and `write_run` writes such a run's folder.
Either way a folder is written through a staging sibling renamed into place at the end, so
an error or Ctrl-C never leaves a half-written output folder behind.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from labelmarket.api.progress import progress_bar
from labelmarket.model.charts.events import chart_events
from labelmarket.model.charts.run import CHART_FILES, draw_charts
from labelmarket.model.core.world import World
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.replicates import run_replicates, stream_replicates
from labelmarket.model.execution.seeds import replicate_seeds
from labelmarket.model.results import memory
from labelmarket.model.results.bands import Bands
from labelmarket.model.results.folders import staged_folder
from labelmarket.model.results.manifest import run_manifest, write_json
from labelmarket.model.results.posterior import Ensemble, PosteriorSample, apply_sample
from labelmarket.model.results.run import Run, business_model_members
from labelmarket.model.results.stream import ChunkTables, RunWriter
from labelmarket.model.scenario.compile import compile_world
from labelmarket.model.scenario.schema import Scenario


def _check_in_memory(world: World, replicates: int, engine: Engine) -> None:
    """Refuse a run kept whole in memory that would not fit (ResourceError)."""
    need = memory.measure(world, replicates, engine.workers, charts=False)
    available = memory.available_memory()
    if available is not None and need.in_memory > available:
        raise memory.ResourceError(
            f"{replicates:,} replicates kept in memory need about "
            f"{need.in_memory / 2**30:.1f} GB but {available / 2**30:.1f} GB is available; "
            "run fewer replicates, or write them to a folder (`out=`)"
        )


def _drawn(
    scenario: Scenario, world: World, seeds: np.ndarray, posterior: PosteriorSample | None
) -> tuple[World, Ensemble | None]:
    """The world the engine runs: as compiled, or one parameter row per replicate's draw."""
    if posterior is None:
        return world, None
    return apply_sample(posterior, scenario, world, seeds)


def _manifest(scenario: Scenario, seed: int, seeds: np.ndarray, engine: Engine, command: str,
              elapsed: float, ensemble: Ensemble | None) -> dict:  # fmt: skip
    """The run's manifest: enough to reproduce every number in its tables."""
    return run_manifest(
        scenario.file or scenario.name, scenario.resolved, list(scenario.overrides), seed,
        seeds, engine, command, elapsed, ensemble,
    )  # fmt: skip


def simulate(
    scenario: Scenario,
    replicates: int,
    seed: int,
    engine: Engine,
    command: str,
    posterior: PosteriorSample | None = None,
    progress: bool = False,
) -> Run:
    """Compile and run `replicates` replicates of a scenario on `engine`, kept in memory
    (with a `posterior` sample, each replicate runs the parameters its seed draws)."""
    world = compile_world(scenario)
    _check_in_memory(world, replicates, engine)
    seeds = replicate_seeds(seed, replicates)
    runs, ensemble = _drawn(scenario, world, seeds, posterior)
    started = time.perf_counter()
    with progress_bar(replicates, "replicate", "simulating", enabled=progress) as bar:
        result = run_replicates(runs, seeds, engine, on_chunk=bar.update)
    elapsed = time.perf_counter() - started
    manifest = _manifest(scenario, seed, seeds, engine, command, elapsed, ensemble)
    return Run(manifest, scenario=scenario, world=world, result=result, ensemble=ensemble)


def stream_to_folder(
    out: Path,
    scenario: Scenario,
    replicates: int,
    seed: int,
    engine: Engine,
    command: str,
    *,
    charts: bool = True,
    record: str = "full",
    posterior: PosteriorSample | None = None,
    progress: bool = True,
) -> Run:
    """Size, simulate and write a run chunk by chunk; return it, read back from its folder.

    Nothing is simulated if the run would not fit (ResourceError); every chunk is written
    and forgotten, so the returned `Run` reads its tables from the folder when asked.
    `record="summary"` keeps totals only, no client x vendor rows, for large worlds.
    """
    world = compile_world(scenario)
    remote = engine.name != "local"  # a cluster's workers use their own machines' memory
    need = memory.measure(world, replicates, engine.workers, charts, remote, record)
    need = memory.plan(need, memory.available_memory(), memory.free_disk(out.parent))
    seeds = replicate_seeds(seed, replicates)
    runs, ensemble = _drawn(scenario, world, seeds, posterior)
    run = Run({}, path=out, scenario=scenario, world=world, ensemble=ensemble)
    started = time.perf_counter()
    with staged_folder(out) as staging:
        writer = RunWriter(staging, world, scenario.start, charts, memory.SERIES_LIMIT, posterior)
        chunk_writer = writer.chunk_writer(local=engine.name == "local")
        chunks = stream_replicates(
            runs, seeds, engine, chunk_writer, max_chunk=need.chunk, record=record
        )
        run.__dict__["summary"], bands = _consume(writer, chunks, replicates, progress)
        run.timings["simulate_and_write"] = time.perf_counter() - started
        if bands is not None:
            drawing = time.perf_counter()
            _write_charts(staging / "charts", bands, scenario, progress)
            run.timings["charts"] = time.perf_counter() - drawing
        elapsed = run.timings["simulate_and_write"]
        run.manifest = _manifest(scenario, seed, seeds, engine, command, elapsed, ensemble)
        _write_manifest(staging, run, record)
    run.charts = {p.name: p for p in sorted((out / "charts").glob("*.png"))}
    return run


def _consume(
    writer: RunWriter, chunks: Iterator[tuple[int, ChunkTables]], replicates: int, progress: bool
) -> tuple[pd.DataFrame, Bands | None]:
    """Hand every chunk to the writer as it comes, with a progress bar; keep the summary."""
    try:
        with progress_bar(
            replicates, "replicate", "simulating and writing", enabled=progress
        ) as bar:
            for _, part in chunks:
                writer.add(part)
                bar.update(part.replicates)
        return writer.finish()
    except BaseException:
        writer.abandon()
        raise


def _write_manifest(folder: Path, run: Run, record: str) -> None:
    """The manifest, with how long each stage took and what the engine recorded."""
    manifest = dict(run.manifest)
    manifest["timing_seconds"] = {k: round(v, 3) for k, v in run.timings.items()}
    manifest["record"] = record
    write_json(folder / "manifest.json", manifest)


def write_run(out: Path, run: Run, charts: bool = True) -> Run:
    """Write a run kept in memory as the folder `labelmarket run` writes, atomically."""
    if run.result is None or run.world is None:
        raise ValueError("only a run kept in memory can be written; this one is in a folder")
    with staged_folder(out) as staging:
        sample = run.ensemble.sample if run.ensemble else None
        start = run.resolved["start"]
        writer = RunWriter(staging, run.world, start, charts, memory.SERIES_LIMIT, sample)
        part = writer.chunk_writer(local=True)(0, run.result)
        _, bands = _consume(writer, iter([(0, part)]), run.result.replicates, progress=False)
        if bands is not None:
            _write_charts(staging / "charts", bands, run.scenario, progress=False)
        _write_manifest(staging, run, "full")
    return run


def _write_charts(folder: Path, bands: Bands, scenario: Scenario, progress: bool) -> None:
    """The run charts, events marked, drawn from the statistics gathered while writing."""
    folder.mkdir()
    models = business_model_members([(v.name, v.model) for v in scenario.vendors])
    events = chart_events(scenario, bands.dates)
    with progress_bar(len(CHART_FILES), "chart", "drawing charts", enabled=progress) as bar:
        draw_charts(bands, models, events, folder, lambda: bar.update(1))
