"""Runs for `compare` and `report`: read folders, or run scenarios on the fly.

A scenario (a YAML file, or a bundled name that is no folder here) given where a run is
expected is run in memory with the same seed and replicate count as the other runs, so its
replicates pair with theirs (common random numbers).
"""

from __future__ import annotations

from pathlib import Path

from labelmarket.api.run import read_run
from labelmarket.api.streaming import simulate
from labelmarket.bundled import SCENARIO_SUFFIXES, scenario_names
from labelmarket.errors import UsageError
from labelmarket.model.execution.engine import Engine
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.results.posterior import SUFFIX, PosteriorSample, find_sample, read_sample
from labelmarket.model.results.run import Run
from labelmarket.model.scenario.loading import load_scenario

RunInput = Run | str | Path
"""A run in memory, a run folder, or a scenario to run on the fly (file or bundled name)."""


def is_scenario(path: Path) -> bool:
    """A YAML file, or a bundled scenario's name that no folder here carries (run on the fly)."""
    if path.exists():
        return not path.is_dir() and path.suffix.lower() in SCENARIO_SUFFIXES
    named = path.stem if path.suffix.lower() in SCENARIO_SUFFIXES else path.name
    return path.parent == Path(".") and named in scenario_names()


def run_scenario(
    path: Path, seed: int, replicates: int, engine: Engine | None,
    posterior: PosteriorSample | None = None,
) -> Run:  # fmt: skip
    """Run a scenario in memory, recorded as the command that would run it; with a
    `posterior` sample, each replicate draws its fitted parameters from it."""
    scenario = load_scenario(path)
    command = f"labelmarket run {path} --replicates {replicates} --seed {seed}"
    if posterior is not None:
        command += f" --posterior {posterior.path}"
    used = engine or LocalEngine()
    try:
        return simulate(scenario, replicates, seed, used, command, posterior)
    finally:
        if engine is None:
            used.close()


def load_inputs(
    items: list[RunInput],
    seed: int | None,
    replicates: int | None,
    engine: Engine | None,
    posterior: str | Path | bool | None = None,
) -> list[Run]:
    """Runs as they are, folders read; scenarios run with the folders' seed and replicates
    (and, with `posterior`, one sample for all: each replicate draws from it by its seed)."""
    paths = {i: Path(item) for i, item in enumerate(items) if not isinstance(item, Run)}
    missing = [p for p in paths.values() if not p.exists() and not is_scenario(p)]
    if missing:
        raise UsageError(f"{missing[0]}: run folder or scenario file not found")
    found = {i: item for i, item in enumerate(items) if isinstance(item, Run)}
    found |= {i: read_run(p) for i, p in paths.items() if not is_scenario(p)}
    first = found[min(found)] if found else None
    seed = seed if seed is not None else (first.seed if first else 0)
    reps = replicates or (first.replicates if first else 20)
    if seed < 0 or reps < 1:
        raise UsageError("the seed must be >= 0 and the replicates >= 1")
    scenarios = {i: p for i, p in paths.items() if i not in found}
    sample = _sample(list(scenarios.values()), posterior)
    for i, path in scenarios.items():
        found[i] = run_scenario(path, seed, reps, engine, sample)
    return [found[i] for i in range(len(items))]


def _sample(files: list[Path], posterior: str | Path | bool | None) -> PosteriorSample | None:
    """The one posterior sample every scenario of a comparison draws from."""
    if posterior is None or not files:
        return None
    owner = next((f for f in files if f.with_name(f.stem + SUFFIX).is_file()), files[0])
    return read_sample(find_sample(owner, posterior))
