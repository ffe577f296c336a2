"""Running many replicates of a world on any engine: same chunks, same seeds, same numbers.

Each replicate's seed is its own (`model.execution.seeds`), so the numbers of replicate i
are the same whether it runs alone, in a chunk of 7 or of 250, in this process, in a
worker or on a cluster: results never depend on the engine or its workers.

`stream_replicates` hands each chunk over as soon as it (and every chunk before it) is
done, optionally reduced in the worker first (`reduce(first, result)`), so a caller that
writes or summarises chunks never holds every replicate's history at once;
`run_replicates` collects them into one `RunResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from labelmarket.model.core.record import History
from labelmarket.model.core.world import World
from labelmarket.model.drivers.batched import RunResult, run_batch
from labelmarket.model.execution.engine import MAX_CHUNK, Engine, chunk
from labelmarket.model.execution.local import LocalEngine
from labelmarket.model.execution.run_history import (
    OwnTarget,
    SharedHistory,
    SharedTarget,
    has_room,
    history_layout,
    layout_bytes,
)

Reduce = Callable[[int, RunResult], Any]
"""Worker-side reduction of a chunk: (index of its first replicate, its result) -> anything."""


def _replicate_chunk(
    context: tuple[World, Reduce | None, str, OwnTarget | SharedTarget | None],
    task: tuple[int, np.ndarray],
) -> Any:
    """Run replicates start..start+len(seeds) of a (possibly batched) world, then reduce them.

    With a `target` the months are recorded there, and the chunk is its seeds and
    defections (the history stays in the target)."""
    world, reduce, record, target = context
    start, seeds = task
    rows = world.rows(start, start + len(seeds))
    if target is None:
        result = run_batch(rows, seeds, record=record)
        return result if reduce is None else reduce(start, result)
    with target.history(start) as into:
        result = run_batch(rows, seeds, record=record, into=into)
        kept = RunResult({}, result.defections, result.seeds)  # the history stays in `into`
        del result  # its arrays view `into`'s memory, unmapped when the block is closed
    return kept if reduce is None else reduce(start, kept)


def stream_replicates(
    world: World,
    seeds: np.ndarray,
    engine: Engine | None = None,
    reduce: Reduce | None = None,
    on_chunk: Callable[[int], None] | None = None,
    max_chunk: int = MAX_CHUNK,
    record: str = "full",
    target: OwnTarget | SharedTarget | None = None,
) -> Iterator[tuple[int, Any]]:
    """Yield (first replicate, chunk) in replicate order, each as soon as it may come.

    `record` is what the engine keeps of each month (`model.core.record`: full or summary);
    with a `target` (local engines only) it is recorded there, not sent back.

    A chunk is the chunk's `RunResult`, or what `reduce` (run in the worker, so it must be
    picklable for a cluster) made of it. Chunks finishing early wait in a small buffer
    until those before them are done; `on_chunk(n)` is called as each chunk of n finishes.
    """
    if engine is None:
        engine = LocalEngine()
    seeds = np.asarray(seeds, dtype=np.uint64)
    if world.is_batched and len(world.budget) != len(seeds):
        raise ValueError(f"world has {len(world.budget)} rows of parameters for {len(seeds)} seeds")
    chunks = chunk(seeds, engine.workers, max_size=max(1, max_chunk))
    starts = np.cumsum([0] + [len(c) for c in chunks[:-1]]).tolist()
    tasks = list(zip(starts, chunks, strict=True))
    waiting: dict[int, Any] = {}
    turn = 0
    for index, part in engine.map(_replicate_chunk, (world, reduce, record, target), tasks):
        if on_chunk:
            on_chunk(len(chunks[index]))
        waiting[index] = part
        while turn in waiting:
            yield starts[turn], waiting.pop(turn)
            turn += 1


def run_replicates(
    world: World,
    seeds: np.ndarray,
    engine: Engine | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> RunResult:
    """Run every seed's replicate on `engine` (default: all local cores).

    `world` may be batched with one row of parameters per seed (a sweep, a calibration):
    each chunk then runs its own rows. `on_chunk(n)` is called as each chunk of n finishes.
    Locally, chunks record into one history for the whole run, in shared memory when
    worker processes run them (`model.execution.run_history`); a cluster's workers send
    theirs back. The numbers are the same either way.
    """
    engine = LocalEngine() if engine is None else engine
    if isinstance(engine, LocalEngine):
        shape = (world.months, len(seeds), world.n_clients, world.n_vendors)
        if engine.workers < 2 or len(chunk(np.asarray(seeds), engine.workers)) < 2:  # run here
            whole = History.empty(*shape, "full")
            return _recorded(world, seeds, engine, on_chunk, OwnTarget(whole), whole.arrays)
        layout = history_layout(*shape, "full")
        shared = SharedHistory.reserved(layout) if has_room(layout_bytes(layout)) else None
        if shared is not None:
            with shared:
                return _recorded(world, seeds, engine, on_chunk, shared.target(), shared.arrays)
    parts = stream_replicates(world, seeds, engine, on_chunk=on_chunk)  # a cluster, or no room
    return RunResult.concat([part for _, part in parts])


def _recorded(
    world: World,
    seeds: np.ndarray,
    engine: Engine,
    on_chunk: Callable[[int], None] | None,
    target: OwnTarget | SharedTarget,
    arrays: Callable[[], dict[str, np.ndarray]],
) -> RunResult:
    """Run the chunks into `target`; the run's history is `arrays()` once they are done."""
    chunks = stream_replicates(world, seeds, engine, on_chunk=on_chunk, target=target)
    joined = RunResult.concat([part for _, part in chunks])
    return RunResult(arrays(), joined.defections, joined.seeds)
