"""Running many replicates: per-replicate seeds, chunks, and long-lived worker processes.

Each replicate's seed is spawned from the user's seed with numpy's SeedSequence, so the
numbers of replicate i are the same whether it runs alone, in a chunk of 7 or of 250, in
this process or in a worker: results never depend on `--workers`.
"""

from __future__ import annotations

import math
import mmap
import multiprocessing as mp
import os
from collections.abc import Callable

import numpy as np
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import (
    RunResult,
    canonical_defections,
    record_layout,
    run_batch,
)

_WORLD: World | None = None
_SHARED: dict[str, np.ndarray] | None = None


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


def _run_chunk(task: tuple[int, np.ndarray]) -> RunResult:
    """Run one chunk in a spawned worker and send everything back."""
    start, seeds = task
    assert _WORLD is not None
    return run_batch(_WORLD.rows(start, start + len(seeds)), seeds)


def _run_into_shared(task: tuple[int, np.ndarray]) -> dict[str, np.ndarray]:
    """Run one chunk in a forked worker, writing its history into shared memory.

    Only the (small) defections travel back through the pipe.
    """
    start, seeds = task
    assert _WORLD is not None and _SHARED is not None
    out = {k: v[:, start : start + len(seeds)] for k, v in _SHARED.items()}
    found = run_batch(_WORLD.rows(start, start + len(seeds)), seeds, out=out).defections
    found["replicate"] = found["replicate"] + start
    return found


def _allocate(world: World, replicates: int, shared: bool) -> dict[str, np.ndarray]:
    """One (T, N, ...) array per recorded quantity, in memory forked workers can write."""
    arrays = {}
    for key, (tail, dtype) in record_layout(world).items():
        shape = (world.months, replicates, *tail)
        if shared:
            size = max(1, int(np.prod(shape)) * np.dtype(dtype).itemsize)
            arrays[key] = np.frombuffer(mmap.mmap(-1, size), dtype=dtype, count=int(np.prod(shape)))
            arrays[key] = arrays[key].reshape(shape)
        else:
            arrays[key] = np.empty(shape, dtype)
    return arrays


def run_replicates(
    world: World,
    seeds: np.ndarray,
    workers: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> RunResult:
    """Run every seed's replicate, chunked across `workers` processes (default: all cores).

    `world` may be batched with one row of parameters per seed (a sweep, a calibration):
    each chunk then runs its own rows. With fork, workers are long-lived and write straight
    into shared memory; elsewhere (spawn) each chunk's result is sent back whole.
    """
    global _WORLD, _SHARED
    seeds = np.asarray(seeds, dtype=np.uint64)
    if world.is_batched and len(world.budget) != len(seeds):
        raise ValueError(f"world has {len(world.budget)} rows of parameters for {len(seeds)} seeds")
    workers = max(1, workers or default_workers())
    chunks = chunk(seeds, workers)
    starts = np.cumsum([0] + [len(c) for c in chunks[:-1]])
    parallel = workers > 1 and len(chunks) > 1
    if parallel and "fork" not in mp.get_all_start_methods():
        with mp.get_context("spawn").Pool(
            min(workers, len(chunks)), _init_worker, (world,)
        ) as pool:
            parts = []
            tasks = list(zip(starts.tolist(), chunks, strict=True))
            for part in pool.imap(_run_chunk, tasks):
                parts.append(part)
                if on_chunk:
                    on_chunk(part.replicates)
        return RunResult.concat(parts)

    history = _allocate(world, len(seeds), shared=parallel)
    found: list[dict[str, np.ndarray]] = []
    tasks = list(zip(starts.tolist(), chunks, strict=True))
    if not parallel:
        for start, c in tasks:
            out = {k: v[:, start : start + len(c)] for k, v in history.items()}
            part = run_batch(world.rows(start, start + len(c)), c, out=out).defections
            part["replicate"] = part["replicate"] + start
            found.append(part)
            if on_chunk:
                on_chunk(len(c))
    else:
        _WORLD, _SHARED = world, history  # inherited by the forked workers
        try:
            with mp.get_context("fork").Pool(min(workers, len(chunks))) as pool:
                for part, (_, c) in zip(pool.imap(_run_into_shared, tasks), tasks, strict=True):
                    found.append(part)
                    if on_chunk:
                        on_chunk(len(c))
        finally:
            _WORLD, _SHARED = None, None
    defections = {k: np.concatenate([f[k] for f in found]) for k in found[0]}
    return RunResult(history, canonical_defections(defections), seeds)
