"""Runs for `compare` and `report`: read folders, or run scenario files on the fly.

A scenario file given where a run folder is expected is run in memory with the same seed and
replicate count as the other runs, so its replicates pair with theirs (common random
numbers).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def run_scenario(
    path: Path, seed: int, replicates: int, engine: Engine | None, posterior: Any = None
) -> Run:
    """Run a scenario file in memory and wrap it like a run folder (manifest included);
    with a `posterior` sample, each replicate draws its fitted parameters from it."""
    from labelmarket.api.run import simulate
    from labelmarket.model.execution.local import LocalEngine
    from labelmarket.model.results import tables
    from labelmarket.model.results.manifest import run_manifest
    from labelmarket.model.results.run_folder import Run
    from labelmarket.model.scenario.files import load_scenario

    scenario, resolved = load_scenario(path)
    engine = engine or LocalEngine()
    sim = simulate(
        scenario, resolved, path, replicates, seed, engine, progress=False, posterior=posterior
    )
    command = f"labelmarket run {path} --replicates {replicates} --seed {seed}"
    if posterior is not None:
        command += f" --posterior {posterior.path}"
    manifest = run_manifest(
        path, resolved, [], seed, sim.seeds, engine, command, sim.elapsed, sim.ensemble
    )
    start = scenario.start
    summary = tables.summary(sim.result, sim.world, start)
    return Run(
        None,
        manifest,
        tables.timeseries(sim.result, sim.world, start),
        posterior.with_draws(summary) if posterior is not None else summary,
        tables.defections(sim.result, sim.world, start),
    )


def load_inputs(
    paths: list[Path],
    seed: int | None,
    replicates: int | None,
    engine: Engine | None,
    posterior: str | bool | None = None,
) -> list[Run]:
    """Run folders as they are; scenario files run with the folders' seed and replicates
    (and, with `posterior`, one sample for all: each replicate draws from it by its seed)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: run folder or scenario file not found")
    folders = {p: read_run(p) for p in paths if not is_scenario_file(p)}
    first = next(iter(folders.values()), None)
    seed = seed if seed is not None else int(first.manifest.get("seed", 0)) if first else 0
    reps = replicates or (first.replicates if first else 20)
    if seed < 0 or reps < 1:
        raise UsageError("--seed must be >= 0 and --replicates >= 1")
    sample = _sample([p for p in paths if p not in folders], posterior)
    return [
        folders[p] if p in folders else run_scenario(p, seed, reps, engine, sample) for p in paths
    ]


def _sample(files: list[Path], posterior: str | bool | None) -> Any:
    """The one posterior sample every scenario file of a comparison draws from."""
    if posterior is None or not files:
        return None
    from labelmarket.model.results.posterior import SUFFIX, find_sample, read_sample

    owner = next((f for f in files if f.with_name(f.stem + SUFFIX).is_file()), files[0])
    return read_sample(find_sample(owner, posterior))
