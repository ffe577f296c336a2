"""Running many replicates: per-replicate seeds, chunks, and long-lived worker processes.

Each replicate's seed is spawned from the user's seed with numpy's SeedSequence, so the
numbers of replicate i are the same whether it runs alone, in a chunk of 7 or of 250, in
this process or in a worker: results never depend on `--workers`.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
from collections.abc import Callable

import numpy as np

from model.engine import RunResult, run_batch
from model.world import World

_WORLD: World | None = None


def replicate_seeds(seed: int, replicates: int) -> np.ndarray:
    """One 63-bit integer seed per replicate, spawned from `seed` (SeedSequence)."""
    children = np.random.SeedSequence(seed).spawn(replicates)
    return np.array([int(c.generate_state(1, np.uint64)[0]) >> 1 for c in children], np.uint64)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def chunk(seeds: np.ndarray, workers: int, max_size: int = 250) -> list[np.ndarray]:
    """Split seeds into consecutive chunks: a few per worker, none larger than `max_size`."""
    n = len(seeds)
    size = max(1, min(max_size, math.ceil(n / (workers * 4))))
    return [seeds[i : i + size] for i in range(0, n, size)]


def _init_worker(world: World) -> None:
    """Keep the world in the worker for its whole life (sent once, not per chunk)."""
    global _WORLD
    _WORLD = world


def _run_chunk(seeds: np.ndarray) -> RunResult:
    """Run one chunk in a worker."""
    assert _WORLD is not None
    return run_batch(_WORLD, seeds)


def run_replicates(
    world: World,
    seeds: np.ndarray,
    workers: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> RunResult:
    """Run every seed's replicate, chunked across `workers` processes (default: all cores)."""
    workers = max(1, workers or default_workers())
    chunks = chunk(np.asarray(seeds, dtype=np.uint64), workers)
    parts: list[RunResult] = []
    if workers == 1 or len(chunks) == 1:
        for c in chunks:
            parts.append(run_batch(world, c))
            if on_chunk:
                on_chunk(len(c))
        return RunResult.concat(parts)
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    with ctx.Pool(min(workers, len(chunks)), _init_worker, (world,)) as pool:
        for part in pool.imap(_run_chunk, chunks):
            parts.append(part)
            if on_chunk:
                on_chunk(part.replicates)
    return RunResult.concat(parts)
