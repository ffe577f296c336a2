"""Runs for `compare` and `report`: read folders, or run scenario files on the fly.

A scenario file given where a run folder is expected is run in memory with the same seed and
replicate count as the other runs, so its replicates pair with theirs (common random
numbers).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from labelmarket.errors import UsageError

if TYPE_CHECKING:
    from labelmarket.model.execution.engine import Engine
    from labelmarket.model.results.run_folder import Run

SCENARIO_SUFFIXES = (".yaml", ".yml")


def is_scenario_file(path: Path) -> bool:
    """A YAML file (run on the fly) rather than a run folder."""
    return path.suffix.lower() in SCENARIO_SUFFIXES and not path.is_dir()


def read_run(path: Path) -> Run:
    """Load a run folder (RunFolderError, an input error, when it is not one)."""
    from labelmarket.model.results.run_folder import load_run

    if not path.exists():
        raise UsageError(f"{path}: run folder or scenario file not found")
    return load_run(path)


def run_scenario(path: Path, seed: int, replicates: int, engine: Engine | None) -> Run:
    """Run a scenario file in memory and wrap it like a run folder (manifest included)."""
    from labelmarket.api.run import simulate
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.results import tables
    from labelmarket.model.results.manifest import run_manifest
    from labelmarket.model.results.run_folder import Run
    from labelmarket.model.scenario.files import load_scenario

    scenario, resolved = load_scenario(path)
    engine = engine or LocalEngine()
    sim = simulate(scenario, resolved, path, replicates, seed, engine, progress=False)
    command = f"labelmarket run {path} --replicates {replicates} --seed {seed}"
    manifest = run_manifest(path, resolved, [], seed, sim.seeds, engine, command, sim.elapsed)
    start = scenario.start
    return Run(
        None,
        manifest,
        tables.timeseries(sim.result, sim.world, start),
        tables.summary(sim.result, sim.world, start),
        tables.defections(sim.result, sim.world, start),
    )


def load_inputs(
    paths: list[Path], seed: int | None, replicates: int | None, engine: Engine | None
) -> list[Run]:
    """Run folders as they are; scenario files run with the folders' seed and replicates."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: run folder or scenario file not found")
    folders = {p: read_run(p) for p in paths if not is_scenario_file(p)}
    first = next(iter(folders.values()), None)
    seed = seed if seed is not None else int(first.manifest.get("seed", 0)) if first else 0
    reps = replicates or (first.replicates if first else 20)
    if seed < 0 or reps < 1:
        raise UsageError("--seed must be >= 0 and --replicates >= 1")
    return [folders[p] if p in folders else run_scenario(p, seed, reps, engine) for p in paths]
