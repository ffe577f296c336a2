"""Run a scenario and write its folder: tidy tables, charts and a manifest, all or nothing.

`simulate` loads, compiles and runs the replicates on an engine; `write_run` writes the
folder through a staging sibling renamed into place at the end, so an error or Ctrl-C
never leaves a half-written output folder behind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
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
    result: RunResult
    engine: Engine
    elapsed: float  # seconds spent simulating


def simulate(
    scenario: Scenario,
    resolved: dict[str, Any],
    scenario_file: Path,
    replicates: int,
    seed: int,
    engine: Engine,
    overrides: list[str] | None = None,
    progress: bool = True,
) -> Simulation:
    """Compile and run `replicates` replicates of a loaded scenario on `engine`."""
    from labelmarket.model.execution.replicates import run_replicates
    from labelmarket.model.execution.seeds import replicate_seeds
    from labelmarket.model.scenario.compile import compile_world

    world = compile_world(scenario)
    seeds = replicate_seeds(seed, replicates)
    started = time.perf_counter()
    with progress_bar(replicates, "replicate", "simulating", enabled=progress) as bar:
        result = run_replicates(world, seeds, engine, on_chunk=bar.update)
    elapsed = time.perf_counter() - started
    return Simulation(
        Path(scenario_file), list(overrides or []), scenario, resolved, world, seed, seeds,
        result, engine, elapsed,
    )  # fmt: skip


def write_run(out: Path, sim: Simulation, command: str, charts: bool = True) -> pd.DataFrame:
    """Write the run's folder (tables, charts, manifest) atomically; return the summary."""
    from labelmarket.model.results import tables
    from labelmarket.model.results.decisions import decisions

    start = sim.scenario.start
    with staged_folder(out) as staging:
        ts = tables.timeseries(sim.result, sim.world, start)
        ts.to_parquet(staging / "timeseries.parquet", index=False)
        summary = tables.summary(sim.result, sim.world, start)
        summary.to_csv(staging / "summary.csv", index=False)
        tables.defections(sim.result, sim.world, start).to_csv(
            staging / "defections.csv", index=False
        )
        decisions(sim.result, sim.world, start).to_csv(staging / "decisions.csv", index=False)
        if charts:
            _write_charts(staging / "charts", ts, sim)
        manifest = run_manifest(
            sim.scenario_file, sim.resolved, sim.overrides, sim.seed, sim.seeds, sim.engine,
            command, sim.elapsed,
        )  # fmt: skip
        write_json(staging / "manifest.json", manifest)
    return summary


def _write_charts(folder: Path, ts: pd.DataFrame, sim: Simulation) -> None:
    """The run charts, events marked."""
    from labelmarket.model.charts.events import chart_events
    from labelmarket.model.charts.run import write_charts
    from labelmarket.model.results.metrics import month_dates

    folder.mkdir()
    world = sim.world
    crowd = [v for v, c in zip(world.vendors, world.of_model("crowd"), strict=True) if c]
    events = chart_events(sim.scenario, month_dates(sim.scenario.start, world.months))
    write_charts(ts, list(world.vendors), crowd, events, folder)
