"""Run a scenario and write its folder: tidy tables, charts and a manifest, all or nothing.

`run_to_folder` is what `labelmarket run` does: it sizes the run first (memory and disk,
refusing one that would not fit), then streams it: each chunk of replicates is written as
soon as it is simulated and then forgotten, and the charts are drawn from statistics
gathered on the way. `simulate` and `write_run` keep a whole run in memory instead, for
callers that want its arrays (compare's scenario files run on the fly). Either way the
folder is written through a staging sibling renamed into place at the end, so an error or
Ctrl-C never leaves a half-written output folder behind.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelmarket.api.progress import progress_bar
from labelmarket.model.execution.engine import Engine
from labelmarket.model.results.folders import staged_folder
from labelmarket.model.results.manifest import run_manifest, write_json

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.core.world import World
    from labelmarket.model.drivers.batched import RunResult
    from labelmarket.model.results.bands import Bands
    from labelmarket.model.results.memory import Need
    from labelmarket.model.results.posterior import Ensemble, PosteriorSample
    from labelmarket.model.results.stream import ChunkOutput
    from labelmarket.model.scenario.schema import Scenario


@dataclass
class Simulation:
    """A scenario's replicates, simulated: what was run, with what, and what came out."""

    scenario_file: Path
    overrides: list[str]
    scenario: Scenario
    resolved: dict[str, Any]
    world: World
    seed: int
    seeds: np.ndarray
    result: RunResult | None  # None once streamed to a folder
    engine: Engine
    elapsed: float  # seconds spent simulating (and, when streamed, writing the tables)
    summary: pd.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)
    record: str = "full"  # what the engine kept of each month (`model.core.record`)
    ensemble: Ensemble | None = None  # each replicate's parameters drawn from a posterior


def plan_run(
    world: World, replicates: int, engine: Engine, charts: bool, out: Path, record: str = "full"
) -> Need:
    """Size a run before it starts: the chunk that fits, or ResourceError (exit code 2)."""
    from labelmarket.model.results import memory

    remote = engine.name != "local"  # a cluster's workers use their own machines' memory
    need = memory.measure(world, replicates, engine.workers, charts, remote, record)
    return memory.plan(need, memory.available_memory(), memory.free_disk(out.parent))


def _check_in_memory(world: World, replicates: int, engine: Engine) -> None:
    """Refuse a run kept whole in memory that would not fit (ResourceError)."""
    from labelmarket.model.results import memory

    need = memory.measure(world, replicates, engine.workers, charts=False)
    available = memory.available_memory()
    if available is not None and need.in_memory > available:
        raise memory.ResourceError(
            f"{replicates:,} replicates kept in memory need about "
            f"{need.in_memory / 2**30:.1f} GB but {available / 2**30:.1f} GB is available; "
            "run fewer replicates (or write them to a folder with `labelmarket run`)"
        )


def simulate(
    scenario: Scenario,
    resolved: dict[str, Any],
    scenario_file: Path,
    replicates: int,
    seed: int,
    engine: Engine,
    overrides: list[str] | None = None,
    progress: bool = True,
    posterior: PosteriorSample | None = None,
) -> Simulation:
    """Compile and run `replicates` replicates of a loaded scenario on `engine`, in memory
    (with a `posterior` sample, each replicate runs the parameters its seed draws)."""
    from labelmarket.model.execution.replicates import run_replicates
    from labelmarket.model.execution.seeds import replicate_seeds
    from labelmarket.model.scenario.compile import compile_world

    world = compile_world(scenario)
    _check_in_memory(world, replicates, engine)
    seeds = replicate_seeds(seed, replicates)
    runs, ensemble = _drawn(scenario, world, seeds, posterior)
    started = time.perf_counter()
    with progress_bar(replicates, "replicate", "simulating", enabled=progress) as bar:
        result = run_replicates(runs, seeds, engine, on_chunk=bar.update)
    elapsed = time.perf_counter() - started
    return Simulation(
        Path(scenario_file), list(overrides or []), scenario, resolved, world, seed, seeds,
        result, engine, elapsed, ensemble=ensemble,
    )  # fmt: skip


def _drawn(
    scenario: Scenario, world: World, seeds: np.ndarray, posterior: PosteriorSample | None
) -> tuple[World, Ensemble | None]:
    """The world the engine runs: as compiled, or one parameter row per replicate's draw."""
    if posterior is None:
        return world, None
    from labelmarket.model.results.posterior import apply_sample

    return apply_sample(posterior, scenario, world, seeds)


def run_to_folder(
    out: Path,
    scenario: Scenario,
    resolved: dict[str, Any],
    scenario_file: Path,
    replicates: int,
    seed: int,
    engine: Engine,
    command: str,
    overrides: list[str] | None = None,
    charts: bool = True,
    progress: bool = True,
    record: str = "full",
    posterior: PosteriorSample | None = None,
) -> Simulation:
    """Size, simulate and write a run chunk by chunk; return it with its summary and timings.

    Nothing is simulated if the run would not fit (ResourceError); the returned
    `Simulation` has no `result` (every chunk was written and forgotten). `record="summary"`
    keeps totals only, no client x vendor rows (`model.core.record`), for large worlds.
    """
    from labelmarket.model.execution.replicates import stream_replicates
    from labelmarket.model.execution.seeds import replicate_seeds
    from labelmarket.model.results.memory import SERIES_LIMIT
    from labelmarket.model.results.stream import RunWriter
    from labelmarket.model.scenario.compile import compile_world

    world = compile_world(scenario)
    need = plan_run(world, replicates, engine, charts, out, record)
    seeds = replicate_seeds(seed, replicates)
    runs, ensemble = _drawn(scenario, world, seeds, posterior)
    sim = Simulation(
        Path(scenario_file), list(overrides or []), scenario, resolved, world, seed, seeds,
        None, engine, 0.0, record=record, ensemble=ensemble,
    )  # fmt: skip
    started = time.perf_counter()
    with staged_folder(out) as staging:
        writer = RunWriter(staging, world, scenario.start, charts, SERIES_LIMIT, posterior)
        chunk_writer = writer.chunk_writer(local=engine.name == "local")
        chunks = stream_replicates(
            runs, seeds, engine, chunk_writer, max_chunk=need.chunk, record=record
        )
        bands = _consume(writer, chunks, replicates, sim, progress)
        sim.elapsed = sim.timings["simulate_and_write"] = time.perf_counter() - started
        if bands is not None:
            drawing = time.perf_counter()
            _write_charts(staging / "charts", bands, sim, progress)
            sim.timings["charts"] = time.perf_counter() - drawing
        _write_manifest(staging, sim, command)
    return sim


def _consume(
    writer: Any, chunks: Iterator[tuple[int, ChunkOutput]], replicates: int, sim: Simulation,
    progress: bool,
) -> Bands | None:  # fmt: skip
    """Hand every chunk to the writer as it comes, with a progress bar; keep the summary."""
    try:
        with progress_bar(
            replicates, "replicate", "simulating and writing", enabled=progress
        ) as bar:
            for _, part in chunks:
                writer.add(part)
                bar.update(part.replicates)
        sim.summary, bands = writer.finish()
    except BaseException:
        writer.abandon()
        raise
    return bands


def _write_manifest(folder: Path, sim: Simulation, command: str) -> None:
    """The manifest, with how long each stage took."""
    manifest = run_manifest(
        sim.scenario_file, sim.resolved, sim.overrides, sim.seed, sim.seeds, sim.engine,
        command, sim.elapsed, sim.ensemble,
    )  # fmt: skip
    manifest["timing_seconds"] = {k: round(v, 3) for k, v in sim.timings.items()}
    manifest["record"] = sim.record
    write_json(folder / "manifest.json", manifest)


def write_run(out: Path, sim: Simulation, command: str, charts: bool = True) -> pd.DataFrame:
    """Write an in-memory run's folder (tables, charts, manifest) atomically; return the summary."""
    from labelmarket.model.results.memory import SERIES_LIMIT
    from labelmarket.model.results.stream import RunWriter

    if sim.result is None:
        raise ValueError("this run was streamed to its folder; nothing is left to write")
    with staged_folder(out) as staging:
        sample = sim.ensemble.sample if sim.ensemble else None
        writer = RunWriter(staging, sim.world, sim.scenario.start, charts, SERIES_LIMIT, sample)
        part = writer.chunk_writer(local=True)(0, sim.result)
        bands = _consume(writer, iter([(0, part)]), sim.result.replicates, sim, progress=False)
        if bands is not None:
            _write_charts(staging / "charts", bands, sim, progress=False)
        _write_manifest(staging, sim, command)
    assert sim.summary is not None
    return sim.summary


def _write_charts(folder: Path, bands: Bands, sim: Simulation, progress: bool) -> None:
    """The run charts, events marked, drawn from the statistics gathered while writing."""
    from labelmarket.model.charts.events import chart_events
    from labelmarket.model.charts.run import CHART_FILES, draw_charts

    folder.mkdir()
    world = sim.world
    crowd = [v for v, c in zip(world.vendors, world.of_model("crowd"), strict=True) if c]
    events = chart_events(sim.scenario, bands.dates)
    with progress_bar(len(CHART_FILES), "chart", "drawing charts", enabled=progress) as bar:
        draw_charts(bands, crowd, events, folder, lambda: bar.update(1))
