"""Running many replicates of a world on any engine: same chunks, same seeds, same numbers.

Each replicate's seed is its own (`model.execution.seeds`), so the numbers of replicate i
are the same whether it runs alone, in a chunk of 7 or of 250, in this process, in a
worker or on a cluster: results never depend on the engine or its workers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult, run_batch
from labelmarket.model.execution.engine import Engine, chunk


def _replicate_chunk(world: World, task: tuple[int, np.ndarray]) -> RunResult:
    """Run replicates start..start+len(seeds) of a (possibly batched) world."""
    start, seeds = task
    return run_batch(world.rows(start, start + len(seeds)), seeds)


def run_replicates(
    world: World,
    seeds: np.ndarray,
    engine: Engine | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> RunResult:
    """Run every seed's replicate on `engine` (default: all local cores).

    `world` may be batched with one row of parameters per seed (a sweep, a calibration):
    each chunk then runs its own rows. `on_chunk(n)` is called as each chunk of n finishes.
    """
    if engine is None:
        from labelmarket.model.execution.local import LocalEngine

        engine = LocalEngine()
    seeds = np.asarray(seeds, dtype=np.uint64)
    if world.is_batched and len(world.budget) != len(seeds):
        raise ValueError(f"world has {len(world.budget)} rows of parameters for {len(seeds)} seeds")
    chunks = chunk(seeds, engine.workers)
    starts = np.cumsum([0] + [len(c) for c in chunks[:-1]]).tolist()
    parts: dict[int, RunResult] = {}
    for index, part in engine.map(_replicate_chunk, world, list(zip(starts, chunks, strict=True))):
        parts[index] = part
        if on_chunk:
            on_chunk(part.replicates)
    return RunResult.concat([parts[i] for i in range(len(chunks))])
