"""Runs for `compare` and `report`: read folders, run scenario files on the fly, write safely.

A scenario file given where a run folder is expected is run in memory with the same seed and
replicate count as the other runs, so its replicates pair with theirs (common random
numbers). Outputs go to a staging folder renamed into place, as `labelmarket run` does.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from labelmarket.errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

    from labelmarket.model.results.run_folder import Run

SCENARIO_SUFFIXES = (".yaml", ".yml")


def is_scenario_file(path: Path) -> bool:
    """A YAML file (run on the fly) rather than a run folder."""
    return path.suffix.lower() in SCENARIO_SUFFIXES and not path.is_dir()


def read_run(path: Path) -> Run:
    """Load a run folder, turning any problem into a UsageError."""
    from labelmarket.model.results.run_folder import RunFolderError, load_run

    try:
        return load_run(path)
    except RunFolderError as exc:
        raise UsageError(str(exc)) from None


def run_scenario(path: Path, seed: int, replicates: int, workers: int | None) -> Run:
    """Run a scenario file in memory and wrap it like a run folder (manifest included)."""
    from labelmarket.model.execution.local import default_workers, replicate_seeds, run_replicates
    from labelmarket.model.results import tables as outputs
    from labelmarket.model.results.manifest import build_manifest
    from labelmarket.model.results.run_folder import Run
    from labelmarket.model.scenario.compile import compile_world
    from labelmarket.model.scenario.files import load_scenario

    scenario, resolved = load_scenario(path)
    world = compile_world(scenario)
    seeds = replicate_seeds(seed, replicates)
    workers = workers or default_workers()
    started = time.perf_counter()
    result = run_replicates(world, seeds, workers)
    argv = ["run", str(path), "--replicates", str(replicates), "--seed", str(seed)]
    manifest = build_manifest(
        path, resolved, [], seed, seeds, workers, argv, time.perf_counter() - started
    )
    return Run(
        None,
        manifest,
        outputs.timeseries(result, world, scenario.start),
        outputs.summary(result, world, scenario.start),
        outputs.defections(result, world, scenario.start),
    )


def run_events(run: Run) -> list[tuple[pd.Timestamp, str]]:
    """(date, label) of the run's scenario events, labelled as `labelmarket run` labels them."""
    from pydantic import ValidationError

    from labelmarket.api.run import chart_events
    from labelmarket.model.results.tables import month_dates
    from labelmarket.model.scenario.schema import Scenario

    try:
        scenario = Scenario.model_validate(run.scenario)
    except ValidationError:
        return []  # an older manifest: charts go without event lines rather than fail
    return chart_events(scenario, month_dates(scenario.start, len(run.dates)))


def merged_events(runs: list[Run]) -> list[tuple[pd.Timestamp, str]]:
    """Events of every run, each (date, label) once, labels naming the scenario if not all."""
    per_run = [set(run_events(run)) for run in runs]
    shared = set.intersection(*per_run) if per_run else set()
    out: dict[tuple, None] = {}
    for run, events in zip(runs, per_run, strict=True):
        for when, label in sorted(events):
            text = label if (when, label) in shared or not label else f"{label} ({run.name})"
            out.setdefault((when, text), None)
    return list(out)
